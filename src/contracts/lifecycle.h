// The shipment lifecycle (DESIGN §4): which event types contract rules v1 support, how they are
// classified (custody, customs, returns) and the transition table of shipment statuses.
// Thread-safety: pure functions over constant tables.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "model/enum_names.h"
#include "shipledger/v1/types.pb.h"

namespace shipledger::contracts {

// True for the event types contract rules `rules` apply. Version 1 does not support carrier
// offer/withdrawal, leg reassignment and error declaration, which version 2 adds; neither
// supports certificate revocation (nor UNSPECIFIED).
bool IsSupportedType(v1::EventType type, uint32_t rules);

// Custody events: only the current custodian may record them.
bool IsCustodyEvent(v1::EventType type);

// Events that move the goods (or their custody); a customs hold stops them.
bool MovesGoods(v1::EventType type);

// The customs side an event belongs to (NONE for non-customs events).
v1::CustomsSide CustomsSideOf(v1::EventType type);

// Customs decisions (cleared / held / released, either side): only customs records them.
bool IsCustomsDecision(v1::EventType type);

// Events accepted once the shipment is delivered (status DELIVERED or a return): the return
// flow and handovers during it; under rules v2 also, during a return, customs, sensor
// readings, inspections and exceptions.
bool AllowedAfterDelivery(v1::EventType type, v1::ShipmentStatus status, uint32_t rules);

// The status a shipment in `status` moves to when an event of `type` is applied under contract
// rules `rules`, or nullopt when the transition table does not allow `type` in `status`.
// `booked` is not in the table: it only creates a shipment.
std::optional<v1::ShipmentStatus> NextStatus(v1::EventType type, v1::ShipmentStatus status,
                                             uint32_t rules);

// The rule, in English, that decides from which statuses `type` is allowed (for reasons).
std::string_view TransitionRule(v1::EventType type);

// Reasons name event types and statuses as model/enum_names.h does. The name contract rules
// `rules` give `type`: a type that joined the protocol with later rules was an unnamed number
// ("unspecified") to them, and replay keeps their words.
std::string TypeNameUnder(v1::EventType type, uint32_t rules);
// "export", "import", "none".
std::string SideName(v1::CustomsSide side);

}  // namespace shipledger::contracts
