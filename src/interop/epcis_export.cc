#include "interop/epcis_export.h"

#include <google/protobuf/util/json_util.h>

#include <ctime>
#include <regex>
#include <set>

#include "contracts/cold_chain.h"
#include "interop/cbv.h"
#include "interop/ledger_types.h"
#include "model/enum_names.h"
#include "shipledger/bytes.h"

namespace shipledger::interop {

namespace {

namespace pb = google::protobuf;
using T = v1::EventType;

pb::Value Str(std::string_view s) {
  pb::Value v;
  v.set_string_value(std::string(s));
  return v;
}

pb::Value Num(double d) {
  pb::Value v;
  v.set_number_value(d);
  return v;
}

pb::Value Obj(pb::Struct s) {
  pb::Value v;
  *v.mutable_struct_value() = std::move(s);
  return v;
}

pb::Value List(std::vector<pb::Value> items) {
  pb::Value v;
  auto* list = v.mutable_list_value();
  for (auto& item : items) *list->add_values() = std::move(item);
  return v;
}

void Put(pb::Struct* s, const std::string& key, pb::Value v) {
  (*s->mutable_fields())[key] = std::move(v);
}

std::string Sl(std::string_view local) {
  return std::string(kLedgerPrefix) + ":" + std::string(local);
}

// ISO 6346 container numbers (4 letters ending in U, J or Z, 7 digits) are BIC codes, named by
// an EPC URN; other container references get our URI.
bool IsBicCode(std::string_view v) {
  static const std::regex kBic("^[A-Z]{3}[UJZ][0-9]{7}$");
  return std::regex_match(v.begin(), v.end(), kBic);
}

std::string ContainerEpc(std::string_view value) {
  return IsBicCode(value) ? "urn:epc:id:bic:" + std::string(value)
                          : ReferenceUri("container", value);
}

// The CBV business transaction type of a reference kind, or our URI.
std::string BizTransactionType(std::string_view kind) {
  if (kind == "bill_of_lading") return "bol";
  if (kind == "purchase_order") return "po";
  if (kind == "invoice") return "inv";
  return std::string(kLedgerNamespace) + "BTT-" + std::string(kind);
}

// A proto message as a JSON object (field names as in the .proto), for payloads that have no
// EPCIS field of their own.
pb::Value MessageValue(const pb::Message& message) {
  std::string json;
  pb::util::JsonPrintOptions options;
  options.preserve_proto_field_names = true;
  pb::Value out;
  if (!pb::util::MessageToJsonString(message, &json, options).ok() ||
      !pb::util::JsonStringToMessage(json, &out).ok()) {
    return Str("");
  }
  return out;
}

struct Overrides {
  std::map<std::string, std::string, std::less<>> single;
  std::vector<std::string> epcs;
  std::vector<std::pair<std::string, std::string>> transactions;  // (type, bizTransaction)
  bool imported = false;
  std::set<int> honoured;  // indexes of the details used here (the rest are sl:details)
};

// Whether a presentation detail is well formed, so that the EPCIS form it gives is valid and
// says nothing the ledger fields contradict (a read point only where the event has no
// location). One that is not is an ordinary detail: kept, in sl:details, and given no meaning.
bool Honoured(std::string_view name, const std::string& value, const v1::Event& event) {
  if (name == "type") return value == "ObjectEvent" || value == "TransactionEvent";
  if (name == "action") return value == "OBSERVE" || value == "ADD" || value == "DELETE";
  if (name == "eventTimeZoneOffset") return IsTimeZoneOffset(value);
  if (name == "disposition") {
    return value.empty() || IsBareWord(Vocabulary::kDisposition, value) || IsAbsoluteUri(value);
  }
  if (name == "readPoint") return event.location().empty() && IsAbsoluteUri(value);
  if (name == "bizLocation" || name == "epc") return IsAbsoluteUri(value);
  if (name == "origin") return value == "import";
  if (name == "bizTransaction") {
    const size_t space = value.find(' ');
    if (space == std::string::npos) return false;
    const std::string type = value.substr(0, space);
    return (IsBareWord(Vocabulary::kBizTransactionType, type) || IsAbsoluteUri(type)) &&
           IsAbsoluteUri(std::string_view(value).substr(space + 1));
  }
  return false;
}

Overrides OverridesOf(const v1::Event& event) {
  Overrides o;
  for (int i = 0; i < event.details_size(); ++i) {
    const auto& d = event.details(i);
    if (!d.key().starts_with(kEpcisDetailPrefix)) continue;
    const std::string_view name = std::string_view(d.key()).substr(kEpcisDetailPrefix.size());
    if (!Honoured(name, d.value(), event)) continue;
    if (name == "epc") {
      o.epcs.push_back(d.value());
    } else if (name == "bizTransaction") {
      const size_t space = d.value().find(' ');
      o.transactions.emplace_back(d.value().substr(0, space), d.value().substr(space + 1));
    } else if (name == "origin") {
      o.imported = true;
    } else if (!o.single.emplace(std::string(name), d.value()).second) {
      continue;  // a second value of a single field: an ordinary detail
    }
    o.honoured.insert(i);
  }
  return o;
}

const std::string* Override(const Overrides& o, std::string_view name) {
  const auto it = o.single.find(name);
  return it == o.single.end() ? nullptr : &it->second;
}

pb::Value SensorElements(const v1::Event& event, const v1::ColdChainTerms* cold_chain) {
  std::vector<pb::Value> elements;
  for (const auto& r : event.readings()) {
    pb::Struct metadata;
    Put(&metadata, "time", Str(EpcisTime(r.time_ms())));
    if (!r.device_id().empty()) Put(&metadata, "deviceID", Str(DeviceUri(r.device_id())));
    pb::Struct report;
    Put(&report, "type", Str("Temperature"));
    Put(&report, "value", Num(static_cast<double>(r.value_milli()) / 1000.0));
    Put(&report, "uom", Str(r.unit() == "F" ? "FAH" : "CEL"));
    if (cold_chain != nullptr && contracts::OutOfRange(*cold_chain, contracts::ReadingMilliC(r))) {
      Put(&report, "exception", Str("ALARM_CONDITION"));
    }
    pb::Struct element;
    Put(&element, "sensorMetadata", Obj(std::move(metadata)));
    Put(&element, "sensorReport", List({Obj(std::move(report))}));
    elements.push_back(Obj(std::move(element)));
  }
  return List(std::move(elements));
}

// The event's own details, without the EPCIS presentation ones honoured: {key: value}, a
// repeated key as a list of its values in order.
pb::Struct DetailsOf(const v1::Event& event, const Overrides& o) {
  pb::Struct out;
  for (int i = 0; i < event.details_size(); ++i) {
    const auto& d = event.details(i);
    if (o.honoured.contains(i)) continue;
    auto& slot = (*out.mutable_fields())[d.key()];
    if (slot.kind_case() == pb::Value::KIND_NOT_SET) {
      slot = Str(d.value());
    } else {
      if (!slot.has_list_value()) slot = List({slot});
      *slot.mutable_list_value()->add_values() = Str(d.value());
    }
  }
  return out;
}

// The ledger's own extension fields of an event (those EPCIS has no field for).
void AddExtensions(const v1::Event& event, const Overrides& o, pb::Struct* out) {
  if (!o.imported) {
    Put(out, Sl("shipment"), Str(event.shipment_id()));
    Put(out, Sl("recordedBy"), Str(event.signer_org()));
    Put(out, Sl("nonce"), Str(ToHex((event.nonce()))));
    if (event.cosigner_orgs_size() > 0) {
      std::vector<pb::Value> orgs;
      for (const auto& org : event.cosigner_orgs()) orgs.push_back(Str(org));
      Put(out, Sl("cosigners"), List(std::move(orgs)));
    }
  }
  pb::Struct details = DetailsOf(event, o);
  if (!details.fields().empty()) Put(out, Sl("details"), Obj(std::move(details)));
  if (event.documents_size() > 0) {
    std::vector<pb::Value> docs;
    for (const auto& d : event.documents()) {
      pb::Struct doc;
      Put(&doc, Sl("kind"), Str(d.kind()));
      Put(&doc, Sl("sha256"), Str(ToHex((d.sha256()))));
      docs.push_back(Obj(std::move(doc)));
    }
    Put(out, Sl("documents"), List(std::move(docs)));
  }
  if (event.parties_size() > 0) {
    std::vector<pb::Value> parties;
    for (const auto& p : event.parties()) parties.push_back(Str(p));
    Put(out, Sl("parties"), List(std::move(parties)));
  }
  if (!event.tracking_hash().empty()) {
    Put(out, Sl("trackingHash"), Str(ToHex((event.tracking_hash()))));
  }
  if (event.has_booking()) Put(out, Sl("booking"), MessageValue(event.booking()));
  if (event.has_return_request()) {
    Put(out, Sl("returnRequest"), MessageValue(event.return_request()));
  }
  if (event.has_private_envelope()) {
    std::vector<pb::Value> names;
    for (const auto& f : event.private_envelope().fields()) names.push_back(Str(f.name()));
    Put(out, Sl("privateFields"), List(std::move(names)));
  }
}

}  // namespace

bool IsTimeZoneOffset(std::string_view text) {
  static const std::regex kOffset("^[+-]((0[0-9]|1[0-3]):[0-5][0-9]|14:00)$");
  return std::regex_match(text.begin(), text.end(), kOffset);
}

Namespaces ExportNamespaces() { return NamespacesOf(ExportContext()); }

pb::Value ExportContext() {
  pb::Struct sl;
  Put(&sl, std::string(kLedgerPrefix), Str(kLedgerNamespace));
  return List({Str(kEpcisContext), Obj(std::move(sl))});
}

Result<pb::Struct> EpcisEventOf(const v1::Event& event, const v1::ColdChainTerms* cold_chain) {
  const TypeMapping* mapping = MappingOf(event.type());
  if (mapping == nullptr) return Status::FailedPrecondition(WhyNoEpcisForm(event.type()));
  const Overrides o = OverridesOf(event);
  pb::Struct out;

  std::vector<pb::Value> epcs;
  std::vector<pb::Value> transactions;
  for (const auto& r : event.references()) {
    if (r.kind() == "container") {
      epcs.push_back(Str(ContainerEpc(r.value())));
      continue;
    }
    pb::Struct bt;
    Put(&bt, "type", Str(BizTransactionType(r.kind())));
    Put(&bt, "bizTransaction", Str(ReferenceUri(r.kind(), r.value())));
    transactions.push_back(Obj(std::move(bt)));
  }
  for (const auto& epc : o.epcs) epcs.push_back(Str(epc));
  for (const auto& [bt_type, id] : o.transactions) {
    pb::Struct bt;
    Put(&bt, "type", Str(bt_type));
    Put(&bt, "bizTransaction", Str(id));
    transactions.push_back(Obj(std::move(bt)));
  }

  const bool booking = event.type() == T::EVENT_TYPE_BOOKED;
  // A TransactionEvent needs both an EPC and a business transaction (the EPCIS schema).
  const bool can_be_transaction = !epcs.empty() && !transactions.empty();
  std::string type = booking && can_be_transaction ? "TransactionEvent" : "ObjectEvent";
  if (const auto* t = Override(o, "type");
      t != nullptr && (can_be_transaction || *t == "ObjectEvent")) {
    type = *t;
  }
  Put(&out, "type", Str(type));
  Put(&out, "eventTime", Str(EpcisTime(event.occurred_at_ms())));
  const auto* offset = Override(o, "eventTimeZoneOffset");
  Put(&out, "eventTimeZoneOffset", Str(offset != nullptr ? *offset : "+00:00"));
  const auto* action = Override(o, "action");
  Put(&out, "action", Str(action != nullptr ? *action : booking ? "ADD" : "OBSERVE"));
  Put(&out, "epcList", List(std::move(epcs)));
  Put(&out, "bizStep", Str(BizStepOf(*mapping)));
  const auto* disposition = Override(o, "disposition");
  const std::string disp =
      disposition != nullptr ? *disposition : std::string(mapping->disposition);
  if (!disp.empty()) Put(&out, "disposition", Str(disp));
  const auto* read_point = Override(o, "readPoint");
  const std::string point = read_point != nullptr      ? *read_point
                            : event.location().empty() ? ""
                                                       : LocationUri(event.location());
  if (!point.empty()) {
    pb::Struct id;
    Put(&id, "id", Str(point));
    Put(&out, "readPoint", Obj(std::move(id)));
  }
  if (const auto* biz_location = Override(o, "bizLocation"); biz_location != nullptr) {
    pb::Struct id;
    Put(&id, "id", Str(*biz_location));
    Put(&out, "bizLocation", Obj(std::move(id)));
  }
  if (!transactions.empty()) Put(&out, "bizTransactionList", List(std::move(transactions)));
  if (event.type() == T::EVENT_TYPE_HANDOVER) {
    pb::Struct source;
    Put(&source, "type", Str("possessing_party"));
    Put(&source, "source", Str(OrgUri(event.signer_org())));
    Put(&out, "sourceList", List({Obj(std::move(source))}));
    std::vector<pb::Value> destinations;
    for (const auto& org : event.cosigner_orgs()) {
      pb::Struct destination;
      Put(&destination, "type", Str("possessing_party"));
      Put(&destination, "destination", Str(OrgUri(org)));
      destinations.push_back(Obj(std::move(destination)));
    }
    if (!destinations.empty()) Put(&out, "destinationList", List(std::move(destinations)));
  }
  if (event.readings_size() > 0) {
    Put(&out, "sensorElementList", SensorElements(event, cold_chain));
  }
  AddExtensions(event, o, &out);
  return out;
}

pb::Struct ErrorDeclarationOf(
    const v1::Event& declaration,
    const std::function<std::optional<std::string>(const std::string&)>& hash_id_of) {
  const auto& d = declaration.error_declaration();
  pb::Struct out;
  Put(&out, "declarationTime", Str(EpcisTime(declaration.occurred_at_ms())));
  if (d.reason() == "did_not_occur" || d.reason() == "incorrect_data" ||
      IsAbsoluteUri(d.reason())) {
    Put(&out, "reason", Str(d.reason()));
  } else if (!d.reason().empty()) {
    Put(&out, Sl("reason"), Str(d.reason()));
  }
  std::vector<pb::Value> corrective;
  for (const auto& id : d.corrective_event_ids()) {
    if (auto hash_id = hash_id_of(id)) corrective.push_back(Str(*hash_id));
  }
  if (!corrective.empty()) Put(&out, "correctiveEventIDs", List(std::move(corrective)));
  return out;
}

v1::ExportOmission OmissionProto(const Omission& omission) {
  v1::ExportOmission out;
  out.set_event_id(omission.ledger_event_id);
  out.set_height(omission.height);
  out.set_index(omission.index);
  out.set_type(omission.type);
  out.set_why(omission.why);
  return out;
}

Result<EpcisExport> ExportEpcis(const v1::GetShipmentResponse& shipment,
                                const EpcisExportOptions& options) {
  const Namespaces ns = ExportNamespaces();
  const v1::ColdChainTerms* cold_chain =
      shipment.state().has_cold_chain() ? &shipment.state().cold_chain() : nullptr;
  EpcisExport out;
  std::vector<pb::Struct> events;
  std::vector<pb::Value> records;
  std::vector<pb::Value> omitted;
  std::map<std::string, size_t> by_ledger_id;  // ledger event id -> index in `events`
  std::vector<const v1::TimelineEntry*> declarations;
  std::map<std::string, std::string> first_of_id;  // event hash ID -> where it was first

  auto omit = [&](const v1::TimelineEntry& entry, const std::string& why) {
    pb::Struct o;
    Put(&o, Sl("ledgerEventID"), Str(ToHex((entry.event_id()))));
    Put(&o, Sl("height"), Num(static_cast<double>(entry.height())));
    Put(&o, Sl("index"), Num(entry.index()));
    Put(&o, Sl("type"), Str(model::EventTypeName(entry.event().type())));
    Put(&o, Sl("why"), Str(why));
    omitted.push_back(Obj(std::move(o)));
    out.omitted.push_back(
        {entry.event_id(), entry.height(), entry.index(), entry.event().type(), why});
  };

  for (const auto& entry : shipment.timeline()) {
    if (entry.receipt().code() != v1::RESULT_CODE_VALID) {
      omit(entry, "its receipt is " +
                      model::EnumLabel(v1::ResultCode_descriptor(), entry.receipt().code()) +
                      (entry.receipt().reason().empty() ? "" : ": " + entry.receipt().reason()));
      continue;
    }
    if (entry.event().type() == T::EVENT_TYPE_ERROR_DECLARATION) declarations.push_back(&entry);
    auto event = EpcisEventOf(entry.event(), cold_chain);
    if (!event.ok()) {
      if (event.status().code() != Code::kFailedPrecondition) return event.status();
      omit(entry, event.status().message());
      continue;
    }
    auto id = EventHashId(*event, ns);
    if (!id.ok()) {
      omit(entry, "its EPCIS form does not hash: " + id.status().message());
      continue;
    }
    // The same EPCIS event recorded twice (the same content, e.g. imported twice) is one event
    // to an EPCIS reader: the first is exported, a later one is listed.
    if (const auto first = first_of_id.find(*id); first != first_of_id.end()) {
      omit(entry, "the same EPCIS event (" + *id + ") as the ledger event at " + first->second);
      continue;
    }
    first_of_id.emplace(
        *id, "height " + std::to_string(entry.height()) + " #" + std::to_string(entry.index()));
    Put(&*event, "eventID", Str(*id));
    Put(&*event, "recordTime", Str(EpcisTime(entry.block_time_ms())));
    by_ledger_id[entry.event_id()] = events.size();
    events.push_back(std::move(*event));

    pb::Struct record;
    Put(&record, Sl("eventID"), Str(*id));
    Put(&record, Sl("ledgerEventID"), Str(ToHex((entry.event_id()))));
    Put(&record, Sl("height"), Num(static_cast<double>(entry.height())));
    Put(&record, Sl("index"), Num(entry.index()));
    Put(&record, Sl("blockTime"), Str(EpcisTime(entry.block_time_ms())));
    Put(&record, Sl("type"), Str(model::EventTypeName(entry.event().type())));
    Put(&record, Sl("recordedBy"), Str(entry.event().signer_org()));
    std::vector<pb::Value> cosigned;
    for (const auto& org : entry.cosigner_orgs()) cosigned.push_back(Str(org));
    Put(&record, Sl("cosignedBy"), List(std::move(cosigned)));
    Put(&record, Sl("result"), Str("VALID"));
    if (entry.event().has_private_envelope()) {
      const auto opened = options.private_values.find(entry.event_id());
      std::vector<pb::Value> fields;
      for (const auto& f : entry.event().private_envelope().fields()) {
        pb::Struct field;
        Put(&field, Sl("name"), Str(f.name()));
        bool found = false;
        if (opened != options.private_values.end()) {
          for (const auto& [name, value] : opened->second) {
            if (name != f.name()) continue;
            Put(&field, Sl("value"), Str(value));
            found = true;
          }
        }
        if (!found) (*field.mutable_fields())[Sl("encrypted")].set_bool_value(true);
        fields.push_back(Obj(std::move(field)));
      }
      Put(&record, Sl("privateFields"), List(std::move(fields)));
    }
    records.push_back(Obj(std::move(record)));
  }

  for (const v1::TimelineEntry* entry : declarations) {
    const auto target = by_ledger_id.find(entry->event().error_declaration().event_id());
    if (target == by_ledger_id.end()) continue;
    Put(&events[target->second], "errorDeclaration",
        Obj(ErrorDeclarationOf(entry->event(), [&](const std::string& ledger_id) {
          const auto c = by_ledger_id.find(ledger_id);
          return c == by_ledger_id.end()
                     ? std::optional<std::string>()
                     : std::optional<std::string>(
                           events[c->second].fields().at("eventID").string_value());
        })));
  }

  pb::Struct ledger;
  Put(&ledger, Sl("chainID"),
      Str(shipment.timeline_size() > 0 ? shipment.timeline(0).event().chain_id() : std::string()));
  Put(&ledger, Sl("shipmentID"), Str(shipment.state().shipment_id()));
  Put(&ledger, Sl("records"), List(std::move(records)));
  Put(&ledger, Sl("omitted"), List(std::move(omitted)));
  pb::Struct header;
  Put(&header, Sl("ledger"), Obj(std::move(ledger)));

  std::vector<pb::Value> list;
  for (auto& e : events) list.push_back(Obj(std::move(e)));
  out.events = static_cast<int>(list.size());
  pb::Struct body;
  Put(&body, "eventList", List(std::move(list)));
  Put(&out.document, "@context", ExportContext());
  Put(&out.document, "type", Str("EPCISDocument"));
  Put(&out.document, "schemaVersion", Str("2.0"));
  Put(&out.document, "creationDate", Str(EpcisTime(options.creation_time_ms)));
  Put(&out.document, "epcisHeader", Obj(std::move(header)));
  Put(&out.document, "epcisBody", Obj(std::move(body)));
  return out;
}

}  // namespace shipledger::interop
