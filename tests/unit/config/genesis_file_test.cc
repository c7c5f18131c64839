#include "config/genesis_file.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "config_test_support.h"
#include "crypto/sha256.h"
#include "model/block.h"
#include "model/event.h"

namespace shipledger::config {
namespace {

using ::testing::HasSubstr;
using testing::Issue;
using testing::MakeCa;
using testing::TestCa;

// `text` with the lines that follow the line `header` and start with two spaces (its block)
// replaced by `block`. (By hand: GCC 12's sanitizer builds warn inside std::regex.)
std::string ReplaceBlock(const std::string& text, const std::string& header,
                         const std::string& block) {
  const size_t at = text.find(header + "\n");
  EXPECT_NE(at, std::string::npos) << header;
  if (at == std::string::npos) return text;
  size_t end = at + header.size() + 1;
  while (text.compare(end, 2, "  ") == 0) end = text.find('\n', end) + 1;
  return text.substr(0, at) + header + "\n" + block + text.substr(end);
}

// `text` without its line starting with `prefix`.
std::string WithoutLine(const std::string& text, const std::string& prefix) {
  const size_t at = text.find(prefix);
  EXPECT_NE(at, std::string::npos) << prefix;
  if (at == std::string::npos) return text;
  return text.substr(0, at) + text.substr(text.find('\n', at) + 1);
}

// Four organisations a..d (exporter, forwarder, customs, importer), each running replica 0..3.
class GenesisFileTest : public ::testing::Test {
 protected:
  void SetUp() override {
    const std::pair<const char*, model::Role> orgs[] = {{"a", model::Role::kExporter},
                                                        {"b", model::Role::kForwarder},
                                                        {"c", model::Role::kCustoms},
                                                        {"d", model::Role::kImporter}};
    spec_.chain_id = "test-chain";
    for (const auto& [id, role] : orgs) {
      cas_.push_back(MakeCa(id));
      const crypto::PrivateKey enc = crypto::PrivateKey::Generate().value();
      spec_.organisations.push_back({id, role, cas_.back().cert.ToPem(), enc.public_key().ToPem()});
    }
    for (uint32_t i = 0; i < 4; ++i) {
      const std::string org = spec_.organisations[i].id;
      const crypto::Certificate cert = Issue(cas_[i], crypto::CertKind::kNode, org, org + "-node");
      spec_.replicas.push_back({i, org, "127.0.0.1:" + std::to_string(7050 + 2 * i),
                                "127.0.0.1:" + std::to_string(7051 + 2 * i), cert.ToPem()});
    }
    spec_.consensus.window = 16;
    spec_.limits.max_details = 7;
    spec_.role_policy = model::DefaultRolePolicy();
  }

  // The rendered spec with `from` (which must occur) replaced by `to` once.
  std::string RenderWith(const std::string& from, const std::string& to) const {
    std::string text = RenderGenesis(spec_);
    const size_t at = text.find(from);
    EXPECT_NE(at, std::string::npos) << "'" << from << "' not in:\n" << text;
    if (at != std::string::npos) text.replace(at, from.size(), to);
    return text;
  }

  // Expects ParseGenesis(text) to fail with INVALID_ARGUMENT mentioning `needle`.
  static void ExpectRejected(const std::string& text, const std::string& needle) {
    auto genesis = ParseGenesis(text);
    ASSERT_FALSE(genesis.ok()) << "accepted:\n" << text;
    EXPECT_EQ(genesis.status().code(), Code::kInvalidArgument) << genesis.status().ToString();
    EXPECT_THAT(genesis.status().message(), HasSubstr(needle));
  }

