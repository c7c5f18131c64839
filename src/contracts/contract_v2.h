// Contract rules v2 and later (docs/contracts.md): the v1 lifecycle (shipment_contract.h)
// wrapped with route legs and carrier matching, cold chain, return terms and error
// declarations; v3 adds that only a party makes a party (DESIGN §8): a non-party's event on a
// shipment gets the rejection an unknown shipment gets, a taken id is "not available", parties
// are added by party_added and by the customs authorities a declaration names. An event may
// change several shipments and contract records, so it executes against a Workspace; the
// executor commits its writes only when it is VALID.
#pragma once

#include <string>
#include <vector>

#include "contracts/workspace.h"
#include "model/event.h"

namespace shipledger::contracts {

struct Verdict {
  v1::ResultCode code = v1::RESULT_CODE_REJECTED;
  std::string reason;                       // empty when VALID
  std::vector<v1::ContractOutput> outputs;  // decisions, when VALID
};

// `index`: the event's position in its block (orders offer registrations).
Verdict ApplyEventV2(Workspace& ws, const model::AdmittedEvent& admitted,
                     const model::BlockContext& context, uint32_t index);

}  // namespace shipledger::contracts
