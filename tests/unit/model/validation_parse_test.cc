// EventValidator::Parse (envelopes vouched for by a commit certificate or the verified set) and
// EventValidator::CheckTimes.
#include <gtest/gtest.h>

#include "model/validation.h"
#include "validation_fixture.h"

namespace shipledger::model {
namespace {

class EventValidatorParseTest : public EventValidatorTest {};

TEST_F(EventValidatorParseTest, ParseBuildsWhatValidateBuilds) {
  v1::Event e = net_->NewEvent("forwarder", v1::EVENT_TYPE_HANDOVER, "SHP-1");
  e.add_cosigner_orgs("importer");
  const v1::SignedEvent se = Sign(e, "forwarder", {"importer"});
  const EventPtr validated = Must(Validate(se));
  // A fresh validator: nothing cached, so Parse reads the certificates itself.
  const EventValidator fresh(net_->genesis());
  const EventPtr parsed = Must(fresh.Parse(se));
  EXPECT_EQ(parsed->id, validated->id);
  EXPECT_EQ(parsed->leaf_hash, validated->leaf_hash);
  EXPECT_EQ(parsed->signer_role, Role::kForwarder);
  EXPECT_EQ(parsed->cosigned_by, validated->cosigned_by);
  EXPECT_EQ(parsed->valid_from_ms, validated->valid_from_ms);
  EXPECT_EQ(parsed->valid_until_ms, validated->valid_until_ms);
  EXPECT_EQ(parsed->event.SerializeAsString(), validated->event.SerializeAsString());
  EXPECT_EQ(parsed->signed_event.SerializeAsString(), se.SerializeAsString());
  // And from the cache that Validate filled.
  const EventPtr cached = Must(validator_->Parse(se));
  EXPECT_EQ(cached->valid_from_ms, validated->valid_from_ms);
  EXPECT_EQ(cached->valid_until_ms, validated->valid_until_ms);
}

TEST_F(EventValidatorParseTest, ParseDoesNotVerifySignatures) {
  v1::SignedEvent se = Sign(Booking(), "exporter");
  se.set_signature("not a signature");
  EXPECT_TRUE(Rejected(Validate(se), Code::kInvalidArgument, "event signature"));
  EXPECT_TRUE(validator_->Parse(se).ok());
}

TEST_F(EventValidatorParseTest, ParseDoesNotCheckFieldsOrChainId) {
  v1::Event e = Booking();
  e.set_chain_id("other-chain");
  const v1::SignedEvent se = Sign(e, "exporter");
  EXPECT_TRUE(Rejected(Validate(se), Code::kInvalidArgument, "other-chain"));
  EXPECT_TRUE(validator_->Parse(se).ok());
}

TEST_F(EventValidatorParseTest, ParseOfAnUnchainedCertificateDoesNotPoisonTheCache) {
  // Parse reads a certificate it cannot trust; Validate must still check its chain.
  const v1::SignedEvent se = net_->Sign(Booking(), IssueUnderForeignCa());
  EXPECT_TRUE(validator_->Parse(se).ok());
  EXPECT_TRUE(Rejected(Validate(se), Code::kPermissionDenied, "does not chain"));
}

TEST_F(EventValidatorParseTest, ParseRejectsMalformedEnvelopes) {
  const v1::SignedEvent good = Sign(Booking(), "exporter");
  v1::SignedEvent empty = good;
  empty.clear_event();
  EXPECT_TRUE(Rejected(validator_->Parse(empty), Code::kInvalidArgument, "no event bytes"));
  v1::SignedEvent garbage = good;
  garbage.set_event("\xff\xff\xff");
  EXPECT_TRUE(Rejected(validator_->Parse(garbage), Code::kInvalidArgument, "not a valid Event"));
  v1::SignedEvent big = good;
  big.set_signature(Bytes(net_->genesis()->limits.max_signed_event_bytes, 'x'));
  EXPECT_TRUE(Rejected(validator_->Parse(big), Code::kInvalidArgument, "the limit is"));
  v1::SignedEvent bad_cert = good;
  bad_cert.set_signer_cert("not a certificate");
  EXPECT_TRUE(Rejected(validator_->Parse(bad_cert), Code::kInvalidArgument, "signer certificate"));
}

TEST_F(EventValidatorParseTest, ParseRejectsCertificateOfUnknownOrganisation) {
  auto ca_key = Must(crypto::PrivateKey::Generate());
  auto ca = Must(crypto::IssueCaCertificate(
      ca_key, Options(crypto::CertKind::kCa, "stranger", "CA", now() - kDayMs, now() + kDayMs)));
  auto key = Must(crypto::PrivateKey::Generate());
  auto cert = Must(crypto::IssueCertificate(
      ca, ca_key, key.public_key(),
      Options(crypto::CertKind::kClient, "stranger", "admin", now() - kDayMs, now() + kDayMs)));
  const v1::SignedEvent se = net_->Sign(Booking(), config::Identity{cert, key});
  EXPECT_TRUE(
      Rejected(validator_->Parse(se), Code::kInvalidArgument, "'stranger' which is not in"));
}

TEST_F(EventValidatorParseTest, ParseRejectsMissingCosignature) {
  v1::Event e = net_->NewEvent("forwarder", v1::EVENT_TYPE_HANDOVER, "SHP-1");
  e.add_cosigner_orgs("importer");
  v1::SignedEvent se = Sign(e, "forwarder", {"importer"});
  se.clear_cosignatures();
  EXPECT_TRUE(Rejected(validator_->Parse(se), Code::kInvalidArgument, "co-signature"));
}

TEST_F(EventValidatorParseTest, CheckTimesJudgesTheCertificateWindow) {
  const config::Identity old = IssueClient("exporter", now() - 12 * kHourMs, now() - kHourMs);
  v1::Event e = Booking();
  e.set_occurred_at_ms(now() - 2 * kHourMs);
  const EventPtr event = Must(validator_->Parse(net_->Sign(e, old)));
  ValidateOptions o;
  o.cert_time_ms = now() - 2 * kHourMs;
  EXPECT_TRUE(validator_->CheckTimes(*event, o).ok());
  o.cert_time_ms = now() - kHourMs;  // the last valid millisecond
  EXPECT_TRUE(validator_->CheckTimes(*event, o).ok());
  o.cert_time_ms = now() - kHourMs + 1;
  Status s = validator_->CheckTimes(*event, o);
  EXPECT_EQ(s.code(), Code::kPermissionDenied);
  EXPECT_THAT(s.message(), HasSubstr("not valid at"));
  o.cert_time_ms = now() - 12 * kHourMs - 1;
  EXPECT_EQ(validator_->CheckTimes(*event, o).code(), Code::kPermissionDenied);
}

TEST_F(EventValidatorParseTest, CheckTimesAppliesTheClockOnlyWhenGiven) {
  v1::Event e = Booking();
  e.set_occurred_at_ms(now() + net_->genesis()->limits.max_future_skew_ms + 1000);
  const EventPtr event = Must(validator_->Parse(Sign(e, "exporter")));
  ValidateOptions o;
  o.cert_time_ms = now();
  EXPECT_TRUE(validator_->CheckTimes(*event, o).ok());
  o.clock_now_ms = now();
  EXPECT_EQ(validator_->CheckTimes(*event, o).code(), Code::kInvalidArgument);
}

}  // namespace
}  // namespace shipledger::model
