#include "node/node_metrics.h"

#include <dirent.h>
#include <sys/resource.h>
#include <unistd.h>

#include <algorithm>
#include <fstream>
#include <sstream>
#include <string>

namespace shipledger::node {

namespace {

using metrics::Labels;
using metrics::Writer;

// Admission times kept at most: far above any mempool (the default holds 20,000 events).
constexpr size_t kMaxAdmittedTracked = 200000;

void Gauge(Writer* out, std::string_view name, std::string_view help, double value) {
  out->Family(name, "gauge", help);
  out->Sample(name, value);
}

Labels PeerLabels(const v1::PeerStatus& peer) {
  return {{"peer", std::to_string(peer.replica())}, {"org", peer.organisation()}};
}

// One family over every peer: `value` of each.
template <class Value>
void PerPeer(const v1::NodeStatus& status, Writer* out, std::string_view name,
             std::string_view type, std::string_view help, Value value) {
  out->Family(name, type, help);
  for (const v1::PeerStatus& peer : status.peers()) {
    out->Sample(name, PeerLabels(peer), static_cast<double>(value(peer)));
  }
}

}  // namespace

NodeMetrics::NodeMetrics() {
  blocks_ = &registry_
                 .AddCounter("shipledger_blocks_committed_total",
                             "Blocks executed and stored by this node since it started.")
                 .With({});
  auto& events = registry_.AddCounter(
      "shipledger_events_committed_total",
      "Events committed since start, by their receipt's result (valid or rejected).", {"result"});
  events_valid_ = &events.With({"valid"});
  events_rejected_ = &events.With({"rejected"});
  view_changes_ = &registry_
                       .AddCounter("shipledger_consensus_view_changes_total",
                                   "View changes this replica entered since it started.")
                       .With({});
  auto& backups = registry_.AddCounter(
      "shipledger_backups_total",
      "Backups of the data dir taken while running (AdminService.CreateBackup), by result (ok "
      "or failed).",
      {"result"});
  backups_ok_ = &backups.With({"ok"});
  backups_failed_ = &backups.With({"failed"});
  last_backup_time_ = &registry_
                           .AddGauge("shipledger_last_backup_timestamp_seconds",
                                     "When the last successful backup was taken (Unix time); 0: "
                                     "none since the node started.")
                           .With({});
  last_backup_height_ = &registry_
                             .AddGauge("shipledger_last_backup_height",
                                       "The chain height the last successful backup holds.")
                             .With({});
  execution_ = &registry_
                    .AddHistogram("shipledger_block_execution_seconds",
                                  "Time to execute a committed block's contracts and write it.", {},
                                  metrics::LatencyBuckets())
                    .With({});
  latency_ = &registry_
                  .AddHistogram("shipledger_event_commit_latency_seconds",
                                "From admission on this node to commit on this node, for events "
                                "its clients submitted.",
                                {}, metrics::LatencyBuckets())
                  .With({});
}

void NodeMetrics::BackupTaken(bool ok, int64_t at_ms, uint64_t height) {
  if (!ok) {
    backups_failed_->Inc();
    return;
  }
  backups_ok_->Inc();
  last_backup_time_->Set(static_cast<double>(at_ms) / 1000.0);
  last_backup_height_->Set(static_cast<double>(height));
}

void NodeMetrics::Admitted(const std::vector<model::EventPtr>& events,
                           const std::vector<Status>& statuses, int64_t now_ms) {
  std::lock_guard<std::mutex> lock(mu_);
  for (size_t i = 0; i < events.size() && i < statuses.size(); ++i) {
    if (!statuses[i].ok()) continue;
    if (admitted_.emplace(events[i]->id, now_ms).second) admitted_order_.push_back(events[i]->id);
  }
  while (admitted_order_.size() > kMaxAdmittedTracked) {
    admitted_.erase(admitted_order_.front());
    admitted_order_.pop_front();
  }
}

void NodeMetrics::BlockCommitted(const std::vector<model::EventPtr>& events,
                                 const std::vector<v1::Receipt>& receipts, double execution_seconds,
                                 int64_t now_ms) {
  blocks_->Inc();
  execution_->Observe(execution_seconds);
  for (const v1::Receipt& r : receipts) {
    (r.code() == v1::RESULT_CODE_VALID ? events_valid_ : events_rejected_)->Inc();
  }
  std::lock_guard<std::mutex> lock(mu_);
  if (admitted_.empty()) return;
  for (const model::EventPtr& e : events) {
    const auto it = admitted_.find(e->id);
    if (it == admitted_.end()) continue;
    latency_->Observe(static_cast<double>(std::max<int64_t>(0, now_ms - it->second)) / 1000.0);
    admitted_.erase(it);  // its id stays in admitted_order_ until pruned: a miss there is fine
  }
  if (admitted_.empty()) admitted_order_.clear();
}

void WriteNodeMetrics(const NodeSnapshot& snapshot, Writer* out) {
  const v1::NodeStatus& s = snapshot.status;
  const consensus::ReplicaStatus& core = snapshot.core;
  Gauge(out, "shipledger_chain_height", "Height of the last block stored here.",
        static_cast<double>(s.height()));
  Gauge(out, "shipledger_chain_highest_known_height",
        "Highest committed height this node knows of (its own or its peers').",
        static_cast<double>(s.highest_known_height()));
  Gauge(out, "shipledger_chain_lag_blocks", "Highest known height minus this node's height.",
        static_cast<double>(s.lag()));
  Gauge(out, "shipledger_chain_events", "Events on the chain (every receipt, valid or rejected).",
        static_cast<double>(s.events_committed()));
  Gauge(out, "shipledger_checkpoint_stable_height", "Height of the last stable checkpoint.",
        static_cast<double>(s.stable_checkpoint()));
  Gauge(out, "shipledger_diverged_height",
        "Non-zero: this node's results differ from a stable checkpoint at this height; it has "
        "stopped voting.",
        static_cast<double>(s.diverged_height()));
  Gauge(out, "shipledger_consensus_replicas", "Replicas in the genesis (n).",
        static_cast<double>(s.nodes()));
  Gauge(out, "shipledger_consensus_view", "The current PBFT view.", static_cast<double>(s.view()));
  Gauge(out, "shipledger_consensus_primary", "The primary of the current view (replica id).",
        static_cast<double>(s.primary()));
  Gauge(out, "shipledger_consensus_is_primary", "1 when this replica is the primary.",
        s.is_primary() ? 1 : 0);
  Gauge(out, "shipledger_consensus_view_changing", "1 while waiting for a NEW-VIEW.",
        s.view_changing() ? 1 : 0);
  Gauge(out, "shipledger_mempool_capacity", "Events the mempool holds at most, all origins.",
        s.mempool_capacity());
  out->Family("shipledger_mempool_events", "gauge",
              "Events waiting to be ordered or in flight, by the replica they arrived through.");
  for (size_t origin = 0; origin < core.mempool_by_origin.size(); ++origin) {
    out->Sample("shipledger_mempool_events", {{"origin", std::to_string(origin)}},
                core.mempool_by_origin[origin]);
  }
  Gauge(out, "shipledger_state_transfer_active", "1 while a state transfer fetch is outstanding.",
        core.fetching ? 1 : 0);
  out->Family("shipledger_state_transfer_blocks_total", "counter",
              "Blocks this node ordered from state transfer since it started.");
  out->Sample("shipledger_state_transfer_blocks_total",
              static_cast<double>(core.blocks_transferred));

  uint32_t connected = 0;
  for (const v1::PeerStatus& peer : s.peers()) {
    connected += (peer.connected_out() || peer.connected_in()) ? 1 : 0;
  }
  Gauge(out, "shipledger_peers_connected", "Other replicas with a link up in either direction.",
        connected);
  out->Family("shipledger_peer_up", "gauge",
              "1 when a link to the peer is up, by direction (out: we dialled, in: it did).");
  for (const v1::PeerStatus& peer : s.peers()) {
    Labels out_labels = PeerLabels(peer);
    out_labels.emplace_back("direction", "out");
    out->Sample("shipledger_peer_up", out_labels, peer.connected_out() ? 1 : 0);
    Labels in_labels = PeerLabels(peer);
    in_labels.emplace_back("direction", "in");
    out->Sample("shipledger_peer_up", in_labels, peer.connected_in() ? 1 : 0);
  }
  PerPeer(s, out, "shipledger_peer_height", "gauge", "Committed height the peer last reported.",
          [](const v1::PeerStatus& p) { return p.height(); });
  PerPeer(s, out, "shipledger_peer_last_heard_seconds", "gauge",
          "Seconds since the peer was last heard from; -1: never.", [](const v1::PeerStatus& p) {
            return p.last_heard_ms_ago() < 0 ? -1.0
                                             : static_cast<double>(p.last_heard_ms_ago()) / 1000;
          });
  PerPeer(s, out, "shipledger_peer_frames_dropped_total", "counter",
          "Frames to the peer dropped (send queue full, link down).",
          [](const v1::PeerStatus& p) { return p.frames_dropped(); });
  PerPeer(s, out, "shipledger_peer_protocol_errors_total", "counter",
          "Framing and TLS errors on the peer's links.",
          [](const v1::PeerStatus& p) { return p.protocol_errors(); });
  PerPeer(s, out, "shipledger_peer_bad_messages_total", "counter",
          "The peer's messages refused by the validation gate.",
          [](const v1::PeerStatus& p) { return p.bad_messages(); });
  PerPeer(s, out, "shipledger_peer_frames_over_share_total", "counter",
          "The peer's admitted messages dropped because its inbound share was full (a flood).",
          [](const v1::PeerStatus& p) { return p.frames_over_share(); });
  PerPeer(s, out, "shipledger_peer_heartbeats_coalesced_total", "counter",
          "The peer's heartbeats replaced by a later one before they were handled.",
          [](const v1::PeerStatus& p) { return p.heartbeats_coalesced(); });
  PerPeer(s, out, "shipledger_peer_resends_suppressed_total", "counter",
          "NEW-VIEW resends the peer asked for within the rate limit.",
          [](const v1::PeerStatus& p) { return p.resends_suppressed(); });

  out->Family("shipledger_watch_streams", "gauge",
              "Open Watch streams, by the organisation of the caller.");
  for (const v1::WatcherCount& w : s.watchers_by_org()) {
    out->Sample("shipledger_watch_streams", {{"org", w.organisation()}}, w.streams());
  }
  out->Family("shipledger_watch_streams_evicted_total", "counter",
              "Watch streams ended to make room for another organisation's.");
  out->Sample("shipledger_watch_streams_evicted_total", static_cast<double>(s.watchers_evicted()));

  out->Family("shipledger_storage_live_data_bytes", "gauge",
              "RocksDB's estimate of live data in SST files, by column family.");
  for (const auto& f : snapshot.storage) {
    out->Sample("shipledger_storage_live_data_bytes", {{"family", std::string(f.family)}},
                static_cast<double>(f.live_data_bytes));
  }
  out->Family("shipledger_storage_memtable_bytes", "gauge",
              "Bytes in RocksDB memtables not yet flushed, by column family.");
  for (const auto& f : snapshot.storage) {
    out->Sample("shipledger_storage_memtable_bytes", {{"family", std::string(f.family)}},
                static_cast<double>(f.memtable_bytes));
  }
  for (const auto& f : snapshot.storage) {
    if (f.family != "consensus") continue;
    Gauge(out, "shipledger_journal_entries",
          "Consensus journal entries (RocksDB's estimate); pruned at each stable checkpoint.",
          static_cast<double>(f.keys));
  }
  Gauge(out, "shipledger_uptime_seconds", "Seconds since the node started.",
        static_cast<double>(s.uptime_ms()) / 1000);
}

void WriteCertificateMetrics(const model::Genesis& genesis, const crypto::Certificate& own,
                             uint32_t own_replica, Writer* out) {
  constexpr std::string_view kName = "shipledger_certificate_expiry_timestamp_seconds";
  out->Family(kName, "gauge",
              "When a certificate stops being valid (Unix seconds): every organisation CA and "
              "replica certificate in the genesis, and this node's own (kind=\"node_identity\").");
  const auto seconds = [](const crypto::Certificate& c) {
    return static_cast<double>(c.not_after_ms() / 1000);
  };
  for (const model::Organisation& org : genesis.organisations) {
    out->Sample(kName, {{"kind", "org_ca"}, {"org", org.id}, {"replica", ""}},
                seconds(org.ca_cert));
  }
  for (const model::Replica& r : genesis.replicas) {
    out->Sample(kName, {{"kind", "replica"}, {"org", r.org}, {"replica", std::to_string(r.id)}},
                seconds(r.node_cert));
  }
  out->Sample(kName,
              {{"kind", "node_identity"},
               {"org", own.organization()},
               {"replica", std::to_string(own_replica)}},
              seconds(own));
}

void WriteProcessMetrics(Writer* out) {
  out->Family("shipledger_build_info", "gauge",
              "Always 1; the labels say which build runs (version, git commit at configure).");
  out->Sample("shipledger_build_info",
              {{"version", std::string(kBuildVersion)}, {"commit", std::string(kBuildCommit)}}, 1);

  // /proc/self/stat: fields after the command name (which may hold spaces) are space-separated.
  std::ifstream stat_file("/proc/self/stat");
  std::string stat((std::istreambuf_iterator<char>(stat_file)), std::istreambuf_iterator<char>());
  const size_t close = stat.rfind(')');
  if (close == std::string::npos) return;
  std::istringstream fields(stat.substr(close + 2));
  std::vector<std::string> f;  // f[0] is field 3 (state)
  for (std::string field; fields >> field;) f.push_back(field);
  if (f.size() < 22) return;
  const double ticks = static_cast<double>(sysconf(_SC_CLK_TCK));
  const double page = static_cast<double>(sysconf(_SC_PAGESIZE));
  const auto field = [&](int n) { return std::stod(f[static_cast<size_t>(n - 3)]); };
  out->Family("shipledger_process_cpu_seconds_total", "counter",
              "CPU time the process used, user and system.");
  out->Sample("shipledger_process_cpu_seconds_total", (field(14) + field(15)) / ticks);
  Gauge(out, "shipledger_process_resident_memory_bytes", "Resident memory.", field(24) * page);
  Gauge(out, "shipledger_process_virtual_memory_bytes", "Virtual memory.", field(23));
  Gauge(out, "shipledger_process_threads", "Threads of the process.", field(20));
  // Start time: boot time (/proc/stat btime) plus the start in ticks since boot.
  std::ifstream proc_stat("/proc/stat");
  for (std::string line; std::getline(proc_stat, line);) {
    if (line.rfind("btime ", 0) == 0) {
      Gauge(out, "shipledger_process_start_time_seconds", "When the process started (Unix s).",
            std::stod(line.substr(6)) + field(22) / ticks);
    }
  }
  double fds = 0;
  if (DIR* dir = opendir("/proc/self/fd"); dir != nullptr) {
    while (readdir(dir) != nullptr) ++fds;
    closedir(dir);
    fds -= 3;  // ".", ".." and the descriptor of the listing itself
  }
  Gauge(out, "shipledger_process_open_fds", "Open file descriptors.", std::max(0.0, fds));
  rlimit limit{};
  if (getrlimit(RLIMIT_NOFILE, &limit) == 0) {
    Gauge(out, "shipledger_process_max_fds", "The file descriptor limit.",
          static_cast<double>(limit.rlim_cur));
  }
}

}  // namespace shipledger::node
