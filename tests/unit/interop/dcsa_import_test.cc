// DCSA T&T 2.2 events as ledger events (interop/dcsa_import.h).
#include "interop/dcsa_import.h"

#include <google/protobuf/util/json_util.h>
#include <gtest/gtest.h>

#include "interop/dcsa_export.h"
#include "model/enum_names.h"
#include "testing/ledger_samples.h"

namespace shipledger::interop {
namespace {

namespace pb = google::protobuf;

using testing::Json;

std::string Detail(const v1::Event& e, const std::string& key) {
  for (const auto& d : e.details()) {
    if (d.key() == key) return d.value();
  }
  return "";
}

// The state a shipment is in when the event of `type` is recorded, as far as the mapping reads
// it: past export customs for import-side events, returning for the return's events.
v1::ShipmentState StateBefore(v1::EventType type) {
  v1::ShipmentState s;
  const std::string name = model::EventTypeName(type);
  if (name.starts_with("import_customs")) s.set_export_cleared(true);
  if (type == v1::EVENT_TYPE_RETURN_PICKED_UP) s.set_status(v1::SHIPMENT_STATUS_RETURN_REQUESTED);
  if (type == v1::EVENT_TYPE_RETURNED) s.set_status(v1::SHIPMENT_STATUS_RETURN_IN_TRANSIT);
  return s;
}

TEST(DcsaImport, OurOwnExportComesBackAsTheSameEventTypes) {
  const auto shipment = testing::SampleJourney();
  std::map<std::string, const v1::TimelineEntry*> by_uuid;
  for (const auto& entry : shipment.timeline()) by_uuid[DcsaEventUuid(entry.event_id())] = &entry;
  const DcsaExport out = ExportDcsa(shipment);
  int imported = 0;
  for (const auto& v : out.events.values()) {
    const pb::Struct& dcsa = v.struct_value();
    const v1::TimelineEntry* original = by_uuid.at(dcsa.fields().at("eventID").string_value());
    const v1::ShipmentState state = StateBefore(original->event().type());
    auto event = LedgerEventOfDcsa(dcsa, &state, original->event().signer_org());
    if (original->event().type() == v1::EVENT_TYPE_HANDOVER) {
      ASSERT_FALSE(event.ok());
      EXPECT_NE(event.status().message().find("co-signature"), std::string::npos);
      continue;
    }
    ASSERT_TRUE(event.ok()) << event.status().ToString();
    EXPECT_EQ(event->type(), original->event().type());
    // A DCSA shipment event is about a document and has no place: the location is lost.
    const bool document = dcsa.fields().at("eventType").string_value() == "SHIPMENT";
    EXPECT_EQ(event->location(), document ? "" : original->event().location());
    EXPECT_EQ(event->occurred_at_ms(), original->event().occurred_at_ms());
    ++imported;
  }
  EXPECT_EQ(imported, out.events.values_size() - 1);
}

TEST(DcsaImport, FullWordCodesAndEveryFieldKept) {
  const pb::Struct arrival = Json(R"({
    "eventID": "3cecb101-7a1a-43a4-9d62-e88a131651e2", "eventType": "TRANSPORT",
    "eventClassifierCode": "ACT", "eventCreatedDateTime": "2026-03-20T10:05:00+08:00",
    "eventDateTime": "2026-03-20T10:00:00+08:00", "transportEventTypeCode": "Arrived",
    "delayReasonCode": "WEA", "x-draught": 12.5, "x-flags": [true, null, 3],
    "transportCall": {"transportCallID": "TC-9", "modeOfTransport": "VESSEL",
                      "UNLocationCode": "CNSHA", "carrierServiceCode": "FE1"},
    "documentReferences": [{"documentReferenceType": "TRD", "documentReferenceValue": "BL-1"}],
    "references": [{"referenceType": "PO", "referenceValue": "PO-77"},
                   {"referenceType": "FF", "referenceValue": "FWD-3"}]})");
  auto e = LedgerEventOfDcsa(arrival, nullptr, "Carrier");
  ASSERT_TRUE(e.ok()) << e.status().ToString();
  EXPECT_EQ(e->type(), v1::EVENT_TYPE_ARRIVED);
  EXPECT_EQ(e->location(), "CNSHA");
  EXPECT_EQ(e->occurred_at_ms(), 1773972000000);
  EXPECT_EQ(Detail(*e, "transport_call_id"), "TC-9");
  EXPECT_EQ(Detail(*e, "mode_of_transport"), "VESSEL");
  EXPECT_EQ(Detail(*e, "dcsa.delayReasonCode"), "WEA");
  EXPECT_EQ(Detail(*e, "dcsa.x-draught"), "12.5");
  EXPECT_EQ(Detail(*e, "dcsa.x-flags.0"), "true");
  EXPECT_EQ(Detail(*e, "dcsa.x-flags.2"), "3");
  EXPECT_EQ(Detail(*e, "dcsa.transportCall.carrierServiceCode"), "FE1");
  EXPECT_EQ(Detail(*e, "dcsa.references.1.referenceType"), "FF");
  EXPECT_EQ(Detail(*e, "dcsa.references.1.referenceValue"), "FWD-3");
  ASSERT_EQ(e->references_size(), 2);
  EXPECT_EQ(e->references(0).kind(), "bill_of_lading");
  EXPECT_EQ(e->references(1).kind(), "purchase_order");

