// EPCIS 2.0 events as ledger events (docs/interop.md, "Import"): the reverse of the mapping of
// interop/epcis_export.h. An event is imported only if exporting the ledger event it becomes
// gives back the same CBV 2.0 event hash ID: import then export keeps every field and the id.
// When that cannot be, the event is refused with the reason, field by field.
// Thread-safety: pure functions.
#pragma once

#include <google/protobuf/struct.pb.h>

#include <string>
#include <string_view>
#include <vector>

#include "interop/epcis_hash.h"
#include "shipledger/status.h"
#include "shipledger/v1/types.pb.h"

namespace shipledger::interop {

// The domain tag of ImportNonce (docs/formats.md).
inline constexpr std::string_view kImportNonceDomain = "shipledger/import-nonce/v1";

// The nonce of an imported event that brings none of its own: the first 16 bytes of
// SHA-256(kImportNonceDomain ‖ len‖signer_org ‖ len‖shipment_id ‖ source_id), source_id being
// the event's id in its own system (an EPCIS event hash ID, a DCSA eventID). Importing the same
// event again then makes the same ledger event, which the node answers ALREADY_EXISTS: an
// import can be run again after a failure.
std::string ImportNonce(std::string_view signer_org, std::string_view shipment_id,
                        std::string_view source_id);

// The events of an EPCISDocument (epcisBody.eventList), an EPCISQueryDocument
// (epcisBody.queryResults.resultsBody.eventList) or a single event (the document itself).
// INVALID_ARGUMENT when a document has no such list or an entry is not an object.
Result<std::vector<const google::protobuf::Struct*>> EpcisEventsOf(
    const google::protobuf::Struct& document);

// The ledger event an EPCIS event becomes, signed by `signer_org`: every field but chain_id,
// nonce (unless the event carries `sl:nonce`) and shipment_id (unless it carries
// `sl:shipment`). INVALID_ARGUMENT naming what has no shipledger form: an event type, a
// bizStep, a source or destination that is not an organisation of ours, a sensor report other
// than a temperature, an extension we do not define, an event that needs another
// organisation's co-signature or carries private fields. An errorDeclaration is not part of the
// event (nor of its id) and is left to the caller.
Result<v1::Event> LedgerEventOfEpcis(const google::protobuf::Struct& event,
                                     const Namespaces& namespaces, const std::string& signer_org);

// OK when `event` (complete: shipment, chain, nonce) exports with the id `original` has;
// INVALID_ARGUMENT saying where the two differ otherwise. `cold_chain`: the shipment's terms,
// as for EpcisEventOf.
Status CheckRoundTrip(const v1::Event& event, const google::protobuf::Struct& original,
                      const Namespaces& namespaces, const v1::ColdChainTerms* cold_chain);

}  // namespace shipledger::interop
