#include "net/tls.h"

#include <gtest/gtest.h>

#include "testing/test_network.h"

namespace shipledger::net {
namespace {

using shipledger::testing::TestNetwork;

class TlsTest : public ::testing::Test {
 protected:
  std::unique_ptr<TestNetwork> net_ = TestNetwork::Create(TestNetwork::DefaultOrgs(), 4);
  int64_t now_ = net_->now_ms();
};

TEST_F(TlsTest, PinnedNodeCertificateAuthenticatesAsItsReplica) {
  for (uint32_t id = 0; id < 4; ++id) {
    auto result = AuthenticatePeer(*net_->genesis(), net_->node(id).cert, now_, std::nullopt);
    ASSERT_TRUE(result.ok()) << result.status().ToString();
    EXPECT_EQ(*result, id);
  }
}

TEST_F(TlsTest, ExpectedReplicaMustMatch) {
  EXPECT_TRUE(AuthenticatePeer(*net_->genesis(), net_->node(2).cert, now_, 2u).ok());
  auto result = AuthenticatePeer(*net_->genesis(), net_->node(2).cert, now_, 1u);
  EXPECT_EQ(result.status().code(), Code::kPermissionDenied);
}

TEST_F(TlsTest, ClientCertificateOfGenesisOrganisationIsRefused) {
  auto result =
      AuthenticatePeer(*net_->genesis(), net_->org("forwarder").client.cert, now_, std::nullopt);
  EXPECT_EQ(result.status().code(), Code::kPermissionDenied);
  EXPECT_NE(result.status().message().find("not pinned"), std::string::npos);
}

TEST_F(TlsTest, CertificateFromUnknownCaIsRefused) {
  auto other = TestNetwork::Create(TestNetwork::DefaultOrgs(), 4);
  auto result = AuthenticatePeer(*net_->genesis(), other->node(1).cert, now_, std::nullopt);
  EXPECT_EQ(result.status().code(), Code::kPermissionDenied);
}

TEST_F(TlsTest, PinnedCertificateOutsideValidityIsRefused) {
  const int64_t later = net_->node(0).cert.not_after_ms() + 1;
  auto result = AuthenticatePeer(*net_->genesis(), net_->node(0).cert, later, std::nullopt);
  EXPECT_EQ(result.status().code(), Code::kPermissionDenied);
}

TEST_F(TlsTest, PinnedCertificateNotChainingToItsOrganisationIsRefused) {
  // A genesis that pins replica 1 under an organisation whose CA did not issue it.
  auto genesis = std::make_shared<model::Genesis>(*net_->genesis());
  genesis->replicas[1].org = "exporter";
  auto result = AuthenticatePeer(*genesis, net_->node(1).cert, now_, std::nullopt);
  EXPECT_EQ(result.status().code(), Code::kPermissionDenied);
}

TEST_F(TlsTest, ContextRefusesAKeyThatDoesNotMatchTheCertificate) {
  auto ctx = MakeTlsContext(net_->node(0).cert, net_->node(1).key);
  EXPECT_EQ(ctx.status().code(), Code::kInvalidArgument);
  EXPECT_TRUE(MakeTlsContext(net_->node(0).cert, net_->node(0).key).ok());
}

TEST_F(TlsTest, CertificateFromX509RoundTrips) {
  auto cert = CertificateFromX509(net_->node(3).cert.raw());
  ASSERT_TRUE(cert.ok());
  EXPECT_EQ(cert->fingerprint(), net_->node(3).cert.fingerprint());
  EXPECT_FALSE(CertificateFromX509(nullptr).ok());
}

}  // namespace
}  // namespace shipledger::net
