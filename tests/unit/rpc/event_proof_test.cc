#include "rpc/event_proof.h"

#include <gtest/gtest.h>

#include "chain_fixture.h"
#include "model/proof.h"

namespace shipledger::rpc {
namespace {

// A store of a 4-replica network (quorum 3) holding blocks as the commit thread writes them:
// real events, execution, commit certificates and checkpoint certificates.
class EventProofLoadTest : public ChainFixture {
 protected:
  EventProofLoadTest() : ChainFixture(4, 1000) {}

  model::EventProofVerdict LoadAndVerify(ByteView id) {
    auto proof = LoadEventProof(*store_, *net_->genesis(), id);
    EXPECT_TRUE(proof.ok()) << proof.status().ToString();
    if (!proof.ok()) return {};
    auto verdict = model::VerifyEventProof(net_->genesis(), *proof);
    EXPECT_TRUE(verdict.ok()) << verdict.status().ToString();
    return verdict.ok() ? *verdict : model::EventProofVerdict();
  }
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
