// Node: wires a shipledger node together (DESIGN §10). One thread owns the consensus core (an
// Asio io_context: inputs posted in order, actions carried out), one commit thread executes and
// stores ordered blocks in height order, gRPC threads admit events and serve reads. The core is
// PbftReplica for every n; with more than one replica in the genesis a peer thread (PeerIo)
// runs the replica transport and the message gate, with one there is no peer side.
// Thread-safety: Backend methods are thread-safe; Start/Stop from the owning thread.
#pragma once

#include <atomic>
#include <boost/asio/io_context.hpp>
#include <boost/asio/steady_timer.hpp>
#include <chrono>
#include <condition_variable>
#include <deque>
#include <memory>
#include <mutex>
#include <set>
#include <thread>

#include "config/identity.h"
#include "config/node_config.h"
#include "consensus/message_gate.h"
#include "consensus/pbft_replica.h"
#include "consensus/replica.h"
#include "consensus/runtime.h"
#include "node/node_metrics.h"
#include "node/operations.h"
#include "node/peer_inbox.h"
#include "node/peer_io.h"
#include "node/verify_pool.h"
#include "rpc/backend.h"
#include "rpc/server.h"
#include "rpc/tracking_server.h"

namespace shipledger::node {

// Milliseconds of the steady clock: for durations only.
inline int64_t SteadyMs() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(
             std::chrono::steady_clock::now().time_since_epoch())
      .count();
}

// Sets one peer's DESIGN §6 flood counters in its status: messages dropped over its share of
// the inbox, heartbeats coalesced there, and NEW-VIEW resends the core suppressed.
void SetFloodCounters(const PeerInbox::PeerCounts& inbox, const consensus::PeerState& core,
                      v1::PeerStatus* out);

class Node final : public rpc::Backend, private consensus::Runtime {
 public:
  // Loads the genesis and the node identity, checks the identity is the replica pinned in the
  // genesis, opens the store. Errors say which file or setting is wrong.
  static Result<std::unique_ptr<Node>> Create(const config::NodeConfig& config,
                                              const Clock& clock = SystemClock::Get());
  ~Node() override;

  // Starts the consensus and commit threads, the peer transport (n > 1; UNAVAILABLE when
  // peer_listen cannot be bound), the gRPC server and, when tracking_listen is set, the public
  // tracking service (UNAVAILABLE when it cannot be bound).
  Status Start();
  // Graceful stop: refuses new events, stops the peer transport, orders nothing more (one node:
  // first orders every admitted event), commits every block already ordered, answers waiting
  // clients, stops gRPC, closes the store. Idempotent.
  void Stop();
  int grpc_port() const { return server_ ? server_->port() : 0; }
  // The bound peer port (n > 1), else 0.
  int peer_port() const { return peer_io_ ? peer_io_->port() : 0; }
  // The bound port of the public tracking service, 0 when it is off (docs/tracking.md).
  int tracking_port() const { return tracking_ ? tracking_->port() : 0; }
  // The bound port of the operations endpoint, 0 when it is off (docs/operations.md).
  int operations_port() const { return operations_ ? operations_->port() : 0; }

  // rpc::Backend
  const model::Genesis& genesis() const override { return *genesis_; }
  const model::EventValidator& validator() const override { return *validator_; }
  model::ParallelRunner& runner() override { return *verify_pool_; }
  const storage::Store& store() const override { return *store_; }
  const Clock& clock() const override { return clock_; }
  rpc::CommitNotifier& notifier() override { return *notifier_; }
  std::vector<Status> Order(const std::vector<model::EventPtr>& events) override;
  v1::NodeStatus NodeStatus() const override;
  uint32_t max_wait_ms() const override { return config_.max_wait_ms; }
  metrics::Registry* metrics() override { return &metrics_.registry(); }
  std::string organisation() const override;
  // node_backup.cc: a RocksDB checkpoint of the store under backup_dir, named by its time and
  // height; one at a time (ABORTED while another runs).
  Result<v1::Backup> CreateBackup() override;

