#include "model/private_fields.h"

#include <gtest/gtest.h>

#include <functional>

#include "crypto/sha256.h"
#include "testing/test_network.h"

namespace shipledger::model {
namespace {

template <typename T>
T Must(Result<T> r) {
  if (!r.ok()) ADD_FAILURE() << r.status().ToString();
  return std::move(r).value();
}

class PrivateFieldsTest : public ::testing::Test {
 protected:
  void SetUp() override {
    net_ = testing::TestNetwork::Create();
    event_ = net_->NewEvent("exporter", v1::EVENT_TYPE_BOOKED, "SHP-P");
  }

  // Seals `fields` into event_ for the exporter (signer) and `readers`.
  SealedFields SealInto(const std::vector<PrivateValue>& fields,
                        const std::vector<std::string>& readers = {"importer"}) {
    auto list = Must(ReadersFromGenesis(*net_->genesis(), "exporter", readers));
    auto sealed = Must(Seal(fields, list, event_.chain_id(), event_.shipment_id(), event_.nonce()));
    *event_.mutable_private_envelope() = sealed.envelope;
    return sealed;
  }

  const crypto::PrivateKey& KeyOf(const std::string& org) const {
    return net_->org(org).encryption_key;
  }

  std::vector<OpenedField> OpenAs(const std::string& org) const {
    return Must(Open(event_, org, KeyOf(org)));
  }

