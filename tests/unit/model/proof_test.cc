#include "model/proof.h"

#include <gtest/gtest.h>

#include <functional>
#include <string>
#include <vector>

#include "crypto/sha256.h"
#include "model/block.h"
#include "model/votes.h"
#include "testing/test_network.h"

namespace shipledger::model {
namespace {

using testing::TestNetwork;

// A 4-replica chain (quorum 3) built in memory as nodes would record it: block 1 holds a VALID
// and a REJECTED event, block 2 one VALID event, block 3 is empty, and a stable checkpoint
// certifies height 3.
class EventProofTest : public ::testing::Test {
 protected:
  static constexpr uint64_t kCheckpointHeight = 3;
  static constexpr const char* kRejectReason = "custodian is 'forwarder'";

  void SetUp() override { Build(net_->now_ms()); }

  // (Re)builds the chain with block h at time base_ms + h seconds.
  void Build(int64_t base_ms) {
    blocks_.clear();
    receipts_.clear();
    records_.clear();
    const std::vector<std::vector<v1::SignedEvent>> events = {
        {net_->SignedBy("exporter", v1::EVENT_TYPE_BOOKED, "S-1"),
         net_->SignedBy("exporter", v1::EVENT_TYPE_PICKUP, "S-1")},
        {net_->SignedBy("forwarder", v1::EVENT_TYPE_PICKUP, "S-1")},
        {}};
    Bytes prev_hash = net_->genesis()->hash;
    Bytes results(32, '\0');
    for (size_t i = 0; i < events.size(); ++i) {
      const uint64_t height = i + 1;
      v1::Block block;
      for (const auto& e : events[i]) *block.add_events() = e;
      v1::Proposal* p = block.mutable_proposal();
      p->set_chain_id(net_->genesis()->chain_id);
      p->set_height(height);
      p->set_events_root(EventsRoot(block.events()));
      p->set_proposer(0);
      p->set_timestamp_ms(base_ms + static_cast<int64_t>(height) * 1000);
      p->set_event_count(static_cast<uint32_t>(events[i].size()));
      *block.mutable_certificate() = CommitCertificate(*p, {0, 1, 2});
      block.set_prev_block_hash(prev_hash);
      block.set_block_hash(BlockHash(ProposalDigest(*p), prev_hash));
      prev_hash = block.block_hash();

      std::vector<v1::Receipt> receipts;
      for (int k = 0; k < block.events_size(); ++k) {
        v1::Receipt& r = receipts.emplace_back();
        r.set_event_id(EventId(block.events(k).event()));
        r.set_height(height);
        r.set_index(static_cast<uint32_t>(k));
        const bool rejected = height == 1 && k == 1;
        r.set_code(rejected ? v1::RESULT_CODE_REJECTED : v1::RESULT_CODE_VALID);
        if (rejected) r.set_reason(kRejectReason);
        if (height == 1 && k == 0) {  // the booking's decision (rules v2 and later)
          v1::ContractOutput* o = r.add_outputs();
          o->set_kind(v1::ContractOutput::KIND_LEG_ASSIGNED);
          o->set_shipment_id("S-1");
          o->set_leg(1);
          o->set_carrier("ocean");
          o->set_offer_id("offer-1");
          o->set_price_minor(120000);
        }
      }
      const Bytes root = ReceiptsRoot(receipts, net_->genesis()->ContractRulesAt(height));
      const Bytes writes = crypto::Sha256(std::to_string(height));
      results = ResultsDigest(results, root, writes);
      records_.push_back(MakeResultsLink(height, ProposalDigest(*p), root, writes, results));
      blocks_.push_back(block);
      receipts_.push_back(receipts);
    }
    checkpoint_ = CheckpointCertificate(kCheckpointHeight, {1, 2, 3});
  }

