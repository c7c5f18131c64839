// EventValidator: signer certificates, signatures, the clock bounds and the certificate cache.
#include <gtest/gtest.h>

#include <algorithm>
#include <atomic>
#include <thread>

#include "model/validation.h"
#include "validation_fixture.h"

namespace shipledger::model {
namespace {

// Its own suite name: the fixture header is compiled into each test file separately.
class EventValidatorCertTest : public EventValidatorTest {};

// --- signer certificate and signature -----------------------------------------------------

TEST_F(EventValidatorCertTest, SignatureByAnotherKeyIsRejected) {
  const v1::Event e = Booking();
  v1::SignedEvent se = Sign(e, "exporter");
  const config::Identity other = net_->IssueClient("exporter", "clerk");
  se.set_signature(Must(other.key.Sign(EventSigningMessage(se.event()))));
  EXPECT_TRUE(Rejected(Validate(se), Code::kInvalidArgument, "event signature"));
}

TEST_F(EventValidatorCertTest, TamperedEventBytesAreRejected) {
  v1::SignedEvent se = Sign(Booking(), "exporter");
  v1::Event changed;
  ASSERT_TRUE(changed.ParseFromString(se.event()));
  changed.set_shipment_id("SHP-2");
  se.set_event(changed.SerializeAsString());
  EXPECT_TRUE(Rejected(Validate(se), Code::kInvalidArgument, "event signature"));
}

TEST_F(EventValidatorCertTest, GarbageSignatureIsRejected) {
  v1::SignedEvent se = Sign(Booking(), "exporter");
  se.set_signature("garbage");
  EXPECT_TRUE(Rejected(Validate(se), Code::kInvalidArgument, "event signature"));
}

TEST_F(EventValidatorCertTest, SecondClientOfOrganisationMaySign) {
  const config::Identity clerk = net_->IssueClient("exporter", "clerk");
  const auto r = Validate(net_->Sign(Booking(), clerk));
  EXPECT_TRUE(r.ok()) << r.status().ToString();
}

TEST_F(EventValidatorCertTest, GarbageCertificateIsRejected) {
  v1::SignedEvent se = Sign(Booking(), "exporter");
  se.set_signer_cert("not a certificate");
  EXPECT_TRUE(Rejected(Validate(se), Code::kInvalidArgument, "signer certificate"));
  se.clear_signer_cert();
  EXPECT_TRUE(Rejected(Validate(se), Code::kInvalidArgument, "signer certificate"));
}

TEST_F(EventValidatorCertTest, CertificateFromUnknownCaIsPermissionDenied) {
  EXPECT_TRUE(Rejected(Validate(net_->Sign(Booking(), IssueUnderForeignCa())),
                       Code::kPermissionDenied, "does not chain to the CA of 'exporter'"));
}

TEST_F(EventValidatorCertTest, CertificateOfOrganisationNotInGenesisIsPermissionDenied) {
  auto ca_key = Must(crypto::PrivateKey::Generate());
  auto ca =
      Must(crypto::IssueCaCertificate(ca_key, Options(crypto::CertKind::kCa, "pirate", "pirate CA",
                                                      now() - kDayMs, now() + kDayMs)));
  auto key = Must(crypto::PrivateKey::Generate());
  auto cert = Must(crypto::IssueCertificate(
      ca, ca_key, key.public_key(),
      Options(crypto::CertKind::kClient, "pirate", "admin", now() - kDayMs, now() + kDayMs)));
  v1::Event e = Booking();
  e.set_signer_org("pirate");
  EXPECT_TRUE(Rejected(Validate(net_->Sign(e, config::Identity{cert, key})),
                       Code::kPermissionDenied,
                       "organisation 'pirate' which is not in the genesis"));
}

TEST_F(EventValidatorCertTest, SignerOrganisationMismatchIsPermissionDenied) {
  const v1::Event e = Booking();  // says signer_org = exporter
  EXPECT_TRUE(Rejected(Validate(Sign(e, "forwarder")), Code::kPermissionDenied,
                       "signed by 'exporter' but the certificate belongs to 'forwarder'"));
}

TEST_F(EventValidatorCertTest, RoleNotAllowedIsPermissionDenied) {
  const v1::SignedEvent se = net_->SignedBy("customs", v1::EVENT_TYPE_BOOKED, "SHP-1");
  EXPECT_TRUE(Rejected(Validate(se), Code::kPermissionDenied,
                       "role 'customs' of 'customs' may not record 'booked' events"));
  const v1::SignedEvent clear =
      net_->SignedBy("exporter", v1::EVENT_TYPE_EXPORT_CUSTOMS_CLEARED, "SHP-1");
  EXPECT_TRUE(Rejected(Validate(clear), Code::kPermissionDenied,
                       "may not record 'export_customs_cleared' events"));
}

TEST_F(EventValidatorCertTest, CustomsMayClear) {
  const auto r =
      Validate(net_->SignedBy("customs", v1::EVENT_TYPE_EXPORT_CUSTOMS_CLEARED, "SHP-1"));
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ((*r)->signer_role, Role::kCustoms);
}

TEST_F(EventValidatorCertTest, ExpiredCertificateIsPermissionDenied) {
  const config::Identity old = IssueClient("exporter", now() - 10 * kDayMs, now() - kDayMs);
  EXPECT_TRUE(Rejected(Validate(net_->Sign(Booking(), old)), Code::kPermissionDenied, "expired"));
}

TEST_F(EventValidatorCertTest, NotYetValidCertificateIsPermissionDenied) {
  const config::Identity future = IssueClient("exporter", now() + kDayMs, now() + 10 * kDayMs);
  EXPECT_TRUE(
      Rejected(Validate(net_->Sign(Booking(), future)), Code::kPermissionDenied, "not yet valid"));
}

TEST_F(EventValidatorCertTest, CertificateValidityIsJudgedAtCertTimeNotNow) {
  // Expired an hour ago, but the block it is checked for was made two hours ago (DESIGN §3).
  const config::Identity old = IssueClient("exporter", now() - 12 * kHourMs, now() - kHourMs);
  v1::Event e = Booking();
  e.set_occurred_at_ms(now() - 2 * kHourMs);
  const v1::SignedEvent se = net_->Sign(e, old);
  ValidateOptions at_block_time;
  at_block_time.cert_time_ms = now() - 2 * kHourMs;
  const auto r = validator_->Validate(se, at_block_time);
  EXPECT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_TRUE(Rejected(Validate(se), Code::kPermissionDenied, "expired"));
}

TEST_F(EventValidatorCertTest, ExpiredCosignerCertificateIsPermissionDenied) {
  const config::Identity old = IssueClient("importer", now() - 10 * kDayMs, now() - kDayMs);
  v1::Event e = net_->NewEvent("forwarder", v1::EVENT_TYPE_HANDOVER, "SHP-1");
  e.add_cosigner_orgs("importer");
  EXPECT_TRUE(Rejected(Validate(net_->Sign(e, net_->org("forwarder").client, {&old})),
                       Code::kPermissionDenied, "expired"));
}

// --- occurred_at against the node's clock -------------------------------------------------

TEST_F(EventValidatorCertTest, FutureEventIsRejectedOnlyWithAClock) {
  const int64_t skew = net_->genesis()->limits.max_future_skew_ms;
  v1::Event e = Booking();
  e.set_occurred_at_ms(now() + skew + 1000);
  const v1::SignedEvent se = Sign(e, "exporter");
  EXPECT_TRUE(Validate(se).ok()) << "without clock_now_ms the time is not checked";
  opts_.clock_now_ms = now();
  EXPECT_TRUE(Rejected(Validate(se), Code::kInvalidArgument, "s in the future"));
}

TEST_F(EventValidatorCertTest, FutureSkewBoundIsInclusive) {
  v1::Event e = Booking();
  e.set_occurred_at_ms(now() + net_->genesis()->limits.max_future_skew_ms);
  opts_.clock_now_ms = now();
  const auto r = Validate(Sign(e, "exporter"));
  EXPECT_TRUE(r.ok()) << r.status().ToString();
}

TEST_F(EventValidatorCertTest, OldEventIsRejectedOnlyWithAClock) {
  const int64_t age = net_->genesis()->limits.max_event_age_ms;
  v1::Event e = Booking();
  e.set_occurred_at_ms(now() - age - 1000);
  const v1::SignedEvent se = Sign(e, "exporter");
  EXPECT_TRUE(Validate(se).ok()) << "without clock_now_ms the time is not checked";
  opts_.clock_now_ms = now();
  EXPECT_TRUE(Rejected(Validate(se), Code::kInvalidArgument, "more than 30 days in the past"));
}

TEST_F(EventValidatorCertTest, EventAgeBoundIsInclusive) {
  v1::Event e = Booking();
  e.set_occurred_at_ms(now() - net_->genesis()->limits.max_event_age_ms);
  opts_.clock_now_ms = now();
  const auto r = Validate(Sign(e, "exporter"));
  EXPECT_TRUE(r.ok()) << r.status().ToString();
}

TEST_F(EventValidatorCertTest, ClockIsTheOneInOptions) {
  // An event from "now" is in the future for a node whose clock is an hour behind.
  v1::Event e = Booking();
  const v1::SignedEvent se = Sign(e, "exporter");
  opts_.clock_now_ms = now() - kHourMs;
  EXPECT_TRUE(Rejected(Validate(se), Code::kInvalidArgument, "in the future"));
  opts_.clock_now_ms = now() + kHourMs;
  EXPECT_TRUE(Validate(se).ok());
}

// --- certificate cache --------------------------------------------------------------------

TEST_F(EventValidatorCertTest, CachedCertificateStillValidatesAnotherEvent) {
  const v1::SignedEvent first = net_->SignedBy("exporter", v1::EVENT_TYPE_BOOKED, "SHP-1");
  const v1::SignedEvent second = net_->SignedBy("exporter", v1::EVENT_TYPE_BOOKED, "SHP-2");
  ASSERT_EQ(first.signer_cert(), second.signer_cert());
  const auto r1 = Validate(first);
  ASSERT_TRUE(r1.ok()) << r1.status().ToString();
  const auto r2 = Validate(second);
  ASSERT_TRUE(r2.ok()) << r2.status().ToString();
  EXPECT_EQ((*r2)->id, EventId(second.event()));
  EXPECT_NE((*r1)->id, (*r2)->id);
  EXPECT_EQ((*r2)->signer_role, Role::kExporter);
}

TEST_F(EventValidatorCertTest, CachedCertificateDoesNotExcuseABadSignature) {
  const v1::SignedEvent good = Sign(Booking(), "exporter");
  ASSERT_TRUE(Validate(good).ok());
  v1::SignedEvent bad = Sign(Booking(), "exporter");
  bad.set_signature(good.signature());
  EXPECT_TRUE(Rejected(Validate(bad), Code::kInvalidArgument, "event signature"));
}

TEST_F(EventValidatorCertTest, CachedCertificateIsRejectedOnceExpired) {
  const int64_t t1 = now();
  const int64_t t2 = now() + 2 * kHourMs;
  const config::Identity shortlived = IssueClient("exporter", now() - kDayMs, now() + kHourMs);
  const v1::SignedEvent se = net_->Sign(Booking(), shortlived);
  ValidateOptions at_t1;
  at_t1.cert_time_ms = t1;
  ValidateOptions at_t2;
  at_t2.cert_time_ms = t2;
  ASSERT_TRUE(validator_->Validate(se, at_t1).ok());  // caches the certificate
  EXPECT_TRUE(Rejected(validator_->Validate(se, at_t2), Code::kPermissionDenied, "expired"));
  EXPECT_TRUE(validator_->Validate(se, at_t1).ok()) << "still valid for the earlier block";
}

TEST_F(EventValidatorCertTest, CachedCertificateIsRejectedBeforeItsValidity) {
  const config::Identity later = IssueClient("exporter", now() - kHourMs, now() + kDayMs);
  const v1::SignedEvent se = net_->Sign(Booking(), later);
  ASSERT_TRUE(Validate(se).ok());
  ValidateOptions earlier;
  earlier.cert_time_ms = now() - 2 * kHourMs;
  EXPECT_TRUE(
      Rejected(validator_->Validate(se, earlier), Code::kPermissionDenied, "not yet valid"));
}

// Bug: the cache remembered only the leaf's validity, so after the organisation's CA certificate
// expired a cached leaf kept validating, while an uncached one was (rightly) rejected.
TEST_F(EventValidatorCertTest, CachedCertificateIsRejectedOnceItsCaExpired) {
  const int64_t ca_expiry = now() + kHourMs;
  auto ca_key = Must(crypto::PrivateKey::Generate());
  auto ca =
      Must(crypto::IssueCaCertificate(ca_key, Options(crypto::CertKind::kCa, "exporter",
                                                      "exporter CA", now() - kDayMs, ca_expiry)));
  auto key = Must(crypto::PrivateKey::Generate());
  auto cert = Must(crypto::IssueCertificate(ca, ca_key, key.public_key(),
                                            Options(crypto::CertKind::kClient, "exporter", "admin",
                                                    now() - kDayMs, now() + 10 * kDayMs)));
  auto validator = ValidatorWith([&](Genesis& g) {
    for (auto& o : g.organisations) {
      if (o.id == "exporter") o.ca_cert = ca;
    }
  });
  const v1::SignedEvent se = net_->Sign(Booking(), config::Identity{cert, key});
  ValidateOptions before;
  before.cert_time_ms = now();
  ValidateOptions after;
  after.cert_time_ms = ca_expiry + kHourMs;

  const EventValidator uncached(std::make_shared<Genesis>(validator->genesis()));
  EXPECT_TRUE(
      Rejected(uncached.Validate(se, after), Code::kPermissionDenied, "CA certificate expired"));

  ASSERT_TRUE(validator->Validate(se, before).ok());
  EXPECT_TRUE(
      Rejected(validator->Validate(se, after), Code::kPermissionDenied, "CA certificate expired"));
}

TEST_F(EventValidatorCertTest, ConcurrentValidationsShareTheCache) {
  std::vector<v1::SignedEvent> events;
  for (int i = 0; i < 24; ++i) {
    const std::string org = i % 2 == 0 ? "exporter" : "forwarder";
    events.push_back(net_->SignedBy(org, v1::EVENT_TYPE_BOOKED, "SHP-" + std::to_string(i)));
  }
  std::atomic<int> ok{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&] {
      for (const auto& se : events) {
        if (validator_->Validate(se, opts_).ok()) ++ok;
      }
    });
  }
  for (auto& t : threads) t.join();
  EXPECT_EQ(ok.load(), 4 * 24);
}

}  // namespace
}  // namespace shipledger::model

