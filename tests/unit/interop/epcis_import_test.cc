// EPCIS 2.0 events as ledger events (interop/epcis_import.h): our own exports come back as the
// events they were, foreign events keep their event hash ID, and what cannot be kept is refused
// with the reason.
#include "interop/epcis_import.h"

#include <google/protobuf/util/json_util.h>
#include <google/protobuf/util/message_differencer.h>
#include <gtest/gtest.h>

#include <algorithm>

#include "interop/epcis_export.h"
#include "interop/ledger_types.h"
#include "testing/ledger_samples.h"

namespace shipledger::interop {
namespace {

namespace pb = google::protobuf;

using testing::Json;

std::string Text(const pb::Struct& s, const std::string& key) {
  const auto it = s.fields().find(key);
  return it == s.fields().end() ? "" : it->second.string_value();
}

// References and details compared as sets: the export groups references into EPCs and
// business transactions.
v1::Event Normalised(v1::Event e) {
  auto* refs = e.mutable_references();
  std::sort(refs->begin(), refs->end(), [](const v1::Reference& a, const v1::Reference& b) {
    return std::tie(a.kind(), a.value()) < std::tie(b.kind(), b.value());
  });
  auto* details = e.mutable_details();
  std::stable_sort(details->begin(), details->end(),
                   [](const v1::Detail& a, const v1::Detail& b) { return a.key() < b.key(); });
  return e;
}

TEST(EpcisImport, OurOwnExportComesBackAsTheEventsItWas) {
  const auto shipment = testing::SampleJourney();
  auto exported = ExportEpcis(shipment, {.creation_time_ms = testing::kT0, .private_values = {}});
  ASSERT_TRUE(exported.ok());
  const Namespaces ns = ExportNamespaces();
  const auto& list =
      exported->document.fields().at("epcisBody").struct_value().fields().at("eventList");
  int imported = 0;
  std::vector<std::string> refused;
  for (const auto& v : list.list_value().values()) {
    const pb::Struct& epcis = v.struct_value();
    const std::string org = Text(epcis, "sl:recordedBy");
    auto event = LedgerEventOfEpcis(epcis, ns, org);
    if (!event.ok()) {
      refused.push_back(Text(epcis, "bizStep") + ": " + event.status().message());
      continue;
    }
    event->set_chain_id("sample-chain");
    ASSERT_TRUE(CheckRoundTrip(*event, epcis, ns, &shipment.state().cold_chain()).ok())
        << CheckRoundTrip(*event, epcis, ns, &shipment.state().cold_chain()).ToString();
    // The very event that was exported, field for field.
    const v1::Event* original = nullptr;
    for (const auto& entry : shipment.timeline()) {
      if (entry.event().nonce() == event->nonce()) original = &entry.event();
    }
    ASSERT_NE(original, nullptr);
    EXPECT_TRUE(pb::util::MessageDifferencer::Equals(Normalised(*event), Normalised(*original)))
        << event->DebugString() << "\nvs\n"
        << original->DebugString();
    ++imported;
  }
  // Two cannot be signed again by their signer alone.
  EXPECT_EQ(
      refused,
      (std::vector<std::string>{
          "accepting: a hand-over needs the co-signature of its receiver (Carrier); record it "
          "with shipledger event submit --cosigner",
          "inspecting: its private fields cannot be sealed again from an export"}));
  EXPECT_EQ(imported, list.list_value().values_size() - 2);
}

// A departure written by another system from the standard's vocabulary: GS1 keys, a local
// offset, a purchase order as a CBV business transaction.
constexpr char kForeign[] = R"({
  "type": "ObjectEvent", "action": "OBSERVE",
  "eventTime": "2026-03-02T08:30:00.250+01:00", "eventTimeZoneOffset": "+01:00",
  "epcList": ["urn:epc:id:sscc:4012345.0000000017", "urn:epc:id:bic:CSQU3054383"],
  "bizStep": "urn:epcglobal:cbv:bizstep:departing", "disposition": "in_transit",
  "readPoint": {"id": "https://id.gs1.org/414/4012345000009"},
  "bizTransactionList": [
    {"type": "po", "bizTransaction": "urn:epcglobal:cbv:bt:4012345000009:PO-77"},
    {"type": "desadv", "bizTransaction": "urn:epcglobal:cbv:bt:4012345000009:ASN-9"}]})";

