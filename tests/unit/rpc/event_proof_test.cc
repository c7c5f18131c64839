#include "rpc/event_proof.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <random>

#include "contracts/executor.h"
#include "model/block.h"
#include "model/proof.h"
#include "model/validation.h"
#include "model/votes.h"
#include "testing/test_network.h"

namespace shipledger::rpc {
namespace {

namespace fs = std::filesystem;

// A store of a 4-replica network (quorum 3) holding blocks as the commit thread writes them:
// real events, execution, commit certificates and checkpoint certificates.
class EventProofLoadTest : public ::testing::Test {
 protected:
  void SetUp() override {
    net_ = testing::TestNetwork::Create(testing::TestNetwork::DefaultOrgs(), 4);
    dir_ =
        fs::temp_directory_path() / ("shipledger-proof-" + std::to_string(std::random_device()()));
    store_ = std::move(storage::Store::Open(dir_.string(), *net_->genesis())).value();
  }
  void TearDown() override {
    store_.reset();
    fs::remove_all(dir_);
  }
  model::EventPtr Admit(const v1::SignedEvent& se) {
    model::EventValidator v(net_->genesis());
    model::ValidateOptions o;
    o.cert_time_ms = net_->now_ms();
    return *v.Validate(se, o);
  }
  template <typename Vote>
  static void Sign(const testing::TestNetwork& net, ByteView message, Vote* votes) {
    for (uint32_t r = 0; r < 3; ++r) {
      auto* vote = votes->add_votes();
      vote->set_replica(r);
      vote->set_signature(net.node(r).key.Sign(message).value());
    }
  }
  // Executes and stores the next block with a commit certificate of replicas 0..2.
  void Commit(const std::vector<model::EventPtr>& events) {
    const storage::ChainHead head = store_->head();
    v1::Block block;
    for (const auto& e : events) *block.add_events() = e->signed_event;
    v1::Proposal* p = block.mutable_proposal();
    p->set_chain_id(net_->genesis()->chain_id);
    p->set_height(head.height + 1);
    p->set_events_root(model::EventsRoot(events));
    p->set_timestamp_ms(net_->now_ms() + static_cast<int64_t>(head.height + 1) * 1000);
    p->set_event_count(static_cast<uint32_t>(events.size()));
    Sign(*net_,
         model::VoteMessage(p->chain_id(), model::VoteType::kCommit, 0, p->height(),
                            model::ProposalDigest(*p)),
         block.mutable_certificate());
    block.set_prev_block_hash(head.block_hash);
    block.set_block_hash(model::BlockHash(model::ProposalDigest(*p), head.block_hash));
    const auto effects = contracts::ExecuteBlock(events, *store_, {p->height(), p->timestamp_ms()});
    ASSERT_TRUE(store_
                    ->CommitBlock(block, events, effects,
                                  model::ResultsDigest(head.results, effects.receipts_root,
                                                       effects.state_writes_digest))
                    .ok());
  }
  // Stores a stable checkpoint of replicas 0..2 at `height` (of the stored chain, or made up
  // above the head).
  void Checkpoint(uint64_t height) {
    v1::CheckpointCertificate cert;
    cert.set_height(height);
    if (height <= store_->head().height) {
      cert.set_block_hash(store_->GetBlockHeader(height)->block_hash());
      cert.set_results(store_->GetResults(height)->results);
    } else {
      cert.set_block_hash(Bytes(32, 'b'));
      cert.set_results(Bytes(32, 'r'));
    }
    Sign(*net_,
         model::CheckpointMessage(net_->genesis()->chain_id, height, cert.block_hash(),
                                  cert.results()),
         &cert);
    ASSERT_TRUE(store_->PutCheckpoint(cert).ok());
  }
  model::EventProofVerdict LoadAndVerify(ByteView id) {
    auto proof = LoadEventProof(*store_, *net_->genesis(), id);
    EXPECT_TRUE(proof.ok()) << proof.status().ToString();
    if (!proof.ok()) return {};
    auto verdict = model::VerifyEventProof(net_->genesis(), *proof);
    EXPECT_TRUE(verdict.ok()) << verdict.status().ToString();
    return verdict.ok() ? *verdict : model::EventProofVerdict();
  }

