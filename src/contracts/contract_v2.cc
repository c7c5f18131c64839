#include "contracts/contract_v2.h"

#include <utility>
#include <variant>

#include "contracts/cold_chain.h"
#include "contracts/returns.h"
#include "contracts/revocation.h"
#include "contracts/routing.h"
#include "contracts/shipment_contract.h"
#include "contracts/util.h"

namespace shipledger::contracts {
namespace {

Verdict Rejected(Rejection rejection) { return Verdict{std::move(rejection), {}}; }
Verdict Rejected(std::string reason) { return Rejected(Rejection(std::move(reason))); }

Verdict Valid(Outputs outputs) { return Verdict{std::nullopt, std::move(outputs)}; }

// A check's verdict when the event's work is done: VALID with `outputs`, or its rejection.
Verdict Judged(Check check, Outputs outputs) {
  return check.has_value() ? Rejected(*std::move(check)) : Valid(std::move(outputs));
}

// What rules v2 check of a shipment event the lifecycle accepted, in the state the event found
// (a lifecycle rejection comes first: its reason is the receipt's): the route a hand-over must
// follow, the order of sensor readings, who may request a return, no delivery before the last
// leg.
Check RouteChecks(const v1::ShipmentState& state, const v1::Event& event) {
  switch (event.type()) {
    case v1::EVENT_TYPE_HANDOVER:
      return CheckRouteHandover(state, event.cosigner_orgs(0));
    case v1::EVENT_TYPE_SENSOR_READINGS:
      return CheckReadings(state, event);
    case v1::EVENT_TYPE_RETURN_REQUESTED:
      return CheckReturnRequester(state, event.signer_org());
    case v1::EVENT_TYPE_DELIVERED:
    case v1::EVENT_TYPE_RETURNED:
      return CheckRouteComplete(state);
    default:
      return std::nullopt;
  }
}

// Effects of rules v2 on a shipment event the lifecycle accepted (`before` → `state`).
// `before` may live in `ws`: it is read only before the first write to `ws`.
void After(Workspace& ws, const v1::ShipmentState& before, v1::ShipmentState* state,
           const model::AdmittedEvent& admitted, const model::BlockContext& context,
           bool only_parties, Outputs* out) {
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
      if (only_parties) {
        for (const std::string& org : event.parties()) AddParty(state, org);
      }
      break;
    default:
      break;
  }
  RetryOpenLegs(ws, state, context, out);
}

// Rules v3, party_added by a party of `state` (the caller checked): the organisations the event
// names become parties.
Check AddParties(v1::ShipmentState* state, const v1::Event& event) {
  if (state->status() == v1::SHIPMENT_STATUS_RETURNED) {
    return Rejection("shipment " + state->shipment_id() + " was returned at height " +
                     std::to_string(state->last_height()) + "; no further events are accepted");
  }
  for (const std::string& org : event.parties()) AddParty(state, org);
  return std::nullopt;
}

// Events on a shipment that rules v2 and v3 apply outside the lifecycle table.
bool OutsideLifecycle(v1::EventType type, bool only_parties) {
  return type == v1::EVENT_TYPE_LEG_REASSIGNMENT || type == v1::EVENT_TYPE_ERROR_DECLARATION ||
         (type == v1::EVENT_TYPE_PARTY_ADDED && only_parties);
}

}  // namespace

