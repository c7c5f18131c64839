// The operations endpoint (node.yaml `operations_listen`, docs/operations.md): what monitoring
// and operators ask of a running node over HTTP, apart from the client API.
//   GET /metrics   Prometheus text format (NodeMetrics)
//   GET /healthz   liveness: 200, or 503 with the failed checks, as JSON
//   GET /readyz    readiness: caught up with the quorum and connected to 2f peers
//   GET /version   the build and the node's identity, as JSON
//   GET /logspec   the log levels now in force: {"spec":"info,consensus=debug"}
//   PUT /logspec   {"spec":"..."} sets them (with TLS: an admin of the node's organisation)
// Off by default. Plaintext only on a loopback address (the loader refuses another); with
// `operations_tls: true` it is TLS 1.3 with the node's certificate, and a client must present a
// certificate of the node's own organisation (issued by its CA in the genesis, not a replica's).
// Thread-safety: Start and Stop from the owning thread; requests are answered on the server's
// own thread ("sl-operations").
#pragma once

#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "model/genesis.h"
#include "rpc/http_server.h"
#include "shipledger/status.h"

namespace shipledger::node {

struct HealthCheck {
  std::string name;
  bool ok = true;
  std::string detail;  // why it failed, or what it saw
};

// {"status":"ok"|"unavailable","checks":[...],"failed_checks":[...]}: 200 when every check is
// ok, else 503.
rpc::HttpAnswer HealthAnswer(const std::vector<HealthCheck>& checks);

// What the endpoint asks of the node; each is called on the server's thread.
struct OperationsHooks {
  std::function<std::string()> metrics;
  std::function<std::vector<HealthCheck>()> liveness;
  std::function<std::vector<HealthCheck>()> readiness;
  std::function<std::string()> version_json;
};

struct OperationsOptions {
  std::string listen;  // host:port
  // TLS: the node's certificate and key; clients must chain to `org`'s CA in `genesis`.
  std::shared_ptr<boost::asio::ssl::context> tls;
  const model::Genesis* genesis = nullptr;
  std::string org;
};

// Answers one request (the routing, methods and /logspec, without sockets: unit-testable).
rpc::HttpAnswer AnswerOperations(const OperationsHooks& hooks, const rpc::HttpRequest& request,
                                 bool tls);

class OperationsServer {
 public:
  OperationsServer(OperationsOptions options, OperationsHooks hooks);
  // Binds and serves. INVALID_ARGUMENT / UNAVAILABLE as HttpServer::Start.
  Status Start();
  void Stop() { http_->Stop(); }
  int port() const { return http_->port(); }

 private:
  const OperationsOptions options_;
  const OperationsHooks hooks_;
  std::unique_ptr<rpc::HttpServer> http_;
};

}  // namespace shipledger::node
