// Fuzz target: EPCIS and DCSA events into ledger events (interop/epcis_import.h,
// interop/dcsa_import.h), which `shipledger import` (and the gateway) run on what other
// parties' systems send.
// Input: a JSON object: an EPCIS event (its "@context" included), an EPCISDocument or a DCSA
// event. Seeds: corpus/interop_import_fuzz (an EPCIS event of another system, one of our own
// exports, a DCSA event).
// What must hold: no crash or sanitizer report; every event is mapped or refused with
// INVALID_ARGUMENT; an EPCIS event whose round trip is accepted exports with exactly the event
// hash ID it came with.
#include <google/protobuf/util/json_util.h>

#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>

#include "interop/dcsa_import.h"
#include "interop/epcis_export.h"
#include "interop/epcis_import.h"

namespace {

namespace pb = google::protobuf;
using shipledger::Code;
namespace interop = shipledger::interop;
namespace v1 = shipledger::v1;

void Fail(const char* what) {
  std::fprintf(stderr, "interop_import_fuzz: %s\n", what);
  std::abort();
}

void MapEpcis(const pb::Struct& in, const interop::Namespaces& ns) {
  auto event = interop::LedgerEventOfEpcis(in, ns, "Carrier");
  if (!event.ok()) {
    if (event.status().code() != Code::kInvalidArgument) Fail("a refusal is not INVALID_ARGUMENT");
    return;
  }
  if (event->shipment_id().empty()) event->set_shipment_id("S-FUZZ");
  event->set_chain_id("fuzz-chain");
  if (event->nonce().empty()) event->set_nonce(std::string(16, '\x01'));
  v1::ColdChainTerms terms;
  terms.set_min_milli_c(2000);
  terms.set_max_milli_c(8000);
  const shipledger::Status round_trip = interop::CheckRoundTrip(*event, in, ns, &terms);
  if (!round_trip.ok()) {
    if (round_trip.code() != Code::kInvalidArgument) Fail("a round trip is not INVALID_ARGUMENT");
    return;
  }
  auto given = interop::EventHashId(in, ns);
  auto exported = interop::EpcisEventOf(*event, &terms);
  if (!given.ok() || !exported.ok()) Fail("an accepted round trip does not hash");
  auto again = interop::EventHashId(*exported, interop::ExportNamespaces());
  if (!again.ok() || *again != *given) Fail("an accepted round trip changed the event hash ID");
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string text(reinterpret_cast<const char*>(data), size);
  pb::Struct doc;
  if (!pb::util::JsonStringToMessage(text, &doc).ok()) return 0;

  v1::ShipmentState returning;
  returning.set_status(v1::SHIPMENT_STATUS_RETURN_IN_TRANSIT);
  returning.set_export_cleared(true);
  for (const v1::ShipmentState* state : {static_cast<const v1::ShipmentState*>(nullptr),
                                         static_cast<const v1::ShipmentState*>(&returning)}) {
    auto event = interop::LedgerEventOfDcsa(doc, state, "Carrier");
    if (!event.ok() && event.status().code() != Code::kInvalidArgument) {
      Fail("a DCSA refusal is not INVALID_ARGUMENT");
    }
  }

  pb::Value context;
  if (auto it = doc.fields().find("@context"); it != doc.fields().end()) context = it->second;
  const interop::Namespaces ns = interop::NamespacesOf(context);
  auto events = interop::EpcisEventsOf(doc);
  if (!events.ok()) {
    if (events.status().code() != Code::kInvalidArgument)
      Fail("a document refusal is not INVALID_ARGUMENT");
    return 0;
  }
  for (const pb::Struct* event : *events) MapEpcis(*event, ns);
  return 0;
}