  v1::CommitCertificate CommitCertificate(const v1::Proposal& p,
                                          const std::vector<uint32_t>& replicas) const {
    v1::CommitCertificate cert;
    const Bytes message =
        VoteMessage(p.chain_id(), VoteType::kCommit, 0, p.height(), ProposalDigest(p));
    for (uint32_t r : replicas) {
      v1::CommitVote* vote = cert.add_votes();
      vote->set_replica(r);
      vote->set_signature(net_->node(r).key.Sign(message).value());
    }
    return cert;
  }

  v1::CheckpointCertificate CheckpointCertificate(uint64_t height,
                                                  const std::vector<uint32_t>& replicas) const {
    v1::CheckpointCertificate cert;
    cert.set_height(height);
    cert.set_block_hash(blocks_[height - 1].block_hash());
    cert.set_results(records_[height - 1].results());
    const Bytes message =
        CheckpointMessage(net_->genesis()->chain_id, height, cert.block_hash(), cert.results());
    for (uint32_t r : replicas) {
      v1::CommitVote* vote = cert.add_votes();
      vote->set_replica(r);
      vote->set_signature(net_->node(r).key.Sign(message).value());
    }
    return cert;
  }

  EventProofParts Parts(uint64_t height, uint32_t index, bool certified = true) const {
    EventProofParts parts;
    parts.genesis_hash = net_->genesis()->hash;
    parts.block = blocks_[height - 1];
    parts.index = index;
    parts.contract_rules = net_->genesis()->ContractRulesAt(height);
    parts.receipts = receipts_[height - 1];
    parts.prev_results = height == 1 ? Bytes(32, '\0') : records_[height - 2].results();
    const uint64_t end = certified ? kCheckpointHeight : height;
    for (uint64_t h = height; h <= end; ++h) parts.results_chain.push_back(records_[h - 1]);
    if (certified) parts.checkpoint = checkpoint_;
    return parts;
  }

  v1::EventProof Proof(uint64_t height, uint32_t index, bool certified = true) const {
    auto proof = BuildEventProof(Parts(height, index, certified));
    EXPECT_TRUE(proof.ok()) << proof.status().ToString();
    return proof.ok() ? *proof : v1::EventProof();
  }

  Result<EventProofVerdict> Verify(const v1::EventProof& proof) const {
    return VerifyEventProof(net_->genesis(), proof);
  }

