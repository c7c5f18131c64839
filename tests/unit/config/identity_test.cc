#include "config/identity.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "config_test_support.h"

namespace shipledger::config {
namespace {

using testing::FileMode;
using ::testing::HasSubstr;
using testing::TempDir;

class IdentityTest : public ::testing::Test {
 protected:
  IdentityTest()
      : ca_(testing::MakeCa("acme")),
        key_(crypto::PrivateKey::Generate().value()),
        cert_(crypto::IssueCertificate(ca_.cert, ca_.key, key_.public_key(),
                                       testing::Options(crypto::CertKind::kClient, "acme", "bob"))
                  .value()) {}

  TempDir dir_;
  testing::TestCa ca_;
  crypto::PrivateKey key_;
  crypto::Certificate cert_;
};

TEST_F(IdentityTest, SaveThenLoadRoundTrips) {
  const std::string id_dir = dir_ / "clients/bob";
  ASSERT_TRUE(SaveIdentity(id_dir, cert_, key_).ok());
  auto identity = LoadIdentity(id_dir);
  ASSERT_TRUE(identity.ok()) << identity.status().ToString();
  EXPECT_EQ(identity->cert.der(), cert_.der());
  EXPECT_EQ(identity->key.public_key().ToDer(), key_.public_key().ToDer());
  EXPECT_EQ(identity->org(), "acme");
}

TEST_F(IdentityTest, KeyFileIsPrivate) {
  ASSERT_TRUE(SaveIdentity(dir_ / "id", cert_, key_).ok());
  EXPECT_EQ(FileMode(dir_ / "id/key.pem"), 0600u);
  EXPECT_EQ(FileMode(dir_ / "id/cert.pem"), 0644u);
}

TEST_F(IdentityTest, SaveRefusesExistingIdentity) {
  ASSERT_TRUE(SaveIdentity(dir_ / "id", cert_, key_).ok());
  EXPECT_EQ(SaveIdentity(dir_ / "id", cert_, key_).code(), Code::kAlreadyExists);
}

TEST_F(IdentityTest, SaveRefusesKeyOfAnotherCertificate) {
  const crypto::PrivateKey other = crypto::PrivateKey::Generate().value();
  EXPECT_EQ(SaveIdentity(dir_ / "id", cert_, other).code(), Code::kInvalidArgument);
}

TEST_F(IdentityTest, LoadRejectsMismatchedKey) {
  ASSERT_TRUE(SaveIdentity(dir_ / "id", cert_, key_).ok());
  testing::WriteText(dir_ / "id/key.pem", crypto::PrivateKey::Generate().value().ToPem());
  auto identity = LoadIdentity(dir_ / "id");
  ASSERT_FALSE(identity.ok());
  EXPECT_EQ(identity.status().code(), Code::kInvalidArgument);
  EXPECT_THAT(identity.status().message(), HasSubstr("not the private key of cert.pem"));
}

TEST_F(IdentityTest, LoadReportsMissingFiles) {
  auto none = LoadIdentity(dir_ / "nobody");
  EXPECT_EQ(none.status().code(), Code::kNotFound);
  EXPECT_THAT(none.status().message(), HasSubstr("cert.pem missing"));

  testing::WriteText(dir_ / "half/cert.pem", cert_.ToPem());
  auto half = LoadIdentity(dir_ / "half");
  EXPECT_EQ(half.status().code(), Code::kNotFound);
  EXPECT_THAT(half.status().message(), HasSubstr("key.pem missing"));
}

TEST_F(IdentityTest, LoadRejectsMalformedCertificate) {
  testing::WriteText(dir_ / "bad/cert.pem", "not a certificate");
  testing::WriteText(dir_ / "bad/key.pem", key_.ToPem());
  auto identity = LoadIdentity(dir_ / "bad");
  ASSERT_FALSE(identity.ok());
  EXPECT_THAT(identity.status().message(), HasSubstr("cert.pem"));
}

}  // namespace
}  // namespace shipledger::config
