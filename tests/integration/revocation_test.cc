// Certificate revocation end to end (issue 19, DESIGN §3, contract rules v3 which `network init`
// writes): an admin issued with `identity issue --admin` revokes a clerk's certificate with
// `event submit --type certificate_revocation --fingerprint F`; the contract refuses a non-admin
// and another organisation's admin; an event of the clerk ordered after the revocation is
// REJECTED by execution, the node refuses the clerk at admission and as an API client, and
// `verify` (against the node and offline) accepts the chain that holds all of it.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "config/identity.h"
#include "fixture.h"
#include "shipledger/bytes.h"

namespace shipledger::itest {
namespace {

bool Contains(const std::string& haystack, const std::string& needle) {
  return haystack.find(needle) != std::string::npos;
}

// The hex after "fingerprint " in `identity issue` output.
std::string FingerprintOf(const ProgramResult& r) {
  const std::string key = "fingerprint ";
  const size_t at = r.out.find(key);
  return at == std::string::npos ? "" : r.out.substr(at + key.size(), 64);
}

class RevocationTest : public ::testing::Test {
 protected:
  void SetUp() override {
    node_ = StartNode(net_, &target_);
    ASSERT_NE(node_, nullptr);
  }

  ProgramResult As(const std::string& identity_dir, std::vector<std::string> args) const {
    args.insert(args.begin(), {"--node", target_, "--identity", identity_dir});
    return Cli(args);
  }

  // `identity issue --org-dir ORG --name NAME [--admin]`: the new identity's folder and
  // fingerprint.
  std::pair<std::string, std::string> Issue(const std::string& org, const std::string& name,
                                            bool admin) const {
    std::vector<std::string> args = {"identity", "issue", "--org-dir", (net_.path() / org).string(),
                                     "--name",   name};
    if (admin) args.push_back("--admin");
    const ProgramResult r = Cli(args);
    EXPECT_EQ(r.code, 0) << r;
    EXPECT_EQ(Contains(r.out, "issued admin client identity"), admin) << r;
    return {(net_.path() / org / "clients" / name).string(), FingerprintOf(r)};
  }

  NetworkDir net_;
  std::string target_;
  std::unique_ptr<node::Node> node_;
};

TEST_F(RevocationTest, AnAdminRevokesAClerkWhoIsThenRefusedEverywhereAndTheChainVerifies) {
  const auto [clerk_dir, clerk_fp] = Issue("exporter", "clerk", false);
  const auto [boss_dir, boss_fp] = Issue("exporter", "boss", true);
  ASSERT_EQ(clerk_fp.size(), 64u);
  auto clerk = config::LoadIdentity(clerk_dir);
  ASSERT_TRUE(clerk.ok()) << clerk.status().ToString();

  // The clerk signs for its organisation.
  const ProgramResult booked = As(clerk_dir, {"event", "submit", "--shipment", "REV-1", "--type",
                                              "booked", "--party", "forwarder", "--wait"});
  ASSERT_EQ(booked.code, 0) << booked;

  // Refused by the contract: the clerk is no admin; the forwarder's admin is another
  // organisation's (the chain knows the clerk's certificate as the exporter's).
  const std::vector<std::string> revoke = {
      "event", "submit", "--type", "certificate_revocation", "--fingerprint", clerk_fp, "--wait"};
  const ProgramResult by_clerk = As(clerk_dir, revoke);
  EXPECT_EQ(by_clerk.code, 3) << by_clerk;
  EXPECT_TRUE(Contains(by_clerk.all(), "only an admin of exporter")) << by_clerk;
  const ProgramResult by_other = As(net_.admin_dir("forwarder"), revoke);
  EXPECT_EQ(by_other.code, 3) << by_other;
  EXPECT_TRUE(Contains(by_other.all(), "belongs to exporter, not forwarder")) << by_other;
  const ProgramResult still = As(clerk_dir, {"shipment", "show", "REV-1"});
  EXPECT_EQ(still.code, 0) << still;

  // The new admin revokes the clerk; the clerk's event submitted with it, ordered after it, is
  // REJECTED by execution (it was admitted before the revocation executed).
  Client exporter(net_, target_, "exporter");
  auto boss = config::LoadIdentity(boss_dir);
  ASSERT_TRUE(boss.ok()) << boss.status().ToString();
  v1::Event revocation = exporter.NewEvent("exporter", v1::EVENT_TYPE_CERTIFICATE_REVOCATION,
                                           "revocation-" + clerk_fp);
  const auto fingerprint = FromHex(clerk_fp);
  ASSERT_TRUE(fingerprint.has_value());
  revocation.mutable_revocation()->set_fingerprint(*fingerprint);
  revocation.mutable_revocation()->set_reason("laptop stolen");
  const v1::SignedEvent pickup =
      exporter.Sign(exporter.NewEvent("exporter", v1::EVENT_TYPE_PICKUP, "REV-1"), *clerk);
  const auto both = exporter.Submit({exporter.Sign(revocation, *boss), pickup});
  ASSERT_EQ(both.results_size(), 2);
  ASSERT_EQ(both.results(0).receipt().code(), v1::RESULT_CODE_VALID)
      << both.results(0).ShortDebugString();
  const uint64_t revoked_at = both.results(0).receipt().height();
  EXPECT_EQ(both.results(1).receipt().code(), v1::RESULT_CODE_REJECTED)
      << both.results(1).ShortDebugString();
  EXPECT_TRUE(Contains(both.results(1).receipt().reason(),
                       "certificate revoked at height " + std::to_string(revoked_at)))
      << both.results(1).receipt().reason();

  // Admission refuses the clerk's next event, whoever relays it.
  const auto admitted = exporter.SubmitOne(
      exporter.Sign(exporter.NewEvent("exporter", v1::EVENT_TYPE_EXCEPTION, "REV-1"), *clerk));
  EXPECT_EQ(admitted.code(), static_cast<int32_t>(grpc::StatusCode::PERMISSION_DENIED))
      << admitted.ShortDebugString();
  EXPECT_TRUE(Contains(admitted.message(), "revoked at height " + std::to_string(revoked_at)))
      << admitted.message();
  // The clerk can no longer talk to the API at all; the admin and other clients can.
  const ProgramResult refused = As(clerk_dir, {"shipment", "show", "REV-1"});
  EXPECT_NE(refused.code, 0) << refused;
  EXPECT_TRUE(Contains(refused.all(), "UNAUTHENTICATED")) << refused;
  EXPECT_TRUE(Contains(refused.all(), "revoked")) << refused;
  EXPECT_EQ(As(boss_dir, {"shipment", "show", "REV-1"}).code, 0);
  // Revoking it again is refused by the contract.
  const ProgramResult again = As(boss_dir, revoke);
  EXPECT_EQ(again.code, 3) << again;
  EXPECT_TRUE(Contains(again.all(), "was already revoked at height " + std::to_string(revoked_at)))
      << again;

  // The chain holding all of this verifies, through the node and offline.
  const ProgramResult online = As(boss_dir, {"verify", "--genesis", net_.genesis_path()});
  EXPECT_EQ(online.code, 0) << online;
  node_.reset();
  const ProgramResult offline =
      Cli({"verify", "--data-dir", net_.data_dir(), "--genesis", net_.genesis_path()});
  EXPECT_EQ(offline.code, 0) << offline;
}

}  // namespace
}  // namespace shipledger::itest
