#include "contracts/shipment_contract.h"

#include <algorithm>
#include <utility>

#include "contracts/lifecycle.h"
#include "contracts/util.h"

namespace shipledger::contracts {
namespace {

Outcome Reject(std::string reason) { return Rejection(std::move(reason)); }

std::string DetailValue(const v1::Event& event, std::string_view key) {
  for (const v1::Detail& detail : event.details()) {
    if (detail.key() == key) return detail.value();
  }
  return {};
}

Outcome Accept(v1::ShipmentState state, const v1::Event& event,
               const model::BlockContext& context) {
  Bookkeep(&state, event, context);
  return state;
}

Outcome ApplyBooked(const v1::ShipmentState* current, const v1::Event& event,
                    const model::BlockContext& context) {
  if (current != nullptr) {
    return Reject("shipment " + event.shipment_id() + " already booked at height " +
                  std::to_string(current->booked_height()));
  }
  v1::ShipmentState state;
  state.set_shipment_id(event.shipment_id());
  state.set_status(v1::SHIPMENT_STATUS_BOOKED);
  state.set_booked_by(event.signer_org());
  state.set_custodian(event.signer_org());
  AddParty(&state, event.signer_org());
  for (const std::string& party : event.parties()) AddParty(&state, party);
  state.set_booked_height(context.height);
  return Accept(std::move(state), event, context);
}

// Whether the signer may record the event, given the shipment's state.
Check CheckSigner(const v1::ShipmentState& state, const model::AdmittedEvent& admitted) {
  const v1::Event& event = admitted.event;
  const v1::EventType type = event.type();
  if (IsCustodyEvent(type) && event.signer_org() != state.custodian()) {
    return Rejection("custody event " + Quote(model::EventTypeName(type)) + " signed by " +
                     Quote(event.signer_org()) + " but custodian is " + Quote(state.custodian()));
  }
  // Role policy already restricts customs decisions to customs; checked again as defence in
  // depth because a wrong genesis policy must not let a party clear its own goods.
  if (IsCustomsDecision(type) && admitted.signer_role != model::Role::kCustoms) {
    return Rejection("customs decision " + Quote(model::EventTypeName(type)) + " signed by " +
                     Quote(event.signer_org()) + ", which is not a customs organisation");
  }
  const bool party_only = type == v1::EVENT_TYPE_EXPORT_CUSTOMS_DECLARED ||
                          type == v1::EVENT_TYPE_IMPORT_CUSTOMS_DECLARED ||
                          type == v1::EVENT_TYPE_RETURN_REQUESTED;
  if (party_only && !IsParty(state, event.signer_org()) &&
      event.signer_org() != state.custodian()) {
    return Rejection("event " + Quote(model::EventTypeName(type)) +
                     " may be recorded only by a party to shipment " + state.shipment_id() +
                     ", and " + Quote(event.signer_org()) + " is not one");
  }
  return std::nullopt;
}

// A handover names exactly one receiver, not the custodian, whose co-signature verified.
Check CheckHandover(const v1::ShipmentState& state, const model::AdmittedEvent& admitted) {
  const v1::Event& event = admitted.event;
  if (event.cosigner_orgs_size() != 1) {
    return Rejection(
        "handover must name exactly one receiving organisation in cosigner_orgs, found " +
        std::to_string(event.cosigner_orgs_size()));
  }
  const std::string& receiver = event.cosigner_orgs(0);
  if (receiver == state.custodian()) {
    return Rejection("handover receiver " + Quote(receiver) + " is already the custodian");
  }
  if (std::find(admitted.cosigned_by.begin(), admitted.cosigned_by.end(), receiver) ==
      admitted.cosigned_by.end()) {
    return Rejection("handover to " + Quote(receiver) + " lacks the receiver's co-signature");
  }
  return std::nullopt;
}

// Customs holds: a hold must be released before clearance, and only an existing hold can be
// released. Holds never overlap (a hold stops the goods, and the sides' windows are disjoint).
Check CheckCustoms(const v1::ShipmentState& state, v1::EventType type) {
  const v1::CustomsSide side = CustomsSideOf(type);
  const std::string prefix = "shipment " + state.shipment_id();
  switch (type) {
    case v1::EVENT_TYPE_EXPORT_CUSTOMS_CLEARED:
    case v1::EVENT_TYPE_IMPORT_CUSTOMS_CLEARED:
      if (state.hold() == side) {
        return Rejection(prefix + " cannot be cleared while held by " + SideName(side) +
                         " customs; the hold must be released");
      }
      return std::nullopt;
    case v1::EVENT_TYPE_EXPORT_CUSTOMS_HELD:
    case v1::EVENT_TYPE_IMPORT_CUSTOMS_HELD:
      if (state.hold() != v1::CUSTOMS_SIDE_NONE) {
        return Rejection(prefix + " is already held by " + SideName(state.hold()) + " customs");
      }
      return std::nullopt;
    case v1::EVENT_TYPE_EXPORT_CUSTOMS_RELEASED:
    case v1::EVENT_TYPE_IMPORT_CUSTOMS_RELEASED:
      if (state.hold() != side) {
        return Rejection(prefix + " has no " + SideName(side) + " customs hold to release");
      }
      return std::nullopt;
    default:
      return std::nullopt;
  }
}

void ApplyCustomsDecision(v1::ShipmentState* state, const v1::Event& event) {
  const v1::CustomsSide side = CustomsSideOf(event.type());
  auto set_cleared = [&](bool cleared) {
    if (side == v1::CUSTOMS_SIDE_EXPORT) {
      state->set_export_cleared(cleared);
    } else {
      state->set_import_cleared(cleared);
    }
  };
  switch (event.type()) {
    case v1::EVENT_TYPE_EXPORT_CUSTOMS_CLEARED:
    case v1::EVENT_TYPE_IMPORT_CUSTOMS_CLEARED:
      set_cleared(true);
      break;
    case v1::EVENT_TYPE_EXPORT_CUSTOMS_HELD:
    case v1::EVENT_TYPE_IMPORT_CUSTOMS_HELD:
      // A hold suspends any clearance of its side until customs releases the goods.
      state->set_hold(side);
      state->set_hold_reason(DetailValue(event, "reason"));
      set_cleared(false);
      break;
    case v1::EVENT_TYPE_EXPORT_CUSTOMS_RELEASED:
    case v1::EVENT_TYPE_IMPORT_CUSTOMS_RELEASED:
      // Release of a hold is release of the goods: it counts as clearance of its side.
      state->set_hold(v1::CUSTOMS_SIDE_NONE);
      state->clear_hold_reason();
      set_cleared(true);
      break;
    default:
      break;
  }
}

std::string HoldReason(const v1::ShipmentState& state) {
  std::string reason =
      "shipment " + state.shipment_id() + " is held by " + SideName(state.hold()) + " customs";
  if (!state.hold_reason().empty()) reason += ": " + state.hold_reason();
  return reason + "; only customs can release it";
}

}  // namespace

void Bookkeep(v1::ShipmentState* state, const v1::Event& event,
              const model::BlockContext& context) {
  state->set_last_height(context.height);
  state->set_last_event_ms(context.block_time_ms);
  state->set_event_count(state->event_count() + 1);
  if (!event.location().empty()) state->set_last_location(event.location());
  AddParty(state, event.signer_org());
  for (const v1::KeyWrap& reader : event.private_envelope().readers()) {
    AddParty(state, reader.reader_org());
  }
}

// Checks run from the broadest rule to the narrowest, and the first failure is the reason:
// supported type, booking, final/post-delivery phase, who may sign, customs hold, lifecycle
// order (lifecycle.cc), then the handover and customs-hold specifics.
Outcome ApplyShipmentEvent(const v1::ShipmentState* current, const model::AdmittedEvent& admitted,
                           const model::BlockContext& context) {
  const v1::Event& event = admitted.event;
  const v1::EventType type = event.type();
  const uint32_t rules = context.rules_version;
  if (!IsSupportedType(type, rules)) {
    return Reject("event type " + TypeNameUnder(type, rules) +
                  " is not supported by contract rules v" + std::to_string(rules));
  }
  if (type == v1::EVENT_TYPE_BOOKED) return ApplyBooked(current, event, context);
  if (current == nullptr) {
    return Reject("shipment " + event.shipment_id() + " is not booked");
  }
  const v1::ShipmentState& state = *current;
  const std::string shipment = "shipment " + state.shipment_id();
  const v1::ShipmentStatus status = state.status();

  // Final and post-delivery phases: nothing after a return; only returns after delivery.
  if (status == v1::SHIPMENT_STATUS_RETURNED) {
    return Reject(shipment + " was returned at height " + std::to_string(state.last_height()) +
                  "; no further events are accepted");
  }
  if (status == v1::SHIPMENT_STATUS_DELIVERED && !AllowedAfterDelivery(type, status, rules)) {
    // Only VALID events move last_height, and none is VALID in DELIVERED except returns, so
    // last_height is the delivery's height here.
    return Reject(shipment + " was delivered at height " + std::to_string(state.last_height()) +
                  "; only returns may follow");
  }
  if ((status == v1::SHIPMENT_STATUS_RETURN_REQUESTED ||
       status == v1::SHIPMENT_STATUS_RETURN_IN_TRANSIT) &&
      !AllowedAfterDelivery(type, status, rules)) {
    return Reject(shipment + " was delivered at block time " +
                  std::to_string(state.delivered_at_ms()) + " ms; only returns may follow");
  }

  if (Check rejection = CheckSigner(state, admitted)) return *std::move(rejection);
  if (state.hold() != v1::CUSTOMS_SIDE_NONE && MovesGoods(type)) return Reject(HoldReason(state));

  const std::optional<v1::ShipmentStatus> next = NextStatus(type, status, rules);
  if (!next.has_value()) {
    return Reject(shipment + " is " + model::ShipmentStatusName(status) + ": " +
                  Quote(model::EventTypeName(type)) + " is not allowed (" +
                  std::string(TransitionRule(type)) + ")");
  }
  if (type == v1::EVENT_TYPE_HANDOVER) {
    if (Check rejection = CheckHandover(state, admitted)) return *std::move(rejection);
  }
  if (Check rejection = CheckCustoms(state, type)) return *std::move(rejection);

  v1::ShipmentState updated = state;
  updated.set_status(*next);
  if (type == v1::EVENT_TYPE_HANDOVER) {
    updated.set_custodian(event.cosigner_orgs(0));
    AddParty(&updated, event.cosigner_orgs(0));
  } else if (type == v1::EVENT_TYPE_DELIVERED) {
    updated.set_delivered_at_ms(context.block_time_ms);
  } else if (IsCustomsDecision(type)) {
    ApplyCustomsDecision(&updated, event);
  }
  return Accept(std::move(updated), event, context);
}

}  // namespace shipledger::contracts
