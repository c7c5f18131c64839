// HttpServer: the node's small HTTP services (the public tracking service, docs/tracking.md,
// and the operations endpoint, docs/operations.md) on one Boost.Beast plumbing. Defensive by
// construction: one request per connection; a bounded request line, headers and body; one
// deadline for the TLS handshake, the request and the answer; limits on open connections, on
// the server and per client address (a connection beyond either is closed when accepted,
// before any of its bytes are read); optionally a token bucket per client address (429 with
// Retry-After); 400 for malformed HTTP. With TLS, a client must present a certificate that
// `authenticate` accepts, or the handshake fails and nothing is served.
// Thread-safety: Start and Stop from the owning thread; the server runs on its own thread,
// which owns all connection state and calls the handler.
#pragma once

#include <boost/asio/ssl/context.hpp>
#include <boost/beast/http/verb.hpp>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "crypto/x509.h"
#include "rpc/rate_limiter.h"
#include "shipledger/log.h"
#include "shipledger/status.h"

namespace shipledger::rpc {

struct HttpRequest {
  boost::beast::http::verb method = boost::beast::http::verb::get;
  std::string target;  // path and optional query, as in the request line
  std::string body;    // empty unless max_body_bytes allows one
  // With TLS, the client's certificate (accepted by `authenticate`); else null.
  const crypto::Certificate* client_certificate = nullptr;
};

struct HttpAnswer {
  HttpAnswer() = default;
  HttpAnswer(unsigned s, std::string b) : status(s), body(std::move(b)) {}
  unsigned status = 500;
  std::string body;
  std::string content_type = "application/json";
  std::vector<std::pair<std::string, std::string>> headers;  // extra ones, e.g. Allow
};

// {"error":"<error>","message":"<message>"}
std::string ErrorJson(std::string_view error, std::string_view message);

using HttpHandler = std::function<HttpAnswer(const HttpRequest&)>;

struct HttpServerOptions {
  std::string name = "http service";    // in logs and errors, e.g. "tracking service"
  std::string thread_name = "sl-http";  // at most 15 characters
  LogComponent log = LogComponent::kNode;
  std::optional<RateLimiterOptions> rate;  // per client address (IPv6: per /64); none: no limit
  uint32_t max_connections = 256;          // Default: 256 open at once
  // Open at once per client address (IPv6: per /64), counted when accepted. Default: 8
  uint32_t max_connections_per_address = 8;
  uint32_t request_timeout_ms = 5000;  // Default: 5 s for handshake, request and answer
  uint32_t max_request_bytes = 8192;   // Default: 8 KiB of request line and headers
  uint32_t max_body_bytes = 0;         // Default: no body
  // TLS when set; `authenticate` decides on the client's certificate (required).
  std::shared_ptr<boost::asio::ssl::context> tls;
  std::function<Status(const crypto::Certificate&)> authenticate;
  // Called for every answer sent (e.g. to count requests by status); may be empty.
  std::function<void(unsigned status)> on_answer;
};

class HttpServer {
 public:
  HttpServer(HttpServerOptions options, HttpHandler handler);
  ~HttpServer();  // Stop()
  HttpServer(const HttpServer&) = delete;
  HttpServer& operator=(const HttpServer&) = delete;

  // Binds `host_port` ("127.0.0.1:0" picks a free port, see port()) and starts serving.
  // INVALID_ARGUMENT for a malformed address, UNAVAILABLE when it cannot be bound.
  Status Start(const std::string& host_port);
  // Closes the listener and every connection and joins the thread. Idempotent.
  void Stop();
  int port() const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace shipledger::rpc