  std::unique_ptr<TestNetwork> net_ = TestNetwork::Create(TestNetwork::DefaultOrgs(), 4);
  std::vector<v1::Block> blocks_;
  std::vector<std::vector<v1::Receipt>> receipts_;
  std::vector<v1::ResultsLink> records_;
  v1::CheckpointCertificate checkpoint_;
};

void Flip(std::string* bytes, size_t at = 0) {
  ASSERT_GT(bytes->size(), at);
  (*bytes)[at] = static_cast<char>((*bytes)[at] ^ 0x01);
}

// Expects `proof` to fail with INVALID_ARGUMENT whose message contains `what`.
#define EXPECT_REJECTED(proof, what)                                                           \
  do {                                                                                         \
    auto verdict = Verify(proof);                                                              \
    ASSERT_FALSE(verdict.ok());                                                                \
    EXPECT_EQ(verdict.status().code(), Code::kInvalidArgument) << verdict.status().ToString(); \
    EXPECT_NE(verdict.status().message().find(what), std::string::npos)                        \
        << verdict.status().ToString();                                                        \
  } while (false)

TEST_F(EventProofTest, ValidEventProofVerifiesAndIsCertified) {
  auto verdict = Verify(Proof(1, 0));
  ASSERT_TRUE(verdict.ok()) << verdict.status().ToString();
  EXPECT_EQ(verdict->code, v1::RESULT_CODE_VALID);
  EXPECT_EQ(verdict->height, 1u);
  EXPECT_EQ(verdict->index, 0u);
  EXPECT_EQ(verdict->event_id, EventId(blocks_[0].events(0).event()));
  EXPECT_EQ(verdict->event.shipment_id(), "S-1");
  EXPECT_EQ(verdict->event.signer_org(), "exporter");
  EXPECT_EQ(verdict->block_hash, blocks_[0].block_hash());
  EXPECT_EQ(verdict->block_time_ms, blocks_[0].proposal().timestamp_ms());
  EXPECT_TRUE(verdict->certified);
  EXPECT_EQ(verdict->checkpoint_height, kCheckpointHeight);
}

TEST_F(EventProofTest, RejectedEventProofSaysRejectedWithTheReason) {
  auto verdict = Verify(Proof(1, 1));
  ASSERT_TRUE(verdict.ok()) << verdict.status().ToString();
  EXPECT_EQ(verdict->code, v1::RESULT_CODE_REJECTED);
  EXPECT_EQ(verdict->reason, kRejectReason);
  EXPECT_TRUE(verdict->certified);
}

TEST_F(EventProofTest, ProofAtTheCheckpointHeightNeedsNoLaterLinks) {
  checkpoint_ = CheckpointCertificate(2, {0, 1, 2});
  EventProofParts parts = Parts(2, 0, false);
  parts.checkpoint = checkpoint_;
  auto proof = BuildEventProof(parts);
  ASSERT_TRUE(proof.ok()) << proof.status().ToString();
  auto verdict = Verify(*proof);
  ASSERT_TRUE(verdict.ok()) << verdict.status().ToString();
  EXPECT_TRUE(verdict->certified);
  EXPECT_EQ(verdict->checkpoint_height, 2u);
}

TEST_F(EventProofTest, ProofWithoutCheckpointShowsInclusionButIsNotCertified) {
  auto verdict = Verify(Proof(2, 0, /*certified=*/false));
  ASSERT_TRUE(verdict.ok()) << verdict.status().ToString();
  EXPECT_FALSE(verdict->certified);
  EXPECT_EQ(verdict->height, 2u);
  EXPECT_EQ(verdict->block_hash, blocks_[1].block_hash());
}

TEST_F(EventProofTest, ResultsChainWithoutCheckpointIsRefused) {
  v1::EventProof proof = Proof(1, 0);
  proof.clear_checkpoint();
  EXPECT_REJECTED(proof, "has no checkpoint certificate");
}

TEST_F(EventProofTest, BuilderRefusesReceiptsThatDoNotHashToTheRecordedRoot) {
  EventProofParts parts = Parts(1, 0);
  parts.receipts[1].set_code(v1::RESULT_CODE_VALID);
  auto proof = BuildEventProof(parts);
  ASSERT_FALSE(proof.ok());
  EXPECT_EQ(proof.status().code(), Code::kDataLoss) << proof.status().ToString();
}

TEST_F(EventProofTest, EventCertificatesAreJudgedAtBlockTime) {
  // Blocks two years after the certificates were issued: they had expired at block time.
  Build(net_->now_ms() + 2LL * 365 * 24 * 3600 * 1000);
  EXPECT_REJECTED(Proof(1, 0), "event: ");
}

// ---- Tamperings: each is caught, and the message says what did not match. ----

TEST_F(EventProofTest, TamperedEventByteIsCaught) {
  v1::EventProof proof = Proof(1, 0);
  Flip(proof.mutable_event()->mutable_event(), proof.event().event().size() - 1);
  EXPECT_REJECTED(proof, "event: ");
}

TEST_F(EventProofTest, TamperedEventSignatureIsCaught) {
  v1::EventProof proof = Proof(1, 0);
  Flip(proof.mutable_event()->mutable_signature(), proof.event().signature().size() - 2);
  EXPECT_REJECTED(proof, "event: event signature");
}

TEST_F(EventProofTest, TamperedEventsPathNodeIsCaught) {
  v1::EventProof proof = Proof(1, 0);
  Flip(proof.mutable_events_path(0));
  EXPECT_REJECTED(proof, "events Merkle path");
}

TEST_F(EventProofTest, TamperedIndexIsCaught) {
  v1::EventProof proof = Proof(1, 0);
  proof.set_index(1);
  EXPECT_REJECTED(proof, "events Merkle path");
}

TEST_F(EventProofTest, TamperedProposalHeightIsCaught) {
  v1::EventProof proof = Proof(1, 0);
  proof.mutable_proposal()->set_height(2);
  EXPECT_REJECTED(proof, "commit certificate vote of replica 0");
}

TEST_F(EventProofTest, TamperedProposalEventsRootIsCaught) {
  v1::EventProof proof = Proof(1, 0);
  Flip(proof.mutable_proposal()->mutable_events_root());
  EXPECT_REJECTED(proof, "commit certificate vote of replica 0");
}

TEST_F(EventProofTest, TamperedProposalTimestampIsCaught) {
  v1::EventProof proof = Proof(1, 0);
  proof.mutable_proposal()->set_timestamp_ms(proof.proposal().timestamp_ms() + 1);
  EXPECT_REJECTED(proof, "commit certificate vote of replica 0");
}

TEST_F(EventProofTest, TamperedProposalChainIdIsCaught) {
  v1::EventProof proof = Proof(1, 0);
  proof.mutable_proposal()->set_chain_id("another-chain");
  EXPECT_REJECTED(proof, "proposal chain id 'another-chain'");
}

TEST_F(EventProofTest, TamperedCommitVoteSignatureIsCaught) {
  v1::EventProof proof = Proof(1, 0);
  Flip(proof.mutable_commit_certificate()->mutable_votes(1)->mutable_signature(), 10);
  EXPECT_REJECTED(proof, "commit certificate vote of replica 1");
}

TEST_F(EventProofTest, CommitCertificateBelowQuorumIsCaught) {
  v1::EventProof proof = Proof(1, 0);
  proof.mutable_commit_certificate()->mutable_votes()->RemoveLast();
  EXPECT_REJECTED(proof, "commit certificate has 2 votes; the quorum is 3");
}

TEST_F(EventProofTest, ReceiptCodeValidToRejectedIsCaught) {
  v1::EventProof proof = Proof(1, 0);
  proof.mutable_receipt()->set_code(v1::RESULT_CODE_REJECTED);
  EXPECT_REJECTED(proof, "receipt Merkle path (receipts_root of height 1)");
}

TEST_F(EventProofTest, ReceiptOfAnotherEventIsCaught) {
  v1::EventProof proof = Proof(1, 0);
  *proof.mutable_receipt() = receipts_[0][1];
  EXPECT_REJECTED(proof, "receipt is for event");
}

TEST_F(EventProofTest, TamperedReceiptPathNodeIsCaught) {
  v1::EventProof proof = Proof(1, 0);
  Flip(proof.mutable_receipt_path(0), 31);
  EXPECT_REJECTED(proof, "receipt Merkle path");
}

TEST_F(EventProofTest, TamperedResultsChainEntryIsCaughtAtItsHeight) {
  v1::EventProof proof = Proof(1, 0);
  Flip(proof.mutable_results_chain(1)->mutable_state_writes_digest());
  EXPECT_REJECTED(proof, "results chain at height 2");
}

TEST_F(EventProofTest, ConsistentlyRewrittenResultsChainIsCaughtAtTheCheckpoint) {
  v1::EventProof proof = Proof(1, 0);
  // A forger who rewrites height 2 and recomputes every later results digest.
  Bytes results = proof.results_chain(0).results();
  Flip(proof.mutable_results_chain(1)->mutable_state_writes_digest());
  for (int i = 1; i < proof.results_chain_size(); ++i) {
    v1::ResultsLink* link = proof.mutable_results_chain(i);
    results = ResultsDigest(results, link->receipts_root(), link->state_writes_digest());
    link->set_results(results);
  }
  EXPECT_REJECTED(proof, "results chain: results at height 3");
}

TEST_F(EventProofTest, TamperedPrevBlockHashBreaksTheBlockHashLink) {
  v1::EventProof proof = Proof(1, 0);
  Flip(proof.mutable_prev_block_hash());
  EXPECT_REJECTED(proof, "block hash link");
}

TEST_F(EventProofTest, TamperedLaterProposalDigestBreaksTheBlockHashLink) {
  v1::EventProof proof = Proof(1, 0);
  Flip(proof.mutable_results_chain(2)->mutable_proposal_digest());
  EXPECT_REJECTED(proof, "block hash link");
}

TEST_F(EventProofTest, TamperedCheckpointCertificateIsCaught) {
  v1::EventProof proof = Proof(1, 0);
  Flip(proof.mutable_checkpoint()->mutable_votes(0)->mutable_signature(), 10);
  EXPECT_REJECTED(proof, "checkpoint certificate: signature of replica 1");
}

TEST_F(EventProofTest, CheckpointCertifyingOtherResultsIsCaught) {
  v1::EventProof proof = Proof(1, 0);
  Flip(proof.mutable_checkpoint()->mutable_results());
  EXPECT_REJECTED(proof, "checkpoint certificate");
}

TEST_F(EventProofTest, CheckpointBelowQuorumIsCaught) {
  v1::EventProof proof = Proof(1, 0);
  proof.mutable_checkpoint()->mutable_votes()->RemoveLast();
  EXPECT_REJECTED(proof, "checkpoint certificate: checkpoint certificate at height 3 has 2 votes");
}

TEST_F(EventProofTest, WrongGenesisIsNamed) {
  auto other = std::make_shared<Genesis>(*net_->genesis());
  other->hash = crypto::Sha256("another genesis file");
  auto verdict = VerifyEventProof(other, Proof(1, 0));
  ASSERT_FALSE(verdict.ok());
  EXPECT_NE(verdict.status().message().find("wrong genesis"), std::string::npos)
      << verdict.status().ToString();
}

TEST_F(EventProofTest, ForgedGenesisHashInTheProofDoesNotHelpAnotherGenesis) {
  // The genesis hash in the proof is only a hint: with it rewritten, the certificates fail.
  auto other = TestNetwork::Create(TestNetwork::DefaultOrgs(), 4);
  v1::EventProof proof = Proof(1, 0);
  proof.set_genesis_hash(other->genesis()->hash);
  auto verdict = VerifyEventProof(other->genesis(), proof);
  ASSERT_FALSE(verdict.ok());
  EXPECT_EQ(verdict.status().code(), Code::kInvalidArgument);
}

// Under rules v1 and v2 the receipt leaf does not cover the outputs: a proof's outputs are not
// shown as decided (an added RETURN_APPROVED would pass the Merkle check).
TEST_F(EventProofTest, RulesV2OutputsAreNotShownAsDecided) {
  ASSERT_EQ(net_->genesis()->ContractRulesAt(1), 1u);
  v1::EventProof proof = Proof(1, 0);
  proof.mutable_receipt()->add_outputs()->set_kind(v1::ContractOutput::KIND_RETURN_APPROVED);
  auto verdict = Verify(proof);
  ASSERT_TRUE(verdict.ok()) << verdict.status().ToString();
  EXPECT_TRUE(verdict->outputs.empty());
}

// Rules v3 (DESIGN §5): the receipt leaf covers every field, so a proof certifies the contract's
// decisions with the verdict, and any change to them is caught.
class EventProofV3Test : public EventProofTest {
 protected:
  void SetUp() override {
    net_->SetContractRules({{1, 3}});
    Build(net_->now_ms());
  }
};

TEST_F(EventProofV3Test, ProofShowsTheCertifiedDecisions) {
  auto verdict = Verify(Proof(1, 0));
  ASSERT_TRUE(verdict.ok()) << verdict.status().ToString();
  EXPECT_TRUE(verdict->certified);
  EXPECT_EQ(verdict->contract_rules, 3u);
  ASSERT_EQ(verdict->outputs.size(), 1u);
  EXPECT_EQ(verdict->outputs[0].SerializeAsString(),
            receipts_[0][0].outputs(0).SerializeAsString());
}

TEST_F(EventProofV3Test, EachOutputKindSwappedIsCaught) {
  const auto original = receipts_[0][0].outputs(0).kind();
  for (int kind = v1::ContractOutput::Kind_MIN; kind <= v1::ContractOutput::Kind_MAX; ++kind) {
    if (kind == original) continue;
    v1::EventProof proof = Proof(1, 0);
    proof.mutable_receipt()->mutable_outputs(0)->set_kind(
        static_cast<v1::ContractOutput::Kind>(kind));
    SCOPED_TRACE(::testing::Message() << "kind " << kind);
    EXPECT_REJECTED(proof, "receipt Merkle path (receipts_root of height 1)");
  }
}

TEST_F(EventProofV3Test, EachOutputKindAddedIsCaught) {
  for (int kind = v1::ContractOutput::Kind_MIN; kind <= v1::ContractOutput::Kind_MAX; ++kind) {
    for (uint64_t height : {1, 2}) {  // with outputs already, and without
      v1::EventProof proof = Proof(height, 0);
      v1::ContractOutput* o = proof.mutable_receipt()->add_outputs();
      o->set_kind(static_cast<v1::ContractOutput::Kind>(kind));
      o->set_shipment_id("S-1");
      SCOPED_TRACE(::testing::Message() << "kind " << kind << " height " << height);
      EXPECT_REJECTED(proof, "receipt Merkle path");
    }
  }
  v1::EventProof removed = Proof(1, 0);
  removed.mutable_receipt()->clear_outputs();
  EXPECT_REJECTED(removed, "receipt Merkle path");
}

TEST_F(EventProofV3Test, EachOutputFieldChangedIsCaught) {
  const std::vector<std::function<void(v1::ContractOutput*)>> changes = {
      [](v1::ContractOutput* o) { o->set_shipment_id("S-2"); },
      [](v1::ContractOutput* o) { o->set_leg(2); },
      [](v1::ContractOutput* o) { o->set_reverse(true); },
      [](v1::ContractOutput* o) { o->set_carrier("air"); },
      [](v1::ContractOutput* o) { o->set_offer_id("offer-2"); },
      [](v1::ContractOutput* o) { o->set_price_minor(1); },
      [](v1::ContractOutput* o) { o->set_reason("cheaper"); },
      [](v1::ContractOutput* o) { o->set_out_of_range_ms(1); },
      [](v1::ContractOutput* o) { o->set_event_id(crypto::Sha256("x")); },
  };
  for (size_t i = 0; i < changes.size(); ++i) {
    v1::EventProof proof = Proof(1, 0);
    changes[i](proof.mutable_receipt()->mutable_outputs(0));
    SCOPED_TRACE(::testing::Message() << "change " << i);
    EXPECT_REJECTED(proof, "receipt Merkle path");
  }
}

TEST_F(EventProofV3Test, EachCodeAndReasonChangedIsCaught) {
  for (auto [height, index] : std::vector<std::pair<uint64_t, uint32_t>>{{1, 0}, {1, 1}, {2, 0}}) {
    const v1::Receipt& original = receipts_[height - 1][index];
    for (auto code : {v1::RESULT_CODE_VALID, v1::RESULT_CODE_REJECTED, v1::RESULT_CODE_DUPLICATE}) {
      if (code == original.code()) continue;
      v1::EventProof proof = Proof(height, index);
      proof.mutable_receipt()->set_code(code);
      SCOPED_TRACE(::testing::Message() << height << "/" << index << " code " << code);
      EXPECT_REJECTED(proof, "receipt Merkle path");
    }
    for (const char* reason : {"", "event already committed", "custodian is 'exporter'"}) {
      if (original.reason() == reason) continue;
      v1::EventProof proof = Proof(height, index);
      proof.mutable_receipt()->set_reason(reason);
      SCOPED_TRACE(::testing::Message() << height << "/" << index << " " << reason);
      EXPECT_REJECTED(proof, "receipt Merkle path");
    }
  }
}

}  // namespace
}  // namespace shipledger::model
