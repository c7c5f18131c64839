// The ordering interface (DESIGN §1, §6): a replica core is a deterministic state machine.
// Inputs arrive as On* calls with the current time; outputs leave as a list of actions that the
// node runtime carries out (commit a block, arm a timer; PBFT adds send/broadcast/persist).
// No threads, clocks, sockets, gRPC or RocksDB inside a core. The single-node core
// (SoloReplica) and the PBFT core implement this same interface.
// Thread-safety: none; the runtime calls a core from one thread (strand) only.
#pragma once

#include <cstdint>
#include <variant>
#include <vector>

#include "model/event.h"
#include "shipledger/bytes.h"
#include "shipledger/status.h"
#include "shipledger/v1/types.pb.h"

namespace shipledger::consensus {

// A block ordered by consensus, with its commit certificate. The runtime executes it, stores
// it, and reports back with OnCommitted(height).
struct CommitBlock {
  v1::Block block;  // proposal, certificate, block_hash, prev_block_hash; events left empty
  std::vector<model::EventPtr> events;  // the block's events in order
};

// Call OnTick at (or after) `at_ms`.
struct SetTimer {
  int64_t at_ms = 0;
};

using Action = std::variant<CommitBlock, SetTimer>;
using Actions = std::vector<Action>;

// Signs votes with this replica's node key (the key pinned in the genesis).
class Signer {
 public:
  virtual ~Signer() = default;
  virtual Result<Bytes> Sign(ByteView message) const = 0;
};

struct ReplicaStatus {
  uint64_t view = 0;
  uint32_t primary = 0;
  bool is_primary = false;
  uint64_t ordered_height = 0;    // highest height ordered (committed or in flight)
  uint64_t committed_height = 0;  // highest height reported by OnCommitted
  uint32_t mempool_events = 0;
  uint32_t mempool_capacity = 0;
  uint64_t stable_checkpoint = 0;
};

class Replica {
 public:
  virtual ~Replica() = default;
  // Events admitted by this node (stateless checks passed). One Status per event, in order:
  // OK, ALREADY_EXISTS (already pending or being ordered) or RESOURCE_EXHAUSTED (mempool full).
  virtual Actions OnEvents(const std::vector<model::EventPtr>& events, int64_t now_ms,
                           std::vector<Status>* results) = 0;
  virtual Actions OnTick(int64_t now_ms) = 0;
  // The runtime has executed and durably stored block `height`.
  virtual Actions OnCommitted(uint64_t height, int64_t now_ms) = 0;
  // Shutdown: order everything pending now, ignoring the batch timeout, and keep doing so as
  // blocks commit, so no admitted event is left behind by a clean stop.
  virtual Actions Flush(int64_t now_ms) = 0;
  virtual ReplicaStatus status() const = 0;
};

}  // namespace shipledger::consensus
