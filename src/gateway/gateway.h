// Gateway: `shipledger-gateway`, a party's EPCIS 2.0 and DCSA T&T 2.2 REST interface on the
// ledger (docs/gateway.md). It runs beside the party's node with the party's client identity:
// captures are mapped, signed as that identity and submitted to the node (CaptureQueue); queries
// are answered from the gateway's own index of what the party may read (EventIndex, filled by
// the Indexer from the node's Watch). Its own clients authenticate with a bearer token from a
// token file, or with a client certificate (mutual TLS) issued by a CA it is given.
// Thread-safety: Start and Stop from the owning thread; requests are served by a pool.
#pragma once

#include <atomic>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "cli/connection.h"
#include "crypto/x509.h"
#include "gateway/capture.h"
#include "gateway/event_index.h"
#include "gateway/indexer.h"
#include "gateway/subscriptions.h"
#include "rpc/http_server.h"

namespace shipledger::gateway {

struct Target;  // http_util.h

struct GatewayOptions {
  std::string listen = "127.0.0.1:8090";  // Default: loopback only
  std::string node = std::string(cli::kDefaultNode);
  cli::ConnectOptions connect;  // the party's client identity and the network's genesis
  std::string data_dir;         // the index and capture jobs (required)
  // Lines "NAME TOKEN" (TOKEN at least 32 characters; '#' starts a comment): a client sends
  // "Authorization: Bearer TOKEN".
  std::string token_file;
  // TLS (all three, or none): the gateway's certificate and key, and the CA whose certificates
  // clients must present (mutual TLS; then no token is needed).
  std::string tls_cert, tls_key, client_ca;
  uint32_t max_body_bytes = 8 << 20;    // Default: 8 MiB per request
  uint32_t max_capture_events = 10000;  // Default: GS1-CAPTURE-limit 10,000 events
  double rate_per_s = 50;               // Default: 50 requests/s per client address
  double burst = 100;                   // Default: bursts of 100
  uint32_t max_per_page = 1000;         // Default: perPage up to 1,000
  uint32_t default_per_page = 100;      // Default: 100 events a page
  uint32_t handler_threads = 8;         // Default: 8 requests served at once
  // Whether subscription callbacks may go to loopback, link-local and private addresses.
  // Default: no (a client of the gateway must not reach what only the gateway's host can).
  bool allow_private_callbacks = false;
};

class Gateway {
 public:
  // Loads the identity, genesis, tokens and TLS files and opens the index; INVALID_ARGUMENT
  // naming the option that is wrong.
  static Result<std::unique_ptr<Gateway>> Create(const GatewayOptions& options);
  ~Gateway();  // Stop()
  Gateway(const Gateway&) = delete;
  Gateway& operator=(const Gateway&) = delete;

  Status Start();
  void Stop();
  int port() const { return http_->port(); }

  // One request, as the HTTP server hands it over (authentication included).
  rpc::HttpAnswer Handle(const rpc::HttpRequest& request);
  // Before the body is read, on the server thread: GET /healthz's answer, or 401 for a client
  // that is not authenticated; nullopt to go on.
  std::optional<rpc::HttpAnswer> Admit(const rpc::HttpRequest& request) const;

  EventIndex& index() { return *index_; }

 private:
  Gateway(const GatewayOptions& options, config::Identity identity);
  Result<std::unique_ptr<cli::NodeClient>> Connect() const;
  bool Authenticated(const rpc::HttpRequest& request) const;

  rpc::HttpAnswer PostCapture(const rpc::HttpRequest& request, const Target& target);
  rpc::HttpAnswer GetCapture(const std::string& id);
  rpc::HttpAnswer PostEvent(const rpc::HttpRequest& request);
  rpc::HttpAnswer GetEvents(const Target& target);
  rpc::HttpAnswer GetEvent(const std::string& event_id);
  // GET /status: the node followed, how far the index is, its counts, the last stream error.
  rpc::HttpAnswer StatusAnswer() const;
  rpc::HttpAnswer HandleDcsa(const rpc::HttpRequest& request, const Target& target);

  const GatewayOptions options_;
  config::Identity identity_;
  std::shared_ptr<const model::Genesis> genesis_;
  std::shared_ptr<grpc::ChannelCredentials> credentials_;
  std::vector<std::string> token_digests_;  // SHA-256 of each token
  std::optional<crypto::Certificate> client_ca_;
  std::unique_ptr<EventIndex> index_;
  std::unique_ptr<Indexer> indexer_;
  std::unique_ptr<CaptureQueue> capture_;
  std::unique_ptr<Subscriptions> subscriptions_;
  std::unique_ptr<rpc::HttpServer> http_;
  std::atomic<uint32_t> event_waiters_{0};  // POST /events waiting for their job
};

}  // namespace shipledger::gateway
