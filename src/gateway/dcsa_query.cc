#include "gateway/dcsa_query.h"

#include <algorithm>
#include <charconv>

#include "gateway/http_util.h"
#include "interop/dcsa_import.h"
#include "interop/json_fields.h"
#include "model/units.h"

namespace shipledger::gateway {

namespace pb = google::protobuf;

namespace {

// Index field letters.
constexpr char kEventType = 't';
constexpr char kCode = 'c';  // shipment, transport or equipment event type code
constexpr char kDocumentType = 'd';
constexpr char kBooking = 'b';
constexpr char kTransportDocument = 'r';
constexpr char kEquipment = 'e';
constexpr char kLocation = 'l';
constexpr char kTransportCall = 'k';

constexpr std::string_view kEventTypes[] = {"SHIPMENT", "TRANSPORT", "EQUIPMENT"};
constexpr std::string_view kShipmentCodes[] = {"RECE", "DRFT", "PENA", "PENU", "REJE",
                                               "APPR", "ISSU", "SURR", "SUBM", "VOID",
                                               "CONF", "REQS", "CMPL", "HOLD", "RELS"};
constexpr std::string_view kDocumentTypes[] = {"CBR", "BKG", "SHI", "SRM", "TRD", "ARN",
                                               "VGM", "CAS", "CUS", "DGD", "OOG"};
constexpr std::string_view kTransportCodes[] = {"ARRI", "DEPA"};
constexpr std::string_view kEquipmentCodes[] = {"LOAD", "DISC", "GTIN", "GTOT", "STUF", "STRP",
                                                "PICK", "DROP", "INSP", "RSEA", "RMVD"};

template <size_t N>
bool OneOf(const std::string_view (&set)[N], std::string_view v) {
  return std::find(std::begin(set), std::end(set), v) != std::end(set);
}

const pb::Struct* ObjectOf(const pb::Struct& s, std::string_view key) {
  const pb::Value* v = interop::FieldOf(s, key);
  return v != nullptr && v->has_struct_value() ? &v->struct_value() : nullptr;
}

// The values of documentReferences of `type` ("BKG", "TRD"), and the documentID of a shipment
// event about that document.
std::vector<std::string> DocumentValues(const pb::Struct& e, std::string_view type) {
  std::vector<std::string> out;
  if (interop::TextOf(e, "documentTypeCode") == type)
    out.push_back(interop::TextOf(e, "documentID"));
  const pb::Value* refs = interop::FieldOf(e, "documentReferences");
  if (refs != nullptr && refs->has_list_value()) {
    for (const auto& r : refs->list_value().values()) {
      if (!r.has_struct_value()) continue;
      if (interop::TextOf(r.struct_value(), "documentReferenceType").starts_with(type)) {
        out.push_back(interop::TextOf(r.struct_value(), "documentReferenceValue"));
      }
    }
  }
  return out;
}

std::string LocationOf(const pb::Struct& e) {
  for (const char* holder : {"transportCall", "eventLocation"}) {
    if (const pb::Struct* o = ObjectOf(e, holder)) {
      if (auto code = interop::TextOf(*o, "UNLocationCode"); !code.empty()) return code;
    }
  }
  return "";
}

std::string TransportCallOf(const pb::Struct& e) {
  const pb::Struct* call = ObjectOf(e, "transportCall");
  return call == nullptr ? std::string() : interop::TextOf(*call, "transportCallID");
}

std::string CodeOf(const pb::Struct& e) {
  for (const char* field :
       {"shipmentEventTypeCode", "transportEventTypeCode", "equipmentEventTypeCode"}) {
    if (auto code = interop::TextOf(e, field); !code.empty()) return code;
  }
  return "";
}

bool In(const std::vector<std::string>& wanted, const std::string& v) {
  return wanted.empty() || std::find(wanted.begin(), wanted.end(), v) != wanted.end();
}

// Codes written as codes or full words, each checked against the enum.
template <size_t N>
Status AddCodes(const std::string& name, const std::vector<std::string>& values,
                const std::string_view (&allowed)[N], bool words, std::vector<std::string>* out) {
  for (const auto& v : values) {
    std::string code = words ? interop::DcsaCode(v) : v;
    if (code.empty()) code = v;
    if (!OneOf(allowed, code)) {
      return Status::InvalidArgument(name + ": '" + v + "' is not a value T&T 2.2 has");
    }
    out->push_back(code);
  }
  return Status::Ok();
}

Status Bound(const std::string& name, const std::string& op, const std::string& value,
             DcsaQuery* q) {
  int64_t ms = 0;
  if (!model::ParseIsoTime(value, &ms)) {
    return Status::InvalidArgument(name + ": '" + value + "' is not an ISO 8601 date-time");
  }
  auto tighten_min = [&](int64_t v) { q->created_min = std::max(q->created_min.value_or(v), v); };
  auto tighten_max = [&](int64_t v) { q->created_max = std::min(q->created_max.value_or(v), v); };
  if (op == "gte") {
    tighten_min(ms);
  } else if (op == "gt") {
    tighten_min(ms + 1);
  } else if (op == "lte") {
    tighten_max(ms);
  } else if (op == "lt") {
    tighten_max(ms - 1);
  } else if (op == "eq" || op.empty()) {
    tighten_min(ms);
    tighten_max(ms);
  } else {
    return Status::InvalidArgument(name + ": the operator is :gte, :gt, :lte, :lt or :eq");
  }
  return Status::Ok();
}

// One filter (name, its values) into `q`: the query parameter and the subscription field share
// it.
Status AddFilter(const std::string& name, const std::vector<std::string>& values, DcsaQuery* q) {
  auto single = [&](std::string* out) {
    if (values.size() != 1 || values[0].empty()) {
      return Status::InvalidArgument(name + " takes one value");
    }
    *out = values[0];
    return Status::Ok();
  };
  if (name == "eventType") return AddCodes(name, values, kEventTypes, false, &q->event_types);
  if (name == "shipmentEventTypeCode") {
    return AddCodes(name, values, kShipmentCodes, true, &q->shipment_codes);
  }
  if (name == "documentTypeCode") {
    return AddCodes(name, values, kDocumentTypes, false, &q->document_types);
  }
  if (name == "transportEventTypeCode") {
    return AddCodes(name, values, kTransportCodes, true, &q->transport_codes);
  }
  if (name == "equipmentEventTypeCode") {
    return AddCodes(name, values, kEquipmentCodes, true, &q->equipment_codes);
  }
  if (name == "carrierBookingReference" || name == "bookingReference") return single(&q->booking);
  if (name == "transportDocumentReference") return single(&q->transport_document);
  if (name == "equipmentReference") return single(&q->equipment);
  if (name == "UNLocationCode") return single(&q->location);
  if (name == "transportCallID") return single(&q->transport_call);
  if (name == "vesselIMONumber" || name == "carrierVoyageNumber" || name == "exportVoyageNumber" ||
      name == "carrierServiceCode") {
    std::string ignored;
    SL_RETURN_IF_ERROR(single(&ignored));
    q->unmatchable = true;
    return Status::Ok();
  }
  return Status::NotFound(name + " is not a filter this gateway answers (docs/gateway.md)");
}

}  // namespace

std::vector<std::pair<char, std::string>> DcsaIndexEntries(const pb::Struct& e) {
  std::vector<std::pair<char, std::string>> out;
  out.emplace_back(kEventType, interop::TextOf(e, "eventType"));
  if (auto code = CodeOf(e); !code.empty()) out.emplace_back(kCode, code);
  if (auto d = interop::TextOf(e, "documentTypeCode"); !d.empty())
    out.emplace_back(kDocumentType, d);
  for (auto& v : DocumentValues(e, "BKG")) out.emplace_back(kBooking, v);
  for (auto& v : DocumentValues(e, "TRD")) out.emplace_back(kTransportDocument, v);
  if (auto v = interop::TextOf(e, "equipmentReference"); !v.empty())
    out.emplace_back(kEquipment, v);
  if (auto v = LocationOf(e); !v.empty()) out.emplace_back(kLocation, v);
  if (auto v = TransportCallOf(e); !v.empty()) out.emplace_back(kTransportCall, v);
  std::sort(out.begin(), out.end());
  out.erase(std::unique(out.begin(), out.end()), out.end());
  return out;
}

std::optional<std::pair<char, std::vector<std::string>>> DcsaDrivingIndex(const DcsaQuery& q) {
  if (!q.equipment.empty()) return std::pair(kEquipment, std::vector{q.equipment});
  if (!q.booking.empty()) return std::pair(kBooking, std::vector{q.booking});
  if (!q.transport_document.empty()) {
    return std::pair(kTransportDocument, std::vector{q.transport_document});
  }
  if (!q.transport_call.empty()) return std::pair(kTransportCall, std::vector{q.transport_call});
  if (!q.location.empty()) return std::pair(kLocation, std::vector{q.location});
  // Code filters of two classes can never both hold; any one class's codes drive correctly.
  if (!q.shipment_codes.empty()) return std::pair(kCode, q.shipment_codes);
  if (!q.transport_codes.empty()) return std::pair(kCode, q.transport_codes);
  if (!q.equipment_codes.empty()) return std::pair(kCode, q.equipment_codes);
  if (!q.document_types.empty()) return std::pair(kDocumentType, q.document_types);
  if (!q.event_types.empty()) return std::pair(kEventType, q.event_types);
  return std::nullopt;
}

bool MatchesDcsa(const pb::Struct& e, const DcsaQuery& q) {
  if (q.unmatchable) return false;
  if (!In(q.event_types, interop::TextOf(e, "eventType"))) return false;
  if (!q.shipment_codes.empty() &&
      !In(q.shipment_codes, interop::TextOf(e, "shipmentEventTypeCode"))) {
    return false;
  }
  if (!q.transport_codes.empty() &&
      !In(q.transport_codes, interop::TextOf(e, "transportEventTypeCode"))) {
    return false;
  }
  if (!q.equipment_codes.empty() &&
      !In(q.equipment_codes, interop::TextOf(e, "equipmentEventTypeCode"))) {
    return false;
  }
  if (!q.document_types.empty() && !In(q.document_types, interop::TextOf(e, "documentTypeCode"))) {
    return false;
  }
  auto has = [](const std::vector<std::string>& values, const std::string& v) {
    return std::find(values.begin(), values.end(), v) != values.end();
  };
  if (!q.booking.empty() && !has(DocumentValues(e, "BKG"), q.booking)) return false;
  if (!q.transport_document.empty() && !has(DocumentValues(e, "TRD"), q.transport_document)) {
    return false;
  }
  if (!q.equipment.empty() && interop::TextOf(e, "equipmentReference") != q.equipment) return false;
  if (!q.location.empty() && LocationOf(e) != q.location) return false;
  if (!q.transport_call.empty() && TransportCallOf(e) != q.transport_call) return false;
  if (q.created_min || q.created_max) {
    int64_t ms = 0;
    if (!model::ParseIsoTime(interop::TextOf(e, "eventCreatedDateTime"), &ms)) return false;
    if ((q.created_min && ms < *q.created_min) || (q.created_max && ms > *q.created_max)) {
      return false;
    }
  }
  return true;
}

Status AddDcsaParameter(const std::string& name, const std::string& value, DcsaQuery* q) {
  if (value.empty()) return Status::InvalidArgument(name + " has no value");
  if (name.starts_with("eventCreatedDateTime")) {
    const std::string rest = name.substr(20);
    if (!rest.empty() && rest[0] != ':') return Status::NotFound(name + " is not a filter");
    return Bound(name, rest.empty() ? "" : rest.substr(1), value, q);
  }
  if (name == "limit") {
    uint32_t n = 0;
    const auto [end, ec] = std::from_chars(value.data(), value.data() + value.size(), n);
    if (ec != std::errc() || end != value.data() + value.size() || n == 0) {
      return Status::InvalidArgument("limit must be a whole number from 1");
    }
    q->limit = n;
    return Status::Ok();
  }
  if (name == "cursor") {
    const auto [end, ec] = std::from_chars(value.data(), value.data() + value.size(), q->after);
    if (ec != std::errc() || end != value.data() + value.size()) {
      return Status::InvalidArgument("cursor is not one this gateway gave");
    }
    return Status::Ok();
  }
  return AddFilter(name, SplitList(value, ','), q);
}

Status DcsaFiltersOf(const pb::Struct& subscription, DcsaQuery* q) {
  for (const auto& [name, value] : subscription.fields()) {
    if (name == "callbackUrl" || name == "secret" || name == "subscriptionID") continue;
    std::vector<std::string> values;
    if (value.has_string_value()) {
      values = SplitList(value.string_value(), ',');
    } else if (value.has_list_value()) {
      for (const auto& v : value.list_value().values()) {
        if (!v.has_string_value()) return Status::InvalidArgument(name + ": a list of strings");
        values.push_back(v.string_value());
      }
    } else {
      return Status::InvalidArgument(name + ": a string or a list of strings");
    }
    Status s = AddFilter(name, values, q);
    if (s.code() == Code::kNotFound) return Status::InvalidArgument(s.message());
    SL_RETURN_IF_ERROR(s);
  }
  return Status::Ok();
}

}  // namespace shipledger::gateway
