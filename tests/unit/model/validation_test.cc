#include "model/validation.h"

#include <gtest/gtest.h>

#include "validation_fixture.h"

namespace shipledger::model {
namespace {

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
                           "awb", "seal", "customs_declaration", "refund", "settlement"}) {
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

TEST_F(EventValidatorTest, PartiesOnOtherEventsThanBookingsAdditionsAndDeclarationsAreRejected) {
  v1::Event e = net_->NewEvent("exporter", v1::EVENT_TYPE_PICKUP, "SHP-1");
  e.add_parties("importer");
  EXPECT_TRUE(Rejected(Validate(Sign(e, "exporter")), Code::kInvalidArgument,
                       "only booked, party_added and customs declaration events may name parties"));
}

TEST_F(EventValidatorTest, PartyAddedNamesTheOrganisationsItAdds) {
  v1::Event e = net_->NewEvent("exporter", v1::EVENT_TYPE_PARTY_ADDED, "SHP-1");
  EXPECT_TRUE(Rejected(Validate(Sign(e, "exporter")), Code::kInvalidArgument,
                       "a party_added event must name the organisations it adds"));
  e.add_parties("forwarder");
  EXPECT_TRUE(Validate(Sign(e, "exporter")).ok());
}

TEST_F(EventValidatorTest, ACustomsDeclarationNamesCustomsAuthoritiesOnly) {
  for (const auto type :
       {v1::EVENT_TYPE_EXPORT_CUSTOMS_DECLARED, v1::EVENT_TYPE_IMPORT_CUSTOMS_DECLARED}) {
    v1::Event e = net_->NewEvent("importer", type, "SHP-1");
    e.add_parties("customs");
    EXPECT_TRUE(Validate(Sign(e, "importer")).ok());
    e.add_parties("forwarder");
    EXPECT_TRUE(Rejected(Validate(Sign(e, "importer")), Code::kInvalidArgument,
                         "'forwarder' is not a customs organisation"));
  }
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

}  // namespace
}  // namespace shipledger::model
