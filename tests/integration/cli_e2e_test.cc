// The operator CLI end to end: the real `shipledger` binary against a real `shipledgerd`
// process on loopback, asserting exit codes and what the operator reads.
#include <google/protobuf/struct.pb.h>
#include <google/protobuf/util/json_util.h>
#include <gtest/gtest.h>
#include <poll.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cctype>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <optional>
#include <random>
#include <sstream>
#include <thread>

#include "config/genesis_file.h"
#include "fixture.h"

namespace shipledger::itest {
namespace {

namespace fs = std::filesystem;
namespace pb = google::protobuf;

using CliResult = ProgramResult;

bool Contains(const std::string& haystack, const std::string& needle) {
  return haystack.find(needle) != std::string::npos;
}

bool IsHex64(const std::string& s) {
  if (s.size() != 64) return false;
  for (char c : s) {
    if (!std::isxdigit(static_cast<unsigned char>(c))) return false;
  }
  return true;
}

// Parses stdout as exactly one JSON object (protobuf's JSON parser refuses trailing text).
pb::Struct Json(const CliResult& r) {
  pb::Struct doc;
  const auto s = pb::util::JsonStringToMessage(r.out, &doc);
  EXPECT_TRUE(s.ok()) << "not one JSON document: " << std::string(s.message()) << r;
  return doc;
}

// The field `key` of `doc`; a null value (and a test failure) when it is missing.
const pb::Value& Field(const pb::Struct& doc, const std::string& key) {
  static const pb::Value kMissing;
  auto it = doc.fields().find(key);
  if (it == doc.fields().end()) {
    ADD_FAILURE() << "JSON has no key '" << key << "'";
    return kMissing;
  }
  return it->second;
}

std::string Str(const pb::Struct& doc, const std::string& key) {
  return Field(doc, key).string_value();
}
double Num(const pb::Struct& doc, const std::string& key) { return Field(doc, key).number_value(); }

std::vector<std::string> Lines(const std::string& text) {
  std::vector<std::string> lines;
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);) {
    if (!line.empty()) lines.push_back(line);
  }
  return lines;
}

std::string NewTempPath(const std::string& prefix) {
  std::random_device rd;
  return (fs::temp_directory_path() / (prefix + std::to_string(rd()))).string();
}

std::string Target(const NetworkDir& net) { return "127.0.0.1:" + std::to_string(net.port()); }

