// The shipment lifecycle (DESIGN §4): which event types contract rules v1 support, how they are
// classified (custody, customs, returns) and the transition table of shipment statuses.
// Thread-safety: pure functions over constant tables.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "shipledger/v1/types.pb.h"

namespace shipledger::contracts {

// True for the event types contract rules v1 apply. Carrier offer/withdrawal, leg reassignment,
// error declaration and certificate revocation are not supported yet (nor is UNSPECIFIED).
bool IsSupportedType(v1::EventType type);

// Custody events: only the current custodian may record them.
bool IsCustodyEvent(v1::EventType type);

// Events that move the goods (or their custody); a customs hold stops them.
bool MovesGoods(v1::EventType type);

// The customs side an event belongs to (NONE for non-customs events).
v1::CustomsSide CustomsSideOf(v1::EventType type);

// Customs decisions (cleared / held / released, either side): only customs records them.
bool IsCustomsDecision(v1::EventType type);

// Events accepted once the shipment is delivered: the return flow, and handovers during it.
bool AllowedAfterDelivery(v1::EventType type);

// The status a shipment in `status` moves to when an event of `type` is applied, or nullopt
// when the transition table does not allow `type` in `status`. `booked` is not in the table:
// it only creates a shipment.
std::optional<v1::ShipmentStatus> NextStatus(v1::EventType type, v1::ShipmentStatus status);

// The rule, in English, that decides from which statuses `type` is allowed (for reasons).
std::string_view TransitionRule(v1::EventType type);

// snake_case names without the enum prefix: "export_customs_declared", "in_transit", "import".
std::string TypeName(v1::EventType type);
std::string StatusName(v1::ShipmentStatus status);
std::string SideName(v1::CustomsSide side);

}  // namespace shipledger::contracts
