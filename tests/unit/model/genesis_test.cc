#include "model/genesis.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "model/event.h"
#include "testing/test_network.h"

namespace shipledger::model {
namespace {

const std::vector<Role>& AllRoles() {
  static const std::vector<Role> roles = {Role::kExporter, Role::kForwarder, Role::kCarrier,
                                          Role::kCustoms,  Role::kImporter,  Role::kInspector};
  return roles;
}

TEST(RoleName, NamesEveryRole) {
  EXPECT_EQ(RoleName(Role::kExporter), "exporter");
  EXPECT_EQ(RoleName(Role::kForwarder), "forwarder");
  EXPECT_EQ(RoleName(Role::kCarrier), "carrier");
  EXPECT_EQ(RoleName(Role::kCustoms), "customs");
  EXPECT_EQ(RoleName(Role::kImporter), "importer");
  EXPECT_EQ(RoleName(Role::kInspector), "inspector");
}

TEST(ParseRole, RoundTripsEveryRole) {
  for (Role r : AllRoles()) {
    const auto parsed = ParseRole(RoleName(r));
    ASSERT_TRUE(parsed.has_value()) << RoleName(r);
    EXPECT_EQ(*parsed, r);
  }
}

TEST(ParseRole, UnknownNamesAreNullopt) {
  for (const char* name : {"", "Customs", "CUSTOMS", "customs ", "admin", "unknown", "shipper"}) {
    EXPECT_FALSE(ParseRole(name).has_value()) << "'" << name << "'";
  }
}

Genesis WithPolicy() {
  Genesis g;
  g.role_policy = DefaultRolePolicy();
  return g;
}

TEST(DefaultRolePolicy, CustomsDecisionsAreCustomsOnly) {
  const Genesis g = WithPolicy();
  for (auto t : {v1::EVENT_TYPE_EXPORT_CUSTOMS_CLEARED, v1::EVENT_TYPE_EXPORT_CUSTOMS_HELD,
                 v1::EVENT_TYPE_EXPORT_CUSTOMS_RELEASED, v1::EVENT_TYPE_IMPORT_CUSTOMS_CLEARED,
                 v1::EVENT_TYPE_IMPORT_CUSTOMS_HELD, v1::EVENT_TYPE_IMPORT_CUSTOMS_RELEASED}) {
    for (Role r : AllRoles()) {
      EXPECT_EQ(g.RoleAllowed(t, r), r == Role::kCustoms)
          << EventTypeName(t) << " by " << RoleName(r);
    }
  }
}

TEST(DefaultRolePolicy, CustomsDoesNotDeclareToItself) {
  const Genesis g = WithPolicy();
  EXPECT_FALSE(g.RoleAllowed(v1::EVENT_TYPE_EXPORT_CUSTOMS_DECLARED, Role::kCustoms));
  EXPECT_FALSE(g.RoleAllowed(v1::EVENT_TYPE_IMPORT_CUSTOMS_DECLARED, Role::kCustoms));
  EXPECT_TRUE(g.RoleAllowed(v1::EVENT_TYPE_EXPORT_CUSTOMS_DECLARED, Role::kExporter));
  EXPECT_TRUE(g.RoleAllowed(v1::EVENT_TYPE_IMPORT_CUSTOMS_DECLARED, Role::kImporter));
}

TEST(DefaultRolePolicy, SampleRules) {
  const Genesis g = WithPolicy();
  EXPECT_TRUE(g.RoleAllowed(v1::EVENT_TYPE_BOOKED, Role::kExporter));
  EXPECT_FALSE(g.RoleAllowed(v1::EVENT_TYPE_BOOKED, Role::kCustoms));
  EXPECT_FALSE(g.RoleAllowed(v1::EVENT_TYPE_BOOKED, Role::kCarrier));
  EXPECT_TRUE(g.RoleAllowed(v1::EVENT_TYPE_HANDOVER, Role::kCarrier));
  EXPECT_FALSE(g.RoleAllowed(v1::EVENT_TYPE_HANDOVER, Role::kCustoms));
  EXPECT_TRUE(g.RoleAllowed(v1::EVENT_TYPE_INSPECTION, Role::kInspector));
  EXPECT_FALSE(g.RoleAllowed(v1::EVENT_TYPE_INSPECTION, Role::kExporter));
  EXPECT_TRUE(g.RoleAllowed(v1::EVENT_TYPE_CARRIER_OFFER, Role::kCarrier));
  EXPECT_FALSE(g.RoleAllowed(v1::EVENT_TYPE_CARRIER_OFFER, Role::kImporter));
  for (Role r : AllRoles()) {
    EXPECT_TRUE(g.RoleAllowed(v1::EVENT_TYPE_EXCEPTION, r)) << RoleName(r);
    EXPECT_TRUE(g.RoleAllowed(v1::EVENT_TYPE_ERROR_DECLARATION, r)) << RoleName(r);
  }
}

TEST(DefaultRolePolicy, EveryEventTypeHasASigner) {
  const auto policy = DefaultRolePolicy();
  for (v1::EventType t : AllEventTypes()) {
    const auto it = policy.find(t);
    ASSERT_NE(it, policy.end()) << EventTypeName(t) << " may be signed by nobody";
    EXPECT_FALSE(it->second.empty()) << EventTypeName(t);
  }
  EXPECT_FALSE(policy.contains(v1::EVENT_TYPE_UNSPECIFIED));
}

TEST(Genesis, TypeAbsentFromPolicyMayBeSignedByNobody) {
  Genesis g;
  for (Role r : AllRoles()) EXPECT_FALSE(g.RoleAllowed(v1::EVENT_TYPE_BOOKED, r));
  g.role_policy[v1::EVENT_TYPE_BOOKED] = {};
  EXPECT_FALSE(g.RoleAllowed(v1::EVENT_TYPE_BOOKED, Role::kExporter));
}

TEST(Genesis, QuorumOfSingleReplica) {
  auto net = testing::TestNetwork::Create();
  const Genesis& g = *net->genesis();
  EXPECT_EQ(g.n(), 1u);
  EXPECT_EQ(g.f(), 0u);
  EXPECT_EQ(g.quorum(), 1u);
}

TEST(Genesis, QuorumOfFourReplicas) {
  auto net = testing::TestNetwork::Create(testing::TestNetwork::DefaultOrgs(), 4);
  const Genesis& g = *net->genesis();
  EXPECT_EQ(g.n(), 4u);
  EXPECT_EQ(g.f(), 1u);
  EXPECT_EQ(g.quorum(), 3u);
}

TEST(Genesis, QuorumOfSevenAndNoReplicas) {
  Genesis g;
  EXPECT_EQ(g.n(), 0u);
  EXPECT_EQ(g.f(), 0u);
  auto net = testing::TestNetwork::Create();
  g.replicas.assign(7, net->genesis()->replicas.at(0));
  EXPECT_EQ(g.f(), 2u);
  EXPECT_EQ(g.quorum(), 5u);
}

class GenesisLookupTest : public ::testing::Test {
 protected:
  void SetUp() override {
    net_ = testing::TestNetwork::Create(testing::TestNetwork::DefaultOrgs(), 2);
  }
  const Genesis& g() const { return *net_->genesis(); }
  std::unique_ptr<testing::TestNetwork> net_;
};

TEST_F(GenesisLookupTest, FindOrganisation) {
  const Organisation* customs = g().FindOrganisation("customs");
  ASSERT_NE(customs, nullptr);
  EXPECT_EQ(customs->id, "customs");
  EXPECT_EQ(customs->role, Role::kCustoms);
  EXPECT_EQ(customs->ca_cert.fingerprint(), net_->org("customs").ca_cert.fingerprint());
  EXPECT_EQ(g().FindOrganisation("nobody"), nullptr);
  EXPECT_EQ(g().FindOrganisation(""), nullptr);
  EXPECT_EQ(g().FindOrganisation("Customs"), nullptr);
}

TEST_F(GenesisLookupTest, FindReplica) {
  const Replica* r1 = g().FindReplica(1);
  ASSERT_NE(r1, nullptr);
  EXPECT_EQ(r1->id, 1u);
  EXPECT_EQ(r1->org, "forwarder");
  EXPECT_EQ(g().FindReplica(2), nullptr);
}

TEST_F(GenesisLookupTest, FindReplicaByFingerprint) {
  for (uint32_t id : {0u, 1u}) {
    const Replica* r = g().FindReplicaByFingerprint(net_->node(id).cert.fingerprint());
    ASSERT_NE(r, nullptr) << id;
    EXPECT_EQ(r->id, id);
  }
}

TEST_F(GenesisLookupTest, ClientCertificateIsNoReplica) {
  // Same organisation as replica 0, but a client: never a peer or a voter (DESIGN §3).
  EXPECT_EQ(g().FindReplicaByFingerprint(net_->org("exporter").client.cert.fingerprint()), nullptr);
  EXPECT_EQ(g().FindReplicaByFingerprint(net_->org("exporter").ca_cert.fingerprint()), nullptr);
  EXPECT_EQ(g().FindReplicaByFingerprint(""), nullptr);
  EXPECT_EQ(g().FindReplicaByFingerprint(Bytes(32, '\0')), nullptr);
}

}  // namespace
}  // namespace shipledger::model
