#include "model/event.h"

#include <gtest/gtest.h>

#include <set>
#include <string>

#include "crypto/merkle.h"
#include "crypto/sha256.h"
#include "crypto/x509.h"

namespace shipledger::model {
namespace {

using namespace std::string_literals;

v1::SignedEvent Envelope() {
  v1::SignedEvent se;
  se.set_event("event-bytes");
  se.set_signer_cert("signer-cert");
  se.set_signature("signature");
  auto* c1 = se.add_cosignatures();
  c1->set_signer_cert("cosigner-1-cert");
  c1->set_signature("cosig-1");
  auto* c2 = se.add_cosignatures();
  c2->set_signer_cert("cosigner-2-cert");
  c2->set_signature("cosig-2");
  return se;
}

// --- ids and signing payloads -------------------------------------------------------------

TEST(EventId, IsSha256OverDomainTagAndBytes) {
  const Bytes bytes = "some serialized event";
  const Bytes id = EventId(bytes);
  EXPECT_EQ(id.size(), 32u);
  EXPECT_EQ(id, crypto::Sha256("shipledger/event-id/v1"s + bytes));
}

TEST(EventId, IsDomainSeparatedFromPlainHash) {
  const Bytes bytes = "some serialized event";
  EXPECT_NE(EventId(bytes), crypto::Sha256(bytes));
  // ... and from a hash of the signing message, which carries another tag.
  EXPECT_NE(EventId(bytes), crypto::Sha256(EventSigningMessage(bytes)));
}

TEST(EventId, DependsOnEveryByte) {
  EXPECT_EQ(EventId("abc"), EventId("abc"));
  EXPECT_NE(EventId("abc"), EventId("abd"));
  EXPECT_NE(EventId("abc"), EventId("abc\0"s));
  EXPECT_NE(EventId(""), EventId("\0"s));
}

TEST(EventSigningMessage, IsEventTagThenExactBytes) {
  const Bytes bytes = "\x0a\x00\xff payload"s;
  EXPECT_EQ(EventSigningMessage(bytes), "shipledger/event/v1"s + bytes);
  EXPECT_EQ(EventSigningMessage(""), "shipledger/event/v1");
}

TEST(CosignMessage, IsCosignTagThenEventId) {
  const Bytes id = EventId("e");
  EXPECT_EQ(CosignMessage(id), "shipledger/cosign/v1"s + id);
}

TEST(CosignMessage, DiffersFromSigningMessageOfSameBytes) {
  // A signature over an event can never double as a co-signature and vice versa.
  const Bytes b = EventId("e");
  EXPECT_NE(CosignMessage(b), EventSigningMessage(b));
}

// --- envelope encoding and leaf hash ------------------------------------------------------

TEST(EnvelopeEncoding, IsDeterministicAndLengthPrefixed) {
  const v1::SignedEvent se = Envelope();
  EXPECT_EQ(EnvelopeEncoding(se), EnvelopeEncoding(Envelope()));
  Bytes expected;
  PutLengthPrefixed(&expected, "event-bytes");
  PutLengthPrefixed(&expected, "signer-cert");
  PutLengthPrefixed(&expected, "signature");
  PutU32BE(&expected, 2);
  PutLengthPrefixed(&expected, "cosigner-1-cert");
  PutLengthPrefixed(&expected, "cosig-1");
  PutLengthPrefixed(&expected, "cosigner-2-cert");
  PutLengthPrefixed(&expected, "cosig-2");
  EXPECT_EQ(EnvelopeEncoding(se), expected);
}

TEST(EnvelopeEncoding, ChangesWhenAnyFieldChanges) {
  const Bytes base = EnvelopeEncoding(Envelope());
  std::set<Bytes> seen = {base};
  auto expect_new = [&](const v1::SignedEvent& se, const char* what) {
    const Bytes enc = EnvelopeEncoding(se);
    EXPECT_NE(enc, base) << what;
    EXPECT_TRUE(seen.insert(enc).second) << what << " collides with another variant";
  };
  {
    auto se = Envelope();
    se.set_event("event-bytez");
    expect_new(se, "event");
  }
  {
    auto se = Envelope();
    se.set_signer_cert("other-cert");
    expect_new(se, "signer_cert");
  }
  {
    auto se = Envelope();
    se.set_signature("signaturf");
    expect_new(se, "signature");
  }
  {
    auto se = Envelope();
    se.mutable_cosignatures(0)->set_signer_cert("cosigner-x-cert");
    expect_new(se, "cosignature cert");
  }
  {
    auto se = Envelope();
    se.mutable_cosignatures(1)->set_signature("cosig-x");
    expect_new(se, "cosignature signature");
  }
  {
    auto se = Envelope();
    se.mutable_cosignatures()->RemoveLast();
    expect_new(se, "cosignature removed");
  }
  {
    auto se = Envelope();
    se.add_cosignatures();  // even an empty extra co-signature counts
    expect_new(se, "cosignature added");
  }
  {
    auto se = Envelope();
    se.mutable_cosignatures()->SwapElements(0, 1);
    expect_new(se, "cosignatures reordered");
  }
}

TEST(EnvelopeEncoding, MovingBytesBetweenFieldsChangesIt) {
  v1::SignedEvent a;
  a.set_event("ab");
  a.set_signer_cert("c");
  v1::SignedEvent b;
  b.set_event("a");
  b.set_signer_cert("bc");
  EXPECT_NE(EnvelopeEncoding(a), EnvelopeEncoding(b));
}

TEST(EventLeafHash, IsMerkleLeafOfEnvelope) {
  const auto se = Envelope();
  EXPECT_EQ(EventLeafHash(se), crypto::MerkleLeafHash(EnvelopeEncoding(se)));
  EXPECT_EQ(EventLeafHash(se).size(), 32u);
}

TEST(EventLeafHash, CoversCosignatures) {
  // Stripping a co-signature changes the leaf, so the events root commits to it.
  auto stripped = Envelope();
  stripped.mutable_cosignatures()->RemoveLast();
  EXPECT_NE(EventLeafHash(stripped), EventLeafHash(Envelope()));
  // ... while the event id, which covers only the event bytes, stays the same.
  EXPECT_EQ(EventId(stripped.event()), EventId(Envelope().event()));
}

// --- type names ---------------------------------------------------------------------------

// --- reading stored envelopes in place ---------------------------------------------------

TEST(ViewSignedEvent, FindsTheEventBytesAndCountsCosignatures) {
  const v1::SignedEvent se = Envelope();
  const std::string wire = se.SerializeAsString();
  const auto view = ViewSignedEvent(wire);
  ASSERT_TRUE(view.has_value());
  EXPECT_EQ(view->event, "event-bytes");
  EXPECT_EQ(view->cosignatures, 2);
  // A view into the wire bytes, not a copy.
  EXPECT_GE(view->event.data(), wire.data());
  EXPECT_LE(view->event.data() + view->event.size(), wire.data() + wire.size());
}

TEST(ViewSignedEvent, AgreesWithTheParserOnFieldOrderRepeatsAndUnknownFields) {
  v1::SignedEvent se = Envelope();
  se.clear_cosignatures();
  EXPECT_EQ(ViewSignedEvent(se.SerializeAsString())->cosignatures, 0);
  // Fields in another order, a repeated singular field (the last wins) and an unknown varint
  // field 9 (skipped).
  std::string wire = Envelope().SerializeAsString();
  v1::SignedEvent later;
  later.set_event("second-event");
  wire += later.SerializeAsString();
  wire += "\x48\x07"s;  // field 9, varint 7
  v1::SignedEvent parsed;
  ASSERT_TRUE(parsed.ParseFromString(wire));
  const auto view = ViewSignedEvent(wire);
  ASSERT_TRUE(view.has_value());
  EXPECT_EQ(view->event, parsed.event());
  EXPECT_EQ(view->event, "second-event");
  EXPECT_EQ(view->cosignatures, parsed.cosignatures_size());
  EXPECT_TRUE(ViewSignedEvent("").has_value());  // the empty message
}

TEST(ViewSignedEvent, RejectsMalformedBytes) {
  const std::string wire = Envelope().SerializeAsString();
  EXPECT_FALSE(ViewSignedEvent(wire.substr(0, wire.size() - 1)).has_value());  // truncated
  const std::string past_end = "\x0a\x05"s + "abc";  // field 1, 5 bytes, 3 present
  EXPECT_FALSE(ViewSignedEvent(past_end).has_value());
  EXPECT_FALSE(ViewSignedEvent("\x00\x01"s).has_value());  // field number 0
  EXPECT_FALSE(ViewSignedEvent("\x0c"s).has_value());      // end-group with no group
  EXPECT_FALSE(ViewSignedEvent("\x0a\xff\xff\xff\xff\xff"s).has_value());  // bad varint
}

TEST(EventTypeName, KnownNames) {
  EXPECT_EQ(EventTypeName(v1::EVENT_TYPE_BOOKED), "booked");
  EXPECT_EQ(EventTypeName(v1::EVENT_TYPE_EXPORT_CUSTOMS_DECLARED), "export_customs_declared");
  EXPECT_EQ(EventTypeName(v1::EVENT_TYPE_OUT_FOR_DELIVERY), "out_for_delivery");
  EXPECT_EQ(EventTypeName(v1::EVENT_TYPE_CERTIFICATE_REVOCATION), "certificate_revocation");
}

TEST(EventTypeName, UnspecifiedAndInvalidValues) {
  EXPECT_EQ(EventTypeName(v1::EVENT_TYPE_UNSPECIFIED), "unspecified");
  EXPECT_EQ(EventTypeName(static_cast<v1::EventType>(999)), "unspecified");
  EXPECT_EQ(EventTypeName(static_cast<v1::EventType>(-1)), "unspecified");
}

TEST(AllEventTypes, ListsEveryTypeButUnspecifiedOnce) {
  const auto all = AllEventTypes();
  const auto* descriptor = v1::EventType_descriptor();
  EXPECT_EQ(all.size(), static_cast<size_t>(descriptor->value_count() - 1));
  const std::set<v1::EventType> unique(all.begin(), all.end());
  EXPECT_EQ(unique.size(), all.size());
  EXPECT_FALSE(unique.contains(v1::EVENT_TYPE_UNSPECIFIED));
  EXPECT_TRUE(unique.contains(v1::EVENT_TYPE_BOOKED));
  EXPECT_TRUE(unique.contains(v1::EVENT_TYPE_CERTIFICATE_REVOCATION));
}

TEST(ParseEventType, RoundTripsEveryType) {
  for (v1::EventType t : AllEventTypes()) {
    const std::string name = EventTypeName(t);
    ASSERT_NE(name, "unspecified") << t;
    for (char c : name) {
      EXPECT_TRUE((c >= 'a' && c <= 'z') || c == '_') << name << " is not snake_case";
    }
    const auto parsed = ParseEventType(name);
    ASSERT_TRUE(parsed.has_value()) << name;
    EXPECT_EQ(*parsed, t) << name;
  }
}

TEST(ParseEventType, UnknownNamesAreNullopt) {
  for (const char* name :
       {"", "unspecified", "book", "booked ", " booked", "bookedx", "event_type_booked",
        "EVENT_TYPE_BOOKED", "customs", "handover-", "export-customs-declared"}) {
    EXPECT_FALSE(ParseEventType(name).has_value()) << "'" << name << "'";
  }
  EXPECT_FALSE(ParseEventType("booked\0x"s).has_value());
}

}  // namespace
}  // namespace shipledger::model

