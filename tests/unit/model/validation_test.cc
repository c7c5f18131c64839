#include "model/validation.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <atomic>
#include <functional>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "crypto/sha256.h"
#include "crypto/x509.h"
#include "testing/test_network.h"

namespace shipledger::model {
namespace {

using namespace std::string_literals;
using ::testing::ElementsAre;
using ::testing::HasSubstr;

constexpr int64_t kHourMs = 3600LL * 1000;
constexpr int64_t kDayMs = 24 * kHourMs;

// OK iff `r` failed with `code` and a message containing `substr`.
::testing::AssertionResult Rejected(const Result<EventPtr>& r, Code code, std::string_view substr) {
  if (r.ok()) {
    return ::testing::AssertionFailure()
           << "validated; expected " << CodeName(code) << " with '" << substr << "'";
  }
  if (r.status().code() != code || r.status().message().find(substr) == std::string::npos) {
    return ::testing::AssertionFailure() << "got " << r.status().ToString() << "; expected "
                                         << CodeName(code) << " with '" << substr << "'";
  }
  return ::testing::AssertionSuccess();
}

template <typename T>
T Must(Result<T> r) {
  if (!r.ok()) ADD_FAILURE() << r.status().ToString();
  return std::move(r).value();
}

crypto::IssueOptions Options(crypto::CertKind kind, const std::string& org, const std::string& cn,
                             int64_t not_before_ms, int64_t not_after_ms) {
  crypto::IssueOptions o;
  o.kind = kind;
  o.organization = org;
  o.common_name = cn;
  o.not_before_ms = not_before_ms;
  o.not_after_ms = not_after_ms;
  static std::atomic<uint64_t> serial{1000};
  o.serial = serial++;
  return o;
}

class EventValidatorTest : public ::testing::Test {
 protected:
  void SetUp() override {
    net_ = testing::TestNetwork::Create();
    validator_ = std::make_unique<EventValidator>(net_->genesis());
    opts_.cert_time_ms = now();
  }

  int64_t now() const { return net_->now_ms(); }

  Result<EventPtr> Validate(const v1::SignedEvent& se) const {
    return validator_->Validate(se, opts_);
  }

  // Signs `event` as the admin client of `signer`, co-signed by the admins of `cosigners`.
  // (The event's cosigner_orgs are left as they are.)
  v1::SignedEvent Sign(const v1::Event& event, const std::string& signer,
                       const std::vector<std::string>& cosigners = {}) const {
    std::vector<const config::Identity*> cos;
    for (const auto& c : cosigners) cos.push_back(&net_->org(c).client);
    return net_->Sign(event, net_->org(signer).client, cos);
  }

  // Signs arbitrary `bytes` as an event by `signer`.
  static v1::SignedEvent SignBytes(const Bytes& bytes, const config::Identity& signer) {
    v1::SignedEvent se;
    se.set_event(bytes);
    se.set_signer_cert(signer.cert.der());
    se.set_signature(Must(signer.key.Sign(EventSigningMessage(bytes))));
    return se;
  }

  // A valid booking by the exporter, to be modified by a test.
  v1::Event Booking() const { return net_->NewEvent("exporter", v1::EVENT_TYPE_BOOKED, "SHP-1"); }

  // A validator over a copy of the test genesis changed by `edit`.
  std::unique_ptr<EventValidator> ValidatorWith(const std::function<void(Genesis&)>& edit) const {
    auto g = std::make_shared<Genesis>(*net_->genesis());
    edit(*g);
    return std::make_unique<EventValidator>(std::move(g));
  }

  // A client identity of `org` issued by its genesis CA, valid in [not_before, not_after].
  config::Identity IssueClient(const std::string& org, int64_t not_before_ms,
                               int64_t not_after_ms) const {
    const auto& o = net_->org(org);
    auto key = Must(crypto::PrivateKey::Generate());
    auto cert = Must(crypto::IssueCertificate(
        o.ca_cert, o.ca_key, key.public_key(),
        Options(crypto::CertKind::kClient, org, "temp", not_before_ms, not_after_ms)));
    return config::Identity{cert, key};
  }

