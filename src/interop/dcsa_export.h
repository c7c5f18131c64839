// A shipment's ledger events as DCSA Track & Trace 2.2 events (docs/interop.md, "Mapping"):
// the JSON array `GET /v2/events` answers. Each VALID event of a type with a DCSA form (the
// mapping table of interop/ledger_types.h) becomes one SHIPMENT, TRANSPORT or EQUIPMENT event
// with eventClassifierCode ACT; its eventID is a UUID derived from the ledger event id, so it is
// the same on every export. DCSA has no place for the ledger's own facts; the ledger event id is
// the key to ask the node for them.
// Thread-safety: pure functions.
#pragma once

#include <google/protobuf/struct.pb.h>

#include <string>
#include <string_view>
#include <vector>

#include "interop/ledger_types.h"
#include "shipledger/status.h"
#include "shipledger/v1/ledger.pb.h"

namespace shipledger::interop {

// The domain tag of DcsaEventUuid (docs/formats.md).
inline constexpr std::string_view kDcsaEventIdDomain = "shipledger/dcsa-event-id/v1";

struct DcsaExport {
  google::protobuf::ListValue events;
  std::vector<Omission> omitted;
};

// The DCSA event of one committed ledger event, or FAILED_PRECONDITION saying why it has none
// (no DCSA 2.2 form for its type; a transport event whose mode of transport is not known or is
// not one DCSA has).
Result<google::protobuf::Struct> DcsaEventOf(const v1::TimelineEntry& entry,
                                             const v1::ShipmentState& state);

DcsaExport ExportDcsa(const v1::GetShipmentResponse& shipment);

// Whether DcsaEventOf reads the shipment's state for `event`: a TRANSPORT event without a
// mode_of_transport detail, whose mode comes from the route's legs. For any other event the
// state may be empty.
bool DcsaNeedsRoute(const v1::Event& event);

// "xxxxxxxx-xxxx-8xxx-yxxx-xxxxxxxxxxxx": the first 16 bytes of
// SHA-256(kDcsaEventIdDomain ‖ ledger event id) as an RFC 9562 version 8 (custom)
// UUID.
std::string DcsaEventUuid(std::string_view ledger_event_id);

}  // namespace shipledger::interop
