// Route legs and carrier matching (contract rules v2, docs/contracts.md): carrier offers as
// contract records, matching of open legs by the booking's rule, leg reassignment by the
// shipper, and which carrier a hand-over must go to. Rules v3 match through the (mode, lane)
// index of offer_index.h, expire offers and bound open offers and open legs. Deterministic:
// reads block time, the shipment and the offers in the workspace, never a clock.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "contracts/verdict.h"
#include "contracts/workspace.h"
#include "model/event.h"

namespace shipledger::contracts {

// Record keys: "offer/<offer id>" → OfferRecord; "open/<shipment>/<f|r>/<leg, 4 digits>" → empty
// (the open-leg index of rules v2; v3 index open legs by lane, offer_index.h).
inline constexpr char kOfferPrefix[] = "offer/";
inline constexpr char kOpenLegPrefix[] = "open/";

// carrier_offer: registers the offer named by the event's shipment_id, then matches open legs:
// under rules v2 every open leg any offer now qualifies for; under v3 the offer is indexed
// (REJECTED when its organisation has limits.max_open_offers_per_org open offers) and matches
// the open legs of its index keys only. `index` is the event's position in its block.
Check RegisterOffer(Workspace& ws, const model::AdmittedEvent& admitted,
                    const model::BlockContext& context, uint32_t index, Outputs* out);
// carrier_withdrawal by the offer's carrier (v3: it leaves the index). Legs already matched keep
// their carrier.
Check WithdrawOffer(Workspace& ws, const model::AdmittedEvent& admitted,
                    const model::BlockContext& context);
// Rules v3, before the first event of every block: on the chain's first v3 block, indexes the
// live offers and open legs rules v2 recorded (their "open/" records go); then every offer whose
// valid_until is before block time leaves the index.
void BeginBlockV3(Workspace& ws, const model::BlockContext& context);

// booked: the route plan's legs (named carriers assigned, open legs matched or left open).
void InitRoute(Workspace& ws, v1::ShipmentState* state, const v1::BookingTerms& terms,
               const model::BlockContext& context, Outputs* out);
// The reverse route of an approved return: the forward legs reversed, all open, matched.
void OpenReturnRoute(Workspace& ws, v1::ShipmentState* state, const model::BlockContext& context,
                     Outputs* out);
// Tries every open leg of the shipment again (an offer may have become valid meanwhile).
void RetryOpenLegs(Workspace& ws, v1::ShipmentState* state, const model::BlockContext& context,
                   Outputs* out);
// leg_reassignment by the shipper, before the leg's carrier holds the goods.
Check Reassign(Workspace& ws, v1::ShipmentState* state, const model::AdmittedEvent& admitted,
               const model::BlockContext& context, Outputs* out);

// Legs of the shipment (forward and return) now OPEN.
uint32_t OpenLegCount(const v1::ShipmentState& state);
// Rules v3: why the event may not leave `state` with its open legs — more than
// limits.max_open_legs_per_shipment, and more than the `open_before` it found. Always passes
// under v1 and v2.
Check CheckOpenLegLimit(const v1::ShipmentState& state, uint32_t open_before,
                        const model::BlockContext& context);

// Whether a route governs hand-overs now: forward legs before delivery, return legs during a
// return (false without a route plan, or without reverse legs).
bool RouteApplies(const v1::ShipmentState& state);
// Whether a hand-over from the custodian to `receiver` keeps to the route.
Check CheckRouteHandover(const v1::ShipmentState& state, const std::string& receiver);
// Rejects delivery (or, during a return, `returned`) that would skip legs still to be carried.
Check CheckRouteComplete(const v1::ShipmentState& state);
// After a VALID hand-over (`before`: the state it was checked against): legs passed are DONE,
// the receiver's leg ACTIVE.
void AdvanceRoute(v1::ShipmentState* state, const v1::ShipmentState& before,
                  const std::string& receiver);
// The current custody stretch's leg (1-based, 0 = none) and direction.
uint32_t CurrentLeg(const v1::ShipmentState& state, bool* reverse);
// Delivery or return completes the active leg of the route.
void CompleteRoute(v1::ShipmentState* state, bool reverse);

}  // namespace shipledger::contracts