  EXPECT_EQ(DcsaCode("GATE-OUT"), "GTOT");
  EXPECT_EQ(DcsaCode("gated in"), "GTIN");
  EXPECT_EQ(DcsaCode("Picked up"), "PICK");
  EXPECT_EQ(DcsaCode("DEPA"), "DEPA");
  EXPECT_EQ(DcsaCode("ON HOLD"), "HOLD");
  EXPECT_EQ(DcsaCode("LEFT"), "");
}

TEST(DcsaImport, CustomsSideAndReturnsComeFromTheShipmentsState) {
  const pb::Struct hold = Json(R"({"eventType": "SHIPMENT", "eventClassifierCode": "ACT",
    "eventCreatedDateTime": "2026-03-01T10:00:00Z", "eventDateTime": "2026-03-01T10:00:00Z",
    "shipmentEventTypeCode": "HOLD", "documentTypeCode": "CUS", "documentID": "26DE1",
    "reason": "documents incomplete"})");
  auto exported = LedgerEventOfDcsa(hold, nullptr, "CustomsDE");
  ASSERT_TRUE(exported.ok());
  EXPECT_EQ(exported->type(), v1::EVENT_TYPE_EXPORT_CUSTOMS_HELD);
  EXPECT_EQ(Detail(*exported, "reason"), "documents incomplete");
  EXPECT_EQ(exported->references(0).kind(), "customs_declaration");
  v1::ShipmentState arrived;
  arrived.set_status(v1::SHIPMENT_STATUS_ARRIVED);
  EXPECT_EQ(LedgerEventOfDcsa(hold, &arrived, "CustomsCN")->type(),
            v1::EVENT_TYPE_IMPORT_CUSTOMS_HELD);
  const pb::Struct drop = Json(R"({"eventType": "EQUIPMENT", "eventClassifierCode": "ACT",
    "eventCreatedDateTime": "2026-03-01T10:00:00Z", "eventDateTime": "2026-03-01T10:00:00Z",
    "equipmentEventTypeCode": "DROP", "emptyIndicatorCode": "LADEN",
    "equipmentReference": "CSQU3054383", "eventLocation": {"UNLocationCode": "DEHAM"}})");
  EXPECT_EQ(LedgerEventOfDcsa(drop, nullptr, "Carrier")->type(), v1::EVENT_TYPE_DELIVERED);
  v1::ShipmentState returning;
  returning.set_status(v1::SHIPMENT_STATUS_RETURN_IN_TRANSIT);
  EXPECT_EQ(LedgerEventOfDcsa(drop, &returning, "Carrier")->type(), v1::EVENT_TYPE_RETURNED);
}

TEST(DcsaImport, WhatHasNoShipledgerFormIsRefusedWithTheReason) {
  const std::string base = R"("eventCreatedDateTime": "2026-03-01T10:00:00Z",
    "eventDateTime": "2026-03-01T10:00:00Z", )";
  const std::vector<std::pair<std::string, std::string>> cases = {
      {R"({"eventType": "TRANSPORT", "eventClassifierCode": "EST", )" + base +
           R"("transportEventTypeCode": "ARRI"})",
       "eventClassifierCode EST: shipledger records what happened"},
      {R"({"eventType": "EQUIPMENT", "eventClassifierCode": "ACT", )" + base +
           R"("equipmentEventTypeCode": "STUF", "emptyIndicatorCode": "LADEN"})",
       "EQUIPMENT event code STUF has no shipledger event type"},
      {R"({"eventType": "EQUIPMENT", "eventClassifierCode": "ACT", )" + base +
           R"("equipmentEventTypeCode": "GATE_IN", "emptyIndicatorCode": "LADEN"})",
       "a gate-in is a hand-over"},
      {R"({"eventType": "SHIPMENT", "eventClassifierCode": "ACT", )" + base +
           R"("shipmentEventTypeCode": "RECE", "documentTypeCode": "BKG", "documentID": "B"})",
       "a RECE of a BKG document has no shipledger event"},
      {R"({"eventType": "OPERATIONS", "eventClassifierCode": "ACT", )" + base + "\"x\": 1}",
       "eventType 'OPERATIONS' is not SHIPMENT, TRANSPORT or EQUIPMENT"},
      {R"({"eventType": "TRANSPORT", "eventClassifierCode": "ACT", )" + base +
           R"("transportEventTypeCode": "LANDED"})",
       "transportEventTypeCode 'LANDED' is not a DCSA code"},
      {R"({"eventType": "TRANSPORT", "eventClassifierCode": "ACT", "eventDateTime": "later",
           "transportEventTypeCode": "ARRI"})",
       "eventDateTime 'later' is not a time"},
      {R"({"eventType": "TRANSPORT", "eventClassifierCode": "ACT", )" + base +
           R"("transportEventTypeCode": "ARRI", "transportCall": {"UNLocationCode": "Paris"}})",
       "UNLocationCode 'Paris' is not a UN/LOCODE"},
  };
  for (const auto& [json, reason] : cases) {
    auto e = LedgerEventOfDcsa(Json(json), nullptr, "Carrier");
    ASSERT_FALSE(e.ok()) << json;
    EXPECT_NE(e.status().message().find(reason), std::string::npos)
        << e.status().message() << "\nexpected: " << reason;
  }
}

}  // namespace
}  // namespace shipledger::interop
