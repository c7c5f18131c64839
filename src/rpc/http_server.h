// HttpServer: the node's small HTTP services (the public tracking service, docs/tracking.md,
// and the operations endpoint, docs/operations.md) on one Boost.Beast plumbing. Defensive by
// construction: one request per connection; a bounded request line, headers and body; one
// deadline for the TLS handshake, the request and the answer; limits on open connections, on
// the server and per client address (a connection beyond either is closed when accepted,
// before any of its bytes are read); optionally a token bucket per client address (429 with
// Retry-After); 400 for malformed HTTP. With TLS, a client must present a certificate that
// `authenticate` accepts, or the handshake fails and nothing is served.
// Thread-safety: Start and Stop from the owning thread; the server runs on its own thread,
// which owns all connection state and calls the handler (or, with handler_threads, a pool
// calls it: then it must be thread-safe).
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
  // Every header field, names in lower case, in the order received.
  std::vector<std::pair<std::string, std::string>> headers;
  // With TLS, the client's certificate (accepted by `authenticate`); else null.
  const crypto::Certificate* client_certificate = nullptr;
  // The client's address key (IPv4 address, or the /64 of an IPv6 one).
  std::string client;

  // The first header field named `name` (lower case), or "" when there is none.
  std::string_view Header(std::string_view name) const;
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
  // Threads that run the handler. 0 (default): the server thread runs it, so it must not block;
  // more: a pool of that many runs it, so a handler may wait (e.g. on a node) while the server
  // goes on reading and answering other connections. The deadline is reset for the answer.
  uint32_t handler_threads = 0;
  // TLS when set; `authenticate` decides on the client's certificate (required).
  std::shared_ptr<boost::asio::ssl::context> tls;
  std::function<Status(const crypto::Certificate&)> authenticate;
  // Called on the server thread once the request line and headers are read, before the body
  // (HttpRequest::body empty) and before the handler: an answer ends the exchange there. For
  // what must not read a body first (refusing an unauthenticated upload) or wait behind the
  // handler pool (a health check). Must not block. Default: none.
  std::function<std::optional<HttpAnswer>(const HttpRequest&)> admit;
  // Makes the server's own error answers (400 malformed, 429 rate limited) from the status and
  // a message, e.g. in a service's problem format. Default: ErrorJson.
  std::function<HttpAnswer(unsigned status, std::string_view error, std::string_view message)>
      error_answer;
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
