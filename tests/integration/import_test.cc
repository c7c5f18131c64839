// `shipledger import epcis|dcsa` against a real node: a document written by another system
// (our own, from the standard's vocabulary) finds its shipment by a container named at booking,
// nothing is submitted while an event cannot be mapped, --skip-unmapped submits the rest, and
// an exported event keeps the event hash ID it was imported with.
#include <google/protobuf/util/json_util.h>
#include <gtest/gtest.h>

#include <fstream>
#include <sstream>
#include <thread>

#include "fixture.h"
#include "interop/epcis_hash.h"
#include "interop/epcis_import.h"

namespace shipledger::itest {
namespace {

namespace pb = google::protobuf;

// A loading and a temperature report of container CSQU3054383, as a WMS might write them, and
// an AggregationEvent shipledger has no event for.
constexpr char kCapture[] = R"({
  "@context": ["https://ref.gs1.org/standards/epcis/2.0.0/epcis-context.jsonld",
               {"wms": "https://wms.example.com/ns/"}],
  "type": "EPCISDocument", "schemaVersion": "2.0", "creationDate": "2026-12-07T09:00:00Z",
  "epcisBody": {"eventList": [
    {"type": "ObjectEvent", "action": "OBSERVE", "bizStep": "loading", "disposition": "in_transit",
     "eventTime": "2026-12-07T09:30:00.000+01:00", "eventTimeZoneOffset": "+01:00",
     "epcList": ["urn:epc:id:bic:CSQU3054383"],
     "readPoint": {"id": "https://id.gs1.org/414/4012345000009"}},
    {"type": "ObjectEvent", "action": "OBSERVE", "bizStep": "sensor_reporting",
     "eventTime": "2026-12-07T09:40:00Z", "eventTimeZoneOffset": "+00:00",
     "epcList": ["urn:epc:id:bic:CSQU3054383"],
     "sensorElementList": [{"sensorMetadata": {"time": "2026-12-07T09:35:00Z",
                                               "deviceID": "urn:epc:id:giai:4012345.T17"},
                            "sensorReport": [{"type": "Temperature", "value": 4.5, "uom": "CEL"}]}]},
    {"type": "AggregationEvent", "action": "ADD", "bizStep": "packing",
     "eventTime": "2026-12-07T09:45:00Z", "eventTimeZoneOffset": "+00:00",
     "parentID": "urn:epc:id:sscc:4012345.0000000017",
     "childEPCs": ["urn:epc:id:sgtin:4012345.011111.1"]}]}})";

