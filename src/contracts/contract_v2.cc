#include "contracts/contract_v2.h"

#include <utility>

#include "contracts/cold_chain.h"
#include "contracts/returns.h"
#include "contracts/revocation.h"
#include "contracts/routing.h"
#include "contracts/shipment_contract.h"
#include "contracts/util.h"

namespace shipledger::contracts {
namespace {

Verdict Rejected(std::string reason) {
  Verdict verdict;
  verdict.reason = std::move(reason);
  return verdict;
}

Verdict Valid(Outputs outputs) {
  Verdict verdict;
  verdict.code = v1::RESULT_CODE_VALID;
  verdict.outputs = std::move(outputs);
  return verdict;
}

// Rules v2 that decide before the lifecycle may run: the route a hand-over must follow, the
// order of sensor readings, who may request a return, no delivery before the last leg.
std::string PreCheck(const v1::ShipmentState& state, const model::AdmittedEvent& admitted) {
  const v1::Event& event = admitted.event;
  switch (event.type()) {
    case v1::EVENT_TYPE_HANDOVER:
      if (event.cosigner_orgs_size() != 1) return {};  // the lifecycle gives the reason
      return CheckRouteHandover(state, event.cosigner_orgs(0));
    case v1::EVENT_TYPE_SENSOR_READINGS:
      if (event.signer_org() != state.custodian()) return {};  // lifecycle: custodian only
      return CheckReadings(state, event);
    case v1::EVENT_TYPE_RETURN_REQUESTED:
      return CheckReturnRequester(state, event.signer_org());
    case v1::EVENT_TYPE_DELIVERED:
    case v1::EVENT_TYPE_RETURNED:
      return CheckRouteComplete(state);
    default:
      return {};
  }
}

// Effects of rules v2 on a shipment event the lifecycle accepted (`before` → `state`).
// `before` may live in `ws`: it is read only before the first write to `ws`.
void After(Workspace& ws, const v1::ShipmentState& before, v1::ShipmentState* state,
           const model::AdmittedEvent& admitted, const model::BlockContext& context, Outputs* out) {
  const v1::Event& event = admitted.event;
  const bool named_parties = !state->consignee().empty();
  switch (event.type()) {
    case v1::EVENT_TYPE_HANDOVER:
      AdvanceRoute(state, before, event.cosigner_orgs(0));
      break;
    case v1::EVENT_TYPE_SENSOR_READINGS:
      ApplyReadings(state, event, context.block_time_ms, out);
      break;
    case v1::EVENT_TYPE_DELIVERED:
      // Delivery is the hand-over to the consignee the booking names.
      CompleteRoute(state, false);
      if (named_parties) state->set_custodian(state->consignee());
      break;
    case v1::EVENT_TYPE_RETURN_REQUESTED:
      DecideReturn(ws, state, admitted, context, out);
      break;
    case v1::EVENT_TYPE_RETURNED:
      // The return ends with the goods back with the shipper.
      CompleteRoute(state, true);
      if (named_parties) state->set_custodian(state->booked_by());
      break;
    case v1::EVENT_TYPE_EXPORT_CUSTOMS_DECLARED:
    case v1::EVENT_TYPE_IMPORT_CUSTOMS_DECLARED:
      // Rules v3: the customs authorities a party's declaration names become parties.
      if (context.rules_version >= 3) {
        for (const std::string& org : event.parties()) AddParty(state, org);
      }
      break;
    default:
      break;
  }
  RetryOpenLegs(ws, state, context, out);
}

// Rules v3, party_added by a party of `state` (the caller checked): the organisations the event
// names become parties. Empty reason when VALID.
std::string AddParties(v1::ShipmentState* state, const v1::Event& event) {
  if (state->status() == v1::SHIPMENT_STATUS_RETURNED) {
    return "shipment " + state->shipment_id() + " was returned at height " +
           std::to_string(state->last_height()) + "; no further events are accepted";
  }
  for (const std::string& org : event.parties()) AddParty(state, org);
  return {};
}

Verdict Apply(Workspace& ws, const model::AdmittedEvent& admitted,
              const model::BlockContext& context, uint32_t index) {
  const v1::Event& event = admitted.event;
  Outputs outputs;
  switch (event.type()) {
    case v1::EVENT_TYPE_CARRIER_OFFER: {
      std::string reason = RegisterOffer(ws, admitted, context, index, &outputs);
      return reason.empty() ? Valid(std::move(outputs)) : Rejected(std::move(reason));
    }
    case v1::EVENT_TYPE_CARRIER_WITHDRAWAL: {
      std::string reason = WithdrawOffer(ws, admitted, context);
      return reason.empty() ? Valid(std::move(outputs)) : Rejected(std::move(reason));
    }
    default:
      break;
  }

  const v1::ShipmentState* current = ws.Shipment(event.shipment_id());
  if (context.rules_version >= 3) {
    // DESIGN §8: shipment ids are one namespace; a taken one says the same to everyone.
    if (event.type() == v1::EVENT_TYPE_BOOKED && current != nullptr) {
      return Rejected("shipment id " + event.shipment_id() + " is not available");
    }
    // Only a party makes a party: a non-party's event is judged as if the shipment did not
    // exist, so it gets, word for word, the rejection an unknown shipment gets.
    if (current != nullptr && !IsParty(*current, event.signer_org())) current = nullptr;
  }
  if (event.type() == v1::EVENT_TYPE_LEG_REASSIGNMENT ||
      event.type() == v1::EVENT_TYPE_ERROR_DECLARATION ||
      (event.type() == v1::EVENT_TYPE_PARTY_ADDED && context.rules_version >= 3)) {
    if (current == nullptr) return Rejected("shipment " + event.shipment_id() + " is not booked");
    v1::ShipmentState state = *current;
    std::string reason;
    if (event.type() == v1::EVENT_TYPE_LEG_REASSIGNMENT) {
      reason = Reassign(ws, &state, admitted, context, &outputs);
      if (reason.empty()) reason = CheckOpenLegLimit(state, OpenLegCount(*current), context);
    } else if (event.type() == v1::EVENT_TYPE_ERROR_DECLARATION) {
      reason = DeclareError(ws, &state, admitted, context, &outputs);
    } else {
      reason = AddParties(&state, event);
    }
    if (!reason.empty()) return Rejected(std::move(reason));
    Bookkeep(&state, event, context);
    ws.PutShipment(std::move(state));
    return Valid(std::move(outputs));
  }

  if (current != nullptr) {
    if (std::string reason = PreCheck(*current, admitted); !reason.empty()) {
      // The lifecycle's own reason comes first where it also rejects (e.g. after a return).
      Outcome lifecycle = ApplyShipmentEvent(current, admitted, context);
      if (lifecycle.code != v1::RESULT_CODE_VALID) return Rejected(std::move(lifecycle.reason));
      return Rejected(std::move(reason));
    }
  }
  // The state as the event found it, by reference (no copy per event): the workspace keeps
  // `*current` valid until its next write, and After reads `before` before it writes anything.
  const v1::ShipmentState& before =
      current != nullptr ? *current : v1::ShipmentState::default_instance();
  const uint32_t open_before = OpenLegCount(before);
  Outcome outcome = ApplyShipmentEvent(current, admitted, context);
  if (outcome.code != v1::RESULT_CODE_VALID) return Rejected(std::move(outcome.reason));
  v1::ShipmentState state = std::move(*outcome.new_state);
  if (event.type() == v1::EVENT_TYPE_BOOKED) {
    InitRoute(ws, &state, event.booking(), context, &outputs);
  } else {
    After(ws, before, &state, admitted, context, &outputs);
  }
  // Rules v3: a booking, return or any event that would leave too many legs open is rejected.
  if (std::string reason = CheckOpenLegLimit(state, open_before, context); !reason.empty()) {
    return Rejected(std::move(reason));
  }
  ws.PutShipment(std::move(state));
  return Valid(std::move(outputs));
}

}  // namespace

Verdict ApplyEventV2(Workspace& ws, const model::AdmittedEvent& admitted,
                     const model::BlockContext& context, uint32_t index) {
  if (context.rules_version < 3) return Apply(ws, admitted, context, index);
  // Rules v3 (DESIGN §3): a revoked certificate signs nothing after its revocation.
  if (std::string reason = CheckNotRevoked(ws, admitted); !reason.empty()) {
    return Rejected(std::move(reason));
  }
  Verdict verdict;
  if (admitted.event.type() == v1::EVENT_TYPE_CERTIFICATE_REVOCATION) {
    std::string reason = Revoke(ws, admitted, context);
    verdict = reason.empty() ? Valid({}) : Rejected(std::move(reason));
  } else {
    verdict = Apply(ws, admitted, context, index);
  }
  if (verdict.code == v1::RESULT_CODE_VALID) NoteCertificates(ws, admitted);
  return verdict;
}

}  // namespace shipledger::contracts
