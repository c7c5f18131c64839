// The one path from an ordered block to a stored one (DESIGN §5, §10): execute its events with
// the contract rules and limits the genesis names for its height, chain the results digest on
// the chain's head, write the block with what it changed. The node's commit thread, the
// simulator's replicas, the benchmarks and the test fixtures all commit through here, so what
// they measure and check is what a network runs.
#pragma once

#include <vector>

#include "model/event.h"
#include "model/execution.h"
#include "model/genesis.h"
#include "shipledger/status.h"

namespace shipledger::contracts {

// What executing a block produced, and the results digest at its height.
struct Executed {
  model::BlockEffects effects;
  Bytes results;
};

// The execution context of `proposal`'s block under `genesis`: its height and block time, the
// contract rules version in force at that height, the genesis limits.
model::BlockContext ContextOf(const model::Genesis& genesis, const v1::Proposal& proposal);

// Executes `events` against `state` in `context` and chains the results digest on
// `prev_results` (the digest at the height below). For replaying recorded chains under a
// chosen rules version; a node commits with CommitBlock.
Executed Execute(const std::vector<model::EventPtr>& events, const model::StateReader& state,
                 const model::BlockContext& context, ByteView prev_results);

// Executes the ordered `block` (header and certificate; its events in `events`, in order) on
// `chain` with ContextOf(genesis, block.proposal()) and writes it with its effects and results.
// Returns what was written; the chain's error (nothing written) otherwise.
Result<Executed> CommitBlock(const model::Genesis& genesis, const v1::Block& block,
                             const std::vector<model::EventPtr>& events, model::ChainWriter& chain);

}  // namespace shipledger::contracts