class ImportCli : public ::testing::Test {
 protected:
  void SetUp() override {
    node_ = "127.0.0.1:" + std::to_string(net_.port());
    bool ready = false;
    for (int i = 0; i < 500 && !ready; ++i) {
      ready = Run("exporter", {"health"}).code == 0;
      if (!ready) std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
    ASSERT_TRUE(ready) << "shipledgerd did not come up";
    const ProgramResult booked =
        Run("exporter", {"event", "submit", "--shipment", "S-IMP", "--type", "booked", "--party",
                         "forwarder", "--ref", "container=CSQU3054383", "--wait"});
    ASSERT_EQ(booked.code, 0) << booked;
    const ProgramResult pickup =
        Run("exporter", {"event", "submit", "--shipment", "S-IMP", "--type", "pickup", "--wait"});
    ASSERT_EQ(pickup.code, 0) << pickup;
  }

  ProgramResult Run(const std::string& org, std::vector<std::string> args) {
    std::vector<std::string> full = {"--node", node_, "--identity", net_.admin_dir(org)};
    full.insert(full.end(), args.begin(), args.end());
    return Cli(full, 70000);
  }

  std::string Write(const std::string& name, const std::string& text) {
    const std::string path = (net_.path() / name).string();
    std::ofstream(path) << text;
    return path;
  }

  int TimelineSize() {
    const ProgramResult shown = Run("exporter", {"--json", "shipment", "show", "S-IMP"});
    pb::Struct doc;
    if (!pb::util::JsonStringToMessage(shown.out, &doc).ok()) return -1;
    return doc.fields().at("timeline").list_value().values_size();
  }

  NetworkDir net_;
  Daemon daemon_{net_.node_yaml()};
  std::string node_;
};

TEST_F(ImportCli, NothingIsSubmittedWhileAnEventCannotBeMapped) {
  const std::string file = Write("capture.jsonld", kCapture);
  const ProgramResult refused = Run("exporter", {"import", "epcis", file});
  EXPECT_EQ(refused.code, 1) << refused;
  EXPECT_NE(refused.err.find("event 3 (ni:///sha-256;"), std::string::npos) << refused;
  EXPECT_NE(refused.err.find("AggregationEvent has no shipledger event type"), std::string::npos);
  EXPECT_NE(refused.err.find("1 of 3 events cannot be imported"), std::string::npos) << refused;
  EXPECT_NE(refused.err.find("nothing was submitted"), std::string::npos);
  EXPECT_EQ(TimelineSize(), 2);
}

TEST_F(ImportCli, ImportedEventsKeepTheirEventHashIdOnExport) {
  const std::string file = Write("capture.jsonld", kCapture);
  const ProgramResult imported = Run("exporter", {"import", "epcis", file, "--skip-unmapped"});
  ASSERT_EQ(imported.code, 0) << imported;
  EXPECT_NE(imported.out.find("2 event(s) VALID, 0 not, 1 could not be mapped"), std::string::npos)
      << imported;
  EXPECT_NE(imported.out.find("loaded  S-IMP"), std::string::npos) << imported;
  EXPECT_EQ(TimelineSize(), 4);

  // The ids the capture's events have, computed as anyone would...
  pb::Struct capture;
  ASSERT_TRUE(pb::util::JsonStringToMessage(kCapture, &capture).ok());
  const interop::Namespaces ns = interop::NamespacesOf(capture.fields().at("@context"));
  auto events = interop::EpcisEventsOf(capture);
  ASSERT_TRUE(events.ok());
  std::vector<std::string> given;
  for (int i = 0; i < 2; ++i) given.push_back(*interop::EventHashId(*(*events)[i], ns));
  // ...are the ids of the exported events.
  const ProgramResult exported = Run("exporter", {"export", "epcis", "--shipment", "S-IMP"});
  ASSERT_EQ(exported.code, 0) << exported;
  for (const std::string& id : given) {
    EXPECT_NE(exported.out.find("\"eventID\": \"" + id + "\""), std::string::npos) << id << "\n"
                                                                                   << exported.out;
  }
  // And the foreign reader point and offset came back as they were.
  EXPECT_NE(exported.out.find("https://id.gs1.org/414/4012345000009"), std::string::npos);
  EXPECT_NE(exported.out.find("\"eventTimeZoneOffset\": \"+01:00\""), std::string::npos);
}

TEST_F(ImportCli, DcsaEventsWithFullWordCodes) {
  const std::string file = Write("events.json", R"([
    {"eventType": "EQUIPMENT", "eventClassifierCode": "ACT", "equipmentEventTypeCode": "LOADED",
     "emptyIndicatorCode": "LADEN", "equipmentReference": "CSQU3054383",
     "eventDateTime": "2026-12-07T10:00:00+01:00", "eventCreatedDateTime": "2026-12-07T10:01:00+01:00",
     "eventLocation": {"UNLocationCode": "DEHAM", "facilityCode": "CTA"}},
    {"eventType": "EQUIPMENT", "eventClassifierCode": "ACT", "equipmentEventTypeCode": "STUF",
     "emptyIndicatorCode": "LADEN", "equipmentReference": "CSQU3054383",
     "eventDateTime": "2026-12-07T10:05:00Z", "eventCreatedDateTime": "2026-12-07T10:05:00Z"}])");
  const ProgramResult refused = Run("exporter", {"import", "dcsa", file});
  EXPECT_EQ(refused.code, 1) << refused;
  EXPECT_NE(refused.err.find("EQUIPMENT event code STUF has no shipledger event type"),
            std::string::npos)
      << refused;
  const ProgramResult imported =
      Run("exporter", {"--json", "import", "dcsa", file, "--skip-unmapped"});
  ASSERT_EQ(imported.code, 0) << imported;
  pb::Struct doc;
  ASSERT_TRUE(pb::util::JsonStringToMessage(imported.out, &doc).ok()) << imported;
  EXPECT_EQ(doc.fields().at("valid").number_value(), 1);
  EXPECT_EQ(doc.fields().at("unmapped").number_value(), 1);
  const auto& row = doc.fields().at("events").list_value().values(0).struct_value().fields();
  EXPECT_EQ(row.at("type").string_value(), "loaded");
  EXPECT_EQ(row.at("result").string_value(), "VALID");
  // What the mapping does not place is kept as a detail.
  const ProgramResult shown = Run("exporter", {"--json", "shipment", "show", "S-IMP"});
  EXPECT_NE(shown.out.find("dcsa.eventLocation.facilityCode"), std::string::npos) << shown;
}

TEST_F(ImportCli, AnEventForAShipmentNobodyBookedIsNamed) {
  const std::string file = Write("stray.json", R"({"eventType": "TRANSPORT",
    "eventClassifierCode": "ACT", "transportEventTypeCode": "DEPA",
    "eventDateTime": "2026-12-07T10:00:00Z", "eventCreatedDateTime": "2026-12-07T10:00:00Z",
    "transportCall": {"transportCallID": "TC-1", "modeOfTransport": "VESSEL",
                      "UNLocationCode": "DEHAM"}})");
  const ProgramResult refused = Run("exporter", {"import", "dcsa", file});
  EXPECT_EQ(refused.code, 1) << refused;
  EXPECT_NE(refused.err.find("give --shipment"), std::string::npos) << refused;
}

}  // namespace
}  // namespace shipledger::itest