  GenesisSpec spec_;
  std::vector<TestCa> cas_;
};

TEST_F(GenesisFileTest, RenderThenParseRoundTrips) {
  const std::string text = RenderGenesis(spec_);
  auto genesis = ParseGenesis(text);
  ASSERT_TRUE(genesis.ok()) << genesis.status().ToString() << "\n" << text;
  const model::Genesis& g = **genesis;
  EXPECT_EQ(g.chain_id, "test-chain");
  ASSERT_EQ(g.organisations.size(), 4u);
  for (size_t i = 0; i < 4; ++i) {
    EXPECT_EQ(g.organisations[i].id, spec_.organisations[i].id);
    EXPECT_EQ(g.organisations[i].role, spec_.organisations[i].role);
    EXPECT_EQ(g.organisations[i].ca_cert.der(), cas_[i].cert.der());
    ASSERT_TRUE(g.organisations[i].encryption_key.has_value());
    EXPECT_EQ(g.organisations[i].encryption_key->ToPem(),
              spec_.organisations[i].encryption_key_pem);
  }
  ASSERT_EQ(g.n(), 4u);
  EXPECT_EQ(g.f(), 1u);
  for (uint32_t i = 0; i < 4; ++i) {
    EXPECT_EQ(g.replicas[i].id, i);
    EXPECT_EQ(g.replicas[i].org, spec_.replicas[i].org);
    EXPECT_EQ(g.replicas[i].grpc_endpoint, spec_.replicas[i].grpc_endpoint);
    EXPECT_EQ(g.replicas[i].peer_endpoint, spec_.replicas[i].peer_endpoint);
    EXPECT_EQ(g.replicas[i].node_cert.ToPem(), spec_.replicas[i].node_cert_pem);
  }
  EXPECT_EQ(g.consensus.window, 16u);
  EXPECT_EQ(g.consensus.batch_max_events, model::ConsensusParams{}.batch_max_events);
  EXPECT_EQ(g.consensus.clock_skew_ms, model::ConsensusParams{}.clock_skew_ms);
  EXPECT_EQ(g.limits.max_details, 7u);
  EXPECT_EQ(g.limits.max_event_age_ms, model::Limits{}.max_event_age_ms);
  EXPECT_EQ(g.role_policy, spec_.role_policy);
}

TEST_F(GenesisFileTest, RenderPinsNodeCertificateFingerprints) {
  const std::string text = RenderGenesis(spec_);
  for (const auto& r : spec_.replicas) {
    const auto cert = crypto::Certificate::FromPem(r.node_cert_pem).value();
    EXPECT_THAT(text, HasSubstr("fingerprint: " + ToHex(cert.fingerprint())));
  }
}

TEST_F(GenesisFileTest, HashIsDomainSeparatedHashOfExactBytes) {
  const std::string text = RenderGenesis(spec_);
  auto genesis = ParseGenesis(text);
  ASSERT_TRUE(genesis.ok()) << genesis.status().ToString();
  EXPECT_EQ((*genesis)->hash, crypto::Sha256({model::kGenesisDomain, text}));
  // The same content with one more comment byte is another genesis.
  auto other = ParseGenesis(text + "#");
  ASSERT_TRUE(other.ok()) << other.status().ToString();
  EXPECT_NE((*other)->hash, (*genesis)->hash);
}

TEST_F(GenesisFileTest, LoadGenesisReadsFileAndReportsMissingFile) {
  testing::TempDir dir;
  testing::WriteText(dir / "genesis.yaml", RenderGenesis(spec_));
  auto genesis = LoadGenesis(dir / "genesis.yaml");
  ASSERT_TRUE(genesis.ok()) << genesis.status().ToString();
  EXPECT_EQ((*genesis)->n(), 4u);
  EXPECT_EQ(LoadGenesis(dir / "nope.yaml").status().code(), Code::kNotFound);
}

TEST_F(GenesisFileTest, RejectsUnknownRole) {
  ExpectRejected(RenderWith("role: customs", "role: shipper"),
                 "genesis.yaml: organisations[2].role: unknown role 'shipper'");
}

TEST_F(GenesisFileTest, RejectsDuplicateOrganisationId) {
  spec_.organisations[1] = spec_.organisations[0];
  ExpectRejected(RenderGenesis(spec_), "organisations[1].id: duplicate organisation id 'a'");
}

TEST_F(GenesisFileTest, RejectsCaCertificateOfAnotherOrganisation) {
  spec_.organisations[1].ca_cert_pem = spec_.organisations[0].ca_cert_pem;
  ExpectRejected(RenderGenesis(spec_), "organisations[1].ca_cert: its subject O is 'a'");
}

TEST_F(GenesisFileTest, RejectsMissingChainId) {
  const std::string text = WithoutLine(RenderGenesis(spec_), "chain_id: ");
  ExpectRejected(text, "chain_id: missing");
}

TEST_F(GenesisFileTest, RejectsReplicaWithUnknownOrganisation) {
  spec_.replicas[2].org = "zz";
  ExpectRejected(RenderGenesis(spec_), "replicas[2].org: unknown organisation 'zz'");
}

TEST_F(GenesisFileTest, RejectsTamperedFingerprint) {
  const auto cert = crypto::Certificate::FromPem(spec_.replicas[1].node_cert_pem).value();
  std::string fp = ToHex(cert.fingerprint());
  std::string tampered = fp;
  tampered[0] = tampered[0] == '0' ? '1' : '0';
  ExpectRejected(RenderWith(fp, tampered), "replicas[1].fingerprint: does not match node_cert");
}

TEST_F(GenesisFileTest, RejectsNodeCertificateFromAnotherOrganisationsCa) {
  // Claims organisation b in its subject, but is signed by a's CA.
  spec_.replicas[1].node_cert_pem = Issue(cas_[0], crypto::CertKind::kNode, "b", "b-node").ToPem();
  ExpectRejected(RenderGenesis(spec_), "replicas[1].node_cert: not issued by the CA of 'b'");
}

TEST_F(GenesisFileTest, RejectsNodeCertificateOfAnotherOrganisation) {
  spec_.replicas[1].node_cert_pem = spec_.replicas[0].node_cert_pem;
  ExpectRejected(RenderGenesis(spec_), "replicas[1].node_cert: issued to organisation 'a'");
}

TEST_F(GenesisFileTest, RejectsClientCertificatePinnedAsReplica) {
  spec_.replicas[1].node_cert_pem = Issue(cas_[1], crypto::CertKind::kClient, "b", "x").ToPem();
  ExpectRejected(RenderGenesis(spec_), "replicas[1].node_cert: not a node certificate");
}

TEST_F(GenesisFileTest, RejectsTheSameCertificateForTwoReplicas) {
  spec_.replicas[1].org = "a";
  spec_.replicas[1].node_cert_pem = spec_.replicas[0].node_cert_pem;
  ExpectRejected(RenderGenesis(spec_), "replicas[1].node_cert: same certificate as replicas[0]");
}

TEST_F(GenesisFileTest, RejectsReplicaCountNotOneOrThreeFPlusOne) {
  spec_.replicas.resize(2);
  ExpectRejected(RenderGenesis(spec_), "replicas: 2 replicas; PBFT needs 1 or 3f+1");
}

TEST_F(GenesisFileTest, AcceptsSingleReplica) {
  spec_.replicas.resize(1);
  auto genesis = ParseGenesis(RenderGenesis(spec_));
  ASSERT_TRUE(genesis.ok()) << genesis.status().ToString();
  EXPECT_EQ((*genesis)->n(), 1u);
  EXPECT_EQ((*genesis)->quorum(), 1u);
}

TEST_F(GenesisFileTest, RejectsReplicaIdsOutsideZeroToN) {
  spec_.replicas[3].id = 4;
  ExpectRejected(RenderGenesis(spec_), "replicas[3].id: replica ids must be 0..3, got 4");
}

TEST_F(GenesisFileTest, RejectsDuplicateReplicaId) {
  spec_.replicas[3].id = 0;
  ExpectRejected(RenderGenesis(spec_), "replicas[3].id: duplicate replica id 0");
}

TEST_F(GenesisFileTest, SortsReplicasById) {
  std::swap(spec_.replicas[0], spec_.replicas[3]);
  auto genesis = ParseGenesis(RenderGenesis(spec_));
  ASSERT_TRUE(genesis.ok()) << genesis.status().ToString();
  for (uint32_t i = 0; i < 4; ++i) EXPECT_EQ((*genesis)->replicas[i].id, i);
}

TEST_F(GenesisFileTest, RejectsBadEndpoint) {
  spec_.replicas[0].grpc_endpoint = "localhost";
  ExpectRejected(RenderGenesis(spec_), "replicas[0].grpc: expected host:port");
}

TEST_F(GenesisFileTest, RejectsUnknownKey) {
  ExpectRejected(RenderWith("chain_id:", "chian_id: x\nchain_id:"), "unknown key 'chian_id'");
}

TEST_F(GenesisFileTest, RejectsUnknownEventTypeInRolePolicy) {
  spec_.role_policy.clear();
  spec_.role_policy[v1::EVENT_TYPE_BOOKED] = {model::Role::kExporter};
  ExpectRejected(RenderWith("booked:", "bookd:"), "role_policy.bookd: unknown event type 'bookd'");
}

TEST_F(GenesisFileTest, RejectsUnknownRoleInRolePolicy) {
  spec_.role_policy.clear();
  spec_.role_policy[v1::EVENT_TYPE_BOOKED] = {model::Role::kExporter};
  ExpectRejected(RenderWith("[exporter]", "[exporter, pirate]"),
                 "role_policy.booked[1]: unknown role 'pirate'");
}

TEST_F(GenesisFileTest, RejectsNegativeConsensusValue) {
  ExpectRejected(RenderWith("window: 16", "window: -1"), "consensus.window: expected an integer");
}

TEST_F(GenesisFileTest, LimitsDefaultWhenAbsent) {
  const std::string text = ReplaceBlock(RenderGenesis(spec_), "limits:", "  max_details: 9\n");
  auto genesis = ParseGenesis(text);
  ASSERT_TRUE(genesis.ok()) << genesis.status().ToString() << "\n" << text;
  EXPECT_EQ((*genesis)->limits.max_details, 9u);
  EXPECT_EQ((*genesis)->limits.max_event_bytes, model::Limits{}.max_event_bytes);
  // Genesis files written before private fields existed keep loading, with these defaults.
  EXPECT_EQ((*genesis)->limits.max_private_fields, 64u);
  EXPECT_EQ((*genesis)->limits.max_private_readers, 32u);
  EXPECT_EQ((*genesis)->limits.max_private_value_bytes, 4096u);
  // ... and those written before contract rules v2, with these.
  EXPECT_EQ((*genesis)->limits.max_legs, 16u);
  EXPECT_EQ((*genesis)->limits.max_readings, 500u);
  // ... and those written before contract rules v3 bounded offers and open legs, with these.
  EXPECT_EQ((*genesis)->limits.max_open_offers_per_org, 1000u);
  EXPECT_EQ((*genesis)->limits.max_open_legs_per_shipment, 8u);
}

TEST_F(GenesisFileTest, PayloadLimitsRoundTrip) {
  spec_.limits.max_legs = 4;
  spec_.limits.max_readings = 50;
  const std::string text = RenderGenesis(spec_);
  EXPECT_THAT(text, HasSubstr("max_legs: 4\n"));
  EXPECT_THAT(text, HasSubstr("max_readings: 50\n"));
  auto genesis = ParseGenesis(text);
  ASSERT_TRUE(genesis.ok()) << genesis.status().ToString();
  EXPECT_EQ((*genesis)->limits.max_legs, 4u);
  EXPECT_EQ((*genesis)->limits.max_readings, 50u);
}

TEST_F(GenesisFileTest, RejectsBadPayloadLimits) {
  ExpectRejected(RenderWith("max_legs: 16", "max_legs: 0"),
                 "limits.max_legs: expected an integer in [1, ");
  ExpectRejected(RenderWith("max_legs: 16", "max_legs: -3"),
                 "limits.max_legs: expected an integer");
  ExpectRejected(RenderWith("max_legs: 16", "max_legs: many"),
                 "limits.max_legs: expected an integer");
  ExpectRejected(RenderWith("max_readings: 500", "max_readings: 0"),
                 "limits.max_readings: expected an integer in [1, ");
  ExpectRejected(RenderWith("max_readings: 500", "max_readings: 4294967296"),
                 "limits.max_readings: expected an integer");
}

TEST_F(GenesisFileTest, OfferAndOpenLegLimitsAreWrittenAndRoundTrip) {
  EXPECT_THAT(RenderGenesis(spec_), HasSubstr("max_open_offers_per_org: 1000\n"));
  EXPECT_THAT(RenderGenesis(spec_), HasSubstr("max_open_legs_per_shipment: 8\n"));
  spec_.limits.max_open_offers_per_org = 25;
  spec_.limits.max_open_legs_per_shipment = 0;  // every leg named or matched at booking
  auto genesis = ParseGenesis(RenderGenesis(spec_));
  ASSERT_TRUE(genesis.ok()) << genesis.status().ToString();
  EXPECT_EQ((*genesis)->limits.max_open_offers_per_org, 25u);
  EXPECT_EQ((*genesis)->limits.max_open_legs_per_shipment, 0u);
  ExpectRejected(RenderWith("max_open_offers_per_org: 25", "max_open_offers_per_org: -1"),
                 "limits.max_open_offers_per_org: expected an integer");
  ExpectRejected(RenderWith("max_open_legs_per_shipment: 0", "max_open_legs_per_shipment: x"),
                 "limits.max_open_legs_per_shipment: expected an integer");
}

TEST_F(GenesisFileTest, PrivateFieldLimitsRoundTrip) {
  spec_.limits.max_private_fields = 3;
  spec_.limits.max_private_readers = 2;
  spec_.limits.max_private_value_bytes = 100;
  auto genesis = ParseGenesis(RenderGenesis(spec_));
  ASSERT_TRUE(genesis.ok()) << genesis.status().ToString();
  EXPECT_EQ((*genesis)->limits.max_private_fields, 3u);
  EXPECT_EQ((*genesis)->limits.max_private_readers, 2u);
  EXPECT_EQ((*genesis)->limits.max_private_value_bytes, 100u);
}

TEST_F(GenesisFileTest, RejectsZeroPrivateReaders) {
  ExpectRejected(RenderWith("max_private_readers: 32", "max_private_readers: 0"),
                 "max_private_readers");
}

TEST_F(GenesisFileTest, ReadScopeIsPartiesByDefaultAndMayBeWidened) {
  auto parties = ParseGenesis(RenderGenesis(spec_));
  ASSERT_TRUE(parties.ok()) << parties.status().ToString();
  EXPECT_EQ((*parties)->read_scope, model::ReadScope::kParties);
  spec_.read_scope = model::ReadScope::kAllMembers;
  auto all = ParseGenesis(RenderGenesis(spec_));
  ASSERT_TRUE(all.ok()) << all.status().ToString();
  EXPECT_EQ((*all)->read_scope, model::ReadScope::kAllMembers);
  // A genesis written before read_scope existed reads as parties.
  spec_.read_scope = model::ReadScope::kParties;
  auto old = ParseGenesis(RenderWith("read_scope: parties\n", ""));
  ASSERT_TRUE(old.ok()) << old.status().ToString();
  EXPECT_EQ((*old)->read_scope, model::ReadScope::kParties);
}

TEST_F(GenesisFileTest, RejectsUnknownReadScope) {
  ExpectRejected(RenderWith("read_scope: parties", "read_scope: everyone"),
                 "read_scope: 'everyone' is not a read scope");
}

TEST_F(GenesisFileTest, RejectsContractRulesNotStartingAtHeightOne) {
  ExpectRejected(RenderWith("from_height: 1", "from_height: 5"),
                 "contract_rules[0].from_height: the first rule starts at 1");
}

TEST_F(GenesisFileTest, ReportsYamlSyntaxErrorWithLine) {
  auto genesis = ParseGenesis("chain_id: x\norganisations: [\n");
  ASSERT_FALSE(genesis.ok());
  EXPECT_EQ(genesis.status().code(), Code::kInvalidArgument);
  EXPECT_THAT(genesis.status().message(), HasSubstr("genesis.yaml: line "));
}

TEST_F(GenesisFileTest, RejectsDocumentThatIsNotAMap) {
  ExpectRejected("- just\n- a list\n", "expected a map");
  ExpectRejected("", "genesis.yaml: empty document");
}

}  // namespace
}  // namespace shipledger::config
