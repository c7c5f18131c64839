#include "contracts/commit.h"

#include "contracts/executor.h"
#include "model/block.h"

namespace shipledger::contracts {

model::BlockContext ContextOf(const model::Genesis& genesis, const v1::Proposal& proposal) {
  return model::BlockContext{proposal.height(), proposal.timestamp_ms(),
                             genesis.ContractRulesAt(proposal.height()), &genesis.limits};
}

Executed Execute(const std::vector<model::EventPtr>& events, const model::StateReader& state,
                 const model::BlockContext& context, ByteView prev_results) {
  Executed out;
  out.effects = ExecuteBlock(events, state, context);
  out.results = model::ResultsDigest(prev_results, out.effects.receipts_root,
                                     out.effects.state_writes_digest);
  return out;
}

Result<Executed> CommitBlock(const model::Genesis& genesis, const v1::Block& block,
                             const std::vector<model::EventPtr>& events,
                             model::ChainWriter& chain) {
  Executed out = Execute(events, chain, ContextOf(genesis, block.proposal()), chain.HeadResults());
  SL_RETURN_IF_ERROR(chain.CommitBlock(block, events, out.effects, out.results));
  return out;
}

}  // namespace shipledger::contracts
