// node.yaml: one node's local settings. Relative paths are resolved against the file's folder.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "model/node_defaults.h"
#include "shipledger/status.h"

namespace shipledger::config {

struct NodeConfig {
  uint32_t replica_id = 0;
  std::string genesis_path;  // required
  std::string grpc_listen;   // required, host:port
  std::string peer_listen;   // host:port of the replica transport (PBFT); optional on 1 node
  std::string data_dir;      // required
  std::string cert_path;     // node certificate (PEM); required
  std::string key_path;      // node key (PEM); required
  uint32_t mempool_capacity = model::kDefaultMempoolCapacity;  // Default: 100000 pending events
  uint32_t batch_timeout_ms = 0;                               // Default: 0 = the genesis value
  uint32_t max_wait_ms = 30000;  // Default: 30 s cap on SubmitEvents wait_for_commit
  uint32_t max_watchers = model::kDefaultMaxWatchers;  // Default: 256 Watch streams on the node
  // Of which one organisation may hold this many (DESIGN §8: per-organisation quotas; a full
  // node ends the least recently active idle stream of the largest holder for an organisation
  // holding few, see rpc/watch_quota.h). Default: 16
  uint32_t max_watchers_per_org = model::kDefaultMaxWatchersPerOrg;
  uint32_t watch_stall_ms =
      model::kDefaultWatchStallMs;  // Default: 10 s; a stalled reader is dropped
  std::string log_level = "info";   // trace, debug, info, warn, error
  std::string log_format = "text";  // text, or json: one JSON object per line
  // Threads that check a batch's signatures side by side, the caller included (DESIGN §10).
  // Default: 0 = one per core; 1 = on the receiving thread only.
  uint32_t verify_threads = 0;
  // DEVELOPMENT ONLY. The client API normally runs over TLS with the node certificate and admits
  // only clients with a certificate of a genesis organisation (DESIGN §8). `true` serves it in
  // plaintext to anyone, with every read unscoped, and says so loudly in the log. Default: false.
  bool insecure_client_api = false;
  // The public tracking service (docs/tracking.md): host:port of its plain-HTTP listener.
  // Default: empty = off.
  std::string tracking_listen;
  // Its per-client-address token bucket: sustained requests per second and burst.
  uint32_t tracking_rate_per_s = 10;  // Default: 10
  uint32_t tracking_burst = 20;       // Default: 20
  // Open connections per client address (IPv6: per /64), counted when accepted: one more is
  // closed before its request is read. Default: 8
  uint32_t tracking_max_connections_per_address = 8;
  // The operations endpoint (docs/operations.md: /metrics, /healthz, /readyz, /version,
  // /logspec): host:port. Default: empty = off.
  std::string operations_listen;
  // TLS with the node's certificate, clients with a certificate of the node's organisation.
  // Without it the endpoint is plaintext and may listen only on a loopback address.
  // Default: false
  bool operations_tls = false;
  // /readyz: ready while this node's height is within this many blocks of the height a quorum
  // of replicas has reached. Default: 8
  uint32_t ready_max_lag_blocks = 8;
  // Where AdminService.CreateBackup (shipledger backup) writes copies of the data dir taken
  // while the node runs (docs/operations.md). Default: empty = "backups" beside the data dir.
  std::string backup_dir;

  bool operator==(const NodeConfig&) const = default;
};

// Every key a node.yaml may hold, and those it must (docs/configuration.md lists them with their
// defaults; tests/unit/config/configuration_doc_test.cc holds the page to these and to
// NodeConfig's defaults). replica_id is required although it defaults to 0 in NodeConfig: a
// node.yaml copied without it would silently make a second replica 0.
inline constexpr std::string_view kNodeConfigKeys[] = {"replica_id",
                                                       "genesis",
                                                       "grpc_listen",
                                                       "peer_listen",
                                                       "data_dir",
                                                       "cert",
                                                       "key",
                                                       "mempool_capacity",
                                                       "batch_timeout_ms",
                                                       "max_wait_ms",
                                                       "max_watchers",
                                                       "max_watchers_per_org",
                                                       "watch_stall_ms",
                                                       "log_level",
                                                       "log_format",
                                                       "verify_threads",
                                                       "tracking_listen",
                                                       "tracking_rate_per_s",
                                                       "tracking_burst",
                                                       "tracking_max_connections_per_address",
                                                       "operations_listen",
                                                       "operations_tls",
                                                       "ready_max_lag_blocks",
                                                       "backup_dir",
                                                       "insecure_client_api"};
inline constexpr std::string_view kRequiredNodeConfigKeys[] = {
    "replica_id", "genesis", "grpc_listen", "data_dir", "cert", "key"};

// INVALID_ARGUMENT naming the key on a missing required key or a bad value; NOT_FOUND if the
// file is missing.
Result<NodeConfig> LoadNodeConfig(const std::string& path);

// The same from the file's text; `path` names it in errors and is the base of relative paths.
Result<NodeConfig> ParseNodeConfig(std::string_view text, const std::string& path);

}  // namespace shipledger::config
