#include "shipledger/endpoint.h"

#include <charconv>

namespace shipledger {

std::optional<Endpoint> SplitEndpoint(std::string_view host_port) {
  const size_t colon = host_port.rfind(':');
  if (colon == std::string_view::npos || colon == 0) return std::nullopt;
  std::string_view host = host_port.substr(0, colon);
  const std::string_view port = host_port.substr(colon + 1);
  if (host.front() == '[') {
    if (host.size() < 3 || host.back() != ']') return std::nullopt;
    host = host.substr(1, host.size() - 2);
  } else if (host.find(':') != std::string_view::npos) {
    return std::nullopt;  // an IPv6 address needs brackets
  }
  for (char c : host) {
    if (static_cast<unsigned char>(c) <= ' ' || c == '/' || c == '@' || c == '\x7f') {
      return std::nullopt;
    }
  }
  uint32_t p = 0;
  const auto [end, ec] = std::from_chars(port.data(), port.data() + port.size(), p);
  if (port.empty() || ec != std::errc() || end != port.data() + port.size() || p > 65535) {
    return std::nullopt;
  }
  return Endpoint{std::string(host), static_cast<uint16_t>(p)};
}

bool IsValidEndpoint(std::string_view host_port) {
  const auto endpoint = SplitEndpoint(host_port);
  return endpoint.has_value() && endpoint->port >= 1;
}

}  // namespace shipledger
