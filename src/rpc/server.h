// The node's gRPC server: LedgerService, AdminService, standard health checking and server
// reflection (so grpcurl and grpc_health_probe work), over TLS with client certificates.
// Thread-safety: Start/Shutdown from one thread.
#pragma once

#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "model/node_defaults.h"
#include "rpc/auth.h"
#include "rpc/backend.h"
#include "rpc/ledger_service.h"

namespace grpc {
class Server;
class ServerCredentials;
}  // namespace grpc

namespace shipledger::rpc {

// The service names standard gRPC health checking answers for, besides "" (the whole server).
// Health and reflection need TLS but no client certificate: they tell only whether the node
// serves and what the public protos are, and probes and generic tools often have none.
inline constexpr const char* kHealthServices[] = {"shipledger.v1.LedgerService",
                                                  "shipledger.v1.AdminService"};

struct ServerOptions {
  // Watch streams: at most max_watchers on the node and max_watchers_per_org per organisation
  // (rpc/watch_quota.h: a full node makes room for an organisation holding few).
  // Defaults: node.yaml's (model/node_defaults.h). A subscriber not reading for watch_stall_ms
  // is dropped.
  uint32_t max_watchers = model::kDefaultMaxWatchers;
  uint32_t max_watchers_per_org = model::kDefaultMaxWatchersPerOrg;
  uint32_t watch_stall_ms = model::kDefaultWatchStallMs;
  // Threads gRPC may use for calls; beyond them new calls get RESOURCE_EXHAUSTED instead of
  // the node growing without bound. Default: max_watchers + 256.
  int max_threads = 0;
  // The node's certificate and key (PEM): the client API runs over TLS and every client must
  // present a certificate of a genesis organisation (checked per call; UNAUTHENTICATED if not).
  std::string tls_cert_pem;
  std::string tls_key_pem;
  // DEVELOPMENT ONLY: plaintext, no client identity, every read unscoped. Default: false.
  bool insecure = false;
};

class Server {
 public:
  explicit Server(Backend* backend, const ServerOptions& options = {});
  ~Server();

  // Listens on `listen` (host:port). UNAVAILABLE when the port cannot be bound.
  Status Start(const std::string& listen);
  // Stops taking calls, lets running calls finish for up to `grace_ms`, then cancels them.
  void Shutdown(int grace_ms);
  // What the standard health service reports (SERVING / NOT_SERVING, e.g. while draining) for
  // the server ("") and each of kHealthServices.
  void SetServing(bool serving);
  uint32_t watchers() const { return ledger_.watchers(); }
  std::vector<std::pair<std::string, uint32_t>> watchers_by_org() const {
    return ledger_.watchers_by_org();
  }
  uint64_t watchers_evicted() const { return ledger_.watchers_evicted(); }
  int port() const { return port_; }

 private:
  std::shared_ptr<grpc::ServerCredentials> Credentials() const;

  Backend* backend_;
  ServerOptions options_;
  Authenticator auth_;
  LedgerService ledger_;
  AdminService admin_;
  std::unique_ptr<grpc::Server> server_;
  int port_ = 0;
};

}  // namespace shipledger::rpc
