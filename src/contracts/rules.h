// Contract rules versions (DESIGN §3, docs/contracts.md): how the events of a block execute.
// The genesis names the version of each height; ExecuteBlock looks the block's up once
// (RulesFor) and runs every event of the block through it, against one Workspace. Version 1 is
// the lifecycle of shipment_contract.h; versions 2 and 3 are in contract_v2.h.
// Thread-safety: the rules objects are constant and shared.
#pragma once

#include <cstdint>

#include "contracts/verdict.h"
#include "contracts/workspace.h"
#include "model/event.h"
#include "model/execution.h"

namespace shipledger::contracts {

class ContractRules {
 public:
  virtual ~ContractRules() = default;

  // Before the block's first event. Its writes are committed as the block's.
  virtual void BeginBlock(Workspace& ws, const model::BlockContext& context) const;

  // The verdict on `admitted`, the event at `index` of its block (not a duplicate). Its writes
  // stay pending in `ws`: the executor commits them when it is VALID and discards them when not.
  virtual Verdict Apply(Workspace& ws, const model::AdmittedEvent& admitted,
                        const model::BlockContext& context, uint32_t index) const = 0;
};

// The rules of `version`, one of model::kOldestContractRules..kLatestContractRules (the genesis
// file admits no other; anything else is a programming error and stops the process).
const ContractRules& RulesFor(uint32_t version);

}  // namespace shipledger::contracts
