// Ledger events as an EPCIS 2.0 document (interop/epcis_export.h). The rules checked here are
// those of GS1's EPCIS 2.0 JSON schema and CBV 2.0 that our output depends on, in our words
// (docs/interop.md lists them); scripts/validate-interop.sh validates the same documents
// against the schema files themselves.
#include "interop/epcis_export.h"

#include <google/protobuf/util/json_util.h>
#include <gtest/gtest.h>

#include <cstdlib>
#include <fstream>
#include <regex>
#include <set>

#include "interop/cbv.h"
#include "interop/epcis_import.h"
#include "interop/ledger_types.h"
#include "shipledger/bytes.h"
#include "testing/ledger_samples.h"

namespace shipledger::interop {
namespace {

namespace pb = google::protobuf;
using testing::SampleJourney;

const pb::Value* Get(const pb::Struct& s, const std::string& key) {
  const auto it = s.fields().find(key);
  return it == s.fields().end() ? nullptr : &it->second;
}

std::string GetString(const pb::Struct& s, const std::string& key) {
  const pb::Value* v = Get(s, key);
  return v != nullptr && v->has_string_value() ? v->string_value() : "";
}

std::vector<const pb::Struct*> EventsOf(const pb::Struct& document) {
  auto events = EpcisEventsOf(document);
  EXPECT_TRUE(events.ok()) << events.status().ToString();
  return events.ok() ? *events : std::vector<const pb::Struct*>{};
}

EpcisExport Export(const v1::GetShipmentResponse& shipment,
                   const EpcisExportOptions& options = {.creation_time_ms = testing::kT0,
                                                        .private_values = {}}) {
  auto out = ExportEpcis(shipment, options);
  EXPECT_TRUE(out.ok()) << out.status().ToString();
  return out.ok() ? *out : EpcisExport{};
}

// For scripts/validate-interop.sh: writes `document` as NAME into $SHIPLEDGER_INTEROP_DUMP, to
// be validated against the standard's schema.
void Dump(const pb::Message& document, const std::string& name) {
  const char* dir = std::getenv("SHIPLEDGER_INTEROP_DUMP");
  if (dir == nullptr) return;
  std::string json;
  ASSERT_TRUE(pb::util::MessageToJsonString(document, &json).ok());
  std::ofstream(std::string(dir) + "/" + name) << json;
}

// The event whose sl:ledger record has this ledger event id.
const pb::Struct* EventOfLedgerId(const pb::Struct& document, const std::string& ledger_id) {
  const auto& ledger = Get(Get(document, "epcisHeader")->struct_value(), "sl:ledger");
  std::string event_id;
  for (const auto& r : Get(ledger->struct_value(), "sl:records")->list_value().values()) {
    if (GetString(r.struct_value(), "sl:ledgerEventID") == ToHex(ledger_id)) {
      event_id = GetString(r.struct_value(), "sl:eventID");
    }
  }
  for (const pb::Struct* e : EventsOf(document)) {
    if (GetString(*e, "eventID") == event_id) return e;
  }
  return nullptr;
}

TEST(EpcisExport, EveryValidEventOfAMappedTypeIsExportedAndTheRestListed) {
  const auto shipment = SampleJourney();
  int mapped = 0;
  std::set<v1::EventType> types;
  for (const auto& entry : shipment.timeline()) {
    if (entry.receipt().code() == v1::RESULT_CODE_VALID && MappingOf(entry.event().type())) {
      ++mapped;
      types.insert(entry.event().type());
    }
  }
  EXPECT_EQ(types.size(), TypeMappings().size()) << "the sample has every mapped type";
  const EpcisExport out = Export(shipment);
  EXPECT_EQ(out.events, mapped);
  EXPECT_EQ(static_cast<int>(out.omitted.size()), shipment.timeline_size() - mapped);
  EXPECT_EQ(EventsOf(out.document).size(), static_cast<size_t>(mapped));
  const auto& ledger = Get(Get(out.document, "epcisHeader")->struct_value(), "sl:ledger");
  const auto& omitted = Get(ledger->struct_value(), "sl:omitted")->list_value();
  ASSERT_EQ(omitted.values_size(), 3);
  EXPECT_EQ(GetString(omitted.values(0).struct_value(), "sl:type"), "error_declaration");
  EXPECT_EQ(GetString(omitted.values(1).struct_value(), "sl:type"), "party_added");
  EXPECT_NE(GetString(omitted.values(2).struct_value(), "sl:why").find("REJECTED: only the"),
            std::string::npos);
  EXPECT_EQ(GetString(ledger->struct_value(), "sl:shipmentID"), "SHP-2026-0042");
}

// The rules of the EPCIS 2.0 JSON schema our documents depend on.
TEST(EpcisExport, DocumentsFollowTheEpcisSchemaRules) {
  const EpcisExport out = Export(SampleJourney());
  const pb::Struct& doc = out.document;
  Dump(doc, "epcis.json");
  // EPCISDocument: @context, schemaVersion (a string), creationDate and epcisBody.eventList.
  EXPECT_EQ(GetString(doc, "type"), "EPCISDocument");
  EXPECT_EQ(GetString(doc, "schemaVersion"), "2.0");
  const std::regex time(R"(^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$)");
  EXPECT_TRUE(std::regex_match(GetString(doc, "creationDate"), time));
  const auto& context = Get(doc, "@context")->list_value();
  ASSERT_EQ(context.values_size(), 2);
  EXPECT_EQ(context.values(0).string_value(), kEpcisContext);
  EXPECT_EQ(GetString(context.values(1).struct_value(), "sl"), kLedgerNamespace);
  EXPECT_TRUE(std::string(kLedgerNamespace).ends_with("/"));

  const std::regex offset(R"(^([+]|[-])((0[0-9]|1[0-3]):([0-5][0-9])|14:00)$)");
  const std::set<std::string> standard = {"type",
                                          "eventTime",
                                          "eventTimeZoneOffset",
                                          "eventID",
                                          "recordTime",
                                          "errorDeclaration",
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
  auto vocabulary_or_uri = [](Vocabulary vocabulary, const std::string& value) {
    return IsBareWord(vocabulary, value) || IsAbsoluteUri(value);
  };
  for (const pb::Struct* e : EventsOf(doc)) {
    const std::string type = GetString(*e, "type");
    SCOPED_TRACE(type + " " + GetString(*e, "bizStep"));
    EXPECT_TRUE(type == "ObjectEvent" || type == "TransactionEvent");
    EXPECT_TRUE(std::regex_match(GetString(*e, "eventTime"), time));
    EXPECT_TRUE(std::regex_match(GetString(*e, "recordTime"), time));
    EXPECT_TRUE(std::regex_match(GetString(*e, "eventTimeZoneOffset"), offset));
    EXPECT_TRUE(GetString(*e, "eventID").starts_with("ni:///sha-256;"));
    const std::string action = GetString(*e, "action");
    EXPECT_TRUE(action == "OBSERVE" || action == "ADD" || action == "DELETE");
    // Property names: the standard ones, or CURIEs of a declared prefix.
    for (const auto& [key, value] : e->fields()) {
      EXPECT_TRUE(standard.contains(key) || key.starts_with("sl:")) << key;
    }
    // ObjectEvent: epcList present (may be empty); TransactionEvent: both lists non-empty.
    ASSERT_NE(Get(*e, "epcList"), nullptr);
    if (type == "TransactionEvent") {
      EXPECT_GT(Get(*e, "epcList")->list_value().values_size(), 0);
      ASSERT_NE(Get(*e, "bizTransactionList"), nullptr);
      EXPECT_GT(Get(*e, "bizTransactionList")->list_value().values_size(), 0);
    }
    for (const auto& epc : Get(*e, "epcList")->list_value().values()) {
      EXPECT_TRUE(IsAbsoluteUri(epc.string_value())) << epc.string_value();
    }
    EXPECT_TRUE(vocabulary_or_uri(Vocabulary::kBizStep, GetString(*e, "bizStep")));
    if (Get(*e, "disposition")) {
      EXPECT_TRUE(vocabulary_or_uri(Vocabulary::kDisposition, GetString(*e, "disposition")));
    }
    if (const pb::Value* point = Get(*e, "readPoint")) {
      EXPECT_TRUE(IsAbsoluteUri(GetString(point->struct_value(), "id")));
    }
    if (const pb::Value* list = Get(*e, "bizTransactionList")) {
      for (const auto& bt : list->list_value().values()) {
        EXPECT_TRUE(IsAbsoluteUri(GetString(bt.struct_value(), "bizTransaction")));
        EXPECT_TRUE(vocabulary_or_uri(Vocabulary::kBizTransactionType,
                                      GetString(bt.struct_value(), "type")));
      }
    }
    for (const char* list_name : {"sourceList", "destinationList"}) {
      const pb::Value* list = Get(*e, list_name);
      if (list == nullptr) continue;
      const std::string member = list_name == std::string("sourceList") ? "source" : "destination";
      for (const auto& item : list->list_value().values()) {
        // Exactly {type, source|destination}: the schema allows no other member.
        EXPECT_EQ(item.struct_value().fields_size(), 2);
        EXPECT_TRUE(vocabulary_or_uri(Vocabulary::kSourceDestinationType,
                                      GetString(item.struct_value(), "type")));
        EXPECT_TRUE(IsAbsoluteUri(GetString(item.struct_value(), member)));
      }
    }
    if (const pb::Value* sensors = Get(*e, "sensorElementList")) {
      for (const auto& element : sensors->list_value().values()) {
        const pb::Value* reports = Get(element.struct_value(), "sensorReport");
        ASSERT_NE(reports, nullptr);
        for (const auto& report : reports->list_value().values()) {
          EXPECT_TRUE(
              IsBareWord(Vocabulary::kMeasurement, GetString(report.struct_value(), "type")));
          EXPECT_TRUE(Get(report.struct_value(), "value")->has_number_value());
          if (Get(report.struct_value(), "exception")) {
            EXPECT_EQ(GetString(report.struct_value(), "exception"), "ALARM_CONDITION");
          }
        }
        const pb::Value* metadata = Get(element.struct_value(), "sensorMetadata");
        ASSERT_NE(metadata, nullptr);
        EXPECT_TRUE(std::regex_match(GetString(metadata->struct_value(), "time"), time));
        if (Get(metadata->struct_value(), "deviceID")) {
          EXPECT_TRUE(IsAbsoluteUri(GetString(metadata->struct_value(), "deviceID")));
        }
      }
    }
    if (const pb::Value* declaration = Get(*e, "errorDeclaration")) {
      EXPECT_TRUE(
          std::regex_match(GetString(declaration->struct_value(), "declarationTime"), time));
    }
  }
}

TEST(EpcisExport, EachEventIdIsTheHashOfWhatTheEventSays) {
  const EpcisExport out = Export(SampleJourney());
  std::set<std::string> ids;
  for (const pb::Struct* e : EventsOf(out.document)) {
    auto id = EventHashId(*e, ExportNamespaces());
    ASSERT_TRUE(id.ok()) << id.status().ToString();
    EXPECT_EQ(*id, GetString(*e, "eventID"));
    // And with the namespaces read back from the document, as anyone else would.
    auto again = EventHashId(*e, NamespacesOf(*Get(out.document, "@context")));
    ASSERT_TRUE(again.ok());
    EXPECT_EQ(*again, *id);
    ids.insert(*id);
  }
  EXPECT_EQ(ids.size(), EventsOf(out.document).size()) << "ids are distinct";
}

TEST(EpcisExport, ReExportAndOpenedPrivateFieldsKeepEveryId) {
  const auto shipment = SampleJourney();
  const EpcisExport first = Export(shipment);
  EpcisExportOptions options{.creation_time_ms = testing::kT0 + 5, .private_values = {}};
  options.private_values[testing::Id(testing::kInspection)] = {{"seal_number", "DE-88127"}};
  const EpcisExport second = Export(shipment, options);
  const auto a = EventsOf(first.document);
  const auto b = EventsOf(second.document);
  ASSERT_EQ(a.size(), b.size());
  for (size_t i = 0; i < a.size(); ++i) {
    EXPECT_EQ(GetString(*a[i], "eventID"), GetString(*b[i], "eventID"));
  }
  // The opened value is in the header's record, never in the event.
  std::string json_first, json_second;
  ASSERT_TRUE(pb::util::MessageToJsonString(first.document, &json_first).ok());
  ASSERT_TRUE(pb::util::MessageToJsonString(second.document, &json_second).ok());
  EXPECT_EQ(json_first.find("DE-88127"), std::string::npos);
  EXPECT_NE(json_first.find("\"sl:encrypted\":true"), std::string::npos);
  EXPECT_NE(json_second.find("\"sl:value\":\"DE-88127\""), std::string::npos);
  const pb::Struct* inspection =
      EventOfLedgerId(second.document, testing::Id(testing::kInspection));
  ASSERT_NE(inspection, nullptr);
  std::string event_json;
  ASSERT_TRUE(pb::util::MessageToJsonString(*inspection, &event_json).ok());
  EXPECT_EQ(event_json.find("DE-88127"), std::string::npos);
  EXPECT_NE(event_json.find("\"sl:privateFields\":[\"seal_number\"]"), std::string::npos);
}

TEST(EpcisExport, AnErrorDeclarationMarksTheDeclaredEventAndNamesTheCorrection) {
  const EpcisExport out = Export(SampleJourney());
  const pb::Struct* exception = EventOfLedgerId(out.document, testing::Id(testing::kException));
  const pb::Struct* inspection = EventOfLedgerId(out.document, testing::Id(testing::kInspection));
  ASSERT_NE(exception, nullptr);
  ASSERT_NE(inspection, nullptr);
  const pb::Value* declaration = Get(*exception, "errorDeclaration");
  ASSERT_NE(declaration, nullptr);
  EXPECT_EQ(GetString(declaration->struct_value(), "reason"), "incorrect_data");
  const auto& corrective = Get(declaration->struct_value(), "correctiveEventIDs")->list_value();
  ASSERT_EQ(corrective.values_size(), 1);
  EXPECT_EQ(corrective.values(0).string_value(), GetString(*inspection, "eventID"));
  // The declaration is not part of the id.
  pb::Struct without = *exception;
  without.mutable_fields()->erase("errorDeclaration");
  EXPECT_EQ(*EventHashId(without, ExportNamespaces()), GetString(*exception, "eventID"));
  EXPECT_EQ(Get(*inspection, "errorDeclaration"), nullptr);
}

TEST(EpcisExport, ReadingsOutOfTheColdChainRangeCarryAnAlarm) {
  const EpcisExport out = Export(SampleJourney());
  const pb::Struct* readings = EventOfLedgerId(out.document, testing::Id(testing::kReadings));
  ASSERT_NE(readings, nullptr);
  EXPECT_EQ(GetString(*readings, "bizStep"), "sensor_reporting");
  std::vector<std::string> seen;
  for (const auto& element : Get(*readings, "sensorElementList")->list_value().values()) {
    const auto& report = Get(element.struct_value(), "sensorReport")->list_value().values(0);
    const pb::Struct& r = report.struct_value();
    seen.push_back(std::to_string(Get(r, "value")->number_value()).substr(0, 5) + " " +
                   GetString(r, "uom") + " " + GetString(r, "exception"));
  }
  EXPECT_EQ(seen, (std::vector<std::string>{"4.250 CEL ", "9.500 CEL ALARM_CONDITION", "4.250 CEL ",
                                            "41.00 FAH "}));
  // Without cold-chain terms, nothing is an alarm.
  auto shipment = SampleJourney();
  shipment.mutable_state()->clear_cold_chain();
  const EpcisExport plain = Export(shipment);
  std::string json;
  ASSERT_TRUE(pb::util::MessageToJsonString(plain.document, &json).ok());
  EXPECT_EQ(json.find("ALARM_CONDITION"), std::string::npos);
}

TEST(EpcisExport, HandOversNameBothPossessingParties) {
  const EpcisExport out = Export(SampleJourney());
  const pb::Struct* handover = EventOfLedgerId(out.document, testing::Id(testing::kHandover));
  ASSERT_NE(handover, nullptr);
  EXPECT_EQ(GetString(*handover, "bizStep"), "accepting");
  const auto& source = Get(*handover, "sourceList")->list_value().values(0).struct_value();
  const auto& destination =
      Get(*handover, "destinationList")->list_value().values(0).struct_value();
  EXPECT_EQ(GetString(source, "type"), "possessing_party");
  EXPECT_EQ(GetString(source, "source"), std::string(kLedgerNamespace) + "org/Exporter");
  EXPECT_EQ(GetString(destination, "destination"), std::string(kLedgerNamespace) + "org/Carrier");
}

TEST(EpcisExport, ReferencesBecomeEpcsAndBusinessTransactions) {
  auto shipment = SampleJourney();
  const EpcisExport out = Export(shipment);
  const pb::Struct* booked = EventOfLedgerId(out.document, testing::Id(1));
  ASSERT_NE(booked, nullptr);
  EXPECT_EQ(GetString(*booked, "type"), "TransactionEvent");
  EXPECT_EQ(GetString(*booked, "action"), "ADD");
  const auto& epcs = Get(*booked, "epcList")->list_value();
  ASSERT_EQ(epcs.values_size(), 2);
  EXPECT_EQ(epcs.values(0).string_value(), "urn:epc:id:bic:CSQU3054383");
  EXPECT_EQ(epcs.values(1).string_value(),
            std::string(kLedgerNamespace) + "bt/container/crate%207");
  std::map<std::string, std::string> transactions;
  for (const auto& bt : Get(*booked, "bizTransactionList")->list_value().values()) {
    transactions[GetString(bt.struct_value(), "type")] =
        GetString(bt.struct_value(), "bizTransaction");
  }
  EXPECT_EQ(transactions["bol"],
            std::string(kLedgerNamespace) + "bt/bill_of_lading/HLCUHAM260300042");
  EXPECT_EQ(transactions["po"], "urn:epcglobal:cbv:bt:4012345000009:PO-1");
  EXPECT_EQ(transactions[std::string(kLedgerNamespace) + "BTT-booking"],
            std::string(kLedgerNamespace) + "bt/booking/BKG-7781");
  // The ledger's own fields are extensions, a repeated detail a list.
  EXPECT_EQ(GetString(*booked, "sl:shipment"), "SHP-2026-0042");
  EXPECT_EQ(GetString(*booked, "sl:recordedBy"), "Exporter");
  const auto& goods = Get(Get(*booked, "sl:details")->struct_value(), "goods")->list_value();
  ASSERT_EQ(goods.values_size(), 2);
  EXPECT_EQ(goods.values(1).string_value(), "syringes");
  EXPECT_EQ(GetString(Get(*booked, "sl:booking")->struct_value(), "consignee"), "Importer");
  // A booking without EPCs is an ObjectEvent.
  shipment.mutable_timeline(0)->mutable_event()->clear_references();
  const EpcisExport plain = Export(shipment);
  EXPECT_EQ(GetString(*EventOfLedgerId(plain.document, testing::Id(1)), "type"), "ObjectEvent");
}

TEST(EpcisExport, AnImportedEventCarriesOnlyWhatItCameWith) {
  v1::Event e = testing::NewEvent(v1::EVENT_TYPE_DEPARTED, "Carrier", 5, "");
  testing::AddDetail(&e, "epcis.origin", "import");
  testing::AddDetail(&e, "epcis.eventTimeZoneOffset", "+01:00");
  testing::AddDetail(&e, "epcis.disposition", "active");
  testing::AddDetail(&e, "epcis.readPoint", "https://id.gs1.org/414/4012345000009");
  testing::AddDetail(&e, "epcis.epc", "https://id.gs1.org/00/340123450000000017");
  auto event = EpcisEventOf(e, nullptr);
  ASSERT_TRUE(event.ok()) << event.status().ToString();
  EXPECT_EQ(Get(*event, "sl:shipment"), nullptr);
  EXPECT_EQ(Get(*event, "sl:recordedBy"), nullptr);
  EXPECT_EQ(Get(*event, "sl:nonce"), nullptr);
  EXPECT_EQ(Get(*event, "sl:details"), nullptr) << "epcis.* details are presentation";
  EXPECT_EQ(GetString(*event, "eventTimeZoneOffset"), "+01:00");
  EXPECT_EQ(GetString(*event, "disposition"), "active");
  EXPECT_EQ(GetString(Get(*event, "readPoint")->struct_value(), "id"),
            "https://id.gs1.org/414/4012345000009");
  EXPECT_EQ(Get(*event, "epcList")->list_value().values(0).string_value(),
            "https://id.gs1.org/00/340123450000000017");
}

// Any party may put any detail on its events: presentation details that are malformed, or that
// would contradict the ledger's own fields, are ordinary details and change nothing.
TEST(EpcisExport, MalformedOrContradictingPresentationDetailsAreOrdinaryDetails) {
  v1::Event e = testing::NewEvent(v1::EVENT_TYPE_ARRIVED, "Carrier", 5, "CNSHA");
  for (const auto& [key, value] : std::vector<std::pair<std::string, std::string>>{
           {"epcis.type", "Foo"},
           {"epcis.action", "MOVE"},
           {"epcis.eventTimeZoneOffset", "Z"},
           {"epcis.disposition", "lost at sea"},
           {"epcis.readPoint", "https://id.gs1.org/414/4012345000009"},  // contradicts CNSHA
           {"epcis.epc", "crate 7"},
           {"epcis.bizTransaction", "po"},
           {"epcis.origin", "elsewhere"},
           {"epcis.bizLocation", "https://example.com/a b"}}) {
    testing::AddDetail(&e, key, value);
  }
  testing::AddDetail(&e, "epcis.action", "ADD");
  testing::AddDetail(&e, "epcis.action", "DELETE");  // a second value of one field
  auto event = EpcisEventOf(e, nullptr);
  ASSERT_TRUE(event.ok()) << event.status().ToString();
  EXPECT_EQ(GetString(*event, "type"), "ObjectEvent");
  EXPECT_EQ(GetString(*event, "action"), "ADD");
  EXPECT_EQ(GetString(*event, "eventTimeZoneOffset"), "+00:00");
  EXPECT_EQ(GetString(*event, "disposition"), "in_transit");
  EXPECT_EQ(GetString(Get(*event, "readPoint")->struct_value(), "id"),
            std::string(kLedgerNamespace) + "unlocode/CNSHA");
  EXPECT_EQ(Get(*event, "epcList")->list_value().values_size(), 0);
  EXPECT_EQ(Get(*event, "bizLocation"), nullptr);
  EXPECT_EQ(GetString(*event, "sl:shipment"), "SHP-2026-0042") << "not marked imported";
  const auto& details = Get(*event, "sl:details")->struct_value();
  EXPECT_EQ(details.fields_size(), 9) << "kept, as ordinary details";
  EXPECT_EQ(GetString(details, "epcis.readPoint"), "https://id.gs1.org/414/4012345000009");
  EXPECT_EQ(Get(details, "epcis.action")->list_value().values_size(), 2);  // MOVE, DELETE
  EXPECT_TRUE(EventHashId(*event, ExportNamespaces()).ok());
  // A TransactionEvent needs an EPC and a business transaction.
  v1::Event bare = testing::NewEvent(v1::EVENT_TYPE_BOOKED, "Exporter", 5, "DEHAM");
  testing::AddDetail(&bare, "epcis.type", "TransactionEvent");
  EXPECT_EQ(GetString(*EpcisEventOf(bare, nullptr), "type"), "ObjectEvent");
}

TEST(EpcisExport, TheSameEpcisEventRecordedTwiceIsExportedOnce) {
  auto shipment = SampleJourney();
  // Two ledger events saying the same thing (imported twice: no ledger identity in them).
  for (int copy = 0; copy < 2; ++copy) {
    v1::Event e = testing::NewEvent(v1::EVENT_TYPE_INSPECTION, "CustomsCN", 40'155, "CNSHA");
    e.set_nonce(std::string(16, static_cast<char>(100 + copy)));
    testing::AddDetail(&e, "epcis.origin", "import");
    *shipment.add_timeline() = testing::Entry(40 + copy, e);
  }
  const EpcisExport out = Export(shipment);
  ASSERT_FALSE(out.omitted.empty());
  EXPECT_EQ(out.omitted.back().ledger_event_id, testing::Id(41));
  EXPECT_NE(out.omitted.back().why.find("the same EPCIS event (ni:///sha-256;"), std::string::npos)
      << out.omitted.back().why;
  EXPECT_NE(EventOfLedgerId(out.document, testing::Id(40)), nullptr);
}

TEST(EpcisExport, TheNetworksBookkeepingHasNoEpcisForm) {
  for (auto type : {v1::EVENT_TYPE_CARRIER_OFFER, v1::EVENT_TYPE_CARRIER_WITHDRAWAL,
                    v1::EVENT_TYPE_LEG_REASSIGNMENT, v1::EVENT_TYPE_CERTIFICATE_REVOCATION,
                    v1::EVENT_TYPE_PARTY_ADDED, v1::EVENT_TYPE_ERROR_DECLARATION}) {
    auto event = EpcisEventOf(testing::NewEvent(type, "Carrier", 1, ""), nullptr);
    ASSERT_FALSE(event.ok());
    EXPECT_EQ(event.status().code(), Code::kFailedPrecondition);
  }
}

TEST(EpcisExport, EveryBizStepReadsBackToItsType) {
  for (const auto& m : TypeMappings()) {
    EXPECT_EQ(MappingOfBizStep(BizStepOf(m)), &m) << BizStepOf(m);
    if (m.cbv_biz_step) {
      EXPECT_TRUE(IsBareWord(Vocabulary::kBizStep, m.biz_step)) << m.biz_step;
      EXPECT_EQ(MappingOfBizStep("urn:epcglobal:cbv:bizstep:" + std::string(m.biz_step)), &m);
      EXPECT_EQ(MappingOfBizStep(*ExpandBareWord(Vocabulary::kBizStep, m.biz_step)), &m);
    }
    if (!m.disposition.empty()) {
      EXPECT_TRUE(IsBareWord(Vocabulary::kDisposition, m.disposition)) << m.disposition;
    }
  }
  EXPECT_EQ(MappingOfBizStep("shipping"), nullptr);
}

TEST(EpcisExport, UriSegmentsArePercentEncodedAndDecodeBack) {
  EXPECT_EQ(PercentEncode("crate 7/ä"), "crate%207%2F%C3%A4");
  EXPECT_EQ(PercentDecode("crate%207%2F%C3%A4"), "crate 7/ä");
  EXPECT_EQ(PercentDecode("bad%2"), std::nullopt);
  EXPECT_EQ(PercentDecode("bad%zz"), std::nullopt);
  // Only printable UTF-8 decodes: no control characters (C0, DEL, C1), overlong forms,
  // surrogates or stray bytes.
  for (const char* bad :
       {"%FF", "%0A", "%7F", "%C2%85", "%C0%80", "%ED%A0%80", "%E2%82", "%F4%90%80%80"}) {
    EXPECT_EQ(PercentDecode(bad), std::nullopt) << bad;
  }
  EXPECT_EQ(PercentDecode("%E2%82%AC%F0%9F%9A%A2"), "€🚢");
  EXPECT_FALSE(IsAbsoluteUri("https://example.com/a b"));
  EXPECT_FALSE(IsAbsoluteUri("mailto:x@example.com")) << "only urn:, http:, https:";
  EXPECT_EQ(DeviceUri("urn:dev:mac:0011"), "urn:dev:mac:0011");
  EXPECT_EQ(EpcisTime(-1), "1969-12-31T23:59:59.999Z");
  EXPECT_EQ(EpcisTime(testing::kT0 + 7), "2026-03-01T10:00:00.007Z");
}

}  // namespace
}  // namespace shipledger::interop
