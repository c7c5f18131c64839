#include "consensus/solo_replica.h"

#include <gtest/gtest.h>

#include "consensus/key_signer.h"
#include "model/block.h"
#include "model/validation.h"
#include "testing/test_network.h"

namespace shipledger::consensus {
namespace {

class SoloReplicaTest : public ::testing::Test {
 protected:
  void SetUp() override {
    net_ = testing::TestNetwork::Create();
    signer_ = std::make_unique<KeySigner>(net_->node(0).key);
    validator_ = std::make_unique<model::EventValidator>(net_->genesis());
    opts_.batch_max_events = 3;
    opts_.batch_timeout_ms = 20;
    opts_.window = 2;
    opts_.mempool_capacity = 100;
  }
  std::unique_ptr<SoloReplica> Make(const ChainTip& tip) {
    return std::make_unique<SoloReplica>(net_->genesis(), opts_, signer_.get(), tip);
  }
  ChainTip Genesis() const { return ChainTip{0, net_->genesis()->hash, 0, {}}; }
  model::EventPtr Event(const std::string& shipment) {
    auto se = net_->SignedBy("exporter", v1::EVENT_TYPE_BOOKED, shipment);
    model::ValidateOptions o;
    o.cert_time_ms = net_->now_ms();
    // These tests drive block time with small numbers; the certificate window is the subject
    // of DropsEventsWhoseCertificatesAreNotValidAtBlockTime, so it is opened wide here.
    auto e = std::make_shared<model::AdmittedEvent>(**validator_->Validate(se, o));
    e->valid_from_ms = INT64_MIN;
    e->valid_until_ms = INT64_MAX;
    return e;
  }
  static std::vector<CommitBlock> Blocks(const Actions& actions) {
    std::vector<CommitBlock> out;
    for (const auto& a : actions) {
      if (auto* cb = std::get_if<CommitBlock>(&a)) out.push_back(*cb);
    }
    return out;
  }

  std::unique_ptr<testing::TestNetwork> net_;
  std::unique_ptr<KeySigner> signer_;
  std::unique_ptr<model::EventValidator> validator_;
  SoloOptions opts_;
};

TEST_F(SoloReplicaTest, WaitsForBatchTimeoutThenProposes) {
  auto r = Make(Genesis());
  std::vector<Status> results;
  Actions a = r->OnEvents({Event("S1")}, 1000, &results);
  ASSERT_EQ(results.size(), 1u);
  EXPECT_TRUE(results[0].ok());
  EXPECT_TRUE(Blocks(a).empty());
  ASSERT_EQ(a.size(), 1u);
  EXPECT_EQ(std::get<SetTimer>(a[0]).at_ms, 1020);
  EXPECT_TRUE(Blocks(r->OnTick(1010)).empty());
  auto blocks = Blocks(r->OnTick(1020));
  ASSERT_EQ(blocks.size(), 1u);
  EXPECT_EQ(blocks[0].events.size(), 1u);
  EXPECT_EQ(blocks[0].block.proposal().height(), 1u);
}

// Bug: a timer that fired a millisecond early (by the wall clock) was never re-armed, so a
// lone event waited until the next submission arrived.
TEST_F(SoloReplicaTest, EarlyTimerFiringReArmsTheTimer) {
  auto r = Make(Genesis());
  std::vector<Status> results;
  (void)r->OnEvents({Event("S1")}, 1000, &results);
  Actions a = r->OnTick(1019);  // the runtime's timer fired 1 ms early
  EXPECT_TRUE(Blocks(a).empty());
  ASSERT_EQ(a.size(), 1u);
  EXPECT_EQ(std::get<SetTimer>(a[0]).at_ms, 1020);
  EXPECT_EQ(Blocks(r->OnTick(1020)).size(), 1u);
}

TEST_F(SoloReplicaTest, FullBatchProposesAtOnce) {
  auto r = Make(Genesis());
  std::vector<Status> results;
  auto blocks =
      Blocks(r->OnEvents({Event("A"), Event("B"), Event("C"), Event("D")}, 1000, &results));
  ASSERT_EQ(blocks.size(), 1u);
  EXPECT_EQ(blocks[0].events.size(), 3u);
  EXPECT_EQ(r->status().mempool_events, 1u);
}

TEST_F(SoloReplicaTest, BlocksChainByHashAndCarryAValidCertificate) {
  auto r = Make(Genesis());
  std::vector<Status> results;
  auto b1 = Blocks(r->OnEvents({Event("A"), Event("B"), Event("C")}, 1000, &results));
  auto b2 = Blocks(r->OnEvents({Event("D"), Event("E"), Event("F")}, 1000, &results));
  ASSERT_EQ(b1.size(), 1u);
  ASSERT_EQ(b2.size(), 1u);
  const auto& g = *net_->genesis();
  for (const auto* b : {&b1[0], &b2[0]}) {
    const auto& p = b->block.proposal();
    EXPECT_EQ(p.chain_id(), g.chain_id);
    EXPECT_EQ(p.event_count(), 3u);
    EXPECT_EQ(p.events_root(), model::EventsRoot(b->events));
    EXPECT_EQ(b->block.block_hash(),
              model::BlockHash(model::ProposalDigest(p), b->block.prev_block_hash()));
    EXPECT_TRUE(model::VerifyCommitCertificate(g, p, b->block.certificate()).ok());
  }
  EXPECT_EQ(b1[0].block.prev_block_hash(), g.hash);
  EXPECT_EQ(b2[0].block.prev_block_hash(), b1[0].block.block_hash());
  // Block time strictly increases even when the clock does not move.
  EXPECT_GT(b2[0].block.proposal().timestamp_ms(), b1[0].block.proposal().timestamp_ms());
}

TEST_F(SoloReplicaTest, WindowBoundsBlocksInFlight) {
  auto r = Make(Genesis());
  std::vector<Status> results;
  std::vector<model::EventPtr> evs;
  for (int i = 0; i < 9; ++i) evs.push_back(Event("S" + std::to_string(i)));
  auto blocks = Blocks(r->OnEvents(evs, 1000, &results));
  EXPECT_EQ(blocks.size(), 2u);  // window = 2
  EXPECT_EQ(r->status().mempool_events, 3u);
  auto more = Blocks(r->OnCommitted(Committed{1, {}, {}}, 1001));
  ASSERT_EQ(more.size(), 1u);
  EXPECT_EQ(more[0].block.proposal().height(), 3u);
}

TEST_F(SoloReplicaTest, DuplicateWhilePendingOrInFlight) {
  auto r = Make(Genesis());
  auto e = Event("A");
  std::vector<Status> results;
  (void)r->OnEvents({e, e}, 1000, &results);
  ASSERT_EQ(results.size(), 2u);
  EXPECT_TRUE(results[0].ok());
  EXPECT_EQ(results[1].code(), Code::kAlreadyExists);
  ASSERT_EQ(Blocks(r->OnTick(2000)).size(), 1u);
  (void)r->OnEvents({e}, 2001, &results);
  EXPECT_EQ(results[0].code(), Code::kAlreadyExists);
}

TEST_F(SoloReplicaTest, ResumesFromChainTip) {
  ChainTip tip{41, std::string(32, 'h'), 5000, {}};
  auto r = Make(tip);
  std::vector<Status> results;
  auto blocks = Blocks(r->OnEvents({Event("A"), Event("B"), Event("C")}, 100, &results));
  ASSERT_EQ(blocks.size(), 1u);
  EXPECT_EQ(blocks[0].block.proposal().height(), 42u);
  EXPECT_EQ(blocks[0].block.prev_block_hash(), tip.block_hash);
  EXPECT_EQ(blocks[0].block.proposal().timestamp_ms(), 5001);  // clock behind the last block
}

}  // namespace
}  // namespace shipledger::consensus