 private:
  Node(const config::NodeConfig& config, const Clock& clock);
  // Builds the ordering core from the stored chain, the journal and the latest stable
  // checkpoint and, when the genesis has peers, the message gate and the peer side.
  Status CreateCore();
  // On the consensus thread: carry out the core's actions, in order (consensus::CarryOut), then
  // snapshot the core's status.
  void Apply(consensus::Actions actions);
  // consensus::Runtime, on the consensus thread.
  void Execute(consensus::CommitBlock block) override;  // queued for the commit thread
  void ArmTimer(int64_t at_ms) override;
  void SendTo(uint32_t replica, std::shared_ptr<const v1::PeerMessage> message) override;
  void SendToAll(std::shared_ptr<const v1::PeerMessage> message) override;
  Status AppendJournal(uint64_t height, const v1::JournalEntry& entry) override;
  void StoreStable(const v1::CheckpointCertificate& certificate) override;
  // On the peer thread: queue an admitted peer message in its sender's share of inbox_ and,
  // when none is outstanding, post a drain to the consensus thread (DESIGN §6 fairness).
  void DeliverPeerMessage(consensus::InboundMessage message);
  // On the consensus thread: hand a batch of queued peer messages to the core, round-robin
  // across senders; posts itself again while messages remain, so timers, admitted events and
  // commits interleave with a flood.
  void DrainPeerMessages();
  // On the consensus thread: tells the gate which of `events` the core now holds, so that
  // forwarded copies of them are dropped unverified (DESIGN §6 fairness).
  void NoteHeld(const std::vector<model::EventPtr>& events);
  void OnTimer(const boost::system::error_code& ec);
  void SnapshotStatus();
  // node_operations.cc: the operations endpoint and what it reports.
  Status StartOperations();
  NodeSnapshot Snapshot() const;
  std::vector<HealthCheck> Liveness();
  std::vector<HealthCheck> Readiness();
  std::string VersionJson() const;
  Result<v1::Backup> TakeBackup(int64_t now_ms);
  // The commit thread: execute, store, notify, report back to the core.
  void CommitLoop();
  void CommitOne(consensus::CommitBlock& cb);

  config::NodeConfig config_;
  const Clock& clock_;
  std::shared_ptr<const model::Genesis> genesis_;
  std::unique_ptr<model::EventValidator> validator_;
  std::unique_ptr<VerifyPool> verify_pool_;  // outlives the gate and the RPC server below
  std::unique_ptr<config::Identity> identity_;
  std::unique_ptr<consensus::Signer> signer_;
  std::unique_ptr<storage::Store> store_;
  std::unique_ptr<rpc::CommitNotifier> notifier_;
  std::unique_ptr<consensus::PbftReplica> core_;  // only touched on the consensus thread
  std::unique_ptr<consensus::MessageGate> gate_;  // n > 1; thread-safe
  std::unique_ptr<PeerIo> peer_io_;               // n > 1; see PeerIo for its threads
  // n > 1: admitted peer messages waiting for the consensus thread, a bounded share per
  // sender; thread-safe.
  std::unique_ptr<PeerInbox> inbox_;
  std::atomic<int64_t> inbox_drop_logged_ms_{0};   // when a drop was last logged
  std::atomic<uint64_t> inbox_drops_unlogged_{0};  // drops since then
  std::mutex backup_mu_;                           // held while a backup is taken
  std::unique_ptr<rpc::Server> server_;
  std::unique_ptr<rpc::TrackingServer> tracking_;  // only with tracking_listen; own thread
  NodeMetrics metrics_;
  std::unique_ptr<OperationsServer> operations_;  // only with operations_listen; own thread
  int64_t started_ms_ = 0;

  boost::asio::io_context io_;
  boost::asio::steady_timer timer_{io_};
  std::set<int64_t> deadlines_;  // consensus thread: ticks asked for and not yet given
  int64_t timer_armed_ms_ = 0;   // consensus thread: the deadline timer_ waits for, 0 if none
  // Consensus thread: a state transfer was logged as started, with the blocks counted then.
  bool transfer_logged_ = false;
  uint64_t transfer_from_blocks_ = 0;
  std::thread consensus_thread_;
  std::atomic<bool> stopping_{false};
  bool stopped_ = false;

  mutable std::mutex status_mu_;
  consensus::ReplicaStatus status_;  // GUARDED_BY(status_mu_)

  std::mutex commit_mu_;
  std::condition_variable commit_cv_;
  std::deque<consensus::CommitBlock> commit_queue_;  // GUARDED_BY(commit_mu_)
  bool commit_stop_ = false;                         // GUARDED_BY(commit_mu_)
  std::thread commit_thread_;
  // When the commit thread took the block it is executing (SteadyMs), 0 when idle: /healthz.
  std::atomic<int64_t> committing_since_ms_{0};
};

}  // namespace shipledger::node