Verdict RulesV2::Apply(Workspace& ws, const model::AdmittedEvent& admitted,
                       const model::BlockContext& context, uint32_t index) const {
  const v1::Event& event = admitted.event;
  Outputs outputs;
  switch (event.type()) {
    case v1::EVENT_TYPE_CARRIER_OFFER: {
      Check check = RegisterOffer(ws, admitted, context, index, &outputs);
      return Judged(std::move(check), std::move(outputs));
    }
    case v1::EVENT_TYPE_CARRIER_WITHDRAWAL:
      return Judged(WithdrawOffer(ws, admitted, context), {});
    default:
      break;
  }

  const v1::ShipmentState* current = ws.Shipment(event.shipment_id());
  if (only_parties_) {
    // DESIGN §8: shipment ids are one namespace; a taken one says the same to everyone.
    if (event.type() == v1::EVENT_TYPE_BOOKED && current != nullptr) {
      return Rejected("shipment id " + event.shipment_id() + " is not available");
    }
    // Only a party makes a party: a non-party's event is judged as if the shipment did not
    // exist, so it gets, word for word, the rejection an unknown shipment gets.
    if (current != nullptr && !IsParty(*current, event.signer_org())) current = nullptr;
  }
  if (!OutsideLifecycle(event.type(), only_parties_)) {
    return ApplyLifecycleEvent(ws, admitted, current, context);
  }
  if (current == nullptr) return Rejected("shipment " + event.shipment_id() + " is not booked");
  v1::ShipmentState state = *current;
  Check check;
  if (event.type() == v1::EVENT_TYPE_LEG_REASSIGNMENT) {
    check = Reassign(ws, &state, admitted, context, &outputs);
    if (!check) check = CheckOpenLegLimit(state, OpenLegCount(*current), context);
  } else if (event.type() == v1::EVENT_TYPE_ERROR_DECLARATION) {
    check = DeclareError(ws, &state, admitted, context, &outputs);
  } else {
    check = AddParties(&state, event);
  }
  if (check) return Rejected(*std::move(check));
  Bookkeep(&state, event, context);
  ws.PutShipment(std::move(state));
  return Valid(std::move(outputs));
}

// A lifecycle event (shipment_contract.h) that rules v2 extend: the lifecycle judges it once, in
// the state it found (`current`, nullptr when unknown), then the route checks, then what v2 and
// v3 add to its effects.
Verdict RulesV2::ApplyLifecycleEvent(Workspace& ws, const model::AdmittedEvent& admitted,
                                     const v1::ShipmentState* current,
                                     const model::BlockContext& context) const {
  const v1::Event& event = admitted.event;
  Outcome outcome = ApplyShipmentEvent(current, admitted, context);
  if (auto* rejection = std::get_if<Rejection>(&outcome)) return Rejected(std::move(*rejection));
  // The state as the event found it, by reference (no copy per event): the workspace keeps
  // `*current` valid until its next write, and After reads `before` before it writes anything.
  const v1::ShipmentState& before =
      current != nullptr ? *current : v1::ShipmentState::default_instance();
  if (current != nullptr) {
    if (Check check = RouteChecks(before, event)) return Rejected(*std::move(check));
  }
  const uint32_t open_before = OpenLegCount(before);
  v1::ShipmentState state = std::get<v1::ShipmentState>(std::move(outcome));
  Outputs outputs;
  if (event.type() == v1::EVENT_TYPE_BOOKED) {
    InitRoute(ws, &state, event.booking(), context, &outputs);
  } else {
    After(ws, before, &state, admitted, context, only_parties_, &outputs);
  }
  // Rules v3: a booking, return or any event that would leave too many legs open is rejected.
  if (Check check = CheckOpenLegLimit(state, open_before, context)) {
    return Rejected(*std::move(check));
  }
  ws.PutShipment(std::move(state));
  return Valid(std::move(outputs));
}

void RulesV3::BeginBlock(Workspace& ws, const model::BlockContext& context) const {
  BeginBlockV3(ws, context);
}

Verdict RulesV3::Apply(Workspace& ws, const model::AdmittedEvent& admitted,
                       const model::BlockContext& context, uint32_t index) const {
  // DESIGN §3: a revoked certificate signs nothing after its revocation.
  if (Check check = CheckNotRevoked(ws, admitted)) return Rejected(*std::move(check));
  Verdict verdict = admitted.event.type() == v1::EVENT_TYPE_CERTIFICATE_REVOCATION
                        ? Judged(Revoke(ws, admitted, context), {})
                        : RulesV2::Apply(ws, admitted, context, index);
  if (!verdict.rejection) NoteCertificates(ws, admitted);
  return verdict;
}

}  // namespace shipledger::contracts
