// Returns and corrections (contract rules v2, docs/contracts.md). A return request is decided by
// the contract against the booking's return terms — approved (reverse legs open) or rejected
// with the reason — and nobody signs the decision. An error declaration marks an earlier event
// of its signer's organisation erroneous; it never undoes custody.
#pragma once

#include <string>
#include <vector>

#include "contracts/verdict.h"
#include "contracts/workspace.h"
#include "model/event.h"

namespace shipledger::contracts {

// Whether `signer` may request a return of the shipment.
Check CheckReturnRequester(const v1::ShipmentState& state, const std::string& signer);
// return_requested, after the lifecycle moved `state` to RETURN_REQUESTED: records the request
// and the decision; a rejection moves the shipment back to DELIVERED.
void DecideReturn(Workspace& ws, v1::ShipmentState* state, const model::AdmittedEvent& admitted,
                  const model::BlockContext& context, std::vector<v1::ContractOutput>* out);
// error_declaration: passes when the mark was added to `state`.
Check DeclareError(Workspace& ws, v1::ShipmentState* state, const model::AdmittedEvent& admitted,
                   const model::BlockContext& context, std::vector<v1::ContractOutput>* out);

}  // namespace shipledger::contracts
