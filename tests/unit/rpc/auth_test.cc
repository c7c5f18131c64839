#include "rpc/auth.h"

#include <gtest/gtest.h>

#include <map>
#include <optional>

#include "testing/test_network.h"

namespace shipledger::rpc {
namespace {

using testing::TestNetwork;

class AuthTest : public ::testing::Test {
 protected:
  void SetUp() override {
    net_ = TestNetwork::Create();
    clock_.Set(net_->now_ms());
  }
  Authenticator Make(bool insecure = false, size_t capacity = 16) {
    return Authenticator(*net_->genesis(), clock_, insecure, capacity);
  }
  std::string Pem(const std::string& org) const { return net_->org(org).client.cert.ToPem(); }

  std::unique_ptr<TestNetwork> net_;
  ManualClock clock_{0};
};

TEST_F(AuthTest, ClientOfAGenesisOrganisationIsIdentifiedWithItsOrganisation) {
  const Authenticator auth = Make();
  auto caller = auth.IdentifyPem(Pem("forwarder"));
  ASSERT_TRUE(caller.ok()) << caller.status().ToString();
  EXPECT_EQ(caller->org, "forwarder");
  EXPECT_FALSE(caller->runs_node);  // only the exporter runs a node in the default test network
  EXPECT_FALSE(caller->unrestricted);
  auto exporter = auth.IdentifyPem(Pem("exporter"));
  ASSERT_TRUE(exporter.ok());
  EXPECT_TRUE(exporter->runs_node);
}

TEST_F(AuthTest, CertificateOfAnUnknownCaIsUnauthenticated) {
  // Another network's "exporter": same organisation name, another CA.
  const auto other = TestNetwork::Create();
  const Authenticator auth = Make();
  auto caller = auth.IdentifyPem(other->org("exporter").client.cert.ToPem());
  ASSERT_FALSE(caller.ok());
  EXPECT_EQ(caller.status().code(), Code::kUnauthenticated);
  EXPECT_NE(caller.status().message().find("not issued by its CA"), std::string::npos)
      << caller.status().message();
}

TEST_F(AuthTest, OrganisationOutsideTheGenesisIsUnauthenticated) {
  const auto other = TestNetwork::Create({{"stranger", model::Role::kCarrier}});
  auto caller = Make().IdentifyPem(other->org("stranger").client.cert.ToPem());
  ASSERT_FALSE(caller.ok());
  EXPECT_EQ(caller.status().code(), Code::kUnauthenticated);
  EXPECT_NE(caller.status().message().find("'stranger', which is not in the genesis"),
            std::string::npos)
      << caller.status().message();
}

TEST_F(AuthTest, CaCertificateIsNotAClient) {
  auto caller = Make().IdentifyPem(net_->org("customs").ca_cert.ToPem());
  ASSERT_FALSE(caller.ok());
  EXPECT_EQ(caller.status().code(), Code::kUnauthenticated);
}

TEST_F(AuthTest, NodeCertificateIsNotAClient) {
  // The exporter's node certificate chains to the exporter's CA like its clients' do.
  auto caller = Make().IdentifyPem(net_->node(0).cert.ToPem());
  ASSERT_FALSE(caller.ok());
  EXPECT_EQ(caller.status().code(), Code::kUnauthenticated);
  EXPECT_NE(caller.status().message().find("the node certificate the genesis pins for replica 0"),
            std::string::npos)
      << caller.status().message();
}

// DESIGN §8, issue 19: who sees an event (its receipt, its proof).
TEST(MaySeeEvent, PartiesSignersAndNodesAsTheRulesSay) {
  model::Genesis genesis;
  v1::ShipmentState state;
  state.add_parties("exporter");
  v1::Event own;
  own.set_signer_org("customs");
  Caller party{"exporter", false, false};
  Caller signer{"customs", false, false};
  Caller node{"carrier", true, false};
  Caller stranger{"importer", false, false};
  Caller insecure{"", false, true};
  for (uint32_t rules : {1u, 2u, 3u}) {
    EXPECT_TRUE(MaySeeEvent(party, genesis, own, &state, rules));
    EXPECT_TRUE(MaySeeEvent(insecure, genesis, own, &state, rules));
    EXPECT_FALSE(MaySeeEvent(stranger, genesis, own, &state, rules));
    EXPECT_FALSE(MaySeeEvent(stranger, genesis, own, nullptr, rules));
    // No such shipment (an offer, a refused event): its signer and node organisations.
    EXPECT_TRUE(MaySeeEvent(signer, genesis, own, nullptr, rules));
    EXPECT_TRUE(MaySeeEvent(node, genesis, own, nullptr, rules));
    EXPECT_FALSE(MaySeeEvent(node, genesis, own, &state, rules));
  }
  // A non-party's own event on the shipment: its receipt names the custodian under rules v1
  // and v2 (hidden); under v3 it is the unknown shipment's receipt (shown, as for an unknown id).
  EXPECT_FALSE(MaySeeEvent(signer, genesis, own, &state, 1));
  EXPECT_FALSE(MaySeeEvent(signer, genesis, own, &state, 2));
  EXPECT_TRUE(MaySeeEvent(signer, genesis, own, &state, 3));
  genesis.read_scope = model::ReadScope::kAllMembers;
  EXPECT_TRUE(MaySeeEvent(stranger, genesis, own, &state, 2));
}

TEST_F(AuthTest, GarbageIsUnauthenticated) {
  auto caller =
      Make().IdentifyPem("-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n");
  ASSERT_FALSE(caller.ok());
  EXPECT_EQ(caller.status().code(), Code::kUnauthenticated);
}

// The cache must not outlive the certificate: an expired client is refused even when its
// certificate was accepted (and cached) before.
TEST_F(AuthTest, ExpiredCertificateIsRefusedEvenWhenCached) {
  const Authenticator auth = Make();
  ASSERT_TRUE(auth.IdentifyPem(Pem("importer")).ok());
  clock_.Set(net_->org("importer").client.cert.not_after_ms() + 1);
  auto caller = auth.IdentifyPem(Pem("importer"));
  ASSERT_FALSE(caller.ok());
  EXPECT_EQ(caller.status().code(), Code::kUnauthenticated);
  EXPECT_NE(caller.status().message().find("not valid at this time"), std::string::npos);
}

// DESIGN §3: a revoked client certificate is refused as soon as the node executed the
// revocation, also when the authenticator has it cached; other certificates of the
// organisation, and the same fingerprint revoked by another organisation, are not.
TEST_F(AuthTest, RevokedClientCertificateIsUnauthenticatedEvenWhenCached) {
  std::map<std::pair<std::string, Bytes>, uint64_t> revoked;
  const Authenticator auth(*net_->genesis(), clock_, false, 16,
                           [&revoked](const std::string& org, ByteView fingerprint) {
                             auto it = revoked.find({org, Bytes(fingerprint)});
                             return it == revoked.end() ? std::nullopt
                                                        : std::optional<uint64_t>(it->second);
                           });
  ASSERT_TRUE(auth.IdentifyPem(Pem("importer")).ok());
  const Bytes fingerprint = net_->org("importer").client.cert.fingerprint();
  revoked[{"forwarder", fingerprint}] = 3;  // not the importer's revocation: no effect
  ASSERT_TRUE(auth.IdentifyPem(Pem("importer")).ok());
  revoked[{"importer", fingerprint}] = 7;
  auto caller = auth.IdentifyPem(Pem("importer"));
  ASSERT_FALSE(caller.ok());
  EXPECT_EQ(caller.status().code(), Code::kUnauthenticated);
  EXPECT_NE(caller.status().message().find("was revoked at height 7"), std::string::npos)
      << caller.status().ToString();
  const config::Identity other = net_->IssueClient("importer", "clerk");
  EXPECT_TRUE(auth.IdentifyPem(other.cert.ToPem()).ok());
}

TEST(CheckNotRevoked, NamesTheSignersOrTheCoSignersCertificate) {
  model::AdmittedEvent e;
  e.event.set_signer_org("exporter");
  e.signer_fingerprint = Bytes(32, 'a');
  e.cosigned_by = {"forwarder"};
  e.cosigner_fingerprints = {Bytes(32, 'b')};
  std::map<std::pair<std::string, Bytes>, uint64_t> revoked;
  const RevocationLookup lookup = [&revoked](const std::string& org, ByteView fingerprint) {
    auto it = revoked.find({org, Bytes(fingerprint)});
    return it == revoked.end() ? std::nullopt : std::optional<uint64_t>(it->second);
  };
  EXPECT_TRUE(CheckNotRevoked(lookup, e).ok());
  EXPECT_TRUE(CheckNotRevoked({}, e).ok());
  revoked[{"forwarder", Bytes(32, 'b')}] = 4;
  Status s = CheckNotRevoked(lookup, e);
  EXPECT_EQ(s.code(), Code::kPermissionDenied);
  EXPECT_NE(s.message().find("a co-signer's certificate"), std::string::npos) << s.ToString();
  revoked[{"exporter", Bytes(32, 'a')}] = 2;
  s = CheckNotRevoked(lookup, e);
  EXPECT_NE(s.message().find("the signer's certificate"), std::string::npos) << s.ToString();
  EXPECT_NE(s.message().find("revoked at height 2"), std::string::npos) << s.ToString();
}

TEST_F(AuthTest, CacheIsBoundedAndStillAnswersAfterEviction) {
  const Authenticator auth = Make(false, /*capacity=*/1);
  for (int round = 0; round < 3; ++round) {
    for (const char* org : {"exporter", "forwarder", "customs"}) {
      auto caller = auth.IdentifyPem(Pem(org));
      ASSERT_TRUE(caller.ok()) << org;
      EXPECT_EQ(caller->org, org);
    }
  }
}

v1::ShipmentState StateWithParties(std::vector<std::string> parties) {
  v1::ShipmentState state;
  state.set_shipment_id("S-1");
  for (auto& p : parties) state.add_parties(p);
  return state;
}

TEST(MayRead, PartiesOnlyByDefault) {
  model::Genesis genesis;
  const auto state = StateWithParties({"exporter", "forwarder"});
  EXPECT_TRUE(MayRead(Caller{"forwarder", false, false}, genesis, state));
  EXPECT_FALSE(MayRead(Caller{"customs", true, false}, genesis, state));  // a node is no party
  EXPECT_FALSE(MayRead(Caller{"", false, false}, genesis, state));
}

TEST(MayRead, GenesisMayWidenToAllMembers) {
  model::Genesis genesis;
  genesis.read_scope = model::ReadScope::kAllMembers;
  EXPECT_TRUE(MayRead(Caller{"customs", false, false}, genesis, StateWithParties({"exporter"})));
  EXPECT_FALSE(MayRead(Caller{"", false, false}, genesis, StateWithParties({"exporter"})));
}

TEST(MayRead, InsecureCallerReadsEverything) {
  model::Genesis genesis;
  EXPECT_TRUE(MayRead(Caller{"", false, true}, genesis, StateWithParties({"exporter"})));
}

}  // namespace
}  // namespace shipledger::rpc
