// PbftReplica: the PBFT ordering core of an n = 3f+1 network (DESIGN §6; Castro & Liskov with
// signatures). A deterministic state machine behind the Replica interface: validated peer
// messages, admitted events, ticks and "block stored" reports in; sends, broadcasts, journal
// writes, timers, checkpoint certificates and ordered blocks out. No threads, clocks,
// randomness or I/O inside.
//
// What it does:
// - normal case: the primary of view v (v mod n) cuts blocks from its mempool (round-robin
//   across origin replicas) and sends PRE-PREPAREs for heights stable < h <= stable + window;
//   backups check each proposal (timestamp not before the parent's and, for fresh proposals,
//   within clock_skew_ms of their clock) and send PREPARE; 2f+1 matching PREPAREs -> COMMIT;
//   2f+1 matching COMMITs of one view -> the block is ordered with that commit certificate and
//   emitted (CommitBlock) in height order;
// - events admitted here are forwarded to every peer; an own event still pending after
//   view_timeout_ms, or an accepted proposal not committed within it, starts a view change;
// - view change with prepared certificates, NEW-VIEW recomputed by backups
//   (new_view.h), timeouts that double per failed view, joining a higher view reported by f+1;
// - checkpoints every checkpoint_interval heights and at every empty block, stable with 2f+1
//   matching, log and journal garbage-collected below; a checkpoint whose results differ from
//   ours stops our voting (status().diverged_height);
// - state transfer: when peers are ahead (heartbeats, checkpoints, votes above the window) it
//   sends FetchBlocks to one peer at a time and applies the certified blocks it gets back;
// - every PRE-PREPARE, vote and VIEW-CHANGE is journalled (Persist) before it is sent; a core
//   built from a journal never signs a second, different message for one (view, height).
//
// n = 1 (f = 0, quorum 1) runs the same steps: the replica is primary of every view, its own
// PREPARE and COMMIT make each quorum, so a block is ordered in the call that proposes it, and
// its own checkpoint is stable at once (receipts certified, proofs complete). Having no peers it
// broadcasts nothing, never suspects a primary (itself) and journals nothing: the journal exists
// so that a restart never shows peers two different votes for one (view, height), and here a
// vote leaves the core only inside a block the runtime stores.
//
// Thread-safety: none (see Replica).
#pragma once

#include <map>
#include <memory>
#include <optional>
#include <set>
#include <vector>

#include "consensus/replica.h"
#include "model/genesis.h"
#include "model/node_defaults.h"

namespace shipledger::consensus {

struct PbftOptions {
  uint32_t replica_id = 0;
  // Defaults: the genesis consensus parameters' (model::ConsensusParams).
  uint32_t batch_max_events = model::ConsensusParams{}.batch_max_events;
  uint32_t batch_timeout_ms = model::ConsensusParams{}.batch_timeout_ms;
  uint32_t window = model::ConsensusParams{}.window;
  uint32_t checkpoint_interval = model::ConsensusParams{}.checkpoint_interval;
  uint32_t view_timeout_ms = model::ConsensusParams{}.view_timeout_ms;
  int64_t clock_skew_ms = model::ConsensusParams{}.clock_skew_ms;
  // Split into equal per-origin quotas. Default: node.yaml's.
  uint32_t mempool_capacity = model::kDefaultMempoolCapacity;
  uint32_t heartbeat_ms = 1000;        // Default: a heartbeat per second
  uint32_t checkpoint_idle_ms = 1000;  // Default: DESIGN §5 checkpoint_idle_ms
  uint32_t fetch_max_blocks = 32;      // blocks asked for per FetchBlocks
  uint32_t fetch_timeout_ms = 1000;    // ask another peer after this long without an answer
  // At most one NEW-VIEW resend per peer per this interval, whatever it sends to ask for it
  // (stale heartbeats, replayed VIEW-CHANGEs; DESIGN §6 fairness). Below heartbeat_ms, so an
  // honest peer left behind is answered at each of its heartbeats. Default: 500 ms.
  uint32_t resend_interval_ms = 500;

  // The defaults above taken from the genesis.
  static PbftOptions FromGenesis(const model::Genesis& genesis, uint32_t replica_id,
                                 uint32_t mempool_capacity);
};

// A block's proposal and the hash of the block below it: together they hash to the block's
// hash, so they prove what a checkpoint certificate (which names only the hash) certified.
struct BlockHeaderProof {
  v1::Proposal proposal;
  Bytes prev_block_hash;
};

// What the core restarts from: the stored chain head, the journal and the last stored stable
// checkpoint certificate (height 0 = the genesis).
struct Restored {
  ChainTip tip;
  std::vector<v1::JournalEntry> journal;
  v1::CheckpointCertificate stable;
  // Proposal digests of the stored blocks above `stable` (height -> digest). Without them a
  // restarted replica does not vote on re-proposals of those heights (it cannot tell whether
  // they are what it stored).
  std::map<uint64_t, Bytes> ordered_digests;
  // The stored blocks from `stable`'s height (not 0) to the tip: a VIEW-CHANGE carries the
  // stable one to prove that block's time (DESIGN §5).
  std::map<uint64_t, BlockHeaderProof> headers;
};

class PbftReplica final {
 public:
  // REQUIRES: options.replica_id < genesis.n().
  PbftReplica(std::shared_ptr<const model::Genesis> genesis, const PbftOptions& options,
              const Signer* signer, const Restored& restored);
  ~PbftReplica();

  // First actions after construction: timers, a heartbeat, catch-up if needed.
  Actions Start(int64_t now_ms);

  // Events admitted by this node (stateless checks passed). One Status per event, in order:
  // OK, ALREADY_EXISTS (pending, in flight or recently committed) or RESOURCE_EXHAUSTED (this
  // node's mempool quota is full).
  Actions OnEvents(const std::vector<model::EventPtr>& events, int64_t now_ms,
                   std::vector<Status>* results);
  // A timer set by SetTimer fired (possibly a little early or late).
  Actions OnTick(int64_t now_ms);
  // The runtime has executed and durably stored a block (in height order).
  Actions OnCommitted(const Committed& committed, int64_t now_ms);
  // A validated message from a peer. fetch_blocks messages are answered by the runtime from
  // its store, not by the core.
  Actions OnPeerMessage(const InboundMessage& message, int64_t now_ms);
  // Shutdown: order everything pending now, ignoring the batch timeout, and keep doing so as
  // blocks commit. With n = 1 a clean stop so leaves no admitted event behind; with peers the
  // primary may be another replica, and the peers order what this node forwarded them.
  Actions Flush(int64_t now_ms);
  ReplicaStatus status() const;
  // True when the event with this id is pending, in flight or recently committed here: a
  // forwarded copy would change nothing (MessageGate::NoteHeld).
  bool HoldsEvent(const Bytes& event_id) const;

  struct Impl;

 private:
  std::unique_ptr<Impl> impl_;
};

}  // namespace shipledger::consensus
