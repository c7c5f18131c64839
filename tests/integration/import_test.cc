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
#include "interop/epcis_export.h"
#include "interop/epcis_hash.h"
#include "interop/epcis_import.h"
#include "shipledger/clock.h"

namespace shipledger::itest {
namespace {

namespace pb = google::protobuf;

// A loading and a temperature report of container CSQU3054383, as a WMS might write them, and
// an AggregationEvent shipledger has no event for.
constexpr char kCapture[] = R"({
  "@context": ["https://ref.gs1.org/standards/epcis/2.0.0/epcis-context.jsonld",
               {"wms": "https://wms.example.com/ns/"}],
  "type": "EPCISDocument", "schemaVersion": "2.0", "creationDate": "{T0}",
  "epcisBody": {"eventList": [
    {"type": "ObjectEvent", "action": "OBSERVE", "bizStep": "loading", "disposition": "in_transit",
     "eventTime": "{T1}", "eventTimeZoneOffset": "+01:00",
     "epcList": ["urn:epc:id:bic:CSQU3054383"],
     "readPoint": {"id": "https://id.gs1.org/414/4012345000009"}},
    {"type": "ObjectEvent", "action": "OBSERVE", "bizStep": "sensor_reporting",
     "eventTime": "{T2}", "eventTimeZoneOffset": "+00:00",
     "epcList": ["urn:epc:id:bic:CSQU3054383"],
     "sensorElementList": [{"sensorMetadata": {"time": "{T3}",
                                               "deviceID": "urn:epc:id:giai:4012345.T17"},
                            "sensorReport": [{"type": "Temperature", "value": 4.5, "uom": "CEL"}]}]},
    {"type": "AggregationEvent", "action": "ADD", "bizStep": "packing",
     "eventTime": "{T4}", "eventTimeZoneOffset": "+00:00",
     "parentID": "urn:epc:id:sscc:4012345.0000000017",
     "childEPCs": ["urn:epc:id:sgtin:4012345.011111.1"]}]}})";

// An ISO time `minutes_ago` minutes before now (the node refuses claims far in the past).
std::string interop_time(int minutes_ago) {
  return interop::EpcisTime(SystemClock::Get().NowMs() - minutes_ago * 60'000LL);
}

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

  // Writes `text` with {T0}..{T4} replaced by times of the last minutes (the node refuses
  // claims far in the past), in order.
  std::string Write(const std::string& name, std::string text) {
    for (int i = 0; i <= 4; ++i) {
      const std::string mark = "{T" + std::to_string(i) + "}";
      for (size_t at = text.find(mark); at != std::string::npos; at = text.find(mark)) {
        text.replace(at, mark.size(), interop_time(10 - i));
      }
    }
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
  EXPECT_NE(imported.out.find("2 event(s) VALID, 0 not, 1 could not be imported"),
            std::string::npos)
      << imported;
  EXPECT_NE(imported.out.find("loaded  S-IMP"), std::string::npos) << imported;
  EXPECT_EQ(TimelineSize(), 4);

  // Run again (after a failure, say): the same ledger events, which the node already has.
  const ProgramResult again = Run("exporter", {"import", "epcis", file, "--skip-unmapped"});
  ASSERT_EQ(again.code, 0) << again;
  EXPECT_NE(again.out.find("2 event(s) VALID"), std::string::npos) << again;
  EXPECT_EQ(TimelineSize(), 4) << "nothing recorded twice";

  // The ids the capture's events have, computed as anyone would...
  std::stringstream written;
  written << std::ifstream(file).rdbuf();
  pb::Struct capture;
  ASSERT_TRUE(pb::util::JsonStringToMessage(written.str(), &capture).ok());
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
     "eventDateTime": "{T1}", "eventCreatedDateTime": "{T1}",
     "eventLocation": {"UNLocationCode": "DEHAM", "facilityCode": "CTA"}},
    {"eventType": "EQUIPMENT", "eventClassifierCode": "ACT", "equipmentEventTypeCode": "STUF",
     "emptyIndicatorCode": "LADEN", "equipmentReference": "CSQU3054383",
     "eventDateTime": "{T2}", "eventCreatedDateTime": "{T2}"}])");
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

// The customs side is read from the shipment as the file's earlier events leave it: a
// declaration after the arrival in the same file is an import declaration.
TEST_F(ImportCli, ALaterCustomsEventOfTheSameFileIsReadAfterTheEarlierOnes) {
  auto event = [](const std::string& body, int minute) {
    const std::string at = interop_time(minute);
    return R"({"eventClassifierCode": "ACT", "eventDateTime": ")" + at +
           R"(", "eventCreatedDateTime": ")" + at + R"(", )" + body + "}";
  };
  const std::string file = Write(
      "journey.json",
      "[" +
          event(R"("eventType": "EQUIPMENT", "equipmentEventTypeCode": "LOAD",
                   "emptyIndicatorCode": "LADEN", "eventLocation": {"UNLocationCode": "DEHAM"})",
                4) +
          "," +
          event(R"("eventType": "TRANSPORT", "transportEventTypeCode": "DEPA", "transportCall":
                   {"transportCallID": "TC-1", "modeOfTransport": "VESSEL", "UNLocationCode": "DEHAM"})",
                3) +
          "," +
          event(R"("eventType": "TRANSPORT", "transportEventTypeCode": "ARRI", "transportCall":
                   {"transportCallID": "TC-2", "modeOfTransport": "VESSEL", "UNLocationCode": "CNSHA"})",
                2) +
          "," +
          event(
              R"("eventType": "SHIPMENT", "shipmentEventTypeCode": "SUBM", "documentTypeCode": "CUS",
                   "documentID": "CN-1")",
              1) +
          "]");
  const ProgramResult imported =
      Run("exporter", {"--json", "import", "dcsa", file, "--shipment", "S-IMP"});
  ASSERT_EQ(imported.code, 0) << imported;
  EXPECT_NE(imported.out.find("\"type\": \"import_customs_declared\""), std::string::npos)
      << imported;
  EXPECT_EQ(TimelineSize(), 6);
}

TEST_F(ImportCli, AnEventForAShipmentNobodyBookedIsNamed) {
  const std::string file = Write("stray.json", R"({"eventType": "TRANSPORT",
    "eventClassifierCode": "ACT", "transportEventTypeCode": "DEPA",
    "eventDateTime": "{T1}", "eventCreatedDateTime": "{T1}",
    "transportCall": {"transportCallID": "TC-1", "modeOfTransport": "VESSEL",
                      "UNLocationCode": "DEHAM"}})");
  const ProgramResult refused = Run("exporter", {"import", "dcsa", file});
  EXPECT_EQ(refused.code, 1) << refused;
  EXPECT_NE(refused.err.find("give --shipment"), std::string::npos) << refused;
}

}  // namespace
}  // namespace shipledger::itest