namespace shipledger::model {
namespace {

TEST(EventValidatorWindow, ValidityWindowIsTheIntersectionOfAllCertificates) {
  auto net = testing::TestNetwork::Create();
  EventValidator validator(net->genesis());
  auto se = net->SignedBy("exporter", v1::EVENT_TYPE_HANDOVER, "S", {"forwarder"});
  ValidateOptions o;
  o.cert_time_ms = net->now_ms();
  auto ev = validator.Validate(se, o);
  ASSERT_TRUE(ev.ok()) << ev.status().ToString();
  int64_t from = INT64_MIN;
  int64_t until = INT64_MAX;
  for (const char* org : {"exporter", "forwarder"}) {
    const auto& o2 = net->org(org);
    for (const crypto::Certificate* c : {&o2.client.cert, &o2.ca_cert}) {
      from = std::max(from, c->not_before_ms());
      until = std::min(until, c->not_after_ms());
    }
  }
  EXPECT_EQ((*ev)->valid_from_ms, from);
  EXPECT_EQ((*ev)->valid_until_ms, until);
  // The same answer from the certificate cache.
  auto again =
      validator.Validate(net->SignedBy("exporter", v1::EVENT_TYPE_HANDOVER, "T", {"forwarder"}), o);
  ASSERT_TRUE(again.ok());
  EXPECT_EQ((*again)->valid_from_ms, from);
  EXPECT_EQ((*again)->valid_until_ms, until);
}

}  // namespace
}  // namespace shipledger::model

namespace shipledger::model {
namespace {

TEST(EventValidatorNodeCert, NodeCertificateCannotSignEvents) {
  auto net = testing::TestNetwork::Create();
  EventValidator validator(net->genesis());
  const v1::Event e = net->NewEvent("exporter", v1::EVENT_TYPE_BOOKED, "S");
  ValidateOptions o;
  o.cert_time_ms = net->now_ms();
  auto r = validator.Validate(net->Sign(e, net->node(0)), o);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), Code::kPermissionDenied);
  EXPECT_NE(r.status().message().find("node certificate"), std::string::npos);
}

}  // namespace
}  // namespace shipledger::model
