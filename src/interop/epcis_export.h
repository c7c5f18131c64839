// A shipment's ledger events as an EPCIS 2.0 JSON-LD document (docs/interop.md, "Mapping" and
// "Export"). Each VALID event of a type with an EPCIS form becomes one ObjectEvent or
// TransactionEvent; its `eventID` is the CBV 2.0 event hash ID of what it says, its
// `recordTime` the commit (block) time; error declarations become the declared event's
// `errorDeclaration`. What the ledger knows about each event (height, position, ledger event id,
// receipt, who signed, private fields opened for the caller) is in the document header under
// `sl:ledger`, outside the events, so that it does not enter the hash: an event keeps its id
// whoever exports it, and an event imported from another system keeps the id it came with.
// Thread-safety: pure functions.
#pragma once

#include <google/protobuf/struct.pb.h>

#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "interop/epcis_hash.h"
#include "interop/ledger_types.h"
#include "shipledger/status.h"
#include "shipledger/v1/ledger.pb.h"

namespace shipledger::interop {

// Details whose key starts with this are EPCIS presentation, not `sl:details`, when well formed
// (docs/interop.md lists the rules; one that is not is an ordinary detail):
// `epcis.type`, `epcis.action`, `epcis.disposition`, `epcis.readPoint`, `epcis.bizLocation`,
// `epcis.eventTimeZoneOffset` replace what the mapping table gives; each `epcis.epc` adds an EPC
// to `epcList`, each `epcis.bizTransaction` ("TYPE URI") a business transaction; `epcis.origin` =
// `import` marks an event imported from an EPCIS document, whose EPCIS form then carries no
// shipledger identity (`sl:shipment`, `sl:recordedBy`, `sl:nonce`, `sl:cosigners`), so that it
// keeps the event hash ID it came with.
inline constexpr std::string_view kEpcisDetailPrefix = "epcis.";

// The namespaces of our documents: the standard ones and `sl`.
Namespaces ExportNamespaces();
// The @context our documents carry: the EPCIS 2.0 context, then {"sl": kLedgerNamespace}.
google::protobuf::Value ExportContext();

// The EPCIS form of one ledger event, without eventID, recordTime or errorDeclaration.
// `cold_chain` (the shipment's terms, or nullptr) marks readings outside its range with
// `exception: ALARM_CONDITION`. FAILED_PRECONDITION (with WhyNoEpcisForm) for a type that has
// none.
Result<google::protobuf::Struct> EpcisEventOf(const v1::Event& event,
                                              const v1::ColdChainTerms* cold_chain);

// Whether `text` is an eventTimeZoneOffset as the EPCIS 2.0 schema has it: ±hh:mm from -14:00
// to +14:00 ("Z" is not one).
bool IsTimeZoneOffset(std::string_view text);

// The `errorDeclaration` an error_declaration event gives the event it declares:
// declarationTime, reason (CBV words and URIs as they are, other text as sl:reason) and the
// hash IDs of its corrective events that `hash_id_of` (ledger event id -> EPCIS event hash ID)
// knows.
google::protobuf::Struct ErrorDeclarationOf(
    const v1::Event& declaration,
    const std::function<std::optional<std::string>(const std::string&)>& hash_id_of);

struct EpcisExportOptions {
  int64_t creation_time_ms = 0;  // the document's creationDate
  // Private fields the caller opened, by ledger event id: (name, value) pairs. Only these
  // values appear (in the header); every other private field is named, marked encrypted.
  std::map<std::string, std::vector<std::pair<std::string, std::string>>> private_values;
};

struct EpcisExport {
  google::protobuf::Struct document;  // an EPCISDocument
  int events = 0;                     // in epcisBody.eventList
  std::vector<Omission> omitted;      // ledger events left out (also listed in sl:ledger)
};

// An omission as LedgerService.ExportShipment reports it.
v1::ExportOmission OmissionProto(const Omission& omission);

// An event whose EPCIS form does not hash, and an event with the same event hash ID as an
// earlier one, are left out and listed with the reason.
Result<EpcisExport> ExportEpcis(const v1::GetShipmentResponse& shipment,
                                const EpcisExportOptions& options);

}  // namespace shipledger::interop
