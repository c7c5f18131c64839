#include "interop/dcsa_export.h"

#include "crypto/sha256.h"
#include "interop/epcis_export.h"
#include "interop/ledger_types.h"
#include "model/enum_names.h"
#include "shipledger/bytes.h"

namespace shipledger::interop {

namespace {

namespace pb = google::protobuf;

void Put(pb::Struct* s, const std::string& key, std::string_view value) {
  (*s->mutable_fields())[key].set_string_value(std::string(value));
}

void PutObject(pb::Struct* s, const std::string& key, pb::Struct value) {
  *(*s->mutable_fields())[key].mutable_struct_value() = std::move(value);
}

void PutList(pb::Struct* s, const std::string& key, std::vector<pb::Struct> items) {
  auto* list = (*s->mutable_fields())[key].mutable_list_value();
  for (auto& item : items) *list->add_values()->mutable_struct_value() = std::move(item);
}

std::string FirstReference(const v1::Event& e, std::string_view kind) {
  for (const auto& r : e.references()) {
    if (r.kind() == kind) return r.value();
  }
  return "";
}

std::string Detail(const v1::Event& e, std::string_view key) {
  for (const auto& d : e.details()) {
    if (d.key() == key) return d.value();
  }
  return "";
}

// DCSA's modeOfTransport for a leg's mode; empty for air, which DCSA 2.2 has no code for.
std::string_view ModeOfTransport(v1::TransportMode mode) {
  switch (mode) {
    case v1::TRANSPORT_MODE_SEA:
      return "VESSEL";
    case v1::TRANSPORT_MODE_RAIL:
      return "RAIL";
    case v1::TRANSPORT_MODE_ROAD:
      return "TRUCK";
    default:
      return "";
  }
}

// The mode of the leg a departure leaves from or an arrival reaches, from the shipment's route
// (forward, then return legs); a `mode_of_transport` detail (VESSEL, RAIL, TRUCK, BARGE) wins.
bool IsDcsaMode(std::string_view mode) {
  return mode == "VESSEL" || mode == "RAIL" || mode == "TRUCK" || mode == "BARGE";
}

std::string TransportModeOf(const v1::Event& e, const v1::ShipmentState& state) {
  const std::string named = Detail(e, "mode_of_transport");
  if (IsDcsaMode(named)) return named;
  const bool departure = e.type() == v1::EVENT_TYPE_DEPARTED;
  for (const auto* legs : {&state.legs(), &state.return_legs()}) {
    for (const auto& leg : *legs) {
      const std::string& end = departure ? leg.plan().origin() : leg.plan().destination();
      if (end == e.location()) return std::string(ModeOfTransport(leg.plan().mode()));
    }
  }
  return "";
}

std::vector<pb::Struct> DocumentReferences(const v1::Event& e) {
  std::vector<pb::Struct> out;
  for (const auto& r : e.references()) {
    // T&T 2.2 spells the two values with their descriptions (docs/interop.md).
    const char* type = r.kind() == "booking"          ? "BKG (Booking)"
                       : r.kind() == "bill_of_lading" ? "TRD (Transport Document)"
                                                      : nullptr;
    if (type == nullptr) continue;
    pb::Struct ref;
    Put(&ref, "documentReferenceType", type);
    Put(&ref, "documentReferenceValue", r.value());
    out.push_back(std::move(ref));
  }
  return out;
}

std::vector<pb::Struct> References(const v1::Event& e) {
  std::vector<pb::Struct> out;
  for (const auto& r : e.references()) {
    if (r.kind() != "purchase_order" || r.value().size() > 100) continue;
    pb::Struct ref;
    Put(&ref, "referenceType", "PO");
    Put(&ref, "referenceValue", r.value());
    out.push_back(std::move(ref));
  }
  return out;
}

// At most `max` bytes of `text`, cut before a UTF-8 continuation byte, never inside a
// character.
std::string Utf8Prefix(const std::string& text, size_t max) {
  if (text.size() <= max) return text;
  size_t end = max;
  while (end > 0 && (static_cast<unsigned char>(text[end]) & 0xc0) == 0x80) --end;
  return text.substr(0, end);
}

}  // namespace

std::string DcsaEventUuid(std::string_view ledger_event_id) {
  std::string b = crypto::Sha256({kDcsaEventIdDomain, ledger_event_id}).substr(0, 16);
  b[6] = static_cast<char>((static_cast<unsigned char>(b[6]) & 0x0f) | 0x80);
  b[8] = static_cast<char>((static_cast<unsigned char>(b[8]) & 0x3f) | 0x80);
  const std::string hex = ToHex(b);
  return hex.substr(0, 8) + "-" + hex.substr(8, 4) + "-" + hex.substr(12, 4) + "-" +
         hex.substr(16, 4) + "-" + hex.substr(20);
}

Result<pb::Struct> DcsaEventOf(const v1::TimelineEntry& entry, const v1::ShipmentState& state) {
  const v1::Event& e = entry.event();
  const TypeMapping* mapping = MappingOf(e.type());
  if (mapping == nullptr) return Status::FailedPrecondition(WhyNoEpcisForm(e.type()));
  if (mapping->dcsa_event_type.empty()) {
    return Status::FailedPrecondition(model::EventTypeName(e.type()) +
                                      " has no DCSA Track & Trace 2.2 event");
  }
  pb::Struct out;
  Put(&out, "eventID", DcsaEventUuid(entry.event_id()));
  Put(&out, "eventType", mapping->dcsa_event_type);
  Put(&out, "eventClassifierCode", "ACT");
  const std::string occurred = EpcisTime(e.occurred_at_ms());
  Put(&out, "eventDateTime", occurred);
  if (mapping->dcsa_event_type == "SHIPMENT") {
    // DCSA: a shipment event's eventDateTime is its eventCreatedDateTime.
    Put(&out, "eventCreatedDateTime", occurred);
    Put(&out, "shipmentEventTypeCode", mapping->dcsa_code);
    Put(&out, "documentTypeCode", mapping->dcsa_document_type);
    const std::string document =
        FirstReference(e, mapping->dcsa_document_type == "BKG" ? "booking" : "customs_declaration");
    Put(&out, "documentID", document.empty() ? e.shipment_id() : document);
    if (const std::string reason = Detail(e, "reason"); !reason.empty()) {
      Put(&out, "reason", Utf8Prefix(reason, 250));
    }
  } else {
    Put(&out, "eventCreatedDateTime", EpcisTime(entry.block_time_ms()));
    if (mapping->dcsa_event_type == "TRANSPORT") {
      const std::string mode = TransportModeOf(e, state);
      if (mode.empty()) {
        return Status::FailedPrecondition(
            model::EventTypeName(e.type()) +
            ": its mode of transport is not one DCSA 2.2 has (VESSEL, RAIL, TRUCK, BARGE) or is "
            "not known (no leg of the route " +
            (e.type() == v1::EVENT_TYPE_DEPARTED ? "leaves" : "reaches") + " '" + e.location() +
            "', no mode_of_transport detail)");
      }
      Put(&out, "transportEventTypeCode", mapping->dcsa_code);
      pb::Struct call;
      const std::string named = Detail(e, "transport_call_id");
      Put(&call, "transportCallID",
          !named.empty() && named.size() <= 100 ? named
                                                : "SL-" + ToHex(entry.event_id()).substr(0, 32));
      Put(&call, "modeOfTransport", mode);
      if (!e.location().empty()) Put(&call, "UNLocationCode", e.location());
      PutObject(&out, "transportCall", std::move(call));
    } else {
      Put(&out, "equipmentEventTypeCode", mapping->dcsa_code);
      Put(&out, "emptyIndicatorCode", "LADEN");
      const std::string container = FirstReference(e, "container");
      if (!container.empty() && container.size() <= 15) {
        Put(&out, "equipmentReference", container);
      }
      if (!e.location().empty()) {
        pb::Struct location;
        Put(&location, "UNLocationCode", e.location());
        PutObject(&out, "eventLocation", std::move(location));
      }
    }
    if (auto docs = DocumentReferences(e); !docs.empty()) {
      PutList(&out, "documentReferences", std::move(docs));
    }
  }
  if (auto refs = References(e); !refs.empty()) PutList(&out, "references", std::move(refs));
  return out;
}

bool DcsaNeedsRoute(const v1::Event& event) {
  const TypeMapping* mapping = MappingOf(event.type());
  if (mapping == nullptr || mapping->dcsa_event_type != "TRANSPORT") return false;
  return !IsDcsaMode(Detail(event, "mode_of_transport"));
}

DcsaExport ExportDcsa(const v1::GetShipmentResponse& shipment) {
  DcsaExport out;
  for (const auto& entry : shipment.timeline()) {
    std::string why;
    if (entry.receipt().code() != v1::RESULT_CODE_VALID) {
      why =
          "its receipt is " + model::EnumLabel(v1::ResultCode_descriptor(), entry.receipt().code());
    } else if (auto event = DcsaEventOf(entry, shipment.state()); event.ok()) {
      *out.events.add_values()->mutable_struct_value() = std::move(*event);
      continue;
    } else {
      why = event.status().message();
    }
    out.omitted.push_back(
        {entry.event_id(), entry.height(), entry.index(), entry.event().type(), std::move(why)});
  }
  return out;
}

}  // namespace shipledger::interop