  std::unique_ptr<testing::TestNetwork> net_;
  std::unique_ptr<EventValidator> validator_;
  ValidateOptions opts_;
};

// --- accepted events ----------------------------------------------------------------------

TEST_F(EventValidatorTest, GoodEventValidates) {
  const v1::Event e = Booking();
  const v1::SignedEvent se = Sign(e, "exporter");
  const auto r = Validate(se);
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  const AdmittedEvent& a = **r;
  EXPECT_EQ(a.id, EventId(se.event()));
  EXPECT_EQ(a.leaf_hash, EventLeafHash(se));
  EXPECT_EQ(a.signer_role, Role::kExporter);
  EXPECT_TRUE(a.cosigned_by.empty());
  EXPECT_EQ(a.signed_event.SerializeAsString(), se.SerializeAsString());
  EXPECT_EQ(a.event.SerializeAsString(), e.SerializeAsString());
  EXPECT_EQ(a.event.shipment_id(), "SHP-1");
  EXPECT_EQ(a.event.type(), v1::EVENT_TYPE_BOOKED);
}

TEST_F(EventValidatorTest, CosignedHandoverValidates) {
  const v1::SignedEvent se =
      net_->SignedBy("forwarder", v1::EVENT_TYPE_HANDOVER, "SHP-1", {"importer"});
  const auto r = Validate(se);
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ((*r)->signer_role, Role::kForwarder);
  EXPECT_THAT((*r)->cosigned_by, ElementsAre("importer"));
  EXPECT_EQ((*r)->id, EventId(se.event()));
  EXPECT_EQ((*r)->leaf_hash, EventLeafHash(se));
}

TEST_F(EventValidatorTest, TwoCosignersInOrderValidate) {
  v1::Event e = net_->NewEvent("forwarder", v1::EVENT_TYPE_LOADED, "SHP-1");
  e.add_cosigner_orgs("importer");
  e.add_cosigner_orgs("customs");
  const auto r = Validate(Sign(e, "forwarder", {"importer", "customs"}));
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_THAT((*r)->cosigned_by, ElementsAre("importer", "customs"));
}

TEST_F(EventValidatorTest, FullyPopulatedBookingValidates) {
  v1::Event e = Booking();
  e.set_shipment_id("Az09-_.:/x");
  e.set_location("DEHAM");
  e.set_nonce(Bytes(32, 'n'));
  auto* ref = e.add_references();
  ref->set_kind("bill_of_lading");
  ref->set_value("MAEU 123456");
  auto* doc = e.add_documents();
  doc->set_kind("commercial_invoice");
  doc->set_sha256(crypto::Sha256("invoice"));
  auto* det = e.add_details();
  det->set_key("vessel");
  det->set_value("MAERSK ESSEX");
  e.add_parties("importer");
  e.add_parties("forwarder");
  const auto r = Validate(Sign(e, "exporter"));
  EXPECT_TRUE(r.ok()) << r.status().ToString();
}

// --- size and encoding --------------------------------------------------------------------

TEST_F(EventValidatorTest, SignedEventOverSizeLimitIsRejected) {
  v1::SignedEvent se = Sign(Booking(), "exporter");
  se.set_signer_cert(Bytes(40 * 1024, 'x'));
  EXPECT_TRUE(Rejected(Validate(se), Code::kInvalidArgument, "; the limit is 32768"));
}

TEST_F(EventValidatorTest, SignedEventSizeLimitIsInclusive) {
  const v1::SignedEvent se = Sign(Booking(), "exporter");
  const auto size = static_cast<uint32_t>(se.ByteSizeLong());
  auto at_limit = ValidatorWith([&](Genesis& g) { g.limits.max_signed_event_bytes = size; });
  EXPECT_TRUE(at_limit->Validate(se, opts_).ok());
  auto below = ValidatorWith([&](Genesis& g) { g.limits.max_signed_event_bytes = size - 1; });
  EXPECT_TRUE(Rejected(below->Validate(se, opts_), Code::kInvalidArgument,
                       "signed event is " + std::to_string(size) + " bytes"));
}

TEST_F(EventValidatorTest, EventOverSizeLimitIsRejected) {
  v1::SignedEvent se = Sign(Booking(), "exporter");
  se.set_event(Bytes(17 * 1024, 'x'));
  EXPECT_TRUE(
      Rejected(Validate(se), Code::kInvalidArgument, "event is 17408 bytes; the limit is 16384"));
}

TEST_F(EventValidatorTest, EventSizeLimitIsInclusive) {
  const v1::SignedEvent se = Sign(Booking(), "exporter");
  const auto size = static_cast<uint32_t>(se.event().size());
  auto at_limit = ValidatorWith([&](Genesis& g) { g.limits.max_event_bytes = size; });
  EXPECT_TRUE(at_limit->Validate(se, opts_).ok());
  auto below = ValidatorWith([&](Genesis& g) { g.limits.max_event_bytes = size - 1; });
  EXPECT_TRUE(Rejected(below->Validate(se, opts_), Code::kInvalidArgument,
                       "event is " + std::to_string(size) + " bytes"));
}

TEST_F(EventValidatorTest, EmptyEventBytesAreRejected) {
  v1::SignedEvent se = Sign(Booking(), "exporter");
  se.clear_event();
  EXPECT_TRUE(Rejected(Validate(se), Code::kInvalidArgument, "carries no event bytes"));
}

TEST_F(EventValidatorTest, GarbageEventBytesAreRejected) {
  const v1::SignedEvent se = SignBytes("\xff\xff\xff\xff"s, net_->org("exporter").client);
  EXPECT_TRUE(Rejected(Validate(se), Code::kInvalidArgument, "not a valid Event"));
}

TEST_F(EventValidatorTest, UnknownFieldInEventIsRejectedEvenWhenSigned) {
  const Bytes known = Booking().SerializeAsString();
  // Field 99, varint, value 1: a field this network's schema does not have.
  const Bytes with_unknown = known + "\x98\x06\x01"s;
  v1::Event parsed;
  ASSERT_TRUE(parsed.ParseFromString(with_unknown));  // still a parseable Event
  const auto& signer = net_->org("exporter").client;
  ASSERT_TRUE(Validate(SignBytes(known, signer)).ok());
  EXPECT_TRUE(Rejected(Validate(SignBytes(with_unknown, signer)), Code::kInvalidArgument,
                       "fields unknown to this network's schema"));
}

// --- event fields -------------------------------------------------------------------------

TEST_F(EventValidatorTest, WrongChainIdIsRejected) {
  v1::Event e = Booking();
  e.set_chain_id("other-chain");
  EXPECT_TRUE(Rejected(Validate(Sign(e, "exporter")), Code::kInvalidArgument,
                       "event is for chain 'other-chain', this network is 'test-chain'"));
}

TEST_F(EventValidatorTest, EmptyShipmentIdIsRejected) {
  v1::Event e = Booking();
  e.clear_shipment_id();
  EXPECT_TRUE(Rejected(Validate(Sign(e, "exporter")), Code::kInvalidArgument, "no shipment_id"));
}

TEST_F(EventValidatorTest, ShipmentIdWithBadCharactersIsRejected) {
  for (const std::string& id :
       {"SHP 1"s, "SHP#1"s, "SHP\n1"s, "SHP\0001"s, "Sch\xc3\xbc"s, "a,b"s, "x*"s}) {
    v1::Event e = Booking();
    e.set_shipment_id(id);
    EXPECT_TRUE(Rejected(Validate(Sign(e, "exporter")), Code::kInvalidArgument,
                         "shipment_id must be 1..256 characters"))
        << id;
  }
}

TEST_F(EventValidatorTest, OverlongShipmentIdIsRejected) {
  v1::Event e = Booking();
  e.set_shipment_id(std::string(256, 'a'));
  EXPECT_TRUE(Validate(Sign(e, "exporter")).ok());
  e.set_shipment_id(std::string(257, 'a'));
  EXPECT_TRUE(
      Rejected(Validate(Sign(e, "exporter")), Code::kInvalidArgument, "shipment_id must be 1.."));
}

TEST_F(EventValidatorTest, UnspecifiedOrUnknownTypeIsRejected) {
  v1::Event e = Booking();
  e.set_type(v1::EVENT_TYPE_UNSPECIFIED);
  EXPECT_TRUE(
      Rejected(Validate(Sign(e, "exporter")), Code::kInvalidArgument, "event type 0 is unknown"));
  e.set_type(static_cast<v1::EventType>(999));
  EXPECT_TRUE(
      Rejected(Validate(Sign(e, "exporter")), Code::kInvalidArgument, "event type 999 is unknown"));
}

TEST_F(EventValidatorTest, NonPositiveOccurredAtIsRejected) {
  for (int64_t t : {int64_t{0}, int64_t{-1}}) {
    v1::Event e = Booking();
    e.set_occurred_at_ms(t);
    EXPECT_TRUE(Rejected(Validate(Sign(e, "exporter")), Code::kInvalidArgument,
                         "occurred_at_ms must be a positive"))
        << t;
  }
}

TEST_F(EventValidatorTest, BadLocationIsRejected) {
  for (const char* loc :
       {"Hamburg", "deham", "DEHA", "DEHAMX", "DE1AM", "D3HAM", "DE HA", "DEHa0"}) {
    v1::Event e = Booking();
    e.set_location(loc);
    EXPECT_TRUE(
        Rejected(Validate(Sign(e, "exporter")), Code::kInvalidArgument, "is not a UN/LOCODE"))
        << loc;
  }
}

TEST_F(EventValidatorTest, ValidLocationsAreAccepted) {
  for (const char* loc : {"", "DEHAM", "CNSHA", "USNYC", "GB2LO", "NL9Z9"}) {
    v1::Event e = Booking();
    e.set_location(loc);
    const auto r = Validate(Sign(e, "exporter"));
    EXPECT_TRUE(r.ok()) << loc << ": " << r.status().ToString();
  }
}

TEST_F(EventValidatorTest, OverlongNonceIsRejected) {
  v1::Event e = Booking();
  e.set_nonce(Bytes(33, 'n'));
  EXPECT_TRUE(Rejected(Validate(Sign(e, "exporter")), Code::kInvalidArgument,
                       "nonce is longer than 32 bytes"));
}

TEST_F(EventValidatorTest, UnknownReferenceKindIsRejected) {
  v1::Event e = Booking();
  auto* r = e.add_references();
  r->set_kind("tracking_number");
  r->set_value("1Z999");
  EXPECT_TRUE(Rejected(Validate(Sign(e, "exporter")), Code::kInvalidArgument,
                       "unknown reference kind 'tracking_number'"));
}

TEST_F(EventValidatorTest, EveryDocumentedReferenceKindIsAccepted) {
  v1::Event e = Booking();
  for (const char* kind : {"booking", "bill_of_lading", "container", "purchase_order", "invoice",
                           "awb", "seal", "customs_declaration"}) {
    auto* r = e.add_references();
    r->set_kind(kind);
    r->set_value("V-1");
  }
  const auto r = Validate(Sign(e, "exporter"));
  EXPECT_TRUE(r.ok()) << r.status().ToString();
}

TEST_F(EventValidatorTest, BadReferenceValueIsRejected) {
  for (const std::string& value : {""s, "a\nb"s, std::string(257, 'v')}) {
    v1::Event e = Booking();
    auto* r = e.add_references();
    r->set_kind("container");
    r->set_value(value);
    EXPECT_TRUE(Rejected(Validate(Sign(e, "exporter")), Code::kInvalidArgument,
                         "reference container must have a printable value"))
        << value.size();
  }
}

TEST_F(EventValidatorTest, TooManyReferencesAreRejected) {
  v1::Event e = Booking();
  for (int i = 0; i < 33; ++i) {
    auto* r = e.add_references();
    r->set_kind("seal");
    r->set_value("S" + std::to_string(i));
  }
  EXPECT_TRUE(
      Rejected(Validate(Sign(e, "exporter")), Code::kInvalidArgument, "more than 32 references"));
}

TEST_F(EventValidatorTest, DocumentHashOfWrongLengthIsRejected) {
  for (size_t len : {size_t{0}, size_t{31}, size_t{33}, size_t{64}}) {
    v1::Event e = Booking();
    auto* d = e.add_documents();
    d->set_kind("packing_list");
    d->set_sha256(Bytes(len, 'h'));
    EXPECT_TRUE(Rejected(Validate(Sign(e, "exporter")), Code::kInvalidArgument,
                         "document packing_list hash is not 32 bytes"))
        << len;
  }
}

TEST_F(EventValidatorTest, DocumentWithoutKindIsRejected) {
  v1::Event e = Booking();
  e.add_documents()->set_sha256(Bytes(32, 'h'));
  EXPECT_TRUE(
      Rejected(Validate(Sign(e, "exporter")), Code::kInvalidArgument, "document kind must be"));
}

TEST_F(EventValidatorTest, TooManyDocumentsAreRejected) {
  v1::Event e = Booking();
  for (int i = 0; i < 33; ++i) {
    auto* d = e.add_documents();
    d->set_kind("doc");
    d->set_sha256(Bytes(32, 'h'));
  }
  EXPECT_TRUE(
      Rejected(Validate(Sign(e, "exporter")), Code::kInvalidArgument, "more than 32 documents"));
}

TEST_F(EventValidatorTest, TooManyDetailsAreRejected) {
  v1::Event e = Booking();
  for (int i = 0; i < 64; ++i) {
    auto* d = e.add_details();
    d->set_key("k" + std::to_string(i));
    d->set_value("v");
  }
  EXPECT_TRUE(Validate(Sign(e, "exporter")).ok()) << "64 details are allowed";
  auto* d = e.add_details();
  d->set_key("one-too-many");
  EXPECT_TRUE(
      Rejected(Validate(Sign(e, "exporter")), Code::kInvalidArgument, "more than 64 details"));
}

TEST_F(EventValidatorTest, BadDetailIsRejected) {
  const std::vector<std::pair<std::string, std::string>> bad = {{"", "v"},
                                                                {"k\x01", "v"},
                                                                {"k", "v\x7f"},
                                                                {std::string(257, 'k'), "v"},
                                                                {"k", std::string(257, 'v')}};
  for (const auto& [key, value] : bad) {
    v1::Event e = Booking();
    auto* d = e.add_details();
    d->set_key(key);
    d->set_value(value);
    EXPECT_TRUE(Rejected(Validate(Sign(e, "exporter")), Code::kInvalidArgument,
                         "must have a printable key and value"))
        << key.size() << "/" << value.size();
  }
}

TEST_F(EventValidatorTest, PartiesOnNonBookedEventAreRejected) {
  v1::Event e = net_->NewEvent("exporter", v1::EVENT_TYPE_PICKUP, "SHP-1");
  e.add_parties("importer");
  EXPECT_TRUE(Rejected(Validate(Sign(e, "exporter")), Code::kInvalidArgument,
                       "only a booked event may name parties"));
}

TEST_F(EventValidatorTest, UnknownPartyIsRejected) {
  v1::Event e = Booking();
  e.add_parties("importer");
  e.add_parties("acme");
  EXPECT_TRUE(Rejected(Validate(Sign(e, "exporter")), Code::kInvalidArgument,
                       "party 'acme' is not an organisation"));
}

// --- co-signers ---------------------------------------------------------------------------

TEST_F(EventValidatorTest, CosignerThatIsNoOrganisationIsRejected) {
  v1::Event e = net_->NewEvent("forwarder", v1::EVENT_TYPE_HANDOVER, "SHP-1");
  e.add_cosigner_orgs("acme");
  EXPECT_TRUE(Rejected(Validate(Sign(e, "forwarder", {"importer"})), Code::kInvalidArgument,
                       "co-signer 'acme' is not an organisation"));
}

TEST_F(EventValidatorTest, SignerCosigningItselfIsRejected) {
  v1::Event e = net_->NewEvent("forwarder", v1::EVENT_TYPE_HANDOVER, "SHP-1");
  e.add_cosigner_orgs("forwarder");
  EXPECT_TRUE(Rejected(Validate(Sign(e, "forwarder", {"forwarder"})), Code::kInvalidArgument,
                       "cannot co-sign its event"));
}

TEST_F(EventValidatorTest, CosignerNamedTwiceIsRejected) {
  v1::Event e = net_->NewEvent("forwarder", v1::EVENT_TYPE_LOADED, "SHP-1");
  e.add_cosigner_orgs("importer");
  e.add_cosigner_orgs("importer");
  EXPECT_TRUE(Rejected(Validate(Sign(e, "forwarder", {"importer", "importer"})),
                       Code::kInvalidArgument, "co-signer 'importer' is named twice"));
}

TEST_F(EventValidatorTest, TooManyCosignersAreRejected) {
  auto v = ValidatorWith([](Genesis& g) { g.limits.max_cosignatures = 2; });
  v1::Event e = net_->NewEvent("forwarder", v1::EVENT_TYPE_LOADED, "SHP-1");
  for (const char* c : {"importer", "customs", "exporter"}) e.add_cosigner_orgs(c);
  EXPECT_TRUE(
      Rejected(v->Validate(Sign(e, "forwarder", {"importer", "customs", "exporter"}), opts_),
               Code::kInvalidArgument, "more than 2 co-signatures"));
}

TEST_F(EventValidatorTest, HandoverWithoutCosignerIsRejected) {
  const v1::Event e = net_->NewEvent("forwarder", v1::EVENT_TYPE_HANDOVER, "SHP-1");
  EXPECT_TRUE(Rejected(Validate(Sign(e, "forwarder")), Code::kInvalidArgument,
                       "a handover must name exactly one co-signer"));
}

TEST_F(EventValidatorTest, HandoverWithTwoCosignersIsRejected) {
  v1::Event e = net_->NewEvent("forwarder", v1::EVENT_TYPE_HANDOVER, "SHP-1");
  e.add_cosigner_orgs("importer");
  e.add_cosigner_orgs("exporter");
  EXPECT_TRUE(Rejected(Validate(Sign(e, "forwarder", {"importer", "exporter"})),
                       Code::kInvalidArgument, "a handover must name exactly one co-signer"));
}

TEST_F(EventValidatorTest, MissingCosignatureIsRejected) {
  v1::Event e = net_->NewEvent("forwarder", v1::EVENT_TYPE_HANDOVER, "SHP-1");
  e.add_cosigner_orgs("importer");
  EXPECT_TRUE(Rejected(Validate(Sign(e, "forwarder")), Code::kInvalidArgument,
                       "requires 1 co-signature(s) but carries 0"));
}

TEST_F(EventValidatorTest, ExtraCosignatureIsRejected) {
  const v1::Event e = net_->NewEvent("forwarder", v1::EVENT_TYPE_LOADED, "SHP-1");
  EXPECT_TRUE(Rejected(Validate(Sign(e, "forwarder", {"importer"})), Code::kInvalidArgument,
                       "requires 0 co-signature(s) but carries 1"));
}

TEST_F(EventValidatorTest, StrippedCosignatureIsRejected) {
  v1::SignedEvent se = net_->SignedBy("forwarder", v1::EVENT_TYPE_HANDOVER, "SHP-1", {"importer"});
  se.clear_cosignatures();
  EXPECT_TRUE(Rejected(Validate(se), Code::kInvalidArgument, "but carries 0"));
}

TEST_F(EventValidatorTest, CosignatureByWrongOrganisationIsRejected) {
  v1::Event e = net_->NewEvent("forwarder", v1::EVENT_TYPE_HANDOVER, "SHP-1");
  e.add_cosigner_orgs("importer");
  EXPECT_TRUE(Rejected(Validate(Sign(e, "forwarder", {"customs"})), Code::kInvalidArgument,
                       "co-signature 0 is by 'customs' but the event requires 'importer'"));
}

TEST_F(EventValidatorTest, CosignaturesOutOfOrderAreRejected) {
  v1::Event e = net_->NewEvent("forwarder", v1::EVENT_TYPE_LOADED, "SHP-1");
  e.add_cosigner_orgs("importer");
  e.add_cosigner_orgs("customs");
  EXPECT_TRUE(Rejected(Validate(Sign(e, "forwarder", {"customs", "importer"})),
                       Code::kInvalidArgument, "co-signature 0 is by 'customs'"));
}

TEST_F(EventValidatorTest, CosignatureOverWrongMessageIsRejected) {
  v1::SignedEvent se = net_->SignedBy("forwarder", v1::EVENT_TYPE_HANDOVER, "SHP-1", {"importer"});
  // The importer signs the event bytes (the signer's message) instead of the co-sign message.
  const auto& importer = net_->org("importer").client;
  se.mutable_cosignatures(0)->set_signature(
      Must(importer.key.Sign(EventSigningMessage(se.event()))));
  EXPECT_TRUE(Rejected(Validate(se), Code::kInvalidArgument, "co-signature of 'importer'"));
}

TEST_F(EventValidatorTest, CosignatureCopiedFromAnotherEventIsRejected) {
  const v1::SignedEvent other =
      net_->SignedBy("forwarder", v1::EVENT_TYPE_HANDOVER, "SHP-1", {"importer"});
  v1::SignedEvent se = net_->SignedBy("forwarder", v1::EVENT_TYPE_HANDOVER, "SHP-1", {"importer"});
  *se.mutable_cosignatures(0) = other.cosignatures(0);
  EXPECT_TRUE(Rejected(Validate(se), Code::kInvalidArgument, "co-signature of 'importer'"));
}

TEST_F(EventValidatorTest, CosignatureWithUnknownCaCertificateIsPermissionDenied) {
  auto ca_key = Must(crypto::PrivateKey::Generate());
  auto ca = Must(crypto::IssueCaCertificate(
      ca_key,
      Options(crypto::CertKind::kCa, "importer", "importer CA", now() - kDayMs, now() + kDayMs)));
  auto key = Must(crypto::PrivateKey::Generate());
  auto cert = Must(crypto::IssueCertificate(
      ca, ca_key, key.public_key(),
      Options(crypto::CertKind::kClient, "importer", "admin", now() - kDayMs, now() + kDayMs)));
  const config::Identity rogue{cert, key};
  v1::Event e = net_->NewEvent("forwarder", v1::EVENT_TYPE_HANDOVER, "SHP-1");
  e.add_cosigner_orgs("importer");
  EXPECT_TRUE(Rejected(Validate(net_->Sign(e, net_->org("forwarder").client, {&rogue})),
                       Code::kPermissionDenied, "does not chain to the CA of 'importer'"));
}

// --- signer certificate and signature -----------------------------------------------------

TEST_F(EventValidatorTest, SignatureByAnotherKeyIsRejected) {
  const v1::Event e = Booking();
  v1::SignedEvent se = Sign(e, "exporter");
  const config::Identity other = net_->IssueClient("exporter", "clerk");
  se.set_signature(Must(other.key.Sign(EventSigningMessage(se.event()))));
  EXPECT_TRUE(Rejected(Validate(se), Code::kInvalidArgument, "event signature"));
}

TEST_F(EventValidatorTest, TamperedEventBytesAreRejected) {
  v1::SignedEvent se = Sign(Booking(), "exporter");
  v1::Event changed;
  ASSERT_TRUE(changed.ParseFromString(se.event()));
  changed.set_shipment_id("SHP-2");
  se.set_event(changed.SerializeAsString());
  EXPECT_TRUE(Rejected(Validate(se), Code::kInvalidArgument, "event signature"));
}

TEST_F(EventValidatorTest, GarbageSignatureIsRejected) {
  v1::SignedEvent se = Sign(Booking(), "exporter");
  se.set_signature("garbage");
  EXPECT_TRUE(Rejected(Validate(se), Code::kInvalidArgument, "event signature"));
}

TEST_F(EventValidatorTest, SecondClientOfOrganisationMaySign) {
  const config::Identity clerk = net_->IssueClient("exporter", "clerk");
  const auto r = Validate(net_->Sign(Booking(), clerk));
  EXPECT_TRUE(r.ok()) << r.status().ToString();
}

TEST_F(EventValidatorTest, GarbageCertificateIsRejected) {
  v1::SignedEvent se = Sign(Booking(), "exporter");
  se.set_signer_cert("not a certificate");
  EXPECT_TRUE(Rejected(Validate(se), Code::kInvalidArgument, "signer certificate"));
  se.clear_signer_cert();
  EXPECT_TRUE(Rejected(Validate(se), Code::kInvalidArgument, "signer certificate"));
}

TEST_F(EventValidatorTest, CertificateFromUnknownCaIsPermissionDenied) {
  // A CA nobody put in the genesis, with the same subject as the exporter's real CA.
  auto ca_key = Must(crypto::PrivateKey::Generate());
  auto ca = Must(crypto::IssueCaCertificate(
      ca_key,
      Options(crypto::CertKind::kCa, "exporter", "exporter CA", now() - kDayMs, now() + kDayMs)));
  auto key = Must(crypto::PrivateKey::Generate());
  auto cert = Must(crypto::IssueCertificate(
      ca, ca_key, key.public_key(),
      Options(crypto::CertKind::kClient, "exporter", "admin", now() - kDayMs, now() + kDayMs)));
  EXPECT_TRUE(Rejected(Validate(net_->Sign(Booking(), config::Identity{cert, key})),
                       Code::kPermissionDenied, "does not chain to the CA of 'exporter'"));
}

TEST_F(EventValidatorTest, CertificateOfOrganisationNotInGenesisIsPermissionDenied) {
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

TEST_F(EventValidatorTest, SignerOrganisationMismatchIsPermissionDenied) {
  const v1::Event e = Booking();  // says signer_org = exporter
  EXPECT_TRUE(Rejected(Validate(Sign(e, "forwarder")), Code::kPermissionDenied,
                       "signed by 'exporter' but the certificate belongs to 'forwarder'"));
}

TEST_F(EventValidatorTest, RoleNotAllowedIsPermissionDenied) {
  const v1::SignedEvent se = net_->SignedBy("customs", v1::EVENT_TYPE_BOOKED, "SHP-1");
  EXPECT_TRUE(Rejected(Validate(se), Code::kPermissionDenied,
                       "role 'customs' of 'customs' may not record 'booked' events"));
  const v1::SignedEvent clear =
      net_->SignedBy("exporter", v1::EVENT_TYPE_EXPORT_CUSTOMS_CLEARED, "SHP-1");
  EXPECT_TRUE(Rejected(Validate(clear), Code::kPermissionDenied,
                       "may not record 'export_customs_cleared' events"));
}

TEST_F(EventValidatorTest, CustomsMayClear) {
  const auto r =
      Validate(net_->SignedBy("customs", v1::EVENT_TYPE_EXPORT_CUSTOMS_CLEARED, "SHP-1"));
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ((*r)->signer_role, Role::kCustoms);
}

TEST_F(EventValidatorTest, ExpiredCertificateIsPermissionDenied) {
  const config::Identity old = IssueClient("exporter", now() - 10 * kDayMs, now() - kDayMs);
  EXPECT_TRUE(Rejected(Validate(net_->Sign(Booking(), old)), Code::kPermissionDenied, "expired"));
}

TEST_F(EventValidatorTest, NotYetValidCertificateIsPermissionDenied) {
  const config::Identity future = IssueClient("exporter", now() + kDayMs, now() + 10 * kDayMs);
  EXPECT_TRUE(
      Rejected(Validate(net_->Sign(Booking(), future)), Code::kPermissionDenied, "not yet valid"));
}

TEST_F(EventValidatorTest, CertificateValidityIsJudgedAtCertTimeNotNow) {
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

TEST_F(EventValidatorTest, ExpiredCosignerCertificateIsPermissionDenied) {
  const config::Identity old = IssueClient("importer", now() - 10 * kDayMs, now() - kDayMs);
  v1::Event e = net_->NewEvent("forwarder", v1::EVENT_TYPE_HANDOVER, "SHP-1");
  e.add_cosigner_orgs("importer");
  EXPECT_TRUE(Rejected(Validate(net_->Sign(e, net_->org("forwarder").client, {&old})),
                       Code::kPermissionDenied, "expired"));
}

// --- occurred_at against the node's clock -------------------------------------------------

TEST_F(EventValidatorTest, FutureEventIsRejectedOnlyWithAClock) {
  const int64_t skew = net_->genesis()->limits.max_future_skew_ms;
  v1::Event e = Booking();
  e.set_occurred_at_ms(now() + skew + 1000);
  const v1::SignedEvent se = Sign(e, "exporter");
  EXPECT_TRUE(Validate(se).ok()) << "without clock_now_ms the time is not checked";
  opts_.clock_now_ms = now();
  EXPECT_TRUE(Rejected(Validate(se), Code::kInvalidArgument, "s in the future"));
}

TEST_F(EventValidatorTest, FutureSkewBoundIsInclusive) {
  v1::Event e = Booking();
  e.set_occurred_at_ms(now() + net_->genesis()->limits.max_future_skew_ms);
  opts_.clock_now_ms = now();
  const auto r = Validate(Sign(e, "exporter"));
  EXPECT_TRUE(r.ok()) << r.status().ToString();
}

TEST_F(EventValidatorTest, OldEventIsRejectedOnlyWithAClock) {
  const int64_t age = net_->genesis()->limits.max_event_age_ms;
  v1::Event e = Booking();
  e.set_occurred_at_ms(now() - age - 1000);
  const v1::SignedEvent se = Sign(e, "exporter");
  EXPECT_TRUE(Validate(se).ok()) << "without clock_now_ms the time is not checked";
  opts_.clock_now_ms = now();
  EXPECT_TRUE(Rejected(Validate(se), Code::kInvalidArgument, "more than 30 days in the past"));
}

TEST_F(EventValidatorTest, EventAgeBoundIsInclusive) {
  v1::Event e = Booking();
  e.set_occurred_at_ms(now() - net_->genesis()->limits.max_event_age_ms);
  opts_.clock_now_ms = now();
  const auto r = Validate(Sign(e, "exporter"));
  EXPECT_TRUE(r.ok()) << r.status().ToString();
}

TEST_F(EventValidatorTest, ClockIsTheOneInOptions) {
  // An event from "now" is in the future for a node whose clock is an hour behind.
  v1::Event e = Booking();
  const v1::SignedEvent se = Sign(e, "exporter");
  opts_.clock_now_ms = now() - kHourMs;
  EXPECT_TRUE(Rejected(Validate(se), Code::kInvalidArgument, "in the future"));
  opts_.clock_now_ms = now() + kHourMs;
  EXPECT_TRUE(Validate(se).ok());
}

// --- certificate cache --------------------------------------------------------------------

TEST_F(EventValidatorTest, CachedCertificateStillValidatesAnotherEvent) {
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

TEST_F(EventValidatorTest, CachedCertificateDoesNotExcuseABadSignature) {
  const v1::SignedEvent good = Sign(Booking(), "exporter");
  ASSERT_TRUE(Validate(good).ok());
  v1::SignedEvent bad = Sign(Booking(), "exporter");
  bad.set_signature(good.signature());
  EXPECT_TRUE(Rejected(Validate(bad), Code::kInvalidArgument, "event signature"));
}

TEST_F(EventValidatorTest, CachedCertificateIsRejectedOnceExpired) {
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

TEST_F(EventValidatorTest, CachedCertificateIsRejectedBeforeItsValidity) {
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
TEST_F(EventValidatorTest, CachedCertificateIsRejectedOnceItsCaExpired) {
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

TEST_F(EventValidatorTest, ConcurrentValidationsShareTheCache) {
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
