#include "interop/dcsa_import.h"

#include <array>
#include <cctype>
#include <charconv>
#include <optional>
#include <set>

#include "interop/json_fields.h"
#include "model/units.h"
#include "model/validation_payloads.h"

namespace shipledger::interop {

namespace {

namespace pb = google::protobuf;
using T = v1::EventType;

Status Unmapped(std::string why) { return Status::InvalidArgument(std::move(why)); }

const pb::Struct* Object(const pb::Struct& s, std::string_view key) {
  const auto it = s.fields().find(std::string(key));
  return it == s.fields().end() || !it->second.has_struct_value() ? nullptr
                                                                  : &it->second.struct_value();
}

struct CodeWords {
  std::string_view code;
  std::array<std::string_view, 3> words;
};

// DCSA's codes and the words they stand for (T&T 2.2 descriptions), normalised: upper case,
// spaces and hyphens as underscores.
constexpr std::array<CodeWords, 21> kCodes = {{
    {"RECE", {"RECEIVED", "", ""}},
    {"CONF", {"CONFIRMED", "", ""}},
    {"SUBM", {"SUBMITTED", "", ""}},
    {"HOLD", {"ON_HOLD", "", ""}},
    {"RELS", {"RELEASED", "", ""}},
    {"APPR", {"APPROVED", "", ""}},
    {"ISSU", {"ISSUED", "", ""}},
    {"REJE", {"REJECTED", "", ""}},
    {"ARRI", {"ARRIVED", "ARRIVAL", ""}},
    {"DEPA", {"DEPARTED", "DEPARTURE", ""}},
    {"LOAD", {"LOADED", "", ""}},
    {"DISC", {"DISCHARGED", "", ""}},
    {"GTIN", {"GATE_IN", "GATED_IN", ""}},
    {"GTOT", {"GATE_OUT", "GATED_OUT", ""}},
    {"PICK", {"PICK_UP", "PICKED_UP", "PICKUP"}},
    {"DROP", {"DROP_OFF", "DROPPED_OFF", "DROPOFF"}},
    {"INSP", {"INSPECTED", "INSPECTION", ""}},
    {"STUF", {"STUFFED", "", ""}},
    {"STRP", {"STRIPPED", "", ""}},
    {"RSEA", {"RESEALED", "", ""}},
    {"RMVD", {"REMOVED", "", ""}},
}};

bool ImportSide(const v1::ShipmentState* state) {
  return state != nullptr &&
         (state->export_cleared() || state->status() >= v1::SHIPMENT_STATUS_ARRIVED);
}

// The event type of a code of an event type; UNSPECIFIED when it has none.
Result<T> TypeOf(const std::string& event_type, const std::string& code,
                 const std::string& document_type, const v1::ShipmentState* state) {
  const bool import = ImportSide(state);
  if (event_type == "SHIPMENT") {
    if (document_type == "BKG" && code == "CONF") return T::EVENT_TYPE_BOOKED;
    if (document_type == "CUS") {
      if (code == "SUBM") {
        return import ? T::EVENT_TYPE_IMPORT_CUSTOMS_DECLARED
                      : T::EVENT_TYPE_EXPORT_CUSTOMS_DECLARED;
      }
      if (code == "HOLD") {
        return import ? T::EVENT_TYPE_IMPORT_CUSTOMS_HELD : T::EVENT_TYPE_EXPORT_CUSTOMS_HELD;
      }
      if (code == "RELS") {
        return import ? T::EVENT_TYPE_IMPORT_CUSTOMS_RELEASED
                      : T::EVENT_TYPE_EXPORT_CUSTOMS_RELEASED;
      }
      if (code == "APPR") {
        return import ? T::EVENT_TYPE_IMPORT_CUSTOMS_CLEARED : T::EVENT_TYPE_EXPORT_CUSTOMS_CLEARED;
      }
    }
    return Unmapped("a " + code + " of a " + document_type +
                    " document has no shipledger event (CONF of BKG is a booking; SUBM, HOLD, "
                    "RELS, APPR of CUS are customs)");
  }
  if (event_type == "TRANSPORT") {
    if (code == "ARRI") return T::EVENT_TYPE_ARRIVED;
    if (code == "DEPA") return T::EVENT_TYPE_DEPARTED;
  }
  if (event_type == "EQUIPMENT") {
    const bool returning =
        state != nullptr && (state->status() == v1::SHIPMENT_STATUS_RETURN_REQUESTED ||
                             state->status() == v1::SHIPMENT_STATUS_RETURN_IN_TRANSIT);
    if (code == "LOAD") return T::EVENT_TYPE_LOADED;
    if (code == "DISC") return T::EVENT_TYPE_DISCHARGED;
    if (code == "GTOT") return T::EVENT_TYPE_OUT_FOR_DELIVERY;
    if (code == "PICK") return returning ? T::EVENT_TYPE_RETURN_PICKED_UP : T::EVENT_TYPE_PICKUP;
    if (code == "DROP") return returning ? T::EVENT_TYPE_RETURNED : T::EVENT_TYPE_DELIVERED;
    if (code == "INSP") return T::EVENT_TYPE_INSPECTION;
    if (code == "GTIN") {
      return Unmapped(
          "a gate-in is a hand-over, which needs the receiver's co-signature: record "
          "it with shipledger event submit --type handover --cosigner");
    }
  }
  return Unmapped(event_type + " event code " + code + " has no shipledger event type");
}

// Every scalar of `s` not in `used` as a `dcsa.<path>` detail; lists by position.
void KeepTheRest(const pb::Struct& s, const std::string& path,
                 const std::set<std::string, std::less<>>& used, v1::Event* e) {
  for (const auto& [key, value] : s.fields()) {
    const std::string here = path.empty() ? key : path + "." + key;
    if (used.contains(here)) continue;
    if (value.has_struct_value()) {
      KeepTheRest(value.struct_value(), here, used, e);
    } else if (value.has_list_value()) {
      pb::Struct items;  // a list as an object keyed by position
      for (int i = 0; i < value.list_value().values_size(); ++i) {
        (*items.mutable_fields())[std::to_string(i)] = value.list_value().values(i);
      }
      KeepTheRest(items, here, used, e);
    } else if (auto text = ScalarText(value)) {
      AddDetail(e, "dcsa." + here, *text);
    }
  }
}

}  // namespace

std::string DcsaCode(std::string_view code) {
  std::string norm;
  for (char c : code) {
    norm += (c == ' ' || c == '-') ? '_'
                                   : static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  }
  for (const auto& c : kCodes) {
    if (norm == c.code) return std::string(c.code);
    for (std::string_view w : c.words) {
      if (!w.empty() && norm == w) return std::string(c.code);
    }
  }
  return "";
}

Result<v1::Event> LedgerEventOfDcsa(const pb::Struct& in, const v1::ShipmentState* state,
                                    const std::string& signer_org) {
  const std::string event_type = TextOf(in, "eventType");
  if (event_type != "SHIPMENT" && event_type != "TRANSPORT" && event_type != "EQUIPMENT") {
    return Unmapped("eventType '" + event_type + "' is not SHIPMENT, TRANSPORT or EQUIPMENT");
  }
  if (const std::string classifier = TextOf(in, "eventClassifierCode"); classifier != "ACT") {
    return Unmapped("eventClassifierCode " + classifier +
                    ": shipledger records what happened (ACT), not plans or estimates");
  }
  const std::string code_field = event_type == "SHIPMENT"    ? "shipmentEventTypeCode"
                                 : event_type == "TRANSPORT" ? "transportEventTypeCode"
                                                             : "equipmentEventTypeCode";
  const std::string given = TextOf(in, code_field);
  const std::string code = DcsaCode(given);
  if (code.empty()) return Unmapped(code_field + " '" + given + "' is not a DCSA code");
  const std::string document_type = TextOf(in, "documentTypeCode");
  SL_ASSIGN_OR_RETURN(const T type, TypeOf(event_type, code, document_type, state));

  v1::Event e;
  e.set_type(type);
  e.set_signer_org(signer_org);
  int64_t occurred = 0;
  if (!model::ParseIsoTime(TextOf(in, "eventDateTime"), &occurred,
                           model::FractionMode::kRoundHalfUp) ||
      occurred <= 0) {
    return Unmapped("eventDateTime '" + TextOf(in, "eventDateTime") + "' is not a time");
  }
  e.set_occurred_at_ms(occurred);
  std::set<std::string, std::less<>> used = {
      "eventType", "eventClassifierCode", code_field, "eventDateTime", "documentTypeCode",
      "eventID",   "eventCreatedDateTime"};
  std::string location;
  if (const pb::Struct* call = Object(in, "transportCall")) {
    location = TextOf(*call, "UNLocationCode");
    used.insert("transportCall.UNLocationCode");
    if (type == T::EVENT_TYPE_ARRIVED || type == T::EVENT_TYPE_DEPARTED) {
      AddDetail(&e, "transport_call_id", TextOf(*call, "transportCallID"));
      AddDetail(&e, "mode_of_transport", TextOf(*call, "modeOfTransport"));
      used.insert({"transportCall.transportCallID", "transportCall.modeOfTransport"});
    }
  }
  if (const pb::Struct* where = Object(in, "eventLocation")) {
    const std::string place = TextOf(*where, "UNLocationCode");
    if (!place.empty()) {
      // Where the event was, rather than the call's port; a different port is kept as a detail.
      if (place != location) used.erase("transportCall.UNLocationCode");
      location = place;
      used.insert("eventLocation.UNLocationCode");
    }
  }
  if (!location.empty()) {
    if (!model::IsUnLocode(location)) {
      return Unmapped("UNLocationCode '" + location + "' is not a UN/LOCODE");
    }
    e.set_location(location);
  }
  if (!TextOf(in, "equipmentReference").empty()) {
    AddReference(&e, "container", TextOf(in, "equipmentReference"));
    used.insert("equipmentReference");
  }
  if (event_type == "SHIPMENT") {
    const std::string document = TextOf(in, "documentID");
    used.insert("documentID");
    if (!document.empty()) {
      AddReference(&e, document_type == "BKG" ? "booking" : "customs_declaration", document);
    }
    if (!TextOf(in, "reason").empty()) {
      AddDetail(&e, "reason", TextOf(in, "reason"));
      used.insert("reason");
    }
  }
  const auto list = in.fields().find("documentReferences");
  if (list != in.fields().end() && list->second.has_list_value()) {
    for (int i = 0; i < list->second.list_value().values_size(); ++i) {
      const pb::Struct& ref = list->second.list_value().values(i).struct_value();
      const std::string kind = TextOf(ref, "documentReferenceType");
      const std::string value = TextOf(ref, "documentReferenceValue");
      const std::string at = "documentReferences." + std::to_string(i);
      if (kind.starts_with("BKG")) {
        AddReference(&e, "booking", value);
      } else if (kind.starts_with("TRD")) {
        AddReference(&e, "bill_of_lading", value);
      } else {
        continue;
      }
      used.insert({at + ".documentReferenceType", at + ".documentReferenceValue"});
    }
  }
  const auto refs = in.fields().find("references");
  if (refs != in.fields().end() && refs->second.has_list_value()) {
    for (int i = 0; i < refs->second.list_value().values_size(); ++i) {
      const pb::Struct& ref = refs->second.list_value().values(i).struct_value();
      const std::string at = "references." + std::to_string(i);
      const std::string kind = TextOf(ref, "referenceType");
      if (kind != "PO" && kind != "EQ") continue;
      AddReference(&e, kind == "PO" ? "purchase_order" : "container",
                   TextOf(ref, "referenceValue"));
      used.insert({at + ".referenceType", at + ".referenceValue"});
    }
  }
  KeepTheRest(in, "", used, &e);
  return e;
}

}  // namespace shipledger::interop
