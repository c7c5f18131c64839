#include "cli/cli_app.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>

namespace shipledger::cli {
namespace {

// Parses a command line and keeps what was printed.
struct Parsed {
  std::unique_ptr<CliApp> app = std::make_unique<CliApp>();
  std::ostringstream out;
  std::ostringstream err;
  std::optional<int> exit_code;
};

std::unique_ptr<Parsed> Parse(const std::vector<std::string>& args) {
  auto p = std::make_unique<Parsed>();
  const Io io{p->out, p->err};
  p->exit_code = p->app->Parse(args, io);
  return p;
}

// Parses and runs a command line.
struct Ran {
  int exit_code = -1;
  std::string out;
  std::string err;
};

Ran RunLine(const std::vector<std::string>& args) {
  std::ostringstream out, err;
  std::vector<const char*> argv = {"shipledger"};
  for (const auto& a : args) argv.push_back(a.c_str());
  Ran r;
  r.exit_code = RunCli(static_cast<int>(argv.size()), argv.data(), out, err);
  r.out = out.str();
  r.err = err.str();
  return r;
}

// A node address where nothing listens.
constexpr char kDeadNode[] = "127.0.0.1:1";

// SHA-256("abc"), FIPS 180-2 appendix B.1.
constexpr char kAbcSha256[] = "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad";

TEST(CliParse, GlobalOptionsHaveDefaults) {
  auto p = Parse({"chain", "info"});
  ASSERT_FALSE(p->exit_code) << p->err.str();
  EXPECT_EQ(p->app->command(), "chain info");
  EXPECT_EQ(p->app->options().global.node, "127.0.0.1:7050");
  EXPECT_FALSE(p->app->options().global.node_given);
  EXPECT_FALSE(p->app->options().global.json);
}

TEST(CliParse, GlobalOptionsBeforeTheCommand) {
  auto p = Parse({"--node", "10.0.0.5:7052", "--json", "chain", "info"});
  ASSERT_FALSE(p->exit_code) << p->err.str();
  EXPECT_EQ(p->app->options().global.node, "10.0.0.5:7052");
  EXPECT_TRUE(p->app->options().global.node_given);
  EXPECT_TRUE(p->app->options().global.json);
}

TEST(CliParse, GlobalOptionsAfterTheCommand) {
  auto p = Parse({"shipment", "show", "SHP-1", "--json", "--node", "10.0.0.5:7052"});
  ASSERT_FALSE(p->exit_code) << p->err.str();
  EXPECT_EQ(p->app->command(), "shipment show");
  EXPECT_EQ(p->app->options().show.id, "SHP-1");
  EXPECT_EQ(p->app->options().global.node, "10.0.0.5:7052");
  EXPECT_TRUE(p->app->options().global.json);
}

TEST(CliParse, GlobalOptionsBetweenGroupAndCommand) {
  auto p = Parse({"chain", "--json", "info"});
  ASSERT_FALSE(p->exit_code) << p->err.str();
  EXPECT_EQ(p->app->command(), "chain info");
  EXPECT_TRUE(p->app->options().global.json);
}

TEST(CliParse, EventSubmitCollectsRepeatedFlags) {
  auto p = Parse({"event", "submit", "--identity", "net/acme/clients/admin", "--shipment", "S1",
                  "--type", "handover", "--ref", "booking=BK1", "--ref", "container=C1", "--detail",
                  "vessel=EVER GIVEN", "--cosigner", "net/dhl/clients/admin", "--wait", "--json"});
  ASSERT_FALSE(p->exit_code) << p->err.str();
  const EventSubmitOptions& o = p->app->options().event_submit;
  EXPECT_EQ(p->app->command(), "event submit");
  EXPECT_EQ(p->app->options().global.connect.identity_dir, "net/acme/clients/admin");
  EXPECT_EQ(o.flags.shipment_id, "S1");
  EXPECT_EQ(o.flags.type, "handover");
  EXPECT_EQ(o.flags.references, (std::vector<std::string>{"booking=BK1", "container=C1"}));
  EXPECT_EQ(o.flags.details, (std::vector<std::string>{"vessel=EVER GIVEN"}));
  EXPECT_EQ(o.cosigner_dirs, (std::vector<std::string>{"net/dhl/clients/admin"}));
  EXPECT_TRUE(o.wait);
  EXPECT_TRUE(p->app->options().global.json);
}

TEST(CliParse, ConnectionOptionsAreGlobal) {
  auto p = Parse({"shipment", "show", "S1", "--identity", "net/acme/clients/admin", "--genesis",
                  "net/genesis.yaml", "--insecure"});
  ASSERT_FALSE(p->exit_code) << p->err.str();
  const ConnectOptions& c = p->app->options().global.connect;
  EXPECT_EQ(c.identity_dir, "net/acme/clients/admin");
  EXPECT_EQ(c.genesis_path, "net/genesis.yaml");
  EXPECT_TRUE(c.insecure);
}

// verify has a --genesis of its own (the chain's); both parse.
TEST(CliParse, VerifyKeepsItsOwnGenesisOption) {
  auto p = Parse({"verify", "--genesis", "g.yaml", "--identity", "id"});
  ASSERT_FALSE(p->exit_code) << p->err.str();
  EXPECT_EQ(p->app->options().verify.genesis_path, "g.yaml");
  EXPECT_EQ(p->app->options().global.connect.identity_dir, "id");
}

TEST(CliParse, EventSubmitCollectsPrivateFieldsAndReaders) {
  auto p = Parse({"event", "submit", "--identity", "d", "--shipment", "S", "--type", "booked",
                  "--private", "invoice_value=EUR 1", "--private", "hs_code=8471", "--readers",
                  "importer,customs", "--readers", "bank", "--genesis", "g.yaml"});
  ASSERT_FALSE(p->exit_code) << p->err.str();
  const EventSubmitOptions& o = p->app->options().event_submit;
  EXPECT_EQ(o.private_fields, (std::vector<std::string>{"invoice_value=EUR 1", "hs_code=8471"}));
  EXPECT_EQ(o.readers, (std::vector<std::string>{"importer", "customs", "bank"}));
  EXPECT_EQ(p->app->options().global.connect.genesis_path, "g.yaml");
}

TEST(CliParse, PrivateWithoutEqualsIsAUsageError) {
  auto p = Parse({"event", "submit", "--identity", "d", "--shipment", "S", "--type", "booked",
                  "--private", "secret"});
  ASSERT_TRUE(p->exit_code);
  EXPECT_EQ(*p->exit_code, kExitUsage);
  EXPECT_NE(p->err.str().find("--private expects KEY=VALUE"), std::string::npos) << p->err.str();
}

TEST(CliParse, EventSubmitCollectsRepeatedDocs) {
  auto p = Parse({"event", "submit", "--identity", "d", "--shipment", "S", "--type", "booked",
                  "--doc", "commercial_invoice=inv.pdf", "--doc", "packing_list=pl.pdf"});
  ASSERT_FALSE(p->exit_code) << p->err.str();
  EXPECT_EQ(p->app->options().event_submit.documents,
            (std::vector<std::string>{"commercial_invoice=inv.pdf", "packing_list=pl.pdf"}));
}

TEST(CliParse, DocWithAnUnknownKindIsAUsageErrorListingTheKinds) {
  auto p = Parse({"event", "submit", "--identity", "d", "--shipment", "S", "--type", "booked",
                  "--doc", "invoice=inv.pdf"});
  ASSERT_TRUE(p->exit_code);
  EXPECT_EQ(*p->exit_code, kExitUsage);
  const std::string err = p->err.str();
  EXPECT_NE(err.find("unknown document kind 'invoice'"), std::string::npos) << err;
  EXPECT_NE(err.find("valid kinds: bill_of_lading, commercial_invoice"), std::string::npos) << err;
}

TEST(CliParse, DocWithoutEqualsIsAUsageError) {
  auto p = Parse({"event", "submit", "--identity", "d", "--shipment", "S", "--type", "booked",
                  "--doc", "inv.pdf"});
  ASSERT_TRUE(p->exit_code);
  EXPECT_EQ(*p->exit_code, kExitUsage);
  EXPECT_NE(p->err.str().find("--doc expects KEY=VALUE"), std::string::npos) << p->err.str();
}

TEST(CliParse, DocVerifyNeedsAShipment) {
  auto p = Parse({"doc", "verify", "inv.pdf", "--shipment", "S-1", "--node", "10.0.0.5:7052"});
  ASSERT_FALSE(p->exit_code) << p->err.str();
  EXPECT_EQ(p->app->command(), "doc verify");
  EXPECT_EQ(p->app->options().doc.file, "inv.pdf");
  EXPECT_EQ(p->app->options().doc.shipment_id, "S-1");
  auto missing = Parse({"doc", "verify", "inv.pdf"});
  ASSERT_TRUE(missing->exit_code);
  EXPECT_EQ(*missing->exit_code, kExitUsage);
  EXPECT_NE(missing->err.str().find("--shipment"), std::string::npos) << missing->err.str();
}

TEST(CliParse, DocHashWithAnUnknownKindIsAUsageError) {
  auto p = Parse({"doc", "hash", "inv.pdf", "--kind", "receipt"});
  ASSERT_TRUE(p->exit_code);
  EXPECT_EQ(*p->exit_code, kExitUsage);
  EXPECT_NE(p->err.str().find("unknown document kind 'receipt'"), std::string::npos)
      << p->err.str();
}

TEST(CliParse, EventShowTakesIdentityAndEncryptionKey) {
  auto p = Parse(
      {"event", "show", "ab", "--identity", "net/imp/clients/admin", "--encryption-key", "k.pem"});
  ASSERT_FALSE(p->exit_code) << p->err.str();
  EXPECT_EQ(p->app->options().global.connect.identity_dir, "net/imp/clients/admin");
  EXPECT_EQ(p->app->options().show.encryption_key_path, "k.pem");
}

TEST(CliParse, BadEventTypeIsAUsageErrorListingValidTypes) {
  auto p = Parse({"event", "submit", "--identity", "d", "--shipment", "S", "--type", "shipped"});
  ASSERT_TRUE(p->exit_code);
  EXPECT_EQ(*p->exit_code, kExitUsage);
  const std::string err = p->err.str();
  EXPECT_NE(err.find("unknown event type 'shipped'"), std::string::npos) << err;
  EXPECT_NE(err.find("valid types: booked, pickup, export_customs_declared"), std::string::npos)
      << err;
  EXPECT_NE(err.find("shipledger event submit --help"), std::string::npos) << err;
}

TEST(CliParse, RefWithoutEqualsIsAUsageError) {
  auto p = Parse({"event", "submit", "--identity", "d", "--shipment", "S", "--type", "booked",
                  "--ref", "BK1"});
  ASSERT_TRUE(p->exit_code);
  EXPECT_EQ(*p->exit_code, kExitUsage);
  EXPECT_NE(p->err.str().find("--ref expects KEY=VALUE"), std::string::npos) << p->err.str();
}

TEST(CliParse, BadTimeIsAUsageError) {
  auto p = Parse({"event", "submit", "--identity", "d", "--shipment", "S", "--type", "booked",
                  "--time", "tomorrow"});
  ASSERT_TRUE(p->exit_code);
  EXPECT_EQ(*p->exit_code, kExitUsage);
  EXPECT_NE(p->err.str().find("ISO-8601"), std::string::npos) << p->err.str();
}

TEST(CliParse, FileExcludesEventFlags) {
  auto p = Parse({"event", "submit", "--identity", "d", "--file", "e.json", "--type", "booked"});
  ASSERT_TRUE(p->exit_code);
  EXPECT_EQ(*p->exit_code, kExitUsage);
}

TEST(CliParse, MissingRequiredOptionIsAUsageError) {
  auto p = Parse({"verify", "--data-dir", "x"});
  ASSERT_TRUE(p->exit_code);
  EXPECT_EQ(*p->exit_code, kExitUsage);
  EXPECT_NE(p->err.str().find("--genesis"), std::string::npos) << p->err.str();
}

TEST(CliParse, GroupWithoutCommandShowsItsCommands) {
  auto p = Parse({"shipment"});
  ASSERT_TRUE(p->exit_code);
  EXPECT_EQ(*p->exit_code, kExitUsage);
  const std::string err = p->err.str();
  EXPECT_NE(err.find("shipledger shipment"), std::string::npos) << err;
  EXPECT_NE(err.find("list"), std::string::npos) << err;
  EXPECT_NE(err.find("find"), std::string::npos) << err;
}

TEST(CliParse, NoCommandIsAUsageError) {
  auto p = Parse({});
  ASSERT_TRUE(p->exit_code);
  EXPECT_EQ(*p->exit_code, kExitUsage);
  EXPECT_NE(p->err.str().find("verify"), std::string::npos);
}

TEST(CliParse, UnknownOptionIsAUsageError) {
  auto p = Parse({"chain", "info", "--colour"});
  ASSERT_TRUE(p->exit_code);
  EXPECT_EQ(*p->exit_code, kExitUsage);
  EXPECT_NE(p->err.str().find("--colour"), std::string::npos) << p->err.str();
}

TEST(CliParse, HelpWorksAtEveryLevel) {
  const std::vector<std::vector<std::string>> lines = {
      {"--help"},
      {"network", "--help"},
      {"network", "init", "--help"},
      {"identity", "issue", "--help"},
      {"event", "--help"},
      {"event", "submit", "--help"},
      {"event", "show", "--help"},
      {"chain", "info", "--help"},
      {"block", "show", "--help"},
      {"shipment", "show", "--help"},
      {"shipment", "list", "--help"},
      {"shipment", "find", "--help"},
      {"watch", "--help"},
      {"status", "--help"},
      {"verify", "--help"},
      {"doc", "--help"},
      {"doc", "hash", "--help"},
      {"doc", "verify", "--help"},
  };
  for (const auto& args : lines) {
    auto p = Parse(args);
    ASSERT_TRUE(p->exit_code) << args[0];
    EXPECT_EQ(*p->exit_code, 0) << args[0];
    std::string usage = "Usage: shipledger";
    for (const auto& a : args) {
      if (a != "--help") usage += " " + a;
    }
    EXPECT_NE(p->out.str().find(usage), std::string::npos) << p->out.str();
    EXPECT_NE(p->out.str().find("--node HOST:PORT"), std::string::npos) << p->out.str();
  }
}

// Every command's --help ends with examples, and every example is a command line that parses
// as that command (a renamed option breaks this test, not a reader's copy and paste).
TEST(CliHelp, EveryCommandShowsExamplesThatParse) {
  const CliApp app;
  const std::vector<std::string> commands = app.Commands();
  ASSERT_GE(commands.size(), 19u);
  for (const std::string& command : commands) {
    const std::string help = app.Help(command);
    EXPECT_NE(help.find("Usage: shipledger " + command), std::string::npos) << help;
    EXPECT_NE(help.find("Example"), std::string::npos) << command << ":\n" << help;
    const std::vector<std::string> examples = app.Examples(command);
    EXPECT_FALSE(examples.empty()) << command;
    for (const std::string& example : examples) {
      EXPECT_NE(help.find("  " + example + "\n"), std::string::npos) << example;
      std::vector<std::string> words;
      std::istringstream in(example);
      for (std::string w; in >> w;) words.push_back(w);
      ASSERT_GE(words.size(), 2u) << example;
      EXPECT_EQ(words[0], "shipledger") << example;
      auto p = Parse(std::vector<std::string>(words.begin() + 1, words.end()));
      EXPECT_FALSE(p->exit_code) << example << "\n" << p->err.str();
      EXPECT_EQ(p->app->command(), command) << example;
    }
  }
}

TEST(CliHelp, CommandsListsEveryRunnableCommandOnce) {
  const CliApp app;
  const std::vector<std::string> commands = app.Commands();
  const std::set<std::string> unique(commands.begin(), commands.end());
  EXPECT_EQ(unique.size(), commands.size());
  for (const char* c : {"network init", "event submit", "verify", "disclosure verify", "health"}) {
    EXPECT_EQ(unique.count(c), 1u) << c;
  }
  EXPECT_EQ(unique.count("event"), 0u) << "a group is not a command";
  EXPECT_EQ(app.Help("event"), "");
  EXPECT_EQ(app.Help("no such"), "");
}

TEST(CliParse, ShipmentListOptions) {
  auto p = Parse({"shipment", "list", "--page-size", "10", "--page-token", "SHP-9", "--all"});
  ASSERT_FALSE(p->exit_code) << p->err.str();
  EXPECT_EQ(p->app->options().shipment_list.page_size, 10u);
  EXPECT_EQ(p->app->options().shipment_list.page_token, "SHP-9");
  EXPECT_TRUE(p->app->options().shipment_list.all);
  EXPECT_EQ(*Parse({"shipment", "list", "--page-size", "0"})->exit_code, kExitUsage);
}

TEST(CliParse, ShipmentListExcursions) {
  auto p = Parse({"shipment", "list", "--excursions"});
  ASSERT_FALSE(p->exit_code) << p->err.str();
  EXPECT_TRUE(p->app->options().shipment_list.excursions_only);
  EXPECT_FALSE(Parse({"shipment", "list"})->app->options().shipment_list.excursions_only);
}

TEST(CliParse, EventSubmitCollectsContractFlags) {
  auto p = Parse({"event",
                  "submit",
                  "--shipment",
                  "S1",
                  "--type",
                  "booked",
                  "--consignee",
                  "importer",
                  "--leg",
                  "DEHAM:USNYC:sea",
                  "--leg",
                  "USNYC:USCHI:road:truckco",
                  "--latest-arrival",
                  "2=2026-12-20",
                  "--match",
                  "cheapest",
                  "--currency",
                  "EUR",
                  "--temp-range",
                  "2:8",
                  "--tolerance",
                  "30m",
                  "--return-window",
                  "30d",
                  "--return-reason",
                  "damaged",
                  "--return-reason",
                  "late",
                  "--return-condition",
                  "unopened",
                  "--return-payer",
                  "exporter",
                  "--return-address",
                  "DEHAM"});
  ASSERT_FALSE(p->exit_code) << p->err.str();
  const ContractFlags& c = p->app->options().event_submit.contract;
  EXPECT_EQ(c.consignee, "importer");
  EXPECT_EQ(c.legs, (std::vector<std::string>{"DEHAM:USNYC:sea", "USNYC:USCHI:road:truckco"}));
  EXPECT_EQ(c.latest_arrivals, (std::vector<std::string>{"2=2026-12-20"}));
  EXPECT_EQ(c.match, "cheapest");
  EXPECT_EQ(c.temp_range, "2:8");
  EXPECT_EQ(c.tolerance, "30m");
  EXPECT_EQ(c.return_reasons, (std::vector<std::string>{"damaged", "late"}));
  EXPECT_EQ(c.return_address, "DEHAM");

  p = Parse({"event",         "submit",
             "--shipment",    "OFFER-1",
             "--type",        "carrier_offer",
             "--mode",        "sea",
             "--mode",        "road",
             "--lane",        "DE:US",
             "--cold-chain",  "--dangerous-goods",
             "--price",       "120000",
             "--valid-from",  "+0s",
             "--valid-until", "+30d"});
  ASSERT_FALSE(p->exit_code) << p->err.str();
  const ContractFlags& o = p->app->options().event_submit.contract;
  EXPECT_EQ(o.modes, (std::vector<std::string>{"sea", "road"}));
  EXPECT_EQ(o.lanes, (std::vector<std::string>{"DE:US"}));
  EXPECT_TRUE(o.cold_chain);
  EXPECT_TRUE(o.dangerous_goods);
  EXPECT_EQ(o.price, "120000");
  EXPECT_EQ(o.valid_until, "+30d");

  p = Parse({"event", "submit", "--shipment", "S1", "--type", "sensor_readings", "--reading",
             "1795000000000,4.5,C,p1", "--readings-file", "r.csv"});
  ASSERT_FALSE(p->exit_code) << p->err.str();
  EXPECT_EQ(p->app->options().event_submit.contract.readings.size(), 1u);
  EXPECT_EQ(p->app->options().event_submit.contract.readings_file, "r.csv");

  p = Parse({"event", "submit", "--shipment", "S1", "--type", "leg_reassignment", "--leg-number",
             "2", "--reverse", "--carrier", "open"});
  ASSERT_FALSE(p->exit_code) << p->err.str();
  EXPECT_EQ(p->app->options().event_submit.contract.leg_number, "2");
  EXPECT_TRUE(p->app->options().event_submit.contract.reverse);

  p = Parse({"event", "submit", "--shipment", "S1", "--type", "error_declaration",
             "--erroneous-event", std::string(64, 'a'), "--reason", "typo", "--corrective",
             std::string(64, 'b'), "--corrective", std::string(64, 'c')});
  ASSERT_FALSE(p->exit_code) << p->err.str();
  EXPECT_EQ(p->app->options().event_submit.contract.corrective.size(), 2u);
  EXPECT_EQ(p->app->options().event_submit.contract.reason, "typo");
}

TEST(CliParse, WatchOptions) {
  auto p = Parse({"watch", "--from-height", "12", "--shipment", "S1", "--count", "3"});
  ASSERT_FALSE(p->exit_code) << p->err.str();
  EXPECT_EQ(p->app->options().watch.from_height, 12u);
  EXPECT_EQ(p->app->options().watch.shipment_id, "S1");
  EXPECT_EQ(p->app->options().watch.count, 3u);
}

TEST(CliRun, WithoutIdentityTheCommandSaysHowToGiveOne) {
  Ran r = RunLine({"chain", "info", "--node", kDeadNode});
  EXPECT_EQ(r.exit_code, kExitFailure);
  EXPECT_NE(r.err.find("give --identity DIR"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("SHIPLEDGER_IDENTITY"), std::string::npos) << r.err;
}

TEST(CliRun, UnreachableNodeSaysHowToStartIt) {
  for (const auto& args :
       std::vector<std::vector<std::string>>{{"chain", "info"},
                                             {"status", "--json"},
                                             {"block", "show", "1"},
                                             {"shipment", "show", "S"},
                                             {"shipment", "list"},
                                             {"shipment", "find", "--ref", "booking=B"},
                                             {"event", "show", std::string(64, 'a')},
                                             {"watch", "--count", "1"}}) {
    std::vector<std::string> line = args;
    line.push_back("--node");
    line.push_back(kDeadNode);
    line.push_back("--insecure");  // no identity needed to find out nobody listens
    Ran r = RunLine(line);
    EXPECT_EQ(r.exit_code, kExitFailure) << args[0];
    EXPECT_NE(r.err.find("cannot reach node at 127.0.0.1:1"), std::string::npos) << r.err;
    EXPECT_NE(r.err.find("shipledgerd --config"), std::string::npos) << r.err;
  }
}

TEST(CliRun, MalformedIdsAreRefusedBeforeCallingTheNode) {
  Ran r = RunLine({"event", "show", "xyz", "--node", kDeadNode});
  EXPECT_EQ(r.exit_code, kExitFailure);
  EXPECT_NE(r.err.find("64 hex"), std::string::npos) << r.err;
  r = RunLine({"block", "show", "tip", "--node", kDeadNode});
  EXPECT_EQ(r.exit_code, kExitFailure);
  EXPECT_NE(r.err.find("neither a block height"), std::string::npos) << r.err;
}

class CliNetworkTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = std::filesystem::path(::testing::TempDir()) /
           ("cli_net_" + std::to_string(::getpid()) + "_" +
            ::testing::UnitTest::GetInstance()->current_test_info()->name());
    std::filesystem::remove_all(dir_);
  }
  void TearDown() override { std::filesystem::remove_all(dir_); }

