// Route legs and carrier matching (contract rules v2, docs/contracts.md): carrier offers as
// contract records, matching of open legs by the booking's rule, leg reassignment by the
// shipper, and which carrier a hand-over must go to. Deterministic: reads block time, the
// shipment and the offers in the workspace, never a clock.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "contracts/workspace.h"
#include "model/event.h"

namespace shipledger::contracts {

using Outputs = std::vector<v1::ContractOutput>;

// Record keys: "offer/<offer id>" → OfferRecord; "open/<shipment>/<f|r>/<leg, 4 digits>" → empty.
inline constexpr char kOfferPrefix[] = "offer/";
inline constexpr char kOpenLegPrefix[] = "open/";

// carrier_offer: registers the offer named by the event's shipment_id, then matches every open
// leg it (or any offer) now qualifies for. `index` is the event's position in its block.
// Returns the rejection reason, or empty.
std::string RegisterOffer(Workspace& ws, const model::AdmittedEvent& admitted,
                          const model::BlockContext& context, uint32_t index, Outputs* out);
// carrier_withdrawal by the offer's carrier. Legs already matched keep their carrier.
std::string WithdrawOffer(Workspace& ws, const model::AdmittedEvent& admitted);

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
std::string Reassign(Workspace& ws, v1::ShipmentState* state, const model::AdmittedEvent& admitted,
                     const model::BlockContext& context, Outputs* out);

// Whether a route governs hand-overs now: forward legs before delivery, return legs during a
// return (false without a route plan, or without reverse legs).
bool RouteApplies(const v1::ShipmentState& state);
// Why a hand-over from the custodian to `receiver` breaks the route, or empty.
std::string CheckRouteHandover(const v1::ShipmentState& state, const std::string& receiver);
// Why delivery (or, during a return, `returned`) would skip legs still to be carried, or empty.
std::string CheckRouteComplete(const v1::ShipmentState& state);
// After a VALID hand-over (`before`: the state it was checked against): legs passed are DONE,
// the receiver's leg ACTIVE.
void AdvanceRoute(v1::ShipmentState* state, const v1::ShipmentState& before,
                  const std::string& receiver);
// The current custody stretch's leg (1-based, 0 = none) and direction.
uint32_t CurrentLeg(const v1::ShipmentState& state, bool* reverse);
// Delivery or return completes the active leg of the route.
void CompleteRoute(v1::ShipmentState* state, bool reverse);

}  // namespace shipledger::contracts
