// The shipment contract (DESIGN §1, §4): the lifecycle state machine, custody, customs holds,
// returns. Deterministic: reads only the event, the current state and the block context
// (block time, never a clock). Role policy is checked statelessly before ordering; this
// contract applies the rules that depend on the shipment's state.
// Thread-safety: pure functions.
#pragma once

#include <variant>

#include "contracts/verdict.h"
#include "model/event.h"
#include "model/execution.h"
#include "shipledger/v1/types.pb.h"

namespace shipledger::contracts {

// The lifecycle's verdict on one event: the shipment's new state (VALID), or why not.
using Outcome = std::variant<v1::ShipmentState, Rejection>;

// Applies one event to its shipment's current state (nullptr when the shipment is unknown):
// the lifecycle, custody, customs holds and returns of rules v1, with the transition table of
// `context.rules_version`. It is all of rules v1 (rules.h); rules v2 and v3 (contract_v2.h) run
// it once per shipment event, then check and apply what they add, and never pass it their own
// types.
Outcome ApplyShipmentEvent(const v1::ShipmentState* current, const model::AdmittedEvent& event,
                           const model::BlockContext& context);

// What every VALID event does to its shipment: heights, times, count, last location; its signer
// and the readers of its private fields become parties (DESIGN §8).
void Bookkeep(v1::ShipmentState* state, const v1::Event& event, const model::BlockContext& context);

}  // namespace shipledger::contracts