  std::string Path(const std::string& relative) const { return (dir_ / relative).string(); }

  std::filesystem::path dir_;
};

TEST_F(CliNetworkTest, NetworkInitWritesTheNetworkAndSaysHowToStartIt) {
  Ran r = RunLine({"network", "init", "--out", dir_.string(), "--orgs",
                   "acme:exporter,dhl:forwarder:client,customs-de:customs:client", "--base-port",
                   "17150", "--chain-id", "cli-test"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_TRUE(std::filesystem::exists(Path("genesis.yaml")));
  EXPECT_TRUE(std::filesystem::exists(Path("acme/node/node.yaml")));
  EXPECT_TRUE(std::filesystem::exists(Path("dhl/clients/admin/cert.pem")));
  EXPECT_FALSE(std::filesystem::exists(Path("dhl/node")));
  EXPECT_NE(r.out.find("network 'cli-test'"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("127.0.0.1:17150"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("shipledgerd --config " + Path("acme/node/node.yaml")), std::string::npos)
      << r.out;
}

TEST_F(CliNetworkTest, NetworkInitJsonNamesEveryOrganisation) {
  Ran r = RunLine({"--json", "network", "init", "--out", dir_.string(), "--orgs",
                   "acme:exporter,dhl:forwarder:client"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.out.find("\"genesis_hash\""), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("\"dhl\""), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("\"runs_node\": false"), std::string::npos) << r.out;
}

TEST_F(CliNetworkTest, NetworkInitRefusesBadOrgsWithAnExample) {
  Ran r = RunLine({"network", "init", "--out", dir_.string(), "--orgs", "acme:shipper"});
  EXPECT_EQ(r.exit_code, kExitFailure);
  EXPECT_NE(r.err.find("--orgs"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("e.g."), std::string::npos) << r.err;
}

TEST_F(CliNetworkTest, NetworkInitRefusesAnExistingNetwork) {
  ASSERT_EQ(
      RunLine({"network", "init", "--out", dir_.string(), "--orgs", "acme:exporter"}).exit_code, 0);
  Ran r = RunLine({"network", "init", "--out", dir_.string(), "--orgs", "acme:exporter"});
  EXPECT_EQ(r.exit_code, kExitFailure);
  EXPECT_NE(r.err.find("error: "), std::string::npos) << r.err;
}

TEST_F(CliNetworkTest, IdentityIssueWritesAnotherClient) {
  ASSERT_EQ(
      RunLine({"network", "init", "--out", dir_.string(), "--orgs", "acme:exporter"}).exit_code, 0);
  Ran r = RunLine({"identity", "issue", "--org-dir", Path("acme"), "--name", "clerk"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_TRUE(std::filesystem::exists(Path("acme/clients/clerk/key.pem")));
  EXPECT_NE(r.out.find("'clerk' of organisation 'acme'"), std::string::npos) << r.out;
  r = RunLine({"identity", "issue", "--org-dir", Path("acme"), "--name", "clerk"});
  EXPECT_EQ(r.exit_code, kExitFailure) << r.out;
}

TEST_F(CliNetworkTest, EventSubmitWithMissingIdentitySaysWhatAnIdentityIs) {
  Ran r = RunLine({"event", "submit", "--identity", Path("nobody"), "--shipment", "S", "--type",
                   "booked", "--node", kDeadNode});
  EXPECT_EQ(r.exit_code, kExitFailure);
  EXPECT_NE(r.err.find("--identity"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("shipledger identity issue"), std::string::npos) << r.err;
}

TEST_F(CliNetworkTest, EventSubmitToADeadNodeFailsAfterBuilding) {
  ASSERT_EQ(
      RunLine({"network", "init", "--out", dir_.string(), "--orgs", "acme:exporter"}).exit_code, 0);
  Ran r = RunLine({"event", "submit", "--identity", Path("acme/clients/admin"), "--shipment", "S",
                   "--type", "booked", "--node", kDeadNode});
  EXPECT_EQ(r.exit_code, kExitFailure);
  EXPECT_NE(r.err.find("cannot reach node"), std::string::npos) << r.err;
}

TEST_F(CliNetworkTest, EventSubmitWithAnUnreadableDocNamesItAndContactsNoNode) {
  ASSERT_EQ(
      RunLine({"network", "init", "--out", dir_.string(), "--orgs", "acme:exporter"}).exit_code, 0);
  Ran r = RunLine({"event", "submit", "--identity", Path("acme/clients/admin"), "--shipment", "S",
                   "--type", "booked", "--doc", "commercial_invoice=" + Path("missing.pdf"),
                   "--node", kDeadNode});
  EXPECT_EQ(r.exit_code, kExitFailure);
  EXPECT_NE(r.err.find("--doc commercial_invoice=" + Path("missing.pdf") + ": cannot open " +
                       Path("missing.pdf")),
            std::string::npos)
      << r.err;
  EXPECT_EQ(r.err.find("cannot reach node"), std::string::npos) << r.err;
}

TEST_F(CliNetworkTest, DocHashPrintsTheSha256Reference) {
  const std::string file = Path("abc.txt");
  std::filesystem::create_directories(dir_);
  std::ofstream(file) << "abc";
  Ran r = RunLine({"doc", "hash", file});
  ASSERT_EQ(r.exit_code, kExitOk) << r.err;
  EXPECT_EQ(r.out, "sha256:" + std::string(kAbcSha256) + "\n");
  r = RunLine({"doc", "hash", file, "--kind", "packing_list"});
  ASSERT_EQ(r.exit_code, kExitOk) << r.err;
  EXPECT_EQ(r.out, "packing_list=sha256:" + std::string(kAbcSha256) + "\n");
}

// Example A of tests/unit/interop/epcis_hash_test.cc, in a document with a second event whose
// eventID is a hash ID that is not its own.
TEST_F(CliNetworkTest, EpcisHashPrintsEachEventsIdAndChecksTheGivenOnes) {
  const std::string a_id =
      "ni:///sha-256;61bbad2a88f5e9b9ce9bf1acd1c0be4a80474cf0afe335b260158b816a2f9ace?ver=CBV2.0";
  const std::string event =
      R"({"type": "ObjectEvent", "eventTime": "2026-03-01T10:00:00.000+01:00",
          "eventTimeZoneOffset": "+01:00",
          "epcList": ["https://id.gs1.org/01/09521234543213/21/A1"], "action": "OBSERVE",
          "bizStep": "shipping", "readPoint": {"id": "https://id.gs1.org/414/9521234543213"})";
  const std::string file = Path("doc.jsonld");
  std::filesystem::create_directories(dir_);
  std::string added = event;
  added.replace(added.find("OBSERVE"), 7, "ADD");
  std::ofstream(file)
      << R"({"@context": ["https://ref.gs1.org/standards/epcis/2.0.0/epcis-context.jsonld"],
      "type": "EPCISDocument", "schemaVersion": "2.0", "creationDate": "2026-03-01T10:00:00Z",
      "epcisBody": {"eventList": [)"
      << event << R"(, "eventID": ")" << a_id << R"("}, )" << added
      << R"(, "eventID": "ni:///sha-256;00?ver=CBV2.0"}]}})";
  Ran r = RunLine({"epcis", "hash", file});
  EXPECT_EQ(r.exit_code, kExitBroken) << r.out << r.err;
  EXPECT_NE(r.out.find("1  ObjectEvent  2026-03-01T10:00:00.000+01:00\n  " + a_id +
                       "\n  eventID matches\n"),
            std::string::npos)
      << r.out;
  EXPECT_NE(r.out.find("eventID DIFFERS: ni:///sha-256;00?ver=CBV2.0"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("1 event(s) carry a CBV 2.0 hash ID as eventID that is not theirs"),
            std::string::npos)
      << r.out;

  const std::string single = Path("event.json");
  std::ofstream(single) << event << "}";
  r = RunLine({"--json", "epcis", "hash", single, "--pre-hash"});
  EXPECT_EQ(r.exit_code, kExitOk) << r.err;
  EXPECT_NE(r.out.find("\"hash_id\": \"" + a_id + "\""), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("\"pre_hash\": \"eventType=ObjectEventeventTime=2026-03-01T09:00:00.000Z"),
            std::string::npos)
      << r.out;
  EXPECT_NE(r.out.find("\"mismatches\": 0"), std::string::npos) << r.out;

  std::ofstream(single, std::ios::trunc) << R"({"type": "EPCISDocument", "epcisBody": {}})";
  r = RunLine({"epcis", "hash", single});
  EXPECT_EQ(r.exit_code, kExitFailure);
  EXPECT_NE(r.err.find("has no epcisBody.eventList list"), std::string::npos) << r.err;
  std::ofstream(single, std::ios::trunc) << "[1, 2]";
  r = RunLine({"epcis", "hash", single});
  EXPECT_EQ(r.exit_code, kExitFailure);
  EXPECT_NE(r.err.find("is not a JSON object"), std::string::npos) << r.err;
  std::ofstream(single, std::ios::trunc) << R"({"type": "Shipment"})";
  r = RunLine({"epcis", "hash", single});
  EXPECT_EQ(r.exit_code, kExitFailure);
  EXPECT_NE(r.err.find("event 1: an EPCIS event's type must be"), std::string::npos) << r.err;
}

TEST_F(CliNetworkTest, DocHashJsonHasTheFileHashAndReference) {
  const std::string file = Path("abc.txt");
  std::filesystem::create_directories(dir_);
  std::ofstream(file) << "abc";
  Ran r = RunLine({"--json", "doc", "hash", file, "--kind", "commercial_invoice"});
  ASSERT_EQ(r.exit_code, kExitOk) << r.err;
  for (const std::string& text :
       {"\"file\": \"" + file + "\"", "\"sha256\": \"" + std::string(kAbcSha256) + "\"",
        "\"reference\": \"commercial_invoice=sha256:" + std::string(kAbcSha256) + "\"",
        std::string("\"kind\": \"commercial_invoice\"")}) {
    EXPECT_NE(r.out.find(text), std::string::npos) << text << " in " << r.out;
  }
}

TEST_F(CliNetworkTest, DocHashOfAMissingFileNamesIt) {
  Ran r = RunLine({"doc", "hash", Path("missing.pdf")});
  EXPECT_EQ(r.exit_code, kExitFailure);
  EXPECT_NE(r.err.find("cannot open " + Path("missing.pdf")), std::string::npos) << r.err;
}

TEST_F(CliNetworkTest, DocVerifyOfAMissingFileFailsBeforeCallingTheNode) {
  Ran r = RunLine(
      {"doc", "verify", Path("missing.pdf"), "--shipment", "S", "--node", kDeadNode, "--insecure"});
  EXPECT_EQ(r.exit_code, kExitFailure);
  EXPECT_NE(r.err.find("cannot open " + Path("missing.pdf")), std::string::npos) << r.err;
  EXPECT_EQ(r.err.find("cannot reach node"), std::string::npos) << r.err;
}

TEST_F(CliNetworkTest, DocVerifyToADeadNodeIsAnErrorNotAVerdict) {
  const std::string file = Path("abc.txt");
  std::filesystem::create_directories(dir_);
  std::ofstream(file) << "abc";
  Ran r = RunLine({"doc", "verify", file, "--shipment", "S", "--node", kDeadNode, "--insecure"});
  EXPECT_EQ(r.exit_code, kExitFailure);
  EXPECT_NE(r.err.find("cannot reach node at 127.0.0.1:1"), std::string::npos) << r.err;
}

TEST_F(CliNetworkTest, VerifyAnEmptyDataDirIsAnError) {
  ASSERT_EQ(
      RunLine({"network", "init", "--out", dir_.string(), "--orgs", "acme:exporter"}).exit_code, 0);
  Ran r = RunLine({"verify", "--genesis", Path("genesis.yaml"), "--data-dir", Path("no-data")});
  EXPECT_EQ(r.exit_code, kExitFailure);
  EXPECT_NE(r.err.find("cannot open data dir"), std::string::npos) << r.err;
}

TEST_F(CliNetworkTest, VerifyRefusesAnUnexpectedGenesis) {
  ASSERT_EQ(
      RunLine({"network", "init", "--out", dir_.string(), "--orgs", "acme:exporter"}).exit_code, 0);
  Ran r = RunLine({"verify", "--genesis", Path("genesis.yaml"), "--data-dir", Path("no-data"),
                   "--expect-genesis-hash", std::string(64, '0')});
  EXPECT_EQ(r.exit_code, kExitFailure);
  EXPECT_NE(r.err.find("refusing to verify"), std::string::npos) << r.err;
}

TEST_F(CliNetworkTest, VerifyWantsOneSource) {
  Ran r = RunLine(
      {"verify", "--genesis", Path("genesis.yaml"), "--data-dir", Path("d"), "--node", kDeadNode});
  EXPECT_EQ(r.exit_code, kExitFailure);
  EXPECT_NE(r.err.find("not both"), std::string::npos) << r.err;
}

TEST_F(CliNetworkTest, VerifyWithAMissingGenesisSaysWhichFile) {
  Ran r = RunLine({"verify", "--genesis", Path("genesis.yaml"), "--node", kDeadNode});
  EXPECT_EQ(r.exit_code, kExitFailure);
  EXPECT_NE(r.err.find(Path("genesis.yaml")), std::string::npos) << r.err;
}

}  // namespace
}  // namespace shipledger::cli
