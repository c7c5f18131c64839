#include "model/disclosure.h"

#include <gtest/gtest.h>

#include "crypto/sha256.h"
#include "model/block.h"
#include "model/event.h"
#include "testing/test_network.h"

namespace shipledger::model {
namespace {

using testing::TestNetwork;

template <typename T>
T Must(Result<T> r) {
  EXPECT_TRUE(r.ok()) << r.status().ToString();
  return std::move(r).value();
}

// A one-block chain of 4 replicas holding a booking with two private fields for the importer;
// its (uncertified) proof, and the importer's opened fields.
class DisclosureTest : public ::testing::Test {
 protected:
  void SetUp() override {
    v1::Event event = net_->NewEvent("exporter", v1::EVENT_TYPE_BOOKED, "S-DIS");
    const auto readers = Must(ReadersFromGenesis(*net_->genesis(), "exporter", {"importer"}));
    SealedFields sealed = Must(Seal({{"invoice_value", "EUR-125000"}, {"hs_code", "8471.30"}},
                                    readers, event.chain_id(), event.shipment_id(), event.nonce()));
    *event.mutable_private_envelope() = sealed.envelope;
    v1::Block block;
    *block.add_events() = net_->Sign(event, net_->org("exporter").client);
    v1::Proposal* p = block.mutable_proposal();
    p->set_chain_id(net_->genesis()->chain_id);
    p->set_height(1);
    p->set_events_root(EventsRoot(block.events()));
    p->set_timestamp_ms(net_->now_ms());
    p->set_event_count(1);
    block.set_prev_block_hash(net_->genesis()->hash);
    block.set_block_hash(BlockHash(ProposalDigest(*p), net_->genesis()->hash));
    const Bytes vote = VoteMessage(p->chain_id(), VoteType::kCommit, 0, 1, ProposalDigest(*p));
    for (uint32_t r : {0u, 1u, 2u}) {
      v1::CommitVote* v = block.mutable_certificate()->add_votes();
      v->set_replica(r);
      v->set_signature(Must(net_->node(r).key.Sign(vote)));
    }
    v1::Receipt receipt;
    receipt.set_event_id(EventId(block.events(0).event()));
    receipt.set_height(1);
    receipt.set_code(v1::RESULT_CODE_VALID);
    const Bytes receipts_root = ReceiptsRoot({receipt}, net_->genesis()->ContractRulesAt(1));
    const Bytes writes = crypto::Sha256("writes");
    EventProofParts parts;
    parts.genesis_hash = net_->genesis()->hash;
    parts.block = block;
    parts.index = 0;
    parts.contract_rules = net_->genesis()->ContractRulesAt(1);
    parts.receipts = {receipt};
    parts.prev_results = Bytes(32, '\0');
    v1::ResultsLink link;
    link.set_height(1);
    link.set_proposal_digest(ProposalDigest(*p));
    link.set_receipts_root(receipts_root);
    link.set_state_writes_digest(writes);
    link.set_results(ResultsDigest(parts.prev_results, receipts_root, writes));
    parts.results_chain = {link};
    proof_ = Must(BuildEventProof(parts));
    opened_ = Must(Open(event, "importer", net_->org("importer").encryption_key));
  }

  Result<DisclosureVerdict> Verify(const v1::Disclosure& d) const {
    return VerifyDisclosure(net_->genesis(), d);
  }
  v1::Disclosure Invoice() const {
    return Must(MakeDisclosure(proof_, opened_, {"invoice_value"}));
  }
  void ExpectInvalid(const v1::Disclosure& d, const std::string& what) const {
    auto v = Verify(d);
    ASSERT_FALSE(v.ok()) << "accepted a disclosure that should fail with: " << what;
    EXPECT_EQ(v.status().code(), Code::kInvalidArgument);
    EXPECT_NE(v.status().message().find(what), std::string::npos) << v.status().message();
  }

