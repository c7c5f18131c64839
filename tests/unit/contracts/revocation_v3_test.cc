// Contract rules v3, DESIGN §3: an admin (OU=admin) of an organisation revokes one of its
// certificates; events signed or co-signed by it at later positions are REJECTED ("certificate
// revoked at height H"). Rules v1/v2 keep rejecting certificate_revocation as unsupported.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "contract_v2_fixture.h"
#include "contracts/revocation.h"
#include "crypto/sha256.h"

namespace shipledger::contracts::testutil {
namespace {

// A certificate fingerprint standing for `name`'s.
Bytes Fingerprint(const std::string& name) { return crypto::Sha256("cert " + name); }

// `event` signed by the certificate `cert` (an admin's when `admin`).
model::AdmittedEvent By(model::AdmittedEvent event, const std::string& cert, bool admin = false) {
  event.signer_fingerprint = Fingerprint(cert);
  event.signer_admin = admin;
  event.cosigner_fingerprints.clear();
  for (const std::string& org : event.cosigned_by) {
    event.cosigner_fingerprints.push_back(Fingerprint(org + "-clerk"));
  }
  return event;
}

model::AdmittedEvent Revocation(const std::string& org, const std::string& admin_cert,
                                const std::string& revoked_cert, bool admin = true) {
  model::AdmittedEvent e = MakeEvent(v1::EVENT_TYPE_CERTIFICATE_REVOCATION, org, {},
                                     "revocation-" + ToHex(Fingerprint(revoked_cert)));
  e.event.mutable_revocation()->set_fingerprint(Fingerprint(revoked_cert));
  e.event.mutable_revocation()->set_reason("key stolen");
  return By(std::move(e), admin_cert, admin);
}

class RulesV3RevocationTest : public RulesV2Test {
 protected:
  RulesV3RevocationTest() { rules_ = 3; }
  void SetUp() override { ExpectValid(By(Booked(kExporter, {kImporter}), "exporter-clerk")); }
};

TEST_F(RulesV3RevocationTest, AnAdminRevokesACertificateAndItsLaterEventsAreRejected) {
  ExpectValid(By(MakeEvent(v1::EVENT_TYPE_PICKUP, kExporter), "exporter-clerk"));
  const uint64_t at = height_ + 1;
  ExpectValid(Revocation(kExporter, "exporter-admin", "exporter-clerk"));
  EXPECT_EQ(RevokedAt(state_.GetRecord(RevokedKey(kExporter, Fingerprint("exporter-clerk")))), at);
  ExpectRejected(By(MakeEvent(v1::EVENT_TYPE_EXCEPTION, kExporter), "exporter-clerk"),
                 "certificate revoked at height " + std::to_string(at));
  // Another certificate of the organisation still signs.
  ExpectValid(By(MakeEvent(v1::EVENT_TYPE_EXCEPTION, kExporter), "exporter-clerk-2"));
}

TEST_F(RulesV3RevocationTest, InOneBlockEventsBeforeTheRevocationStandAndLaterOnesAreRejected) {
  const std::vector<v1::Receipt> receipts =
      RunBlock({By(MakeEvent(v1::EVENT_TYPE_PICKUP, kExporter), "exporter-clerk"),
                Revocation(kExporter, "exporter-admin", "exporter-clerk"),
                By(MakeEvent(v1::EVENT_TYPE_EXCEPTION, kExporter), "exporter-clerk")});
  EXPECT_EQ(receipts[0].code(), v1::RESULT_CODE_VALID);
  EXPECT_EQ(receipts[1].code(), v1::RESULT_CODE_VALID) << receipts[1].reason();
  EXPECT_EQ(receipts[2].code(), v1::RESULT_CODE_REJECTED);
  EXPECT_EQ(receipts[2].reason().rfind(
                "certificate revoked at height " + std::to_string(height_) + ": the signer's", 0),
            0u)
      << receipts[2].reason();
}

TEST_F(RulesV3RevocationTest, ARevokedCoSignerMakesTheEventRejected) {
  ExpectValid(By(MakeEvent(v1::EVENT_TYPE_PICKUP, kExporter), "exporter-clerk"));
  ExpectValid(Revocation(kForwarder, "forwarder-admin", std::string(kForwarder) + "-clerk"));
  ExpectRejected(By(HandoverOf(kExporter, kForwarder), "exporter-clerk"),
                 "the co-signing certificate");
}

TEST_F(RulesV3RevocationTest, OnlyAnAdminOfTheOrganisationRevokes) {
  ExpectRejected(Revocation(kExporter, "exporter-clerk-2", "exporter-clerk", /*admin=*/false),
                 "only an admin of " + std::string(kExporter));
  // exporter-clerk signed a VALID booking: it is known as the exporter's, so the forwarder's
  // admin is refused.
  ExpectRejected(Revocation(kForwarder, "forwarder-admin", "exporter-clerk"),
                 "belongs to " + std::string(kExporter) + ", not " + kForwarder);
  ExpectValid(By(MakeEvent(v1::EVENT_TYPE_PICKUP, kExporter), "exporter-clerk"));
}

// A certificate the chain has not seen cannot be told apart: the revocation is recorded for the
// revoking organisation, so it can never stop a certificate of another one, and does not claim
// the certificate (its own organisation may still revoke it later).
TEST_F(RulesV3RevocationTest, ARevocationOfAnUnseenCertificateBindsOnlyTheRevokersOrganisation) {
  ExpectValid(Revocation(kForwarder, "forwarder-admin", "exporter-clerk-3"));
  ExpectValid(By(MakeEvent(v1::EVENT_TYPE_PICKUP, kExporter), "exporter-clerk-3"));
  ExpectValid(Revocation(kExporter, "exporter-admin", "exporter-clerk-3"));
  ExpectRejected(By(MakeEvent(v1::EVENT_TYPE_EXCEPTION, kExporter), "exporter-clerk-3"),
                 "certificate revoked at height");
}

TEST_F(RulesV3RevocationTest, TwiceOrByARevokedAdminIsRejected) {
  ExpectValid(Revocation(kExporter, "exporter-admin", "exporter-clerk"));
  ExpectRejected(Revocation(kExporter, "exporter-admin-2", "exporter-clerk"),
                 "was already revoked at height");
  ExpectValid(Revocation(kExporter, "exporter-admin-2", "exporter-admin"));
  ExpectRejected(Revocation(kExporter, "exporter-admin", "exporter-clerk-2"),
                 "certificate revoked at height");
}

TEST_F(RulesV3RevocationTest, ARevocationWithoutAFingerprintIsRejected) {
  model::AdmittedEvent bare =
      By(MakeEvent(v1::EVENT_TYPE_CERTIFICATE_REVOCATION, kExporter, {}, "r-1"), "exporter-admin",
         true);
  ExpectRejected(bare, "must carry revocation.fingerprint");
}

TEST_F(RulesV3RevocationTest, UnderV2RevocationStaysUnsupportedAndChangesNothing) {
  rules_ = 2;
  const v1::Receipt r = Run(Revocation(kExporter, "exporter-admin", "exporter-clerk"));
  EXPECT_EQ(r.code(), v1::RESULT_CODE_REJECTED);
  EXPECT_EQ(r.reason().find("revoked"), std::string::npos) << r.reason();
  EXPECT_FALSE(state_.GetRecord(RevokedKey(kExporter, Fingerprint("exporter-clerk"))).has_value());
  ExpectValid(By(MakeEvent(v1::EVENT_TYPE_PICKUP, kExporter), "exporter-clerk"));
}

}  // namespace
}  // namespace shipledger::contracts::testutil
