// TrackingServer: the optional public tracking service (docs/tracking.md) — plain HTTP/1.1 on
// its own port (an HttpServer, with its defences), answering GET /v1/track/{code} with
// AnswerTrackingGet: a token bucket per client address (429 with Retry-After), 400 for
// malformed HTTP, 405 for anything but GET, no request body.
// Thread-safety: Start and Stop from the owning thread; the server runs on its own thread
// ("sl-tracking").
#pragma once

#include <cstdint>
#include <memory>
#include <string>

#include "rpc/http_server.h"
#include "rpc/rate_limiter.h"
#include "shipledger/metrics.h"
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
  // REQUIRES: `store` and `metrics` (if given: shipledger_tracking_requests_total by status
  // code) outlive the server.
  TrackingServer(const storage::Store& store, const TrackingServerOptions& options,
                 metrics::Registry* metrics = nullptr);
  ~TrackingServer();  // Stop()
  TrackingServer(const TrackingServer&) = delete;
  TrackingServer& operator=(const TrackingServer&) = delete;

  // Binds `host_port` ("127.0.0.1:0" picks a free port, see port()) and starts serving.
  // INVALID_ARGUMENT for a malformed address, UNAVAILABLE when it cannot be bound.
  Status Start(const std::string& host_port);
  // Closes the listener and every connection and joins the thread. Idempotent.
  void Stop() { http_.Stop(); }
  int port() const { return http_.port(); }

 private:
  const TrackingServerOptions options_;
  HttpServer http_;
};

}  // namespace shipledger::rpc
