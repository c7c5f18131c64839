// TrackingServer: the optional public tracking service (docs/tracking.md) — plain HTTP/1.1 on
// its own port (Boost.Beast on Asio), answering GET /v1/track/{code} with AnswerTrackingGet.
// Defensive by construction: one request per connection, a bounded request (header) size, a
// deadline for reading the request and writing the answer, limits on open connections, on the
// node and per client address (a connection beyond either is closed when accepted, before any
// of its bytes are read), a token bucket per client address (429 with Retry-After), 400 for
// malformed HTTP, 405 for anything but GET.
// Thread-safety: Start and Stop from the owning thread; the server runs on its own thread
// ("sl-tracking"), which owns all connection state.
#pragma once

#include <cstdint>
#include <memory>
#include <string>

#include "rpc/rate_limiter.h"
#include "shipledger/status.h"
#include "storage/store.h"

namespace shipledger::rpc {

struct TrackingServerOptions {
  RateLimiterOptions rate;         // per client address (IPv6: per /64)
  uint32_t max_connections = 256;  // Default: 256 open at once
  // Open at once per client address (IPv6: per /64), counted when accepted. Default: 8
  uint32_t max_connections_per_address = 8;
  uint32_t request_timeout_ms = 5000;  // Default: 5 s to send the request and read the answer
  uint32_t max_request_bytes = 8192;   // Default: 8 KiB of request line and headers; no body
};

class TrackingServer {
 public:
  // REQUIRES: `store` outlives the server.
  TrackingServer(const storage::Store& store, const TrackingServerOptions& options);
  ~TrackingServer();  // Stop()
  TrackingServer(const TrackingServer&) = delete;
  TrackingServer& operator=(const TrackingServer&) = delete;

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