TEST(EpcisImport, AForeignEventKeepsItsIdAndEveryField) {
  const pb::Struct foreign = Json(kForeign);
  const Namespaces ns = NamespacesOf({});
  auto event = LedgerEventOfEpcis(foreign, ns, "Carrier");
  ASSERT_TRUE(event.ok()) << event.status().ToString();
  EXPECT_EQ(event->type(), v1::EVENT_TYPE_DEPARTED);
  EXPECT_EQ(event->occurred_at_ms(), 1772436600250);
  EXPECT_TRUE(event->shipment_id().empty()) << "found by the caller";
  std::map<std::string, std::vector<std::string>> details;
  for (const auto& d : event->details()) details[d.key()].push_back(d.value());
  EXPECT_EQ(details["epcis.origin"], std::vector<std::string>{"import"});
  EXPECT_EQ(details["epcis.eventTimeZoneOffset"], std::vector<std::string>{"+01:00"});
  EXPECT_EQ(details["epcis.readPoint"],
            std::vector<std::string>{"https://id.gs1.org/414/4012345000009"});
  EXPECT_EQ(details["epcis.epc"], std::vector<std::string>{"urn:epc:id:sscc:4012345.0000000017"});
  EXPECT_EQ(details["epcis.bizTransaction"],
            std::vector<std::string>{"desadv urn:epcglobal:cbv:bt:4012345000009:ASN-9"});
  ASSERT_EQ(event->references_size(), 2);
  EXPECT_EQ(event->references(0).kind(), "container");
  EXPECT_EQ(event->references(0).value(), "CSQU3054383");
  EXPECT_EQ(event->references(1).kind(), "purchase_order");
  EXPECT_EQ(event->references(1).value(), "urn:epcglobal:cbv:bt:4012345000009:PO-77");

  event->set_chain_id("sample-chain");
  event->set_shipment_id("SHP-1");
  event->set_nonce(std::string(16, '\x07'));
  EXPECT_TRUE(CheckRoundTrip(*event, foreign, ns, nullptr).ok());
  auto again = EpcisEventOf(*event, nullptr);
  ASSERT_TRUE(again.ok());
  EXPECT_EQ(*EventHashId(*again, ExportNamespaces()), *EventHashId(foreign, ns));
}

