#include "model/envelope_check.h"

#include <gtest/gtest.h>

#include "model/private_fields.h"
#include "validation_fixture.h"

namespace shipledger::model {
namespace {

// A booking by the exporter with one private field for the exporter and the importer, which
// each test breaks in one way.
class EnvelopeCheckTest : public EventValidatorTest {
 protected:
  void SetUp() override {
    EventValidatorTest::SetUp();
    event_ = Booking();
    auto readers = Must(ReadersFromGenesis(*net_->genesis(), "exporter", {"importer"}));
    auto sealed = Must(Seal({{"invoice_value", "EUR 125000"}, {"hs_code", "8471.30"}}, readers,
                            event_.chain_id(), event_.shipment_id(), event_.nonce()));
    *event_.mutable_private_envelope() = sealed.envelope;
  }

  v1::PrivateEnvelope& env() { return *event_.mutable_private_envelope(); }
  Status Check() const { return CheckEnvelopeStructure(event_, *net_->genesis()); }

  // The structure check refuses the event with `substr`, and so does the validator (signed).
  void ExpectRefused(std::string_view substr) {
    const Status s = Check();
    EXPECT_EQ(s.code(), Code::kInvalidArgument) << s.ToString();
    EXPECT_NE(s.message().find(substr), std::string::npos) << s.ToString();
    EXPECT_TRUE(Rejected(Validate(Sign(event_, "exporter")), Code::kInvalidArgument, substr));
  }

  v1::Event event_;
};

TEST_F(EnvelopeCheckTest, WellFormedEnvelopeIsAdmitted) {
  EXPECT_TRUE(Check().ok()) << Check().ToString();
  const auto r = Validate(Sign(event_, "exporter"));
  EXPECT_TRUE(r.ok()) << r.status().ToString();
}

TEST_F(EnvelopeCheckTest, EventWithoutEnvelopeIsUnaffected) {
  event_.clear_private_envelope();
  EXPECT_TRUE(Check().ok());
}

TEST_F(EnvelopeCheckTest, EmptyEnvelopeIsRefused) {
  env().clear_fields();
  ExpectRefused("at least one field");
}

TEST_F(EnvelopeCheckTest, BadFieldIvSizeIsRefused) {
  env().mutable_fields(0)->set_iv(Bytes(16, 'i'));
  ExpectRefused("IV is 16 bytes, not 12");
}

TEST_F(EnvelopeCheckTest, CiphertextShorterThanSaltAndTagIsRefused) {
  env().mutable_fields(0)->set_ciphertext(Bytes(kSealedFieldOverhead - 1, 'c'));
  ExpectRefused("ciphertext is 51 bytes");
}

TEST_F(EnvelopeCheckTest, CiphertextOverTheValueBoundIsRefused) {
  auto small = ValidatorWith([](Genesis& g) { g.limits.max_private_value_bytes = 4; });
  // "EUR 125000" is 10 bytes: over a 4-byte bound.
  EXPECT_TRUE(Rejected(small->Validate(Sign(event_, "exporter"), opts_), Code::kInvalidArgument,
                       "ciphertext is 62 bytes; it must be 52..56"));
}

TEST_F(EnvelopeCheckTest, BadCommitmentSizeIsRefused) {
  env().mutable_fields(1)->set_commitment(Bytes(31, 'c'));
  ExpectRefused("commitment is 31 bytes, not 32");
}

TEST_F(EnvelopeCheckTest, CommitmentCountMismatchIsRefused) {
  env().mutable_fields(1)->clear_commitment();
  ExpectRefused("2 fields but 1 commitments: one commitment per field");
}

TEST_F(EnvelopeCheckTest, BadWrappedKeySizeIsRefused) {
  env().mutable_readers(1)->set_wrapped_key(Bytes(32, 'w'));
  ExpectRefused("wrapped key is 32 bytes, not 48");
}

TEST_F(EnvelopeCheckTest, BadWrapIvSizeIsRefused) {
  env().mutable_readers(1)->set_iv("");
  ExpectRefused("reader 'importer' IV is 0 bytes");
}

TEST_F(EnvelopeCheckTest, EphemeralKeyOffTheCurveIsRefused) {
  (*env().mutable_readers(1)->mutable_ephemeral_public_key())[64] ^= 1;
  ExpectRefused("ephemeral key");
}

TEST_F(EnvelopeCheckTest, CompressedEphemeralKeyIsRefused) {
  env().mutable_readers(1)->set_ephemeral_public_key(
      env().readers(1).ephemeral_public_key().substr(0, 33));
  ExpectRefused("ephemeral key");
}

TEST_F(EnvelopeCheckTest, UnknownReaderIsRefused) {
  env().mutable_readers(1)->set_reader_org("pirate");
  ExpectRefused("reader 'pirate' is not an organisation of this network");
}

TEST_F(EnvelopeCheckTest, ReaderWithoutEncryptionKeyIsRefused) {
  auto no_key = ValidatorWith([](Genesis& g) {
    for (auto& o : g.organisations) {
      if (o.id == "importer") o.encryption_key.reset();
    }
  });
  EXPECT_TRUE(Rejected(no_key->Validate(Sign(event_, "exporter"), opts_), Code::kInvalidArgument,
                       "no encryption key"));
}

TEST_F(EnvelopeCheckTest, DuplicateReaderIsRefused) {
  *env().add_readers() = env().readers(1);
  ExpectRefused("reader 'importer' is named twice");
}

TEST_F(EnvelopeCheckTest, SignerNotAReaderIsRefused) {
  env().mutable_readers()->DeleteSubrange(0, 1);
  ExpectRefused("the signer's organisation 'exporter' must be among the readers");
}

TEST_F(EnvelopeCheckTest, TooManyReadersIsRefused) {
  auto two = ValidatorWith([](Genesis& g) { g.limits.max_private_readers = 1; });
  EXPECT_TRUE(Rejected(two->Validate(Sign(event_, "exporter"), opts_), Code::kInvalidArgument,
                       "2 readers; at most 1"));
  // And with the default limit of 32, 33 wraps.
  while (env().readers_size() < 33) *env().add_readers() = env().readers(1);
  ExpectRefused("33 readers; at most 32");
}

TEST_F(EnvelopeCheckTest, TooManyFieldsIsRefused) {
  auto one = ValidatorWith([](Genesis& g) { g.limits.max_private_fields = 1; });
  EXPECT_TRUE(Rejected(one->Validate(Sign(event_, "exporter"), opts_), Code::kInvalidArgument,
                       "2 fields; at most 1"));
}

TEST_F(EnvelopeCheckTest, DuplicateFieldNameIsRefused) {
  env().mutable_fields(1)->set_name("invoice_value");
  ExpectRefused("field 'invoice_value' appears twice");
}

TEST_F(EnvelopeCheckTest, EmptyOrUnprintableFieldNameIsRefused) {
  env().mutable_fields(1)->set_name("");
  ExpectRefused("a field name must be 1..256 printable bytes");
  env().mutable_fields(1)->set_name("bad\nname");
  ExpectRefused("a field name must be 1..256 printable bytes");
}

}  // namespace
}  // namespace shipledger::model
