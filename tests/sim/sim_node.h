// A simulated node: a PbftReplica, a Signer over its node key, the real MessageGate with an
// EventValidator, a simulated disk, and a runtime that carries out the core's actions in order:
//   Persist / StoreCheckpoint  change the disk at once (durable; the checkpoint prunes the
//   journal); SetTimer                                  schedules OnTick at that time on the node's
//   clock; Send / Broadcast                          serialise and hand the frame to the network
//                                             (through the Byzantine behaviour, if any);
//   CommitBlock                               checks the block extends the head, executes it
//                                             with the real contracts (contracts::CommitBlock on
//                                             an in-memory chain), and after a simulated disk
//                                             delay stores it with its effects and calls
//                                             OnCommitted.
// Inbound frames pass MessageGate::Admit (which drops forwarded events the core holds or the
// disk has, as the runtime's gate does); fetch_blocks is answered here from the stored chain
// (a `blocks` message with the latest stable checkpoint certificate); the rest waits in the
// SimInbox (per-peer bounded queues, a processing budget per ms) until the core takes it.
// A crash loses everything but the disk (core, gate, timers, blocks not yet stored); a restart
// rebuilds the core from the disk (Restored{tip, journal, stable}); a new disk starts empty.
// Thread-safety: none; driven by one World.
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "config/identity.h"
#include "consensus/message_gate.h"
#include "consensus/pbft_replica.h"
#include "consensus/runtime.h"
#include "contracts/commit.h"
#include "model/validation.h"
#include "sim/byzantine.h"
#include "sim/checkers.h"
#include "sim/network.h"
#include "sim/sim_inbox.h"
#include "testing/memory_chain.h"

namespace shipledger::sim {

// What a node needs from the world around it (implemented by World).
class NodeHost {
 public:
  virtual ~NodeHost() = default;
  virtual int64_t now() const = 0;  // world time, ms (absolute)
  // Runs `fn` at world time `at_ms` (not before now), after everything already due then.
  virtual void At(int64_t at_ms, std::function<void()> fn) = 0;
  // Hands `copies` byte-identical frames from slot `from_slot` to the network for replica `to`
  // (more than one: a flood's burst, which shares one fate).
  virtual void Send(uint32_t from_slot, uint32_t to, std::shared_ptr<const std::string> frame,
                    uint64_t copies) = 0;
  virtual Rng& rng() = 0;
  virtual Checkers& checkers() = 0;
  // Simulated time since the run started, for reports.
  virtual int64_t elapsed() const = 0;
  virtual bool verbose() const = 0;
  virtual void Trace(const std::string& line) = 0;
};

// The simulated disk: survives crashes, lost with a new disk.
struct Disk {
  std::vector<v1::Block> chain;                                // heights 1.., events included
  testing::MemoryChain state;                                  // contract state of `chain`
  std::vector<Bytes> results;                                  // results digest per stored height
  std::vector<std::pair<uint64_t, v1::JournalEntry>> journal;  // (height, entry)
  v1::CheckpointCertificate stable;                            // latest stored
};

struct NodeConfig {
  uint32_t slot = 0;     // which node instance (twins share a replica id)
  uint32_t replica = 0;  // the replica id it runs as
  consensus::PbftOptions options;
  int64_t clock_offset_ms = 0;  // node clock = world time + offset
  int64_t disk_delay_min_ms = 1;
  int64_t disk_delay_max_ms = 5;
  bool correct = true;  // false: Byzantine (a twin, or `byzantine` is set)
  InboxOptions inbox;
  bool attack = true;  // false: a flooding behaviour sends no bursts (the no-attack run)
};

class SimNode final : private consensus::Runtime {
 public:
  SimNode(NodeHost* host, NodeConfig config, std::shared_ptr<const model::Genesis> genesis,
          const config::Identity& identity, std::unique_ptr<Byzantine> byzantine);
  ~SimNode();

  // Builds the core from the disk and starts it. REQUIRES: !up().
  void Boot();
  // Loses all memory; the disk stays. REQUIRES: up().
  void Crash();
  // Replaces the disk with an empty one. REQUIRES: !up().
  void WipeDisk();

  // `copies` identical frames from replica `from` arriving at once; `from_correct` says
  // whether its sender is a correct node.
  void Deliver(uint32_t from, const std::string& frame, bool from_correct, uint64_t copies = 1);
  // A client's submission: admission (stateless checks) then the core. UNAVAILABLE when down.
  Status Submit(const v1::SignedEvent& event);