namespace shipledger::model {
namespace {

TEST(SignEvent, SignsExactBytesAndCosignsTheEventIdInOrder) {
  auto signer_key = *crypto::PrivateKey::Generate();
  auto cosigner_key = *crypto::PrivateKey::Generate();
  crypto::IssueOptions o;
  o.kind = crypto::CertKind::kCa;
  o.organization = "org";
  o.common_name = "ca";
  o.not_before_ms = 1;
  o.not_after_ms = 4102444800000;
  auto signer_cert = *crypto::IssueCaCertificate(signer_key, o);
  o.organization = "other";
  auto cosigner_cert = *crypto::IssueCaCertificate(cosigner_key, o);
  v1::Event e;
  e.set_shipment_id("S");
  auto se = SignEvent(e, SigningKey{&signer_cert, &signer_key},
                      {SigningKey{&cosigner_cert, &cosigner_key}});
  ASSERT_TRUE(se.ok()) << se.status().ToString();
  EXPECT_EQ(se->event(), e.SerializeAsString());
  EXPECT_EQ(se->signer_cert(), signer_cert.der());
  EXPECT_TRUE(
      signer_key.public_key().Verify(EventSigningMessage(se->event()), se->signature()).ok());
  ASSERT_EQ(se->cosignatures_size(), 1);
  EXPECT_EQ(se->cosignatures(0).signer_cert(), cosigner_cert.der());
  EXPECT_TRUE(cosigner_key.public_key()
                  .Verify(CosignMessage(EventId(se->event())), se->cosignatures(0).signature())
                  .ok());
}

}  // namespace
}  // namespace shipledger::model