  std::unique_ptr<testing::TestNetwork> net_;
  fs::path dir_;
  std::unique_ptr<storage::Store> store_;
};

TEST_F(EventProofLoadTest, UnknownEventIsNotFound) {
  auto proof = LoadEventProof(*store_, *net_->genesis(), Bytes(32, 'x'));
  EXPECT_EQ(proof.status().code(), Code::kNotFound);
}

TEST_F(EventProofLoadTest, ProofRunsToTheFirstCheckpointAtOrAboveTheHeight) {
  auto booked = Admit(net_->SignedBy("exporter", v1::EVENT_TYPE_BOOKED, "S"));
  Commit({booked});
  Commit({});
  Commit({});
  Checkpoint(2);
  Checkpoint(3);
  auto proof = LoadEventProof(*store_, *net_->genesis(), booked->id);
  ASSERT_TRUE(proof.ok()) << proof.status().ToString();
  EXPECT_EQ(proof->checkpoint().height(), 2u);
  EXPECT_EQ(proof->results_chain_size(), 2);
  const model::EventProofVerdict verdict = LoadAndVerify(booked->id);
  EXPECT_EQ(verdict.code, v1::RESULT_CODE_VALID);
  EXPECT_TRUE(verdict.certified);
  EXPECT_EQ(verdict.block_hash, store_->GetBlockHeader(1)->block_hash());
}

TEST_F(EventProofLoadTest, RejectedEventProofCarriesItsReason) {
  auto pickup = Admit(net_->SignedBy("exporter", v1::EVENT_TYPE_PICKUP, "UNBOOKED"));
  Commit({pickup});
  Checkpoint(1);
  const model::EventProofVerdict verdict = LoadAndVerify(pickup->id);
  EXPECT_EQ(verdict.code, v1::RESULT_CODE_REJECTED);
  EXPECT_FALSE(verdict.reason.empty());
  EXPECT_EQ(verdict.reason, store_->GetReceipt(pickup->id)->reason());
  EXPECT_TRUE(verdict.certified);
}

TEST_F(EventProofLoadTest, WithoutCoveringCheckpointProofShowsInclusionOnly) {
  auto first = Admit(net_->SignedBy("exporter", v1::EVENT_TYPE_BOOKED, "S"));
  auto second = Admit(net_->SignedBy("exporter", v1::EVENT_TYPE_BOOKED, "T"));
  Commit({first});
  Checkpoint(1);
  Commit({second});
  const model::EventProofVerdict verdict = LoadAndVerify(second->id);
  EXPECT_EQ(verdict.height, 2u);
  EXPECT_FALSE(verdict.certified);
}

TEST_F(EventProofLoadTest, CheckpointAboveTheHeadIsNotUsed) {
  // A node catching up stores certificates of heights it has no blocks for yet.
  auto booked = Admit(net_->SignedBy("exporter", v1::EVENT_TYPE_BOOKED, "S"));
  Commit({booked});
  Checkpoint(5);
  auto proof = LoadEventProof(*store_, *net_->genesis(), booked->id);
  ASSERT_TRUE(proof.ok()) << proof.status().ToString();
  EXPECT_FALSE(proof->has_checkpoint());
  EXPECT_EQ(proof->results_chain_size(), 1);
}

TEST_F(EventProofLoadTest, DuplicateReceiptsOfTheBlockAreRebuilt) {
  // The store keeps no DUPLICATE receipt; the receipts root must still be rebuilt exactly.
  auto booked = Admit(net_->SignedBy("exporter", v1::EVENT_TYPE_BOOKED, "S"));
  auto other = Admit(net_->SignedBy("exporter", v1::EVENT_TYPE_BOOKED, "T"));
  Commit({booked, booked, other});
  Commit({other, booked});
  Checkpoint(2);
  EXPECT_TRUE(LoadAndVerify(other->id).certified);
  const model::EventProofVerdict verdict = LoadAndVerify(booked->id);
  EXPECT_EQ(verdict.height, 1u);
  EXPECT_EQ(verdict.index, 0u);
  EXPECT_EQ(verdict.code, v1::RESULT_CODE_VALID);
  EXPECT_TRUE(verdict.certified);
}

}  // namespace
}  // namespace shipledger::rpc
