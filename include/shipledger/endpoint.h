// Network endpoints as configuration writes them: "host:port" or "[IPv6]:port". The one parser
// for node.yaml and genesis checks, the peer transport and the tracking service's listener.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace shipledger {

struct Endpoint {
  std::string host;   // a name or an address; an IPv6 address without its brackets
  uint16_t port = 0;  // 0 asks the system for a free port when listening
  std::string port_text() const { return std::to_string(port); }
};

// Splits `host_port` at its last colon. nullopt when it is malformed: no colon, an empty host,
// a port that is not a decimal number up to 65535, an IPv6 address without brackets ("::1:80"),
// or a host holding whitespace, a control character, '/' or '@'.
std::optional<Endpoint> SplitEndpoint(std::string_view host_port);

// An endpoint to dial or to publish to peers: well formed and with a port from 1 up.
bool IsValidEndpoint(std::string_view host_port);

// "host:port", or "[host]:port" for an IPv6 address.
std::string JoinHostPort(std::string_view host, uint16_t port);

// Well formed, on a loopback host: localhost, 127.0.0.0/8 or ::1.
bool IsLoopbackEndpoint(std::string_view host_port);

}  // namespace shipledger
