// NodeMetrics: what a node counts for the operations endpoint's /metrics (docs/operations.md
// lists every metric): blocks and events committed, view changes, block execution time and the
// latency from admission to commit, and, at every scrape, the gauges read from the node's
// status (heights, view, mempool per origin, peers' links and drops, state transfer, storage
// sizes, Watch streams), the process's resources, the build and the expiry of every
// certificate in the genesis and of the node's own.
// Thread-safety: every method is thread-safe.
#pragma once

#include <cstdint>
#include <deque>
#include <functional>
#include <mutex>
#include <unordered_map>
#include <vector>

#include "config/identity.h"
#include "consensus/replica.h"
#include "model/event.h"
#include "model/genesis.h"
#include "shipledger/bytes.h"
#include "shipledger/metrics.h"
#include "shipledger/status.h"
#include "shipledger/v1/ledger.pb.h"
#include "storage/store.h"

namespace shipledger::node {

inline constexpr std::string_view kBuildVersion = SHIPLEDGER_VERSION;
inline constexpr std::string_view kBuildCommit = SHIPLEDGER_GIT_COMMIT;

class NodeMetrics {
 public:
  NodeMetrics();
  metrics::Registry& registry() { return registry_; }

  // Events this node admitted from clients (statuses from the core, in the same order): the
  // admission time of each one accepted is kept until it commits.
  void Admitted(const std::vector<model::EventPtr>& events, const std::vector<Status>& statuses,
                int64_t now_ms);
  // A block stored: its receipts' results, how long execution and the write took.
  void BlockCommitted(const std::vector<model::EventPtr>& events,
                      const std::vector<v1::Receipt>& receipts, double execution_seconds,
                      int64_t now_ms);
  void ViewChangeStarted() { view_changes_->Inc(); }
  // A CreateBackup finished: ok, and if so when (Unix ms) and at which height.
  void BackupTaken(bool ok, int64_t at_ms, uint64_t height);

 private:
  metrics::Registry registry_;
  metrics::Counter* blocks_;
  metrics::Counter* events_valid_;
  metrics::Counter* events_rejected_;
  metrics::Counter* view_changes_;
  metrics::Counter* backups_ok_;
  metrics::Counter* backups_failed_;
  metrics::Gauge* last_backup_time_;
  metrics::Gauge* last_backup_height_;
  metrics::Histogram* execution_;
  metrics::Histogram* latency_;
  std::mutex mu_;
  // Admission times of events not yet committed; the oldest are forgotten beyond a bound (an
  // event that never commits, e.g. dropped as expired, must not be kept for ever).
  std::unordered_map<Bytes, int64_t> admitted_;  // GUARDED_BY(mu_)
  std::deque<Bytes> admitted_order_;             // GUARDED_BY(mu_)
};

// What a scrape reads from the node, all taken at once.
struct NodeSnapshot {
  v1::NodeStatus status;
  consensus::ReplicaStatus core;
  std::vector<storage::Store::FamilySize> storage;
};

// The gauges and counters of `snapshot` (collector of the node's registry).
void WriteNodeMetrics(const NodeSnapshot& snapshot, metrics::Writer* out);
// Every certificate of `genesis` (organisation CAs, replicas' node certificates) and `own` (the
// node's identity): shipledger_certificate_expiry_timestamp_seconds.
void WriteCertificateMetrics(const model::Genesis& genesis, const crypto::Certificate& own,
                             uint32_t own_replica, metrics::Writer* out);
// The process (CPU, memory, file descriptors, threads, start time) from /proc, and the build.
void WriteProcessMetrics(metrics::Writer* out);

}  // namespace shipledger::node
