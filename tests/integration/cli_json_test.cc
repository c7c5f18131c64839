// `--json` on every command of `shipledger`: each prints exactly one JSON document on stdout
// (`watch`: one per line) against a real shipledgerd. The table must name every command that
// cli::CliApp knows, so a new command without JSON output fails here.
#include <google/protobuf/struct.pb.h>
#include <google/protobuf/util/json_util.h>
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>
#include <thread>

#include "cli/cli_app.h"
#include "fixture.h"
#include "interop/epcis_export.h"
#include "shipledger/clock.h"

namespace shipledger::itest {
namespace {

namespace fs = std::filesystem;
namespace pb = google::protobuf;

// Parses `text` as exactly one JSON object; the error otherwise.
std::string JsonError(const std::string& text, pb::Struct* doc) {
  const auto s = pb::util::JsonStringToMessage(text, doc);
  return s.ok() ? "" : std::string(s.message());
}

// The string field `key` of a --json answer.
std::string StringField(const ProgramResult& r, const std::string& key) {
  pb::Struct doc;
  if (!JsonError(r.out, &doc).empty()) return "";
  auto it = doc.fields().find(key);
  return it == doc.fields().end() ? "" : it->second.string_value();
}

TEST(CliJson, EveryCommandPrintsJson) {
  NetworkDir net;
  Daemon daemon(net.node_yaml());
  const std::string node = "127.0.0.1:" + std::to_string(net.port());
  const std::string exporter = net.admin_dir("exporter");
  const std::string genesis = net.genesis_path();
  const fs::path scratch = net.path() / "json-test";
  fs::create_directories(scratch);
  const std::string doc_file = (scratch / "bl.txt").string();
  std::ofstream(doc_file) << "bill of lading MAEU-JSON-1\n";
  const std::string epcis_file = (scratch / "event.jsonld").string();
  std::ofstream(epcis_file) << R"({"type": "ObjectEvent", "eventTime": "2026-03-01T09:00:00Z",
      "eventTimeZoneOffset": "+00:00", "action": "OBSERVE", "bizStep": "shipping"})";

  // Events of the last minutes (the node refuses claims far in the past).
  const int64_t now = SystemClock::Get().NowMs();
  const std::string readings_file = (scratch / "readings.jsonld").string();
  std::ofstream(readings_file) << R"({"type": "ObjectEvent", "action": "OBSERVE",
      "bizStep": "sensor_reporting", "eventTime": ")"
                               << interop::EpcisTime(now - 60000) << R"(",
      "eventTimeZoneOffset": "+00:00", "epcList": [], "sensorElementList": [{"sensorMetadata":
      {"time": ")" << interop::EpcisTime(now - 120000)
                               << R"("}, "sensorReport": [{"type":
      "Temperature", "value": 5, "uom": "CEL"}]}]})";
  const std::string loading_file = (scratch / "loading.json").string();
  std::ofstream(loading_file) << R"([{"eventType": "EQUIPMENT", "eventClassifierCode": "ACT",
      "equipmentEventTypeCode": "LOAD", "emptyIndicatorCode": "LADEN",
      "eventDateTime": ")" << interop::EpcisTime(now - 30000)
                             << R"(",
      "eventCreatedDateTime": ")"
                             << interop::EpcisTime(now - 30000) << R"("}])";

  auto json = [&](std::vector<std::string> args) {
    std::vector<std::string> full = {"--json", "--node", node, "--identity", exporter};
    full.insert(full.end(), args.begin(), args.end());
    return Cli(full, 70000);
  };
  bool ready = false;
  for (int i = 0; i < 500 && !ready; ++i) {
    ready = json({"health"}).code == 0;
    if (!ready) std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  ASSERT_TRUE(ready) << "shipledgerd did not come up";

  // What the later commands read: a booked shipment with a reference, a document and a private
  // field.
  const ProgramResult booked =
      json({"event", "submit", "--shipment", "S-JSON", "--type", "booked", "--party", "forwarder",
            "--ref", "bill_of_lading=MAEU-JSON-1", "--doc", "bill_of_lading=" + doc_file,
            "--private", "invoice_value=EUR-10", "--readers", "forwarder", "--wait"});
  ASSERT_EQ(booked.code, 0) << booked;
  const std::string id = StringField(booked, "event_id");
  ASSERT_EQ(id.size(), 64u) << booked;
  const std::string proof = (scratch / "booked.proof").string();
  const std::string disclosure = (scratch / "booked.disclosure").string();

  // In order: later lines read what earlier ones wrote. watch prints JSON Lines.
  const std::vector<std::pair<std::string, std::vector<std::string>>> lines = {
      {"network init",
       {"network", "init", "--out", (scratch / "net").string(), "--orgs",
        "a:exporter,b:forwarder,c:customs,d:importer"}},
      {"identity issue",
       {"identity", "issue", "--org-dir", (net.path() / "forwarder").string(), "--name",
        "json-test"}},
      {"event submit",
       {"event", "submit", "--shipment", "S-JSON", "--type", "pickup", "--location", "DEHAM",
        "--wait"}},
      {"event show", {"event", "show", id}},
      {"chain info", {"chain", "info"}},
      {"block show", {"block", "show", "1"}},
      {"shipment show", {"shipment", "show", "S-JSON"}},
      {"shipment list", {"shipment", "list", "--all"}},
      {"shipment find", {"shipment", "find", "--ref", "bill_of_lading=MAEU-JSON-1"}},
      {"watch", {"watch", "--from-height", "1", "--count", "2"}},
      {"status", {"status"}},
      {"health", {"health"}},
      {"backup", {"backup"}},
      {"verify", {"verify", "--genesis", genesis}},
      {"proof get", {"proof", "get", id, "--out", proof, "--wait"}},
      {"proof verify", {"proof", "verify", proof, "--genesis", genesis}},
      {"disclose",
       {"disclose", "--event", id, "--field", "invoice_value", "--out", disclosure, "--wait"}},
      {"disclosure verify", {"disclosure", "verify", disclosure, "--genesis", genesis}},
      {"doc hash", {"doc", "hash", doc_file}},
      {"doc verify", {"doc", "verify", doc_file, "--shipment", "S-JSON"}},
      {"epcis hash", {"epcis", "hash", epcis_file, "--pre-hash"}},
      {"export epcis", {"export", "epcis", "--shipment", "S-JSON", "--private"}},
      {"import epcis", {"import", "epcis", readings_file, "--shipment", "S-JSON"}},
      {"import dcsa", {"import", "dcsa", loading_file, "--shipment", "S-JSON"}},
      {"export dcsa",
       {"export", "dcsa", "--shipment", "S-JSON", "--out", (scratch / "dcsa.json").string()}},
  };
  std::set<std::string> covered;
  for (const auto& [command, args] : lines) {
    const ProgramResult r = json(args);
    EXPECT_EQ(r.code, 0) << r;
    std::istringstream out(r.out);
    int documents = 0;
    if (command == "watch") {
      for (std::string line; std::getline(out, line); ++documents) {
        pb::Struct doc;
        EXPECT_EQ(JsonError(line, &doc), "") << line << r;
      }
    } else {
      pb::Struct doc;
      EXPECT_EQ(JsonError(r.out, &doc), "") << r;
      documents = 1;
    }
    EXPECT_GE(documents, 1) << r;
    covered.insert(command);
  }
  const cli::CliApp app;
  for (const std::string& command : app.Commands()) {
    EXPECT_EQ(covered.count(command), 1u) << "no --json run of '" << command << "'";
  }
}

}  // namespace
}  // namespace shipledger::itest
