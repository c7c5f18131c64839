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

std::string JoinHostPort(std::string_view host, uint16_t port) {
  const bool v6 = host.find(':') != std::string_view::npos;
  std::string out;
  out.reserve(host.size() + 8);
  if (v6) out += '[';
  out += host;
  if (v6) out += ']';
  out += ':';
  out += std::to_string(port);
  return out;
}

bool IsLoopbackEndpoint(std::string_view host_port) {
  const auto endpoint = SplitEndpoint(host_port);
  if (!endpoint) return false;
  const std::string& host = endpoint->host;
  if (host == "localhost" || host == "::1") return true;
  // 127.a.b.c: four decimal parts of at most 255, the first 127.
  if (!host.starts_with("127.")) return false;
  int parts = 0;
  std::string_view rest = host;
  for (;;) {
    const size_t dot = rest.find('.');
    const std::string_view part = rest.substr(0, dot);
    uint32_t value = 0;
    const auto [end, ec] = std::from_chars(part.data(), part.data() + part.size(), value);
    if (part.empty() || ec != std::errc() || end != part.data() + part.size() || value > 255) {
      return false;
    }
    ++parts;
    if (dot == std::string_view::npos) break;
    rest.remove_prefix(dot + 1);
  }
  return parts == 4;
}

}  // namespace shipledger
