#include "config/network.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <filesystem>
#include <set>

#include "config/genesis_file.h"
#include "config/identity.h"
#include "config/node_config.h"
#include "config_test_support.h"
#include "model/admin.h"

namespace shipledger::config {
namespace {

namespace fs = std::filesystem;
using testing::FileMode;
using ::testing::HasSubstr;
using testing::kNowMs;
using ::testing::MatchesRegex;

constexpr char kOneNode[] =
    "exporter:exporter,forwarder:forwarder:client,customs:customs:client,importer:importer:client";
constexpr char kFourNodes[] =
    "exporter:exporter,forwarder:forwarder,carrier:carrier:client,customs:customs,"
    "importer:importer";

class NetworkTest : public ::testing::Test {
 protected:
  NetworkTest() : clock_(kNowMs) {}

  Status Init(std::string_view specs, const std::string& chain_id = "",
              const std::vector<std::string>& hosts = {}) {
    auto orgs = ParseOrgSpecs(specs);
    EXPECT_TRUE(orgs.ok()) << orgs.status().ToString();
    if (!orgs.ok()) return orgs.status();
    InitOptions options;
    options.out_dir = out();
    options.orgs = *orgs;
    options.chain_id = chain_id;
    for (const std::string& h : hosts) {
      if (Status hs = ParseHosts(h, &options.hosts); !hs.ok()) return hs;
    }
    return InitNetwork(options, clock_);
  }
  std::string out() const { return dir_ / "net"; }
  std::string out(std::string_view rel) const { return (fs::path(out()) / rel).string(); }

