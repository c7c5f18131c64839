// Ledger events as DCSA Track & Trace 2.2 events (interop/dcsa_export.h). The rules checked are
// those of the T&T 2.2 OpenAPI our output depends on, in our words (docs/interop.md);
// scripts/validate-interop.sh validates the same output against the OpenAPI's schemas.
#include "interop/dcsa_export.h"

#include <google/protobuf/util/json_util.h>
#include <gtest/gtest.h>

#include <cstdlib>
#include <fstream>
#include <map>
#include <regex>
#include <set>

#include "interop/ledger_types.h"
#include "model/enum_names.h"
#include "testing/ledger_samples.h"

namespace shipledger::interop {
namespace {

namespace pb = google::protobuf;
using testing::SampleJourney;

std::string GetString(const pb::Struct& s, const std::string& key) {
  const auto it = s.fields().find(key);
  return it == s.fields().end() ? "" : it->second.string_value();
}

bool Has(const pb::Struct& s, const std::string& key) { return s.fields().contains(key); }

void Dump(const pb::ListValue& events) {
  const char* dir = std::getenv("SHIPLEDGER_INTEROP_DUMP");
  if (dir == nullptr) return;
  pb::Value v;
  *v.mutable_list_value() = events;
  std::string json;
  ASSERT_TRUE(pb::util::MessageToJsonString(v, &json).ok());
  std::ofstream(std::string(dir) + "/dcsa.json") << json;
}

TEST(DcsaExport, EventsFollowTheTrackAndTraceSchemaRules) {
  const DcsaExport out = ExportDcsa(SampleJourney());
  Dump(out.events);
  const std::regex uuid("^[0-9a-f]{8}-[0-9a-f]{4}-8[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$");
  const std::regex time(R"(^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$)");
  const std::set<std::string> shipment_codes = {"RECE", "DRFT", "PENA", "PENU", "REJE",
                                                "APPR", "ISSU", "SURR", "SUBM", "VOID",
                                                "CONF", "REQS", "CMPL", "HOLD", "RELS"};
  const std::set<std::string> equipment_codes = {"LOAD", "DISC", "GTIN", "GTOT", "STUF", "STRP",
                                                 "PICK", "DROP", "INSP", "RSEA", "RMVD"};
  std::map<std::string, int> by_code;
  std::set<std::string> ids;
  for (const auto& v : out.events.values()) {
    const pb::Struct& e = v.struct_value();
    const std::string type = GetString(e, "eventType");
    SCOPED_TRACE(type);
    EXPECT_TRUE(std::regex_match(GetString(e, "eventID"), uuid)) << GetString(e, "eventID");
    ids.insert(GetString(e, "eventID"));
    EXPECT_EQ(GetString(e, "eventClassifierCode"), "ACT");
    EXPECT_TRUE(std::regex_match(GetString(e, "eventDateTime"), time));
    EXPECT_TRUE(std::regex_match(GetString(e, "eventCreatedDateTime"), time));
    if (type == "SHIPMENT") {
      const std::string code = GetString(e, "shipmentEventTypeCode");
      EXPECT_TRUE(shipment_codes.contains(code)) << code;
      ++by_code[code];
      const std::string doc = GetString(e, "documentTypeCode");
      EXPECT_TRUE(doc == "BKG" || doc == "CUS") << doc;
      EXPECT_FALSE(GetString(e, "documentID").empty());
      EXPECT_EQ(GetString(e, "eventDateTime"), GetString(e, "eventCreatedDateTime"));
    } else if (type == "TRANSPORT") {
      const std::string code = GetString(e, "transportEventTypeCode");
      EXPECT_TRUE(code == "ARRI" || code == "DEPA") << code;
      ++by_code[code];
      ASSERT_TRUE(Has(e, "transportCall"));
      const pb::Struct& call = e.fields().at("transportCall").struct_value();
      EXPECT_FALSE(GetString(call, "transportCallID").empty());
      EXPECT_LE(GetString(call, "transportCallID").size(), 100u);
      EXPECT_EQ(GetString(call, "modeOfTransport"), "VESSEL");
      EXPECT_LE(GetString(call, "UNLocationCode").size(), 5u);
    } else {
      ASSERT_EQ(type, "EQUIPMENT");
      const std::string code = GetString(e, "equipmentEventTypeCode");
      EXPECT_TRUE(equipment_codes.contains(code)) << code;
      ++by_code[code];
      EXPECT_EQ(GetString(e, "emptyIndicatorCode"), "LADEN");
      EXPECT_LE(GetString(e, "equipmentReference").size(), 15u);
    }
    if (Has(e, "documentReferences")) {
      for (const auto& ref : e.fields().at("documentReferences").list_value().values()) {
        const std::string t = GetString(ref.struct_value(), "documentReferenceType");
        EXPECT_TRUE(t == "BKG (Booking)" || t == "TRD (Transport Document)") << t;
      }
    }
    if (Has(e, "references")) {
      for (const auto& ref : e.fields().at("references").list_value().values()) {
        EXPECT_EQ(GetString(ref.struct_value(), "referenceType"), "PO");
        EXPECT_LE(GetString(ref.struct_value(), "referenceValue").size(), 100u);
      }
    }
  }
  EXPECT_EQ(ids.size(), static_cast<size_t>(out.events.values_size()));
  // Customs of both sides: submitted, held, released, approved.
  EXPECT_EQ(by_code["SUBM"], 2);
  EXPECT_EQ(by_code["HOLD"], 2);
  EXPECT_EQ(by_code["RELS"], 2);
  EXPECT_EQ(by_code["APPR"], 2);
  EXPECT_EQ(by_code["CONF"], 1);
  EXPECT_EQ(by_code["DEPA"], 1);
  EXPECT_EQ(by_code["ARRI"], 1);
  EXPECT_EQ(by_code["LOAD"], 1);
  EXPECT_EQ(by_code["DISC"], 1);
  EXPECT_EQ(by_code["PICK"], 2);  // pickup and the return's
  EXPECT_EQ(by_code["DROP"], 2);  // delivery and the return's
}

TEST(DcsaExport, WhatDcsaHasNoEventForIsListedWithItsReason) {
  const auto shipment = SampleJourney();
  const DcsaExport out = ExportDcsa(shipment);
  EXPECT_EQ(out.events.values_size() + static_cast<int>(out.omitted.size()),
            shipment.timeline_size());
  std::set<std::string> omitted;
  for (const auto& o : out.omitted) omitted.insert(model::EventTypeName(o.type) + ": " + o.why);
  EXPECT_TRUE(
      omitted.contains("sensor_readings: sensor_readings has no DCSA Track & Trace 2.2 event"));
  EXPECT_TRUE(omitted.contains("delivered: its receipt is REJECTED"));
  EXPECT_TRUE(omitted.contains(
      "party_added: party_added is the network's bookkeeping, not a visibility event"));
}

TEST(DcsaExport, ShipmentEventsNameTheirDocument) {
  const DcsaExport out = ExportDcsa(SampleJourney());
  std::map<std::string, std::string> documents;  // code/doc type -> documentID
  for (const auto& v : out.events.values()) {
    const pb::Struct& e = v.struct_value();
    if (GetString(e, "eventType") != "SHIPMENT") continue;
    documents.emplace(
        GetString(e, "shipmentEventTypeCode") + "/" + GetString(e, "documentTypeCode"),
        GetString(e, "documentID"));
    if (GetString(e, "shipmentEventTypeCode") == "HOLD" && Has(e, "reason")) {
      EXPECT_EQ(GetString(e, "reason"), "documents incomplete");
    }
  }
  EXPECT_EQ(documents["CONF/BKG"], "BKG-7781");
  EXPECT_EQ(documents["SUBM/CUS"], "26DE123456789012E1");
  EXPECT_EQ(documents["HOLD/CUS"], "SHP-2026-0042") << "no declaration named: the shipment";
}

TEST(DcsaExport, ATransportEventNeedsAModeDcsaHas) {
  auto shipment = SampleJourney();
  shipment.mutable_state()->mutable_legs(0)->mutable_plan()->set_mode(v1::TRANSPORT_MODE_AIR);
  DcsaExport out = ExportDcsa(shipment);
  int transport = 0;
  for (const auto& v : out.events.values()) {
    transport += GetString(v.struct_value(), "eventType") == "TRANSPORT";
  }
  EXPECT_EQ(transport, 0);
  bool named = false;
  for (const auto& o : out.omitted) {
    named |= o.why.find("mode of transport is not one DCSA 2.2 has") != std::string::npos;
  }
  EXPECT_TRUE(named);
  // A detail names it.
  for (auto& entry : *shipment.mutable_timeline()) {
    if (entry.event().type() != v1::EVENT_TYPE_DEPARTED) continue;
    testing::AddDetail(entry.mutable_event(), "mode_of_transport", "BARGE");
  }
  out = ExportDcsa(shipment);
  std::string mode;
  for (const auto& v : out.events.values()) {
    const pb::Struct& e = v.struct_value();
    if (GetString(e, "transportEventTypeCode") == "DEPA") {
      mode = GetString(e.fields().at("transportCall").struct_value(), "modeOfTransport");
    }
  }
  EXPECT_EQ(mode, "BARGE");
}

TEST(DcsaExport, EventIdsAreStableVersion8Uuids) {
  // SHA-256("shipledger/dcsa-event-id/v1" ‖ 32 zero bytes), its first 16 bytes with the version
  // and variant bits set (computed with Python's hashlib).
  EXPECT_EQ(DcsaEventUuid(std::string(32, '\0')), "cb9d9c0c-116a-84db-a2e4-27e16e80cadf");
  const auto a = ExportDcsa(SampleJourney());
  const auto b = ExportDcsa(SampleJourney());
  ASSERT_EQ(a.events.values_size(), b.events.values_size());
  for (int i = 0; i < a.events.values_size(); ++i) {
    EXPECT_EQ(GetString(a.events.values(i).struct_value(), "eventID"),
              GetString(b.events.values(i).struct_value(), "eventID"));
  }
}

}  // namespace
}  // namespace shipledger::interop