  bool up() const { return core_ != nullptr; }
  // Changes at every crash; a scheduled callback of an older incarnation is void.
  uint64_t incarnation() const { return incarnation_; }
  const NodeConfig& config() const { return config_; }
  const Disk& disk() const { return disk_; }
  bool HasStored(const Bytes& event_id) const { return stored_ids_.contains(event_id); }
  std::optional<consensus::ReplicaStatus> status() const;
  uint64_t gate_rejections() const { return gate_rejections_; }
  uint64_t new_views_sent() const { return new_views_sent_; }
  // The inbox's counters for sender `replica` (zero while down).
  SimInbox::Counts inbox_counts(uint32_t replica) const;
  // NEW-VIEWs this node admitted whose certificates, taken highest view per height, go back in
  // time (what new_view.h drops; CertificatesGoBackInTime in checkers.h).
  uint64_t mixed_view_new_views() const { return mixed_view_new_views_; }

 private:
  int64_t NodeNow() const { return host_->now() + config_.clock_offset_ms; }
  void Carry(consensus::Actions actions);
  // As the store does with a stable checkpoint's certificate (Store::PutCheckpoint).
  void PruneJournal(uint64_t through_height);
  void SendTo(uint32_t to, const v1::PeerMessage& message);
  void Broadcast(const v1::PeerMessage& message);
  // consensus::Runtime: the simulated disk, timers and network.
  void Execute(consensus::CommitBlock commit) override;
  void ArmTimer(int64_t at_node_ms) override;
  void SendTo(uint32_t to, std::shared_ptr<const v1::PeerMessage> message) override {
    SendTo(to, *message);
  }
  void SendToAll(std::shared_ptr<const v1::PeerMessage> message) override { Broadcast(*message); }
  Status AppendJournal(uint64_t height, const v1::JournalEntry& entry) override;
  void StoreStable(const v1::CheckpointCertificate& certificate) override;
  void StoreNext(uint64_t incarnation);
  // MessageGate::Admit, remembering the admitted burst frames that are not forwards (whose
  // admission depends on what the core holds): a simulator shortcut, since the gate's answer
  // for identical bytes does not change and verification time is not modelled.
  Result<consensus::InboundMessage> Admit(uint32_t from, const std::string& frame, uint64_t copies);
  void ScheduleDrain(int64_t at_ms);
  // Hands the core what the processing budget of this ms allows.
  void DrainInbox();
  // As the runtime (Node::NoteHeld): tells the gate which of `events` the core now holds.
  void NoteHeld(const std::vector<model::EventPtr>& events);
  void ScheduleFlood(int64_t at_ms);
  void AnswerFetch(uint32_t from, const v1::FetchBlocks& fetch);
  void Trace(const std::string& what) const;

  NodeHost* host_;
  NodeConfig config_;
  std::shared_ptr<const model::Genesis> genesis_;
  std::unique_ptr<consensus::Signer> signer_;
  std::unique_ptr<Byzantine> byzantine_;
  Disk disk_;
  std::set<Bytes> stored_ids_;  // ids of the events on disk

  // Memory (lost at a crash).
  uint64_t incarnation_ = 0;
  std::unique_ptr<model::EventValidator> validator_;
  std::unique_ptr<consensus::MessageGate> gate_;
  std::unique_ptr<consensus::PbftReplica> core_;
  std::set<int64_t> armed_;  // timers scheduled (node clock)
  std::unique_ptr<SimInbox> inbox_;
  int64_t budget_ms_ = -1;  // the world ms the budget below was spent in
  size_t budget_used_ = 0;
  std::map<std::pair<uint32_t, std::string>, consensus::InboundMessage> burst_admitted_;
  struct Executed {
    v1::Block block;  // events included
    std::vector<model::EventPtr> events;
    contracts::Executed executed;
  };
  std::vector<Executed> executing_;  // executed, not yet stored, in height order
  uint64_t exec_height_ = 0;         // head including blocks being stored
  Bytes exec_hash_;
  // The disk's state with the blocks being stored applied: what the next block executes on.
  testing::MemoryChain exec_state_;
  int64_t last_store_at_ = 0;
  uint64_t gate_rejections_ = 0;
  uint64_t new_views_sent_ = 0;
  uint64_t mixed_view_new_views_ = 0;
};

// A Signer over `key` (a replica's node key).
std::unique_ptr<consensus::Signer> MakeKeySigner(const crypto::PrivateKey& key);

// The genesis checkpoint certificate (height 0, genesis hash, zero results, no votes).
v1::CheckpointCertificate GenesisCheckpoint(const model::Genesis& genesis);

}  // namespace shipledger::sim