  std::unique_ptr<TestNetwork> net_ = TestNetwork::Create(TestNetwork::DefaultOrgs(), 4);
  v1::EventProof proof_;
  std::vector<OpenedField> opened_;
};

TEST_F(DisclosureTest, ChosenFieldVerifiesAndNothingElseIsDisclosed) {
  const v1::Disclosure d = Invoice();
  ASSERT_EQ(d.fields_size(), 1);
  auto v = Verify(d);
  ASSERT_TRUE(v.ok()) << v.status().ToString();
  ASSERT_EQ(v->fields.size(), 1u);
  EXPECT_EQ(v->fields[0], (std::pair<std::string, std::string>{"invoice_value", "EUR-125000"}));
  EXPECT_EQ(v->proof.event.signer_org(), "exporter");
  EXPECT_EQ(v->proof.code, v1::RESULT_CODE_VALID);
  // The other field's value is nowhere in the file (it stays encrypted in the event).
  EXPECT_EQ(d.SerializeAsString().find("8471.30"), std::string::npos);
  EXPECT_NE(d.SerializeAsString().find("EUR-125000"), std::string::npos);
}

TEST_F(DisclosureTest, MakeRefusesUnknownRepeatedOrNoFields) {
  EXPECT_EQ(MakeDisclosure(proof_, opened_, {"price"}).status().code(), Code::kNotFound);
  EXPECT_EQ(MakeDisclosure(proof_, opened_, {"hs_code", "hs_code"}).status().code(),
            Code::kInvalidArgument);
  EXPECT_EQ(MakeDisclosure(proof_, opened_, {}).status().code(), Code::kInvalidArgument);
}

TEST_F(DisclosureTest, ChangedValueIsCaught) {
  v1::Disclosure d = Invoice();
  d.mutable_fields(0)->set_value("EUR-12500");
  ExpectInvalid(d, "disclosed field 'invoice_value' does not match");
}

TEST_F(DisclosureTest, ChangedSaltIsCaught) {
  v1::Disclosure d = Invoice();
  std::string salt = d.fields(0).salt();
  salt[5] = static_cast<char>(salt[5] ^ 1);
  d.mutable_fields(0)->set_salt(salt);
  ExpectInvalid(d, "disclosed field 'invoice_value' does not match");
}

TEST_F(DisclosureTest, ValuePassedOffUnderAnotherFieldsNameIsCaught) {
  v1::Disclosure d = Invoice();
  d.mutable_fields(0)->set_name("hs_code");
  ExpectInvalid(d, "disclosed field 'hs_code' does not match");
}

TEST_F(DisclosureTest, FieldTheEventDoesNotHaveIsCaught) {
  v1::Disclosure d = Invoice();
  d.mutable_fields(0)->set_name("discount");
  ExpectInvalid(d, "disclosed field 'discount'");
}

TEST_F(DisclosureTest, FieldDisclosedTwiceOrNoFieldIsCaught) {
  v1::Disclosure twice = Invoice();
  *twice.add_fields() = twice.fields(0);
  ExpectInvalid(twice, "appears twice");
  v1::Disclosure none = Invoice();
  none.clear_fields();
  ExpectInvalid(none, "discloses no field");
}

TEST_F(DisclosureTest, TamperedEventIsCaughtByItsProof) {
  v1::Disclosure d = Invoice();
  std::string bytes = d.proof().event().event();
  bytes[bytes.size() / 2] = static_cast<char>(bytes[bytes.size() / 2] ^ 1);
  d.mutable_proof()->mutable_event()->set_event(bytes);
  EXPECT_FALSE(Verify(d).ok());
}

TEST_F(DisclosureTest, ForgedCommitVoteIsCaughtByTheProof) {
  v1::Disclosure d = Invoice();
  std::string sig = d.proof().commit_certificate().votes(0).signature();
  sig[sig.size() - 2] = static_cast<char>(sig[sig.size() - 2] ^ 1);
  d.mutable_proof()->mutable_commit_certificate()->mutable_votes(0)->set_signature(sig);
  ExpectInvalid(d, "commit certificate");
}

TEST_F(DisclosureTest, WrongGenesisIsCaught) {
  const auto other = TestNetwork::Create(TestNetwork::DefaultOrgs(), 4);
  EXPECT_FALSE(VerifyDisclosure(other->genesis(), Invoice()).ok());
}

}  // namespace
}  // namespace shipledger::model