namespace shipledger::consensus {
namespace {

TEST_F(SoloReplicaTest, DropsEventsWhoseCertificatesAreNotValidAtBlockTime) {
  auto r = Make(Genesis());
  auto expiring = std::make_shared<model::AdmittedEvent>(*Event("A"));
  expiring->valid_until_ms = 1010;  // expires before the batch timeout cuts the block
  std::vector<Status> results;
  (void)r->OnEvents({expiring, Event("B")}, 1000, &results);
  auto blocks = Blocks(r->OnTick(1020));
  ASSERT_EQ(blocks.size(), 1u);
  ASSERT_EQ(blocks[0].events.size(), 1u);
  EXPECT_EQ(blocks[0].events[0]->event.shipment_id(), "B");
  EXPECT_EQ(blocks[0].block.proposal().event_count(), 1u);
  // A block whose only event is dropped is not proposed at all.
  auto lone = std::make_shared<model::AdmittedEvent>(*Event("C"));
  lone->valid_until_ms = 1025;
  (void)r->OnEvents({lone}, 1021, &results);
  EXPECT_TRUE(Blocks(r->OnTick(1041)).empty());
  EXPECT_EQ(r->status().ordered_height, 1u);
  EXPECT_EQ(r->status().mempool_events, 0u);
}

}  // namespace
}  // namespace shipledger::consensus

namespace shipledger::consensus {
namespace {

TEST_F(SoloReplicaTest, FlushOrdersEverythingPendingAtOnce) {
  opts_.batch_timeout_ms = 60000;
  auto r = Make(Genesis());
  std::vector<Status> results;
  std::vector<model::EventPtr> evs;
  for (int i = 0; i < 8; ++i) evs.push_back(Event("S" + std::to_string(i)));
  auto first = Blocks(r->OnEvents(evs, 1000, &results));
  EXPECT_EQ(first.size(), 2u);  // two full batches of 3; the window (2) is full
  EXPECT_EQ(r->status().mempool_events, 2u);
  EXPECT_TRUE(Blocks(r->Flush(1001)).empty());  // the window is still full
  auto rest = Blocks(r->OnCommitted(Committed{1, {}, {}}, 1002));
  ASSERT_EQ(rest.size(), 1u);  // flushing: the last 2 events go without waiting a minute
  EXPECT_EQ(rest[0].events.size(), 2u);
  EXPECT_EQ(r->status().mempool_events, 0u);
}

}  // namespace
}  // namespace shipledger::consensus