  std::unique_ptr<testing::TestNetwork> net_;
  v1::Event event_;
};

TEST(PrivateFieldCommitment, IsTheDocumentedHash) {
  const Bytes salt(32, 's');
  Bytes expected_input = "shipledger/commit/v1";
  expected_input += Bytes("\0\0\0\x0dinvoice_value", 17);
  expected_input += Bytes("\0\0\0\x0a", 4) + "EUR 125000";
  expected_input += salt;
  EXPECT_EQ(PrivateFieldCommitment("invoice_value", "EUR 125000", salt),
            crypto::Sha256(expected_input));
}

TEST_F(PrivateFieldsTest, SealThenOpenRoundTripsForEveryReader) {
  const SealedFields sealed =
      SealInto({{"invoice_value", "EUR 125000"}, {"consignee_phone", "+49 40 1234"}});
  ASSERT_EQ(sealed.salts.size(), 2u);
  EXPECT_EQ(sealed.salts[0].size(), 32u);
  ASSERT_EQ(event_.private_envelope().readers_size(), 2);
  EXPECT_EQ(event_.private_envelope().readers(0).reader_org(), "exporter");
  EXPECT_EQ(event_.private_envelope().readers(1).reader_org(), "importer");
  for (const std::string org : {"exporter", "importer"}) {
    SCOPED_TRACE(org);
    const auto fields = OpenAs(org);
    ASSERT_EQ(fields.size(), 2u);
    EXPECT_TRUE(fields[0].status.ok()) << fields[0].status.ToString();
    EXPECT_EQ(fields[0].name, "invoice_value");
    EXPECT_EQ(fields[0].value, "EUR 125000");
    EXPECT_EQ(fields[0].salt, sealed.salts[0]);
    EXPECT_EQ(fields[1].value, "+49 40 1234");
    EXPECT_TRUE(fields[1].status.ok());
  }
}

TEST_F(PrivateFieldsTest, EnvelopeHoldsNoPlaintext) {
  SealInto({{"invoice_value", "MARKER-7f3a9c"}});
  EXPECT_EQ(event_.SerializeAsString().find("MARKER-7f3a9c"), std::string::npos);
  EXPECT_NE(event_.SerializeAsString().find("invoice_value"), std::string::npos);  // name clear
}

TEST_F(PrivateFieldsTest, EmptyValueRoundTrips) {
  SealInto({{"note", ""}});
  const auto fields = OpenAs("importer");
  ASSERT_EQ(fields.size(), 1u);
  EXPECT_TRUE(fields[0].status.ok());
  EXPECT_EQ(fields[0].value, "");
}

TEST_F(PrivateFieldsTest, NonReaderCannotOpen) {
  SealInto({{"invoice_value", "EUR 125000"}});
  EXPECT_FALSE(IsReader(event_, "forwarder"));
  EXPECT_TRUE(IsReader(event_, "importer"));
  auto r = Open(event_, "forwarder", KeyOf("forwarder"));
  EXPECT_EQ(r.status().code(), Code::kPermissionDenied);
}

TEST_F(PrivateFieldsTest, NonReaderPosingAsAReaderCannotUnwrap) {
  SealInto({{"invoice_value", "EUR 125000"}});
  auto r = Open(event_, "importer", KeyOf("forwarder"));
  EXPECT_EQ(r.status().code(), Code::kInvalidArgument);
  EXPECT_NE(r.status().message().find("cannot unwrap"), std::string::npos);
}

TEST_F(PrivateFieldsTest, WrapIsBoundToTheReaderOrg) {
  SealInto({{"invoice_value", "EUR 125000"}});
  // The importer's wrap relabelled as the customs one: the KEK info differs, unwrap fails.
  event_.mutable_private_envelope()->mutable_readers(1)->set_reader_org("customs");
  EXPECT_FALSE(Open(event_, "customs", KeyOf("importer")).ok());
}

TEST_F(PrivateFieldsTest, TamperedWrappedKeyFails) {
  SealInto({{"invoice_value", "EUR 125000"}});
  (*event_.mutable_private_envelope()->mutable_readers(1)->mutable_wrapped_key())[3] ^= 1;
  EXPECT_EQ(Open(event_, "importer", KeyOf("importer")).status().code(), Code::kInvalidArgument);
}

TEST_F(PrivateFieldsTest, TamperedCiphertextFailsThatFieldOnly) {
  SealInto({{"a", "1"}, {"b", "2"}});
  (*event_.mutable_private_envelope()->mutable_fields(0)->mutable_ciphertext())[0] ^= 1;
  const auto fields = OpenAs("importer");
  ASSERT_EQ(fields.size(), 2u);
  EXPECT_EQ(fields[0].status.code(), Code::kInvalidArgument);
  EXPECT_FALSE(IsFraud(fields[0].status));
  EXPECT_TRUE(fields[1].status.ok());
}

TEST_F(PrivateFieldsTest, AadBindsShipmentNonceChainAndName) {
  SealInto({{"invoice_value", "EUR 125000"}});
  const v1::Event original = event_;
  const std::vector<std::function<void(v1::Event&)>> edits = {
      [](v1::Event& e) { e.set_shipment_id("OTHER"); },
      [](v1::Event& e) { e.set_nonce(Bytes(16, 'x')); },
      [](v1::Event& e) { e.mutable_private_envelope()->mutable_fields(0)->set_name("other"); },
  };
  for (const auto& edit : edits) {
    event_ = original;
    edit(event_);
    const auto fields = OpenAs("importer");
    ASSERT_EQ(fields.size(), 1u);
    EXPECT_EQ(fields[0].status.code(), Code::kInvalidArgument) << fields[0].status.ToString();
  }
  event_ = original;
  event_.set_chain_id("other-chain");  // the KEK derivation binds the chain id too
  EXPECT_FALSE(Open(event_, "importer", KeyOf("importer")).ok());
}

TEST_F(PrivateFieldsTest, CommitmentMismatchIsReportedAsFraud) {
  SealInto({{"invoice_value", "EUR 125000"}});
  // The signer commits to another value than the one it encrypted.
  event_.mutable_private_envelope()->mutable_fields(0)->set_commitment(
      PrivateFieldCommitment("invoice_value", "EUR 1", Bytes(32, 's')));
  const auto fields = OpenAs("importer");
  ASSERT_EQ(fields.size(), 1u);
  EXPECT_EQ(fields[0].value, "EUR 125000");
  EXPECT_TRUE(IsFraud(fields[0].status)) << fields[0].status.ToString();
  EXPECT_NE(fields[0].status.message().find("FRAUD"), std::string::npos);
}

TEST_F(PrivateFieldsTest, DisclosedFieldVerifiesAgainstTheCommitment) {
  const SealedFields sealed = SealInto({{"invoice_value", "EUR 125000"}, {"hs_code", "8471.30"}});
  EXPECT_TRUE(VerifyDisclosedField(event_, "hs_code", "8471.30", sealed.salts[1]).ok());
  EXPECT_EQ(VerifyDisclosedField(event_, "hs_code", "8471.31", sealed.salts[1]).code(),
            Code::kInvalidArgument);
  EXPECT_EQ(VerifyDisclosedField(event_, "hs_code", "8471.30", sealed.salts[0]).code(),
            Code::kInvalidArgument);
  EXPECT_EQ(VerifyDisclosedField(event_, "invoice_value", "8471.30", sealed.salts[1]).code(),
            Code::kInvalidArgument);
  EXPECT_EQ(VerifyDisclosedField(event_, "hs_code", "8471.30", "short").code(),
            Code::kInvalidArgument);
  EXPECT_EQ(VerifyDisclosedField(event_, "nothing", "x", sealed.salts[0]).code(), Code::kNotFound);
}

TEST_F(PrivateFieldsTest, ReadersFromGenesisAddsTheSignerOnceAndChecksOrgs) {
  auto readers = Must(ReadersFromGenesis(*net_->genesis(), "exporter",
                                         {"importer", "exporter", "importer", "customs"}));
  ASSERT_EQ(readers.size(), 3u);
  EXPECT_EQ(readers[0].org, "exporter");
  EXPECT_EQ(readers[1].org, "importer");
  EXPECT_EQ(readers[2].org, "customs");
  EXPECT_EQ(ReadersFromGenesis(*net_->genesis(), "exporter", {"nobody"}).status().code(),
            Code::kInvalidArgument);
  auto g = std::make_shared<Genesis>(*net_->genesis());
  g->organisations[3].encryption_key.reset();
  EXPECT_EQ(ReadersFromGenesis(*g, "exporter", {g->organisations[3].id}).status().code(),
            Code::kFailedPrecondition);
}

TEST_F(PrivateFieldsTest, SealRefusesBadInput) {
  auto readers = Must(ReadersFromGenesis(*net_->genesis(), "exporter", {}));
  const auto seal = [&](const std::vector<PrivateValue>& f, const std::vector<Reader>& r) {
    return Seal(f, r, "c", "s", "n").status().code();
  };
  EXPECT_EQ(seal({}, readers), Code::kInvalidArgument);
  EXPECT_EQ(seal({{"a", "1"}}, {}), Code::kInvalidArgument);
  EXPECT_EQ(seal({{"", "1"}}, readers), Code::kInvalidArgument);
  EXPECT_EQ(seal({{"a", "1"}, {"a", "2"}}, readers), Code::kInvalidArgument);
  std::vector<Reader> twice = readers;
  twice.push_back(readers[0]);
  EXPECT_EQ(seal({{"a", "1"}}, twice), Code::kInvalidArgument);
}

TEST_F(PrivateFieldsTest, EachSealUsesFreshKeysSaltsAndEphemerals) {
  SealInto({{"a", "same"}});
  const v1::PrivateEnvelope first = event_.private_envelope();
  SealInto({{"a", "same"}});
  const v1::PrivateEnvelope& second = event_.private_envelope();
  EXPECT_NE(first.fields(0).commitment(), second.fields(0).commitment());
  EXPECT_NE(first.fields(0).ciphertext(), second.fields(0).ciphertext());
  EXPECT_NE(first.readers(0).ephemeral_public_key(), second.readers(0).ephemeral_public_key());
  EXPECT_NE(first.readers(0).ephemeral_public_key(), first.readers(1).ephemeral_public_key());
}

}  // namespace
}  // namespace shipledger::model
