#include "interop/epcis_import.h"

#include <google/protobuf/util/json_util.h>

#include <cmath>
#include <set>

#include "crypto/sha256.h"
#include "interop/cbv.h"
#include "interop/epcis_export.h"
#include "interop/json_fields.h"
#include "interop/ledger_types.h"
#include "model/units.h"
#include "model/validation_payloads.h"
#include "shipledger/bytes.h"

namespace shipledger::interop {

namespace {

namespace pb = google::protobuf;
using T = v1::EventType;

Status Unmapped(std::string why) { return Status::InvalidArgument(std::move(why)); }

// The items of a list field; a single value counts as a list of one.
std::vector<const pb::Value*> Items(const pb::Struct& s, std::string_view key) {
  std::vector<const pb::Value*> out;
  const pb::Value* v = FieldOf(s, key);
  if (v == nullptr) return out;
  if (v->has_list_value()) {
    for (const auto& item : v->list_value().values()) out.push_back(&item);
  } else {
    out.push_back(v);
  }
  return out;
}

std::string Presentation(std::string_view name) {
  return std::string(kEpcisDetailPrefix) + std::string(name);
}

// The part of `uri` after our `path` prefix, percent-decoded; nullopt when it has another
// prefix.
std::optional<std::string> Under(std::string_view uri, std::string_view path) {
  const std::string prefix = std::string(kLedgerNamespace) + std::string(path) + "/";
  if (!uri.starts_with(prefix)) return std::nullopt;
  return PercentDecode(uri.substr(prefix.size()));
}

// The CBV business transaction type word of `type` (bare, web URI or URN), or "".
std::string BttWord(const std::string& type) {
  if (IsBareWord(Vocabulary::kBizTransactionType, type)) return type;
  const std::string web = CbvUrnToWebUri(type);
  constexpr std::string_view kPrefix = "https://ref.gs1.org/cbv/BTT-";
  if (web.starts_with(kPrefix)) return web.substr(kPrefix.size());
  return "";
}

// The reference kind a business transaction type stands for, or "".
std::string KindOfTransactionType(const std::string& type) {
  const std::string word = BttWord(type);
  if (word == "bol") return "bill_of_lading";
  if (word == "po") return "purchase_order";
  if (word == "inv") return "invoice";
  const std::string ours = std::string(kLedgerNamespace) + "BTT-";
  if (type.starts_with(ours)) {
    static const std::set<std::string, std::less<>> kinds = {
        "booking", "awb", "seal", "customs_declaration", "refund", "settlement"};
    const std::string kind = type.substr(ours.size());
    if (kinds.contains(kind)) return kind;
  }
  return "";
}

Status MapTransactions(const pb::Struct& in, v1::Event* e) {
  for (const pb::Value* item : Items(in, "bizTransactionList")) {
    if (!item->has_struct_value()) return Unmapped("a bizTransactionList entry is not an object");
    const std::string type = TextOf(item->struct_value(), "type");
    const std::string id = TextOf(item->struct_value(), "bizTransaction");
    if (id.empty()) return Unmapped("a bizTransactionList entry has no bizTransaction");
    const std::string kind = KindOfTransactionType(type);
    if (kind.empty()) {
      if (type.empty() || type.find(' ') != std::string::npos) {
        return Unmapped("business transaction " + id + " has no type shipledger can keep");
      }
      AddDetail(e, Presentation("bizTransaction"), type + " " + id);
      continue;
    }
    const auto value = Under(id, "bt/" + kind);
    if (!value && id.starts_with(std::string(kLedgerNamespace) + "bt/" + kind + "/")) {
      return Unmapped("business transaction " + id + " does not decode to printable text");
    }
    AddReference(e, kind, value ? *value : id);
  }
  return Status::Ok();
}

void MapEpcs(const pb::Struct& in, v1::Event* e) {
  for (const pb::Value* item : Items(in, "epcList")) {
    const std::string& epc = item->string_value();
    constexpr std::string_view kBic = "urn:epc:id:bic:";
    if (epc.starts_with(kBic)) {
      AddReference(e, "container", epc.substr(kBic.size()));
    } else if (auto container = Under(epc, "bt/container")) {
      AddReference(e, "container", *container);
    } else {
      AddDetail(e, Presentation("epc"), epc);
    }
  }
}

// sourceList / destinationList: only a hand-over's possessing parties, organisations of ours.
Status MapParties(const pb::Struct& in, const std::string& signer_org, v1::Event* e) {
  const bool has =
      FieldOf(in, "sourceList") != nullptr || FieldOf(in, "destinationList") != nullptr;
  if (!has) return Status::Ok();
  if (e->type() != T::EVENT_TYPE_HANDOVER) {
    return Unmapped("sourceList/destinationList are kept only on a hand-over (bizStep accepting)");
  }
  for (const pb::Value* item : Items(in, "sourceList")) {
    const auto org = Under(TextOf(item->struct_value(), "source"), "org");
    const std::string sdt = TextOf(item->struct_value(), "type");
    const bool possessing =
        sdt == "possessing_party" ||
        CbvUrnToWebUri(sdt) ==
            ExpandBareWord(Vocabulary::kSourceDestinationType, "possessing_party");
    if (!org || !possessing) {
      return Unmapped("source " + TextOf(item->struct_value(), "source") +
                      " is not an organisation of the network (" + std::string(kLedgerNamespace) +
                      "org/<name>)");
    }
    if (*org != signer_org) {
      return Unmapped("the hand-over is from " + *org + "; only " + *org + " can record it");
    }
  }
  for (const pb::Value* item : Items(in, "destinationList")) {
    const auto org = Under(TextOf(item->struct_value(), "destination"), "org");
    const std::string name = org ? *org : TextOf(item->struct_value(), "destination");
    return Unmapped("a hand-over needs the co-signature of its receiver (" + name +
                    "); record it with shipledger event submit --cosigner");
  }
  return Status::Ok();
}

Status MapReadings(const pb::Struct& in, v1::Event* e) {
  for (const pb::Value* element : Items(in, "sensorElementList")) {
    if (e->type() != T::EVENT_TYPE_SENSOR_READINGS) {
      return Unmapped("sensor reports are kept only on sensor readings (bizStep sensor_reporting)");
    }
    const pb::Struct& el = element->struct_value();
    const pb::Value* metadata = FieldOf(el, "sensorMetadata");
    const pb::Struct none;
    const pb::Struct& meta = metadata != nullptr ? metadata->struct_value() : none;
    const auto reports = Items(el, "sensorReport");
    if (reports.size() != 1) {
      return Unmapped("a sensor element carries " + std::to_string(reports.size()) +
                      " reports; shipledger keeps one reading per element");
    }
    const pb::Struct& r = reports[0]->struct_value();
    const std::string type = TextOf(r, "type");
    if (type != "Temperature" && type != "gs1:Temperature" &&
        type != "https://ref.gs1.org/voc/Temperature") {
      return Unmapped("sensor report type '" + type + "': shipledger keeps temperatures only");
    }
    const std::string uom = TextOf(r, "uom");
    if (uom != "CEL" && uom != "FAH") {
      return Unmapped("temperature unit '" + uom + "': CEL or FAH");
    }
    const pb::Value* value = FieldOf(r, "value");
    if (value == nullptr || !value->has_number_value()) {
      return Unmapped("a temperature report has no numeric value");
    }
    int64_t time_ms = 0;
    if (!model::ParseIsoTime(TextOf(meta, "time"), &time_ms, model::FractionMode::kRoundHalfUp)) {
      return Unmapped("a sensor element has no sensorMetadata.time");
    }
    auto* reading = e->add_readings();
    reading->set_time_ms(time_ms);
    reading->set_value_milli(static_cast<int64_t>(std::llround(value->number_value() * 1000.0)));
    reading->set_unit(uom == "FAH" ? "F" : "C");
    const std::string device = TextOf(meta, "deviceID");
    const auto ours = Under(device, "device");
    reading->set_device_id(ours ? *ours : device);
  }
  return Status::Ok();
}

template <typename M>
Status ReadMessage(const pb::Value& value, const std::string& name, M* out) {
  std::string json;
  if (!pb::util::MessageToJsonString(value, &json).ok() ||
      !pb::util::JsonStringToMessage(json, out).ok()) {
    return Unmapped(name + " is not a shipledger " + M::descriptor()->name());
  }
  return Status::Ok();
}

// Our extension fields (epcis_export.cc AddExtensions, in reverse); anything else is refused.
Status MapExtensions(const pb::Struct& in, const std::string& signer_org, v1::Event* e) {
  static const std::set<std::string, std::less<>> kStandard = {"@context",
                                                               "type",
                                                               "eventTime",
                                                               "eventTimeZoneOffset",
                                                               "eventID",
                                                               "recordTime",
                                                               "action",
                                                               "epcList",
                                                               "bizStep",
                                                               "disposition",
                                                               "readPoint",
                                                               "bizLocation",
                                                               "bizTransactionList",
                                                               "sourceList",
                                                               "destinationList",
                                                               "sensorElementList"};
  const std::string sl = std::string(kLedgerPrefix) + ":";
  bool identity = false;
  for (const auto& [key, value] : in.fields()) {
    // An errorDeclaration is said later, about the event, and is not part of its id: the
    // importer reports it (the declaration is an event of its own on the ledger).
    if (kStandard.contains(key) || key == "errorDeclaration" || key == "rdfs:comment" ||
        key == "comment") {
      continue;
    }
    if (!key.starts_with(sl)) return Unmapped("extension " + key + " has no shipledger field");
    const std::string name = key.substr(sl.size());
    if (name == "shipment") {
      e->set_shipment_id(value.string_value());
      identity = true;
    } else if (name == "recordedBy") {
      if (value.string_value() != signer_org) {
        return Unmapped("it was recorded by " + value.string_value() + ", not " + signer_org);
      }
      identity = true;
    } else if (name == "nonce") {
      auto nonce = FromHex(value.string_value());
      if (!nonce) return Unmapped("sl:nonce is not hex");
      e->set_nonce(*nonce);
      identity = true;
    } else if (name == "cosigners") {
      return Unmapped("it needs the co-signatures of other organisations");
    } else if (name == "details") {
      for (const auto& [k, v] : value.struct_value().fields()) {
        if (v.has_list_value()) {
          for (const auto& item : v.list_value().values()) AddDetail(e, k, item.string_value());
        } else {
          AddDetail(e, k, v.string_value());
        }
      }
    } else if (name == "documents") {
      for (const auto& doc : value.list_value().values()) {
        const auto hash = FromHex(TextOf(doc.struct_value(), sl + "sha256"));
        if (!hash) return Unmapped("a document's sl:sha256 is not hex");
        auto* d = e->add_documents();
        d->set_kind(TextOf(doc.struct_value(), sl + "kind"));
        d->set_sha256(*hash);
      }
    } else if (name == "parties") {
      for (const auto& p : value.list_value().values()) e->add_parties(p.string_value());
    } else if (name == "trackingHash") {
      auto hash = FromHex(value.string_value());
      if (!hash) return Unmapped("sl:trackingHash is not hex");
      e->set_tracking_hash(*hash);
    } else if (name == "booking") {
      SL_RETURN_IF_ERROR(ReadMessage(value, key, e->mutable_booking()));
    } else if (name == "returnRequest") {
      SL_RETURN_IF_ERROR(ReadMessage(value, key, e->mutable_return_request()));
    } else if (name == "privateFields") {
      return Unmapped("its private fields cannot be sealed again from an export");
    } else {
      return Unmapped("extension " + key + " has no shipledger field");
    }
  }
  if (!identity) AddDetail(e, Presentation("origin"), "import");
  return Status::Ok();
}

// The first place two pre-hash strings differ, shown with a little context.
std::string FirstDifference(const std::string& a, const std::string& b) {
  size_t i = 0;
  while (i < a.size() && i < b.size() && a[i] == b[i]) ++i;
  const size_t from = i > 20 ? i - 20 : 0;
  return "given …" + a.substr(from, 100) + "…, would export …" + b.substr(from, 100) + "…";
}

}  // namespace

std::string ImportNonce(std::string_view signer_org, std::string_view shipment_id,
                        std::string_view source_id) {
  Bytes prefix;
  PutLengthPrefixed(&prefix, signer_org);
  PutLengthPrefixed(&prefix, shipment_id);
  return crypto::Sha256({kImportNonceDomain, prefix, source_id}).substr(0, 16);
}

Result<std::vector<const pb::Struct*>> EpcisEventsOf(const pb::Struct& doc) {
  std::vector<const pb::Struct*> out;
  const std::string kind = TextOf(doc, "type");
  if (kind != "EPCISDocument" && kind != "EPCISQueryDocument") {
    out.push_back(&doc);  // a single event: EventPreHash says whether it is one
    return out;
  }
  const pb::Value* body = FieldOf(doc, "epcisBody");
  const pb::Value* list = nullptr;
  if (body != nullptr && body->has_struct_value()) {
    list = FieldOf(body->struct_value(), "eventList");
    const pb::Value* results = FieldOf(body->struct_value(), "queryResults");
    if (list == nullptr && results != nullptr && results->has_struct_value()) {
      const pb::Value* results_body = FieldOf(results->struct_value(), "resultsBody");
      if (results_body != nullptr && results_body->has_struct_value()) {
        list = FieldOf(results_body->struct_value(), "eventList");
      }
    }
  }
  if (list == nullptr || !list->has_list_value()) {
    return Status::InvalidArgument(
        "the " + kind + " has no epcisBody" +
        (kind == "EPCISDocument" ? ".eventList" : ".queryResults.resultsBody.eventList") + " list");
  }
  for (int i = 0; i < list->list_value().values_size(); ++i) {
    const pb::Value& v = list->list_value().values(i);
    if (!v.has_struct_value()) {
      return Status::InvalidArgument("event " + std::to_string(i + 1) + " is not a JSON object");
    }
    out.push_back(&v.struct_value());
  }
  return out;
}

Result<v1::Event> LedgerEventOfEpcis(const pb::Struct& in, const Namespaces& namespaces,
                                     const std::string& signer_org) {
  (void)namespaces;
  const std::string type = TextOf(in, "type");
  if (type != "ObjectEvent" && type != "TransactionEvent") {
    return Unmapped(type.empty() ? "it has no type"
                                 : type +
                                       " has no shipledger event type (ObjectEvent and "
                                       "TransactionEvent do)");
  }
  const std::string biz_step = TextOf(in, "bizStep");
  const TypeMapping* mapping = MappingOfBizStep(biz_step);
  if (mapping == nullptr) {
    return Unmapped(biz_step.empty() ? "it has no bizStep"
                                     : "bizStep " + biz_step + " maps to no shipledger event type");
  }
  v1::Event e;
  e.set_type(mapping->type);
  e.set_signer_org(signer_org);
  int64_t occurred = 0;
  if (!model::ParseIsoTime(TextOf(in, "eventTime"), &occurred, model::FractionMode::kRoundHalfUp) ||
      occurred <= 0) {
    return Unmapped("eventTime '" + TextOf(in, "eventTime") + "' is not a time after 1970");
  }
  e.set_occurred_at_ms(occurred);
  // EPCIS requires both; without them the event could not be exported as it came.
  const std::string offset = TextOf(in, "eventTimeZoneOffset");
  if (!IsTimeZoneOffset(offset)) {
    return Unmapped("eventTimeZoneOffset '" + offset + "' is not ±hh:mm");
  }
  if (offset != "+00:00") AddDetail(&e, Presentation("eventTimeZoneOffset"), offset);
  const bool booking = mapping->type == T::EVENT_TYPE_BOOKED;
  const std::string action = TextOf(in, "action");
  if (action != "OBSERVE" && action != "ADD" && action != "DELETE") {
    return Unmapped("action '" + action + "' is not OBSERVE, ADD or DELETE");
  }
  if (action != (booking ? "ADD" : "OBSERVE")) AddDetail(&e, Presentation("action"), action);
  const std::string disposition = TextOf(in, "disposition");
  if (disposition != mapping->disposition) {
    AddDetail(&e, Presentation("disposition"), disposition);
  }
  if (const pb::Value* point = FieldOf(in, "readPoint"); point != nullptr) {
    const std::string id = TextOf(point->struct_value(), "id");
    const auto code = Under(id, "unlocode");
    if (code && model::IsUnLocode(*code)) {
      e.set_location(*code);
    } else {
      AddDetail(&e, Presentation("readPoint"), id);
    }
  }
  if (const pb::Value* where = FieldOf(in, "bizLocation"); where != nullptr) {
    AddDetail(&e, Presentation("bizLocation"), TextOf(where->struct_value(), "id"));
  }
  MapEpcs(in, &e);
  SL_RETURN_IF_ERROR(MapTransactions(in, &e));
  SL_RETURN_IF_ERROR(MapParties(in, signer_org, &e));
  SL_RETURN_IF_ERROR(MapReadings(in, &e));
  SL_RETURN_IF_ERROR(MapExtensions(in, signer_org, &e));
  // The EPCIS event type is the export's choice (a TransactionEvent for a booking naming EPCs
  // and business transactions) unless the event says otherwise.
  if (auto exported = EpcisEventOf(e, nullptr);
      exported.ok() && TextOf(*exported, "type") != type) {
    AddDetail(&e, Presentation("type"), type);
  }
  return e;
}

Status CheckRoundTrip(const v1::Event& event, const pb::Struct& original,
                      const Namespaces& namespaces, const v1::ColdChainTerms* cold_chain) {
  SL_ASSIGN_OR_RETURN(const std::string given, EventPreHash(original, namespaces));
  SL_ASSIGN_OR_RETURN(const pb::Struct exported, EpcisEventOf(event, cold_chain));
  SL_ASSIGN_OR_RETURN(const std::string again, EventPreHash(exported, ExportNamespaces()));
  if (given == again) return Status::Ok();
  return Unmapped("it would not keep its event hash ID: " + FirstDifference(given, again));
}

}  // namespace shipledger::interop
