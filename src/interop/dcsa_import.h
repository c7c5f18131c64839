// DCSA Track & Trace 2.2 events as ledger events (docs/interop.md, "Import"): the reverse of
// the mapping table, accepting the full-word codes (ARRIVED, GATE_IN, ...) beside the
// four-letter ones. Every field the mapping does not place is kept as a `dcsa.<path>` detail,
// so nothing an event says is dropped.
// Thread-safety: pure functions.
#pragma once

#include <google/protobuf/struct.pb.h>

#include <string>

#include "shipledger/status.h"
#include "shipledger/v1/types.pb.h"

namespace shipledger::interop {

// The ledger event a DCSA event becomes, signed by `signer_org`, without chain_id, nonce and
// shipment_id. `state` (the shipment's, or nullptr when it is not booked yet) tells export from
// import customs and a delivery from a return. INVALID_ARGUMENT with the reason when the event
// has no shipledger form: a planned or estimated event, a code with no event type, a gate-in
// (a hand-over needs the receiver's co-signature), a time that does not parse.
Result<v1::Event> LedgerEventOfDcsa(const google::protobuf::Struct& event,
                                    const v1::ShipmentState* state, const std::string& signer_org);

// The four-letter code of a DCSA event type code written as its code or its full words
// ("ARRIVED", "Gate in", "gated-out"), or "" for neither.
std::string DcsaCode(std::string_view code);

}  // namespace shipledger::interop
