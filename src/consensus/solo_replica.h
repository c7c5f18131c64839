// SoloReplica: the ordering core of a one-node network (n = 1, f = 0, quorum 1). It is PBFT with
// a single replica: the node is always primary of view 0, cuts blocks from its mempool by size
// and time, and certifies each with its own COMMIT signature, which meets the quorum of one.
// Several blocks may be in flight (the window) while the runtime executes and stores them.
// Thread-safety: none (see Replica).
#pragma once

#include <memory>
#include <optional>

#include "consensus/mempool.h"
#include "consensus/replica.h"
#include "model/genesis.h"
#include "model/node_defaults.h"

namespace shipledger::consensus {

struct SoloOptions {
  uint32_t replica_id = 0;
  uint32_t batch_max_events = model::ConsensusParams{}.batch_max_events;
  uint32_t batch_timeout_ms = model::ConsensusParams{}.batch_timeout_ms;
  uint32_t window = model::ConsensusParams{}.window;
  uint32_t mempool_capacity = model::kDefaultMempoolCapacity;
};

// Where the chain stands when the core starts (from storage).
struct ChainTip {
  uint64_t height = 0;
  Bytes block_hash;  // the genesis hash at height 0
  int64_t block_time_ms = 0;
  Bytes results;  // results digest at `height` (32 zero bytes at 0)
};

class SoloReplica final : public Replica {
 public:
  // REQUIRES: genesis.n() == 1 and options.replica_id == 0.
  SoloReplica(std::shared_ptr<const model::Genesis> genesis, const SoloOptions& options,
              const Signer* signer, const ChainTip& tip);

  Actions OnEvents(const std::vector<model::EventPtr>& events, int64_t now_ms,
                   std::vector<Status>* results) override;
  Actions OnTick(int64_t now_ms) override;
  Actions OnCommitted(const Committed& committed, int64_t now_ms) override;
  Actions Flush(int64_t now_ms) override;
  ReplicaStatus status() const override;

 private:
  // Proposes as many blocks as the window and the batching rule allow.
  Actions MaybePropose(int64_t now_ms);
  // The next block, or nullopt when every event taken was dropped (certificates not valid at
  // the block time).
  std::optional<CommitBlock> Propose(int64_t now_ms);

  std::shared_ptr<const model::Genesis> genesis_;
  SoloOptions options_;
  const Signer* signer_;
  Mempool mempool_;
  uint64_t ordered_height_;
  uint64_t committed_height_;
  Bytes last_hash_;
  int64_t last_time_ms_;
  int64_t timer_at_ms_ = 0;  // the armed timer, 0 if none
  bool flushing_ = false;    // shutdown: every pending event is due at once
};

}  // namespace shipledger::consensus