  testing::TempDir dir_;
  ManualClock clock_;
};

TEST(ParseOrgSpecs, ParsesNamesRolesAndClientFlag) {
  auto orgs = ParseOrgSpecs(kOneNode);
  ASSERT_TRUE(orgs.ok()) << orgs.status().ToString();
  ASSERT_EQ(orgs->size(), 4u);
  EXPECT_EQ((*orgs)[0].name, "exporter");
  EXPECT_EQ((*orgs)[0].role, model::Role::kExporter);
  EXPECT_FALSE((*orgs)[0].client_only);
  EXPECT_EQ((*orgs)[2].name, "customs");
  EXPECT_EQ((*orgs)[2].role, model::Role::kCustoms);
  EXPECT_TRUE((*orgs)[2].client_only);
}

TEST(ParseOrgSpecs, RejectsBadSpecsNamingTheItem) {
  const std::pair<const char*, const char*> cases[] = {
      {"acme:shipper", "unknown role 'shipper'"},
      {"acme:exporter,acme:importer", "'acme' named twice"},
      {"Acme:exporter", "'Acme:exporter': name must be 1 to 64 of [a-z0-9-]"},
      {"ac_me:exporter", "name must be"},
      {"acme:exporter:client", "no organisation runs a node"},
      {"acme:exporter:server", "expected NAME:ROLE[:client]"},
      {"acme", "expected NAME:ROLE[:client]"},
      {"acme:exporter,,b:importer", "empty organisation"},
      {"", "empty organisation"},
  };
  for (const auto& [text, needle] : cases) {
    auto orgs = ParseOrgSpecs(text);
    ASSERT_FALSE(orgs.ok()) << text;
    EXPECT_EQ(orgs.status().code(), Code::kInvalidArgument) << text;
    EXPECT_THAT(orgs.status().message(), HasSubstr(needle)) << text;
  }
}

TEST_F(NetworkTest, InitCreatesEveryFile) {
  ASSERT_TRUE(Init(kOneNode).ok());
  EXPECT_TRUE(fs::exists(out("genesis.yaml")));
  for (const char* org : {"exporter", "forwarder", "customs", "importer"}) {
    const std::string o(org);
    for (const char* file : {"ca/cert.pem", "ca/key.pem", "ca/encryption_key.pem",
                             "clients/admin/cert.pem", "clients/admin/key.pem"}) {
      EXPECT_TRUE(fs::exists(out(o + "/" + file))) << o << "/" << file;
    }
    EXPECT_EQ(FileMode(out(o + "/ca/key.pem")), 0600u);
    EXPECT_EQ(FileMode(out(o + "/ca/encryption_key.pem")), 0600u);
    EXPECT_EQ(FileMode(out(o + "/clients/admin/key.pem")), 0600u);
    EXPECT_EQ(fs::exists(out(o + "/node")), o == "exporter") << o;
  }
  for (const char* file : {"cert.pem", "key.pem", "node.yaml"}) {
    EXPECT_TRUE(fs::exists(out(std::string("exporter/node/") + file))) << file;
  }
  EXPECT_EQ(FileMode(out("exporter/node/key.pem")), 0600u);
  EXPECT_FALSE(fs::exists(out("genesis.yaml.tmp")));
}

TEST_F(NetworkTest, GenesisLoadsWithOrganisationsAndReplica) {
  ASSERT_TRUE(Init(kOneNode).ok());
  auto genesis = LoadGenesis(out("genesis.yaml"));
  ASSERT_TRUE(genesis.ok()) << genesis.status().ToString();
  const model::Genesis& g = **genesis;
  EXPECT_THAT(g.chain_id, MatchesRegex("shipledger-dev-[0-9a-f]{8}"));
  ASSERT_EQ(g.organisations.size(), 4u);
  EXPECT_EQ(g.organisations[1].id, "forwarder");
  EXPECT_EQ(g.organisations[1].role, model::Role::kForwarder);
  EXPECT_TRUE(g.organisations[1].encryption_key.has_value());
  ASSERT_EQ(g.n(), 1u);
  EXPECT_EQ(g.replicas[0].org, "exporter");
  EXPECT_EQ(g.replicas[0].grpc_endpoint, "127.0.0.1:7050");
  EXPECT_EQ(g.replicas[0].peer_endpoint, "127.0.0.1:7051");
  EXPECT_EQ(g.role_policy, model::DefaultRolePolicy());
  EXPECT_EQ(g.consensus.window, model::ConsensusParams{}.window);
  EXPECT_EQ(g.limits.max_event_bytes, model::Limits{}.max_event_bytes);
}

TEST_F(NetworkTest, EncryptionKeyFileHoldsThePrivateHalfOfTheGenesisKey) {
  ASSERT_TRUE(Init(kOneNode).ok());
  auto genesis = LoadGenesis(out("genesis.yaml"));
  ASSERT_TRUE(genesis.ok()) << genesis.status().ToString();
  auto key = crypto::PrivateKey::FromPem(testing::ReadText(out("customs/ca/encryption_key.pem")));
  ASSERT_TRUE(key.ok()) << key.status().ToString();
  EXPECT_EQ(key->public_key().ToDer(), (*genesis)->organisations[2].encryption_key->ToDer());
}

TEST_F(NetworkTest, GenesisHashIsStableAndCoversEveryByte) {
  ASSERT_TRUE(Init(kOneNode).ok());
  auto first = LoadGenesis(out("genesis.yaml"));
  auto second = LoadGenesis(out("genesis.yaml"));
  ASSERT_TRUE(first.ok() && second.ok());
  EXPECT_EQ((*first)->hash.size(), 32u);
  EXPECT_EQ((*first)->hash, (*second)->hash);

  std::string text = testing::ReadText(out("genesis.yaml"));
  const size_t at = text.find("shipledger-dev-") + std::string("shipledger-dev-").size();
  text[at] = text[at] == 'a' ? 'b' : 'a';  // one byte of the chain id
  testing::WriteText(out("genesis.yaml"), text);
  auto changed = LoadGenesis(out("genesis.yaml"));
  ASSERT_TRUE(changed.ok()) << changed.status().ToString();
  EXPECT_NE((*changed)->hash, (*first)->hash);
}

TEST_F(NetworkTest, NodeConfigLoadsWithAbsolutePathsToItsFiles) {
  ASSERT_TRUE(Init(kOneNode).ok());
  auto config = LoadNodeConfig(out("exporter/node/node.yaml"));
  ASSERT_TRUE(config.ok()) << config.status().ToString();
  EXPECT_EQ(config->replica_id, 0u);
  EXPECT_EQ(config->genesis_path, out("genesis.yaml"));
  EXPECT_EQ(config->cert_path, out("exporter/node/cert.pem"));
  EXPECT_EQ(config->key_path, out("exporter/node/key.pem"));
  EXPECT_EQ(config->data_dir, out("exporter/node/data"));
  EXPECT_EQ(config->grpc_listen, "127.0.0.1:7050");
  EXPECT_EQ(config->peer_listen, "127.0.0.1:7051");

  // The node identity is the one the genesis pins as replica 0.
  auto node = LoadIdentity(out("exporter/node"));
  ASSERT_TRUE(node.ok()) << node.status().ToString();
  EXPECT_EQ(node->cert.common_name(), "exporter-node");
  auto genesis = LoadGenesis(config->genesis_path);
  ASSERT_TRUE(genesis.ok());
  EXPECT_EQ((*genesis)->replicas[0].node_cert.fingerprint(), node->cert.fingerprint());
}

TEST_F(NetworkTest, AdminIdentityChainsToItsOrganisationCa) {
  ASSERT_TRUE(Init(kOneNode).ok());
  auto admin = LoadIdentity(out("forwarder/clients/admin"));
  auto ca = LoadIdentity(out("forwarder/ca"));
  ASSERT_TRUE(admin.ok()) << admin.status().ToString();
  ASSERT_TRUE(ca.ok()) << ca.status().ToString();
  EXPECT_EQ(admin->org(), "forwarder");
  EXPECT_EQ(admin->cert.common_name(), "admin");
  EXPECT_FALSE(admin->cert.is_ca());
  EXPECT_TRUE(model::IsAdminCertificate(admin->cert));  // DESIGN §3: OU=admin
  EXPECT_EQ(ca->cert.common_name(), "forwarder CA");
  EXPECT_TRUE(ca->cert.is_ca());
  EXPECT_TRUE(crypto::VerifyChain(admin->cert, ca->cert, kNowMs).ok());
  auto other_ca = LoadIdentity(out("customs/ca"));
  ASSERT_TRUE(other_ca.ok());
  EXPECT_FALSE(crypto::VerifyChain(admin->cert, other_ca->cert, kNowMs).ok());
}

TEST_F(NetworkTest, FourNodeNetworkHasReplicasZeroToThreeOnDistinctPorts) {
  ASSERT_TRUE(Init(kFourNodes, "four-nodes").ok());
  auto genesis = LoadGenesis(out("genesis.yaml"));
  ASSERT_TRUE(genesis.ok()) << genesis.status().ToString();
  const model::Genesis& g = **genesis;
  EXPECT_EQ(g.chain_id, "four-nodes");
  ASSERT_EQ(g.n(), 4u);
  EXPECT_EQ(g.f(), 1u);
  const char* node_orgs[] = {"exporter", "forwarder", "customs", "importer"};
  std::set<std::string> endpoints;
  for (uint32_t i = 0; i < 4; ++i) {
    EXPECT_EQ(g.replicas[i].id, i);
    EXPECT_EQ(g.replicas[i].org, node_orgs[i]);
    endpoints.insert(g.replicas[i].grpc_endpoint);
    endpoints.insert(g.replicas[i].peer_endpoint);
    auto config = LoadNodeConfig(out(std::string(node_orgs[i]) + "/node/node.yaml"));
    ASSERT_TRUE(config.ok()) << config.status().ToString();
    EXPECT_EQ(config->replica_id, i);
    EXPECT_EQ(config->grpc_listen, g.replicas[i].grpc_endpoint);
    EXPECT_EQ(config->peer_listen, g.replicas[i].peer_endpoint);
  }
  EXPECT_EQ(endpoints.size(), 8u);
  EXPECT_EQ(g.replicas[3].peer_endpoint, "127.0.0.1:7057");
  EXPECT_FALSE(fs::exists(out("carrier/node")));
}

TEST_F(NetworkTest, GenesisCarriesTheGivenConsensusParameters) {
  auto orgs = ParseOrgSpecs(kFourNodes);
  ASSERT_TRUE(orgs.ok());
  InitOptions options;
  options.out_dir = out();
  options.orgs = *orgs;
  options.consensus.view_timeout_ms = 750;
  options.consensus.checkpoint_interval = 16;
  options.consensus.batch_timeout_ms = 5;
  ASSERT_TRUE(InitNetwork(options, clock_).ok());
  auto genesis = LoadGenesis(out("genesis.yaml"));
  ASSERT_TRUE(genesis.ok()) << genesis.status().ToString();
  const model::ConsensusParams& c = (*genesis)->consensus;
  EXPECT_EQ(c.view_timeout_ms, 750u);
  EXPECT_EQ(c.checkpoint_interval, 16u);
  EXPECT_EQ(c.batch_timeout_ms, 5u);
  const model::ConsensusParams defaults;
  EXPECT_EQ(c.window, defaults.window);
  EXPECT_EQ(c.batch_max_events, defaults.batch_max_events);
  EXPECT_EQ(c.clock_skew_ms, defaults.clock_skew_ms);
}

TEST_F(NetworkTest, RejectsNodeCountNotOneOrThreeFPlusOne) {
  const Status s = Init("exporter:exporter,importer:importer");
  EXPECT_EQ(s.code(), Code::kInvalidArgument);
  EXPECT_EQ(s.message(), "2 organisations run nodes; PBFT needs 1 or 3f+1 (4, 7, 10...)");
  EXPECT_FALSE(fs::exists(out("genesis.yaml")));
}

TEST_F(NetworkTest, RejectsBadSpecsBuiltInCode) {
  InitOptions options;
  options.out_dir = out();
  options.orgs = {{"acme", model::Role::kExporter, true}};
  EXPECT_THAT(InitNetwork(options, clock_).message(), HasSubstr("no organisation runs a node"));
  options.orgs = {{"acme", model::Role::kExporter, false}, {"acme", model::Role::kCustoms, true}};
  EXPECT_THAT(InitNetwork(options, clock_).message(), HasSubstr("named twice"));
  options.orgs = {{"a/b", model::Role::kExporter, false}};
  EXPECT_EQ(InitNetwork(options, clock_).code(), Code::kInvalidArgument);
  options.orgs = {{"acme", model::Role::kExporter, false}};
  options.chain_id = "bad chain id";
  EXPECT_THAT(InitNetwork(options, clock_).message(), HasSubstr("chain id"));
  EXPECT_FALSE(fs::exists(out("genesis.yaml")));
}

TEST_F(NetworkTest, RefusesToOverwriteAnExistingNetwork) {
  ASSERT_TRUE(Init(kOneNode).ok());
  const std::string before = testing::ReadText(out("genesis.yaml"));
  const Status s = Init(kOneNode);
  EXPECT_EQ(s.code(), Code::kFailedPrecondition);
  EXPECT_THAT(s.message(), HasSubstr("already holds a network"));
  EXPECT_EQ(testing::ReadText(out("genesis.yaml")), before);
}

TEST_F(NetworkTest, IssueClientIdentityChainsToTheOrganisationCa) {
  ASSERT_TRUE(Init(kOneNode).ok());
  clock_.Advance(testing::kYearMs / 12);
  ASSERT_TRUE(IssueClientIdentity(out("customs"), "Clerk_7-b", clock_).ok());
  auto client = LoadIdentity(out("customs/clients/Clerk_7-b"));
  auto ca = LoadIdentity(out("customs/ca"));
  ASSERT_TRUE(client.ok()) << client.status().ToString();
  ASSERT_TRUE(ca.ok());
  EXPECT_EQ(client->org(), "customs");
  EXPECT_EQ(client->cert.common_name(), "Clerk_7-b");
  EXPECT_FALSE(client->cert.is_ca());
  EXPECT_LE(client->cert.not_after_ms(), ca->cert.not_after_ms());
  EXPECT_TRUE(crypto::VerifyChain(client->cert, ca->cert, clock_.NowMs()).ok());
  EXPECT_EQ(FileMode(out("customs/clients/Clerk_7-b/key.pem")), 0600u);
}

TEST_F(NetworkTest, IssueClientIdentityMakesAnAdminOnlyWhenAsked) {
  ASSERT_TRUE(Init(kOneNode).ok());
  ASSERT_TRUE(IssueClientIdentity(out("customs"), "clerk", clock_).ok());
  ASSERT_TRUE(IssueClientIdentity(out("customs"), "boss", clock_, 30, /*admin=*/true).ok());
  auto clerk = LoadIdentity(out("customs/clients/clerk"));
  auto boss = LoadIdentity(out("customs/clients/boss"));
  ASSERT_TRUE(clerk.ok() && boss.ok());
  EXPECT_FALSE(model::IsAdminCertificate(clerk->cert));
  EXPECT_TRUE(model::IsAdminCertificate(boss->cert));
  EXPECT_EQ(boss->cert.organizational_units(), std::vector<std::string>{"admin"});
}

TEST_F(NetworkTest, IssueClientIdentityRefusesDuplicatesAndBadNames) {
  ASSERT_TRUE(Init(kOneNode).ok());
  ASSERT_TRUE(IssueClientIdentity(out("customs"), "clerk", clock_).ok());
  EXPECT_EQ(IssueClientIdentity(out("customs"), "clerk", clock_).code(), Code::kAlreadyExists);
  EXPECT_EQ(IssueClientIdentity(out("customs"), "admin", clock_).code(), Code::kAlreadyExists);
  EXPECT_EQ(IssueClientIdentity(out("customs"), "../evil", clock_).code(), Code::kInvalidArgument);
  EXPECT_EQ(IssueClientIdentity(out("customs"), "", clock_).code(), Code::kInvalidArgument);
  EXPECT_EQ(IssueClientIdentity(out("nobody"), "clerk", clock_).code(), Code::kNotFound);
}

TEST_F(NetworkTest, IssueClientIdentityRefusesWhenTheCaHasExpired) {
  ASSERT_TRUE(Init(kOneNode).ok());
  clock_.Advance(3651 * 24LL * 3600 * 1000);  // validity_days defaults to 3650
  EXPECT_EQ(IssueClientIdentity(out("customs"), "late", clock_).code(), Code::kFailedPrecondition);
  EXPECT_FALSE(fs::exists(out("customs/clients/late")));
}

TEST_F(NetworkTest, GenesisErrorsNameTheLine) {
  ASSERT_TRUE(Init(kOneNode).ok());
  std::string text = testing::ReadText(out("genesis.yaml"));
  text.replace(text.find("role: customs"), 13, "role: shipper");
  auto genesis = ParseGenesis(text);
  ASSERT_FALSE(genesis.ok());
  EXPECT_THAT(genesis.status().message(),
              MatchesRegex("genesis.yaml: organisations\\[2\\].role: unknown role 'shipper' "
                           "\\(line [0-9]+\\)"));
}

TEST(ParseHosts, ParsesNamesAndAddressesPerOrganisation) {
  std::map<std::string, std::vector<std::string>> hosts;
  ASSERT_TRUE(ParseHosts("exporter=node0.acme.example,10.0.0.5,fd00::1", &hosts).ok());
  ASSERT_TRUE(ParseHosts("forwarder=node1", &hosts).ok());
  EXPECT_EQ(hosts.at("exporter"),
            (std::vector<std::string>{"node0.acme.example", "10.0.0.5", "fd00::1"}));
  EXPECT_EQ(hosts.at("forwarder"), std::vector<std::string>{"node1"});
}

TEST(ParseHosts, RefusesWhatCannotBeAHostNamingIt) {
  std::map<std::string, std::vector<std::string>> hosts;
  EXPECT_THAT(ParseHosts("exporter", &hosts).message(), HasSubstr("expected ORG=NAME"));
  EXPECT_THAT(ParseHosts("exporter=", &hosts).message(), HasSubstr("''"));
  EXPECT_THAT(ParseHosts("exporter=a..b", &hosts).message(),
              HasSubstr("'a..b' is neither an IP address nor a DNS name"));
  EXPECT_THAT(ParseHosts("exporter=-bad.example", &hosts).message(), HasSubstr("-bad"));
  EXPECT_THAT(ParseHosts("exporter=x_y", &hosts).message(), HasSubstr("x_y"));
  ASSERT_TRUE(ParseHosts("exporter=a", &hosts).ok());
  EXPECT_THAT(ParseHosts("exporter=b", &hosts).message(), HasSubstr("given twice"));
}

TEST_F(NetworkTest, HostsGoIntoTheGenesisTheNodeConfigAndTheCertificate) {
  ASSERT_TRUE(
      Init(kFourNodes, "",
           {"exporter=10.1.2.3,node0.example", "forwarder=node1.example", "customs=fd00::7"})
          .ok());
  auto genesis = LoadGenesis(out("genesis.yaml"));
  ASSERT_TRUE(genesis.ok()) << genesis.status().ToString();
  const model::Genesis& g = **genesis;
  EXPECT_EQ(g.replicas[0].grpc_endpoint, "10.1.2.3:7050");
  EXPECT_EQ(g.replicas[1].peer_endpoint, "node1.example:7053");
  EXPECT_EQ(g.replicas[2].grpc_endpoint, "[fd00::7]:7054");
  EXPECT_EQ(g.replicas[3].grpc_endpoint, "127.0.0.1:7056");  // no --host: loopback
  const auto yaml = [&](const std::string& org) {
    return testing::ReadText(out(org + "/node/node.yaml"));
  };
  // An address: listen there; a name: listen everywhere.
  EXPECT_THAT(yaml("exporter"),
              HasSubstr("grpc_listen: 10.1.2.3:7050\npeer_listen: 10.1.2.3:7051"));
  EXPECT_THAT(yaml("forwarder"), HasSubstr("grpc_listen: 0.0.0.0:7052\npeer_listen: 0.0.0.0:7053"));
  EXPECT_THAT(yaml("customs"), HasSubstr("grpc_listen: \"[fd00::7]:7054\""));
  // Every node.yaml written loads.
  for (const char* org : {"exporter", "forwarder", "customs", "importer"}) {
    const auto config = LoadNodeConfig(out(std::string(org) + "/node/node.yaml"));
    EXPECT_TRUE(config.ok()) << org << ": " << config.status().ToString();
  }
}

TEST_F(NetworkTest, HostsOfAnOrganisationWithoutANodeAreRefused) {
  EXPECT_THAT(Init(kFourNodes, "", {"carrier=node9.example"}).message(),
              HasSubstr("carrier is not an organisation that runs a node"));
  EXPECT_THAT(Init(kFourNodes, "", {"nobody=node9.example"}).message(),
              HasSubstr("nobody is not an organisation that runs a node"));
}

}  // namespace
}  // namespace shipledger::config