// Waits until `shipledger chain info` answers at `target`. Unlike fixture's WaitReady, each
// probe is a fresh process, so a probe made before the node listened does not leave gRPC's
// reconnect backoff (1 s, 1.6 s, 2.6 s, ...) delaying the next one.
bool WaitCliReady(const std::string& target, const std::string& identity, int timeout_ms = 10000) {
  const auto until = std::chrono::steady_clock::now() + std::chrono::milliseconds(timeout_ms);
  while (std::chrono::steady_clock::now() < until) {
    if (Cli({"--node", target, "--identity", identity, "chain", "info"}, 2000).code == 0) {
      return true;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  return false;
}

std::string AdminOf(const NetworkDir& net, const std::string& org) {
  return (net.path() / org / "clients/admin").string();
}

// One network and one shipledgerd shared by the suite; tests use their own shipment ids.
class CliNode : public ::testing::Test {
 protected:
  // A shipment's recorded journey: booked by the exporter (party forwarder, booking BK-1),
  // handed over to the forwarder, a pickup by the exporter (no longer custodian), a pickup
  // by the forwarder.
  struct Journey {
    CliResult booked, handover, rejected_pickup, pickup;
    std::string booked_id;
    double booked_height = 0;
  };
  static constexpr const char* kShipment = "S-1";

  static void SetUpTestSuite() {
    net_ = new NetworkDir();
    daemon_ = new Daemon(net_->node_yaml());
    // Every CLI run of the suite authenticates as the exporter's admin unless it says otherwise.
    setenv("SHIPLEDGER_IDENTITY", admin("exporter").c_str(), 1);
    ready_ = WaitCliReady(Target(*net_), admin("exporter"));
  }
  static void TearDownTestSuite() {
    unsetenv("SHIPLEDGER_IDENTITY");
    journey_.reset();
    delete daemon_;
    delete net_;
    daemon_ = nullptr;
    net_ = nullptr;
  }
  void SetUp() override { ASSERT_TRUE(ready_) << "shipledgerd did not come up"; }

  static std::string node() { return Target(*net_); }
  static std::string admin(const std::string& org) { return AdminOf(*net_, org); }

  // `--node N event submit --identity <org admin> --shipment S --type T --wait` plus `extra`.
  static CliResult Submit(const std::string& org, const std::string& shipment,
                          const std::string& type, std::vector<std::string> extra = {}) {
    std::vector<std::string> args = {"--node",     node(),     "event",      "submit",
                                     "--identity", admin(org), "--shipment", shipment,
                                     "--type",     type,       "--wait"};
    args.insert(args.end(), extra.begin(), extra.end());
    return Cli(args);
  }

  // Records kShipment's journey once per suite, whichever test asks first.
  static const Journey& GetJourney() {
    if (journey_) return *journey_;
    Journey j;
    j.booked = Cli({"--node", node(), "event", "submit", "--identity", admin("exporter"),
                    "--shipment", kShipment, "--type", "booked", "--party", "forwarder", "--ref",
                    "booking=BK-1", "--wait", "--json"});
    const pb::Struct doc = Json(j.booked);
    j.booked_id = Str(doc, "event_id");
    j.booked_height = Num(doc, "height");
    j.handover =
        Submit("exporter", kShipment, "handover", {"--cosigner", admin("forwarder"), "--json"});
    j.rejected_pickup = Submit("exporter", kShipment, "pickup");
    j.pickup = Submit("forwarder", kShipment, "pickup", {"--location", "DEHAM", "--json"});
    journey_ = std::move(j);
    return *journey_;
  }

  static NetworkDir* net_;
  static Daemon* daemon_;
  static bool ready_;
  static std::optional<Journey> journey_;
};

NetworkDir* CliNode::net_ = nullptr;
Daemon* CliNode::daemon_ = nullptr;
bool CliNode::ready_ = false;
std::optional<CliNode::Journey> CliNode::journey_;

TEST_F(CliNode, ChainInfoJsonIsOneDocumentWithJsonBeforeOrAfterTheCommand) {
  GetJourney();  // a chain with blocks
  const CliResult before = Cli({"--node", node(), "--json", "chain", "info"});
  const CliResult after = Cli({"chain", "info", "--node", node(), "--json"});
  for (const CliResult* r : {&before, &after}) {
    ASSERT_EQ(r->code, 0) << *r;
    const pb::Struct doc = Json(*r);
    EXPECT_GE(Num(doc, "height"), 1) << *r;
    EXPECT_TRUE(IsHex64(Str(doc, "head_hash"))) << *r;
  }
  EXPECT_EQ(before.out, after.out);
}

TEST_F(CliNode, SubmitBookedWithWaitJsonPrintsIdHeightAndValidReceipt) {
  const Journey& j = GetJourney();
  ASSERT_EQ(j.booked.code, 0) << j.booked;
  const pb::Struct doc = Json(j.booked);
  EXPECT_TRUE(IsHex64(Str(doc, "event_id"))) << j.booked;
  EXPECT_GE(Num(doc, "height"), 1) << j.booked;
  const pb::Struct& receipt = Field(doc, "receipt").struct_value();
  EXPECT_EQ(Str(receipt, "code"), "VALID") << j.booked;
  EXPECT_EQ(Num(receipt, "height"), Num(doc, "height"));
}

TEST_F(CliNode, HandoverWithReceiverCosignatureIsValid) {
  const Journey& j = GetJourney();
  ASSERT_EQ(j.handover.code, 0) << j.handover;
  EXPECT_EQ(Str(Field(Json(j.handover), "receipt").struct_value(), "code"), "VALID") << j.handover;
}

TEST_F(CliNode, HandoverWithoutCosignerFailsAndSaysWhatToAdd) {
  ASSERT_EQ(Submit("exporter", "S-NOCOSIGN", "booked").code, 0);
  const CliResult r = Submit("exporter", "S-NOCOSIGN", "handover");
  EXPECT_NE(r.code, 0) << r;
  EXPECT_TRUE(Contains(r.err, "co-signature")) << r;
  EXPECT_TRUE(Contains(r.err, "--cosigner")) << r;
}

TEST_F(CliNode, CustodyEventByNonCustodianExitsThreeWithTheReason) {
  const Journey& j = GetJourney();
  const CliResult& r = j.rejected_pickup;
  EXPECT_EQ(r.code, 3) << r;
  EXPECT_TRUE(Contains(r.out, "REJECTED")) << r;
  EXPECT_TRUE(Contains(r.out, "custodian is 'forwarder'")) << r;
  ASSERT_EQ(j.pickup.code, 0) << j.pickup;  // the custodian may
}

TEST_F(CliNode, UnknownEventTypeIsUsageErrorListingValidTypes) {
  const CliResult r = Submit("exporter", "S-X", "teleported");
  EXPECT_EQ(r.code, 64) << r;
  EXPECT_TRUE(Contains(r.err, "unknown event type 'teleported'")) << r;
  for (const char* name :
       {"booked", "pickup", "handover", "export_customs_declared", "delivered"}) {
    EXPECT_TRUE(Contains(r.err, name)) << name << r;
  }
}

TEST_F(CliNode, SubmitFromJsonFile) {
  const std::string file = (net_->path() / "event.json").string();
  std::ofstream(file) << R"({"shipment_id": "S-FILE", "type": "booked", "location": "CNSHA",)"
                      << R"( "references": [{"kind": "booking", "value": "BK-FILE"}]})";
  const CliResult r = Cli({"--node", node(), "--json", "event", "submit", "--identity",
                           admin("exporter"), "--file", file, "--wait"});
  ASSERT_EQ(r.code, 0) << r;
  EXPECT_EQ(Str(Field(Json(r), "receipt").struct_value(), "code"), "VALID") << r;
  const CliResult found = Cli({"--node", node(), "shipment", "find", "--ref", "booking=BK-FILE"});
  ASSERT_EQ(found.code, 0) << found;
  EXPECT_EQ(Lines(found.out), std::vector<std::string>{"S-FILE"}) << found;
}

TEST_F(CliNode, IssuedIdentitySubmitsWithItsOrganisationsRole) {
  const std::string org_dir = (net_->path() / "importer").string();
  const CliResult issued = Cli({"identity", "issue", "--org-dir", org_dir, "--name", "clerk"});
  ASSERT_EQ(issued.code, 0) << issued;
  const fs::path clerk = fs::path(org_dir) / "clients/clerk";
  EXPECT_TRUE(fs::exists(clerk / "cert.pem"));
  EXPECT_TRUE(fs::exists(clerk / "key.pem"));
  // Booking is allowed to the importer role; the clerk's certificate chains to importer's CA.
  const CliResult r = Cli({"--node", node(), "--json", "event", "submit", "--identity",
                           clerk.string(), "--shipment", "S-CLERK", "--type", "booked", "--wait"});
  ASSERT_EQ(r.code, 0) << r;
  const pb::Struct doc = Json(r);
  EXPECT_EQ(Str(Field(doc, "receipt").struct_value(), "code"), "VALID") << r;
  // The importer's clerk reads it; the exporter (the suite's identity) is no party of it.
  const CliResult shown =
      Cli({"--node", node(), "--identity", clerk.string(), "event", "show", Str(doc, "event_id")});
  ASSERT_EQ(shown.code, 0) << shown;
  EXPECT_TRUE(Contains(shown.out, "importer (CN clerk)")) << shown;
  const CliResult hidden = Cli({"--node", node(), "event", "show", Str(doc, "event_id")});
  EXPECT_EQ(hidden.code, 1) << hidden;
  EXPECT_TRUE(Contains(hidden.err, "no event")) << hidden;
}

TEST_F(CliNode, ShipmentShowListsTheTimelineInOrder) {
  GetJourney();
  const CliResult r = Cli({"--node", node(), "shipment", "show", kShipment});
  ASSERT_EQ(r.code, 0) << r;
  std::vector<std::string> rows;  // timeline rows carry the receipt code in capitals
  for (const auto& line : Lines(r.out)) {
    if (Contains(line, "VALID") || Contains(line, "REJECTED")) rows.push_back(line);
  }
  ASSERT_EQ(rows.size(), 4u) << r;
  EXPECT_TRUE(Contains(rows[0], "booked") && Contains(rows[0], "VALID")) << r;
  EXPECT_TRUE(Contains(rows[1], "handover") && Contains(rows[1], "+forwarder")) << r;
  EXPECT_TRUE(Contains(rows[2], "pickup") && Contains(rows[2], "REJECTED")) << r;
  EXPECT_TRUE(Contains(rows[3], "pickup") && Contains(rows[3], "VALID")) << r;
  EXPECT_TRUE(Contains(rows[3], "DEHAM")) << r;
}

TEST_F(CliNode, ShipmentShowJsonHasStateAndTimeline) {
  GetJourney();
  const CliResult r = Cli({"--json", "shipment", "show", kShipment, "--node", node()});
  ASSERT_EQ(r.code, 0) << r;
  const pb::Struct doc = Json(r);
  EXPECT_EQ(Str(doc, "shipment_id"), kShipment);
  const pb::Struct& state = Field(doc, "state").struct_value();
  EXPECT_EQ(Str(state, "status"), "PICKED_UP") << r;
  EXPECT_EQ(Str(state, "custodian"), "forwarder") << r;
  const auto& timeline = Field(doc, "timeline").list_value().values();
  ASSERT_EQ(timeline.size(), 4) << r;
  const char* types[] = {"booked", "handover", "pickup", "pickup"};
  const char* codes[] = {"VALID", "VALID", "REJECTED", "VALID"};
  for (int i = 0; i < 4; ++i) {
    const pb::Struct& entry = timeline[i].struct_value();
    EXPECT_EQ(Str(entry, "type"), types[i]) << i;
    EXPECT_EQ(Str(Field(entry, "receipt").struct_value(), "code"), codes[i]) << i;
  }
}

TEST_F(CliNode, ShipmentListAndFindByReference) {
  GetJourney();
  const CliResult list = Cli({"--node", node(), "shipment", "list"});
  ASSERT_EQ(list.code, 0) << list;
  EXPECT_TRUE(Contains(list.out, kShipment)) << list;
  const CliResult find = Cli({"--node", node(), "shipment", "find", "--ref", "booking=BK-1"});
  ASSERT_EQ(find.code, 0) << find;
  EXPECT_EQ(Lines(find.out), std::vector<std::string>{kShipment}) << find;
  const CliResult json =
      Cli({"--node", node(), "shipment", "find", "--ref", "booking=BK-1", "--json"});
  ASSERT_EQ(json.code, 0) << json;
  const pb::Struct doc = Json(json);
  const auto& ids = Field(doc, "shipment_ids").list_value().values();
  ASSERT_EQ(ids.size(), 1) << json;
  EXPECT_EQ(ids[0].string_value(), kShipment);
}

TEST_F(CliNode, EventShowAndBlockShow) {
  const Journey& j = GetJourney();
  const CliResult event = Cli({"--node", node(), "event", "show", j.booked_id});
  ASSERT_EQ(event.code, 0) << event;
  for (const char* text : {"booked", kShipment, "booking=BK-1", "exporter (CN admin)", "VALID"}) {
    EXPECT_TRUE(Contains(event.out, text)) << text << event;
  }
  const CliResult first = Cli({"--node", node(), "block", "show", "1"});
  ASSERT_EQ(first.code, 0) << first;
  EXPECT_TRUE(Contains(first.out, "EVENT ID")) << first;
  const std::string height = std::to_string(static_cast<uint64_t>(j.booked_height));
  const CliResult block = Cli({"--node", node(), "block", "show", height});
  ASSERT_EQ(block.code, 0) << block;
  EXPECT_TRUE(Contains(block.out, j.booked_id)) << block;
  const CliResult missing = Cli({"--node", node(), "block", "show", "999999"});
  EXPECT_NE(missing.code, 0) << missing;
  EXPECT_TRUE(Contains(missing.err, "chain info")) << missing;
}

TEST_F(CliNode, StatusJsonReportsViewPrimaryAndHeight) {
  GetJourney();
  CliResult r = Cli({"--node", node(), "status", "--json"});
  ASSERT_EQ(r.code, 0) << r;
  pb::Struct doc = Json(r);
  const double journey_height = Num(doc, "height");
  // A one-node network certifies its own checkpoints: within checkpoint_idle_ms of quiet an
  // empty block's checkpoint is stable and covers the journey. Status reads the core's ordered
  // height and the store's head at slightly different moments, so while that block is between
  // the two, `lag` is 1; the node is at rest when it is 0.
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(15);
  while ((Num(doc, "stable_checkpoint") < journey_height || Num(doc, "lag") != 0) &&
         std::chrono::steady_clock::now() < deadline) {
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
    r = Cli({"--node", node(), "status", "--json"});
    ASSERT_EQ(r.code, 0) << r;
    doc = Json(r);
  }
  EXPECT_EQ(Num(doc, "view"), 0) << r;
  EXPECT_EQ(Num(doc, "primary"), 0) << r;
  EXPECT_TRUE(Field(doc, "is_primary").bool_value()) << r;
  EXPECT_GE(Num(doc, "height"), 1) << r;
  // A one-node network: no peers, never behind, no view change.
  const pb::Value& peers = Field(doc, "peers");
  ASSERT_TRUE(peers.has_list_value()) << r;
  EXPECT_EQ(peers.list_value().values_size(), 0) << r;
  EXPECT_EQ(Num(doc, "lag"), 0) << r;
  EXPECT_EQ(Num(doc, "highest_known_height"), Num(doc, "height")) << r;
  EXPECT_FALSE(Field(doc, "view_changing").bool_value()) << r;
  EXPECT_EQ(Num(doc, "diverged_height"), 0) << r;
  EXPECT_GE(Num(doc, "stable_checkpoint"), journey_height) << r;
  EXPECT_LE(Num(doc, "stable_checkpoint"), Num(doc, "height")) << r;
}

TEST_F(CliNode, HealthSaysServingForTheNodeAndEachServiceAndNamesAnUnknownOne) {
  CliResult r = Cli({"--node", node(), "health"});
  EXPECT_EQ(r.code, 0) << r;
  EXPECT_EQ(r.out, node() + ": SERVING\n") << r;
  r = Cli({"--node", node(), "--json", "health", "--service", "shipledger.v1.LedgerService"});
  ASSERT_EQ(r.code, 0) << r;
  const pb::Struct doc = Json(r);
  EXPECT_EQ(Str(doc, "status"), "SERVING") << r;
  EXPECT_EQ(Str(doc, "service"), "shipledger.v1.LedgerService") << r;
  r = Cli({"--node", node(), "health", "--service", "shipledger.v1.NoSuchService"});
  EXPECT_EQ(r.code, 1) << r;
  EXPECT_TRUE(Contains(r.err, "serves no service named 'shipledger.v1.NoSuchService'")) << r;
}

TEST_F(CliNode, StatusTextShowsPrimaryLagAndNoPeers) {
  GetJourney();
  const CliResult r = Cli({"--node", node(), "status"});
  ASSERT_EQ(r.code, 0) << r;
  EXPECT_TRUE(Contains(r.out, "replica 0 (this node)")) << r;
  EXPECT_TRUE(Contains(r.out, "is primary")) << r;
  EXPECT_TRUE(Contains(r.out, "stable at height")) << r;
  EXPECT_TRUE(Contains(r.out, "view change")) << r;
  EXPECT_TRUE(Contains(r.out, "none (one-node network)")) << r;
}

TEST_F(CliNode, WatchStopsAfterCount) {
  GetJourney();
  const CliResult r = Cli({"--node", node(), "watch", "--count", "2", "--from-height", "1"});
  ASSERT_EQ(r.code, 0) << r;
  const auto lines = Lines(r.out);
  ASSERT_EQ(lines.size(), 2u) << r;
  EXPECT_EQ(lines[0].rfind("1 ", 0), 0u) << r;  // the first event is in block 1
  const CliResult json =
      Cli({"--node", node(), "--json", "watch", "--count", "2", "--from-height", "1"});
  ASSERT_EQ(json.code, 0) << json;
  const auto json_lines = Lines(json.out);
  ASSERT_EQ(json_lines.size(), 2u) << json;
  CliResult first = json;
  first.out = json_lines[0];
  EXPECT_EQ(Num(Json(first), "height"), 1) << json;
}

TEST_F(CliNode, VerifyAgainstTheNodeSaysChainOk) {
  GetJourney();
  const CliResult r = Cli({"--node", node(), "verify", "--genesis", net_->genesis_path()});
  EXPECT_EQ(r.code, 0) << r;
  EXPECT_TRUE(Contains(r.out, "chain OK")) << r;
  NetworkDir other;
  const CliResult wrong = Cli({"--node", node(), "verify", "--genesis", other.genesis_path()});
  EXPECT_NE(wrong.code, 0) << wrong;
  EXPECT_TRUE(Contains(wrong.all(), "genesis")) << wrong;
}

// A one-node network certifies its receipts as a 4-node one does (its own checkpoint is a
// quorum of one): the proof of an event is complete and verifies offline with a verdict.
TEST_F(CliNode, AOneNodeNetworksProofIsCertified) {
  const Journey& j = GetJourney();
  const std::string file = NewTempPath("shipledger-cli-proof-") + ".proof";
  const CliResult got =
      Cli({"--node", node(), "proof", "get", j.booked_id, "--out", file, "--wait"});
  ASSERT_EQ(got.code, 0) << got;
  EXPECT_TRUE(Contains(got.out, "certified by the stable checkpoint at height")) << got;
  const CliResult ok = Cli({"--json", "proof", "verify", file, "--genesis", net_->genesis_path()});
  std::filesystem::remove(file);
  ASSERT_EQ(ok.code, 0) << ok;
  EXPECT_EQ(Field(Json(ok), "verdict").string_value(), "VALID") << ok;
}

TEST(CliNetworkInit, WritesTheNetworkAndRefusesASecondInit) {
  const std::string dir = NewTempPath("shipledger-cli-init-");
  const std::vector<std::string> init = {"network",
                                         "init",
                                         "--out",
                                         dir,
                                         "--base-port",
                                         "17050",
                                         "--orgs",
                                         "exporter:exporter,forwarder:forwarder:client,customs:"
                                         "customs:client,importer:importer:client"};
  const CliResult r = Cli(init);
  ASSERT_EQ(r.code, 0) << r;
  EXPECT_TRUE(Contains(r.out, "shipledgerd --config")) << r;
  for (const char* file : {"genesis.yaml", "exporter/node/node.yaml", "exporter/ca/cert.pem"}) {
    EXPECT_TRUE(fs::exists(fs::path(dir) / file)) << file;
  }
  for (const char* org : {"exporter", "forwarder", "customs", "importer"}) {
    EXPECT_TRUE(fs::exists(fs::path(dir) / org / "clients/admin/cert.pem")) << org;
    EXPECT_TRUE(fs::exists(fs::path(dir) / org / "clients/admin/key.pem")) << org;
  }
  EXPECT_FALSE(fs::exists(fs::path(dir) / "importer/node")) << "a :client org runs no node";
  const CliResult again = Cli(init);
  EXPECT_NE(again.code, 0) << again;
  EXPECT_TRUE(Contains(again.err, "already holds a network")) << again;
  EXPECT_TRUE(Contains(again.err, "choose another --out")) << again;
  std::error_code ec;
  fs::remove_all(dir, ec);
}

TEST(CliNetworkInit, FourNodeNetworkWithConsensusOptions) {
  const std::string dir = NewTempPath("shipledger-cli-init-");
  const CliResult r =
      Cli({"network", "init", "--out", dir, "--base-port", "17060", "--orgs",
           "exporter:exporter,forwarder:forwarder,customs:customs,importer:importer",
           "--view-timeout-ms", "800", "--checkpoint-interval", "32", "--batch-timeout-ms", "10"});
  ASSERT_EQ(r.code, 0) << r;
  auto genesis = config::LoadGenesis((fs::path(dir) / "genesis.yaml").string());
  ASSERT_TRUE(genesis.ok()) << genesis.status().ToString();
  EXPECT_EQ((*genesis)->n(), 4u);
  EXPECT_EQ((*genesis)->consensus.view_timeout_ms, 800u);
  EXPECT_EQ((*genesis)->consensus.checkpoint_interval, 32u);
  EXPECT_EQ((*genesis)->consensus.batch_timeout_ms, 10u);
  for (const char* org : {"exporter", "forwarder", "customs", "importer"}) {
    EXPECT_TRUE(Contains(r.out, std::string(org) + "/node/node.yaml")) << r;
  }
  const CliResult bad = Cli({"network", "init", "--out", dir + "-bad", "--orgs",
                             "exporter:exporter", "--view-timeout-ms", "1"});
  EXPECT_NE(bad.code, 0) << bad;
  EXPECT_TRUE(Contains(bad.err, "--view-timeout-ms")) << bad;
  std::error_code ec;
  fs::remove_all(dir, ec);
  fs::remove_all(dir + "-bad", ec);
}

TEST(CliOfflineVerify, DataDirVerifiesAfterSigtermAndWrongGenesisIsRefused) {
  NetworkDir net;
  {
    Daemon d(net.node_yaml());
    ASSERT_TRUE(WaitCliReady(Target(net), AdminOf(net, "exporter")));
    for (const char* type : {"booked", "pickup"}) {
      const CliResult r =
          Cli({"--node", Target(net), "event", "submit", "--identity", AdminOf(net, "exporter"),
               "--shipment", "S-OFF", "--type", type, "--wait"});
      ASSERT_EQ(r.code, 0) << r;
    }
    d.Kill(SIGTERM);
    ASSERT_EQ(d.Wait(), 0);
  }
  const CliResult ok =
      Cli({"verify", "--data-dir", net.data_dir(), "--genesis", net.genesis_path()});
  EXPECT_EQ(ok.code, 0) << ok;
  EXPECT_TRUE(Contains(ok.out, "chain OK: 2 blocks, 2 events")) << ok;
  // Into a pipe: the result only. On a terminal: a progress line on stderr, erased at the end.
  EXPECT_FALSE(Contains(ok.err, "verifying")) << ok;
  const CliResult tty =
      Cli({"verify", "--data-dir", net.data_dir(), "--genesis", net.genesis_path()}, 15000,
          /*stderr_on_terminal=*/true);
  EXPECT_EQ(tty.code, 0) << tty;
  EXPECT_TRUE(Contains(tty.out, "chain OK: 2 blocks, 2 events")) << tty;
  EXPECT_TRUE(Contains(tty.err, "\rverifying: 1 / 2 blocks (50%)")) << tty;
  EXPECT_EQ(tty.err.back(), '\r') << "the line is erased at the end: " << tty;

  NetworkDir other;  // the genesis of another network
  const CliResult wrong =
      Cli({"verify", "--data-dir", net.data_dir(), "--genesis", other.genesis_path()});
  EXPECT_NE(wrong.code, 0) << wrong;
  EXPECT_TRUE(Contains(wrong.err, "belongs to chain '" + net.genesis()->chain_id + "'")) << wrong;
  EXPECT_TRUE(Contains(wrong.err, "genesis")) << wrong;

  const CliResult expect = Cli({"verify", "--data-dir", net.data_dir(), "--genesis",
                                net.genesis_path(), "--expect-genesis-hash", std::string(64, '0')});
  EXPECT_NE(expect.code, 0) << expect;
  EXPECT_TRUE(Contains(expect.err, "not the expected")) << expect;
}

TEST(CliUnreachableNode, HealthFailsWithTheReason) {
  const CliResult r = Cli({"--node", "127.0.0.1:1", "--insecure", "health"});
  EXPECT_EQ(r.code, 1) << r;
  EXPECT_TRUE(Contains(r.err, "cannot reach node at 127.0.0.1:1")) << r;
}

TEST(CliUnreachableNode, ChainInfoSaysToStartShipledgerd) {
  const CliResult r = Cli({"--node", "127.0.0.1:1", "--insecure", "chain", "info"});
  EXPECT_NE(r.code, 0) << r;
  EXPECT_TRUE(Contains(r.err, "cannot reach node at 127.0.0.1:1")) << r;
  EXPECT_TRUE(Contains(r.err, "start it with: shipledgerd --config")) << r;
}

}  // namespace
}  // namespace shipledger::itest