TEST(EpcisImport, WhatHasNoShipledgerFormIsRefusedWithTheReason) {
  const Namespaces ns = NamespacesOf(
      Json(R"({"c": [{"example": "https://ns.example.com/epcis/"}]})").fields().at("c"));
  const std::string base =
      R"("eventTime": "2026-03-02T08:30:00Z", "eventTimeZoneOffset": "+00:00")";
  const std::vector<std::pair<std::string, std::string>> cases = {
      {R"({"type": "AggregationEvent", "action": "ADD", "bizStep": "loading", )" + base + "}",
       "AggregationEvent has no shipledger event type"},
      {R"({"type": "ObjectEvent", "action": "OBSERVE", "bizStep": "shipping", )" + base + "}",
       "bizStep shipping maps to no shipledger event type"},
      {R"({"type": "ObjectEvent", "action": "OBSERVE", )" + base + "}", "it has no bizStep"},
      {R"({"type": "ObjectEvent", "action": "OBSERVE", "bizStep": "departing",
           "example:crew": "7", )" +
           base + "}",
       "extension example:crew has no shipledger field"},
      {R"({"type": "ObjectEvent", "action": "OBSERVE", "bizStep": "sensor_reporting",
           "sensorElementList": [{"sensorMetadata": {"time": "2026-03-02T08:00:00Z"},
             "sensorReport": [{"type": "RelativeHumidity", "value": 40, "uom": "P1"}]}], )" +
           base + "}",
       "sensor report type 'RelativeHumidity': shipledger keeps temperatures only"},
      {R"({"type": "ObjectEvent", "action": "OBSERVE", "bizStep": "accepting",
           "sourceList": [{"type": "possessing_party", "source": "https://ns.shipledger.org/epcis/org/Carrier"}],
           "destinationList": [{"type": "possessing_party", "destination": "https://ns.shipledger.org/epcis/org/Importer"}], )" +
           base + "}",
       "a hand-over needs the co-signature of its receiver (Importer)"},
      {R"({"type": "ObjectEvent", "action": "OBSERVE", "bizStep": "departing",
           "sourceList": [{"type": "owning_party", "source": "urn:epc:id:pgln:4012345.00000"}], )" +
           base + "}",
       "sourceList/destinationList are kept only on a hand-over"},
      {R"({"type": "ObjectEvent", "action": "OBSERVE", "bizStep": "departing", "eventTime": "soon", "eventTimeZoneOffset": "+00:00"})",
       "eventTime 'soon' is not a time"},
      {R"({"type": "ObjectEvent", "action": "OBSERVE", "bizStep": "departing", "eventTime": "2026-03-02T08:30:00Z"})",
       "eventTimeZoneOffset '' is not ±hh:mm"},
      {R"({"type": "ObjectEvent", "bizStep": "departing", )" + base + "}",
       "action '' is not OBSERVE, ADD or DELETE"},
      {R"({"type": "ObjectEvent", "action": "OBSERVE", "bizStep": "departing", )" + base +
           R"(, "bizTransactionList": [{"type": "https://ns.shipledger.org/epcis/BTT-booking",
           "bizTransaction": "https://ns.shipledger.org/epcis/bt/booking/%0Aevil"}]})",
       "business transaction https://ns.shipledger.org/epcis/bt/booking/%0Aevil"},
  };
  for (const auto& [json, reason] : cases) {
    auto event = LedgerEventOfEpcis(Json(json), ns, "Carrier");
    ASSERT_FALSE(event.ok()) << json;
    EXPECT_EQ(event.status().code(), Code::kInvalidArgument);
    EXPECT_NE(event.status().message().find(reason), std::string::npos)
        << event.status().message() << "\nexpected: " << reason;
  }
}

TEST(EpcisImport, AnEventThatWouldNotKeepItsIdIsCaughtByTheRoundTrip) {
  // An extension inside readPoint has no shipledger field and would be lost: the id changes.
  const Namespaces ns = NamespacesOf(
      Json(R"({"c": [{"example": "https://ns.example.com/epcis/"}]})").fields().at("c"));
  const pb::Struct in = Json(R"({"type": "ObjectEvent", "action": "OBSERVE",
      "eventTime": "2026-03-02T08:30:00Z", "eventTimeZoneOffset": "+00:00", "bizStep": "arriving",
      "disposition": "in_transit",
      "readPoint": {"id": "https://ns.shipledger.org/epcis/unlocode/CNSHA", "example:berth": "7"}})");
  auto event = LedgerEventOfEpcis(in, ns, "Carrier");
  ASSERT_TRUE(event.ok()) << event.status().ToString();
  EXPECT_EQ(event->location(), "CNSHA");
  event->set_shipment_id("SHP-1");
  const Status s = CheckRoundTrip(*event, in, ns, nullptr);
  ASSERT_FALSE(s.ok());
  EXPECT_NE(s.message().find("would not keep its event hash ID"), std::string::npos) << s.message();
  EXPECT_NE(s.message().find("berth"), std::string::npos) << s.message();
}

}  // namespace
}  // namespace shipledger::interop
