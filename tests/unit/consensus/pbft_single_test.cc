// PbftReplica with n = 1 (f = 0, quorum 1): the one ordering core run by a one-node network.
// What a lone replica must do differently falls out of the protocol: no peers to send to or
// suspect, its own votes and checkpoint make every quorum.
#include <gtest/gtest.h>

#include "consensus/key_signer.h"
#include "consensus/pbft_replica.h"
#include "crypto/sha256.h"
#include "model/block.h"
#include "model/digest.h"
#include "model/validation.h"
#include "model/votes.h"
#include "testing/test_network.h"

namespace shipledger::consensus {
namespace {

class PbftSingleTest : public ::testing::Test {
 protected:
  void SetUp() override {
    net_ = testing::TestNetwork::Create();
    signer_ = std::make_unique<KeySigner>(net_->node(0).key);
    validator_ = std::make_unique<model::EventValidator>(net_->genesis());
    opts_.batch_max_events = 3;
    opts_.batch_timeout_ms = 20;
    opts_.window = 2;
    opts_.mempool_capacity = 100;
    opts_.checkpoint_interval = 100;
    opts_.checkpoint_idle_ms = 1000;
    opts_.view_timeout_ms = 500;
    opts_.heartbeat_ms = 1000;
  }
  // A core started at `start_ms` (its heartbeat timer is then due at start_ms + 1000).
  std::unique_ptr<PbftReplica> Make(const ChainTip& tip, int64_t start_ms = 900,
                                    Actions* started = nullptr) {
    Restored r;
    r.tip = tip;
    auto core = std::make_unique<PbftReplica>(net_->genesis(), opts_, signer_.get(), r);
    Actions a = core->Start(start_ms);
    if (started != nullptr) *started = std::move(a);
    return core;
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
  template <typename T>
  static size_t Count(const Actions& actions) {
    size_t k = 0;
    for (const auto& a : actions) k += std::holds_alternative<T>(a) ? 1 : 0;
    return k;
  }
  // Reports `block` stored, with a results digest made from its hash.
  static Committed Stored(const CommitBlock& block) {
    return Committed{block.block.proposal().height(), block.block.block_hash(),
                     crypto::Sha256(block.block.block_hash())};
  }

  std::unique_ptr<testing::TestNetwork> net_;
  std::unique_ptr<KeySigner> signer_;
  std::unique_ptr<model::EventValidator> validator_;
  PbftOptions opts_;
};

TEST_F(PbftSingleTest, WaitsForBatchTimeoutThenProposes) {
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
TEST_F(PbftSingleTest, EarlyTimerFiringReArmsTheTimer) {
  auto r = Make(Genesis());
  std::vector<Status> results;
  (void)r->OnEvents({Event("S1")}, 1000, &results);
  Actions a = r->OnTick(1019);  // the runtime's timer fired 1 ms early
  EXPECT_TRUE(Blocks(a).empty());
  ASSERT_EQ(a.size(), 1u);
  EXPECT_EQ(std::get<SetTimer>(a[0]).at_ms, 1020);
  EXPECT_EQ(Blocks(r->OnTick(1020)).size(), 1u);
}

TEST_F(PbftSingleTest, FullBatchProposesAtOnce) {
  auto r = Make(Genesis());
  std::vector<Status> results;
  auto blocks =
      Blocks(r->OnEvents({Event("A"), Event("B"), Event("C"), Event("D")}, 1000, &results));
  ASSERT_EQ(blocks.size(), 1u);
  EXPECT_EQ(blocks[0].events.size(), 3u);
  EXPECT_EQ(r->status().mempool_events, 1u);
}

TEST_F(PbftSingleTest, BlocksChainByHashAndCarryAValidCertificate) {
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

TEST_F(PbftSingleTest, WindowBoundsBlocksInFlight) {
  auto r = Make(Genesis());
  std::vector<Status> results;
  std::vector<model::EventPtr> evs;
  for (int i = 0; i < 9; ++i) evs.push_back(Event("S" + std::to_string(i)));
  auto blocks = Blocks(r->OnEvents(evs, 1000, &results));
  EXPECT_EQ(blocks.size(), 2u);  // window = 2
  EXPECT_EQ(r->status().mempool_events, 3u);
  auto more = Blocks(r->OnCommitted(Stored(blocks[0]), 1001));
  ASSERT_EQ(more.size(), 1u);
  EXPECT_EQ(more[0].block.proposal().height(), 3u);
}

TEST_F(PbftSingleTest, DuplicateWhilePendingOrInFlight) {
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

TEST_F(PbftSingleTest, ResumesFromChainTip) {
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

TEST_F(PbftSingleTest, DropsEventsWhoseCertificatesAreNotValidAtBlockTime) {
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

TEST_F(PbftSingleTest, FlushOrdersEverythingPendingAtOnce) {
  opts_.batch_timeout_ms = 60000;
  auto r = Make(Genesis());
  std::vector<Status> results;
  std::vector<model::EventPtr> evs;
  for (int i = 0; i < 8; ++i) evs.push_back(Event("S" + std::to_string(i)));
  auto first = Blocks(r->OnEvents(evs, 1000, &results));
  EXPECT_EQ(first.size(), 2u);  // two full batches of 3; the window (2) is full
  EXPECT_EQ(r->status().mempool_events, 2u);
  EXPECT_TRUE(Blocks(r->Flush(1001)).empty());  // the window is still full
  auto rest = Blocks(r->OnCommitted(Stored(first[0]), 1002));
  ASSERT_EQ(rest.size(), 1u);  // flushing: the last 2 events go without waiting a minute
  EXPECT_EQ(rest[0].events.size(), 2u);
  EXPECT_EQ(r->status().mempool_events, 0u);
}

}  // namespace
}  // namespace shipledger::consensus

namespace shipledger::consensus {
namespace {

// DESIGN §6 journals what is about to be sent; a lone replica sends nothing, so it neither
// broadcasts nor journals, and it never needs a peer to order a block.
TEST_F(PbftSingleTest, ALoneReplicaOrdersWithoutSendingOrJournalling) {
  Actions all;
  auto r = Make(Genesis(), 900, &all);
  std::vector<Status> results;
  for (int i = 0; i < 4; ++i) {
    Actions a = r->OnEvents({Event("A" + std::to_string(i)), Event("B" + std::to_string(i)),
                             Event("C" + std::to_string(i))},
                            1000 + i, &results);
    for (const CommitBlock& b : Blocks(a)) {
      Actions c = r->OnCommitted(Stored(b), 1000 + i);
      all.insert(all.end(), c.begin(), c.end());
    }
    all.insert(all.end(), a.begin(), a.end());
  }
  Actions tick = r->OnTick(5000);  // heartbeat, timeouts, the idle empty block
  all.insert(all.end(), tick.begin(), tick.end());
  EXPECT_EQ(r->status().committed_height, 4u);
  EXPECT_EQ(Count<CommitBlock>(all), 5u);  // four blocks of events and the idle empty one
  EXPECT_EQ(Count<Persist>(all), 0u);
  EXPECT_EQ(Count<Broadcast>(all), 0u);
  EXPECT_EQ(Count<Send>(all), 0u);
}

// Its own checkpoint is a quorum: the checkpoint of a full interval, and of the empty block
// proposed after checkpoint_idle_ms of quiet, is stable at once with a certificate anyone
// holding the genesis can check (so a one-node network's receipts are certified).
TEST_F(PbftSingleTest, CheckpointsAreStableAtOnceWithAVerifiableCertificate) {
  opts_.checkpoint_interval = 2;
  auto r = Make(Genesis());
  std::vector<Status> results;
  auto b = Blocks(r->OnEvents(
      {Event("A"), Event("B"), Event("C"), Event("D"), Event("E"), Event("F"), Event("G")}, 1000,
      &results));
  ASSERT_EQ(b.size(), 2u);
  (void)r->OnCommitted(Stored(b[0]), 1001);
  Actions at2 = r->OnCommitted(Stored(b[1]), 1002);
  ASSERT_EQ(Count<StoreCheckpoint>(at2), 1u);
  for (const auto& a : at2) {
    if (const auto* sc = std::get_if<StoreCheckpoint>(&a)) {
      EXPECT_EQ(sc->certificate.height(), 2u);
      EXPECT_EQ(sc->certificate.block_hash(), b[1].block.block_hash());
      EXPECT_TRUE(model::VerifyCheckpointCertificate(*net_->genesis(), sc->certificate).ok());
    }
  }
  EXPECT_EQ(r->status().stable_checkpoint, 2u);
  // Height 3 (the seventh event) is ordered on the batch timer and is not a checkpoint height.
  auto b3 = Blocks(r->OnTick(1100));
  ASSERT_EQ(b3.size(), 1u);
  EXPECT_EQ(Count<StoreCheckpoint>(r->OnCommitted(Stored(b3[0]), 1100)), 0u);
  EXPECT_EQ(r->status().stable_checkpoint, 2u);
  // Quiet for checkpoint_idle_ms: an empty block, whose checkpoint covers height 3 too.
  EXPECT_TRUE(Blocks(r->OnTick(1500)).empty());
  auto empty = Blocks(r->OnTick(2100));
  ASSERT_EQ(empty.size(), 1u);
  EXPECT_TRUE(empty[0].events.empty());
  EXPECT_EQ(empty[0].block.proposal().height(), 4u);
  EXPECT_EQ(Count<StoreCheckpoint>(r->OnCommitted(Stored(empty[0]), 2100)), 1u);
  EXPECT_EQ(r->status().stable_checkpoint, 4u);
}

// A chain stored without a checkpoint near its tip (by the n = 1 core of earlier releases, or
// by a crash between a block and its checkpoint) is certified at start: otherwise the log
// limit (stable + 2 intervals + window) would hold the replica below the next height forever.
TEST_F(PbftSingleTest, StartCertifiesAStoredTipThatHasNoCheckpoint) {
  opts_.checkpoint_interval = 4;
  const Bytes results = crypto::Sha256("results at 500");
  Actions started;
  auto r = Make(ChainTip{500, Bytes(32, 'h'), 5000, results}, 6000, &started);
  ASSERT_EQ(Count<StoreCheckpoint>(started), 1u);
  for (const auto& a : started) {
    if (const auto* sc = std::get_if<StoreCheckpoint>(&a)) {
      EXPECT_EQ(sc->certificate.height(), 500u);
      EXPECT_EQ(sc->certificate.results(), results);
    }
  }
  std::vector<Status> results_of_admission;
  auto blocks =
      Blocks(r->OnEvents({Event("A"), Event("B"), Event("C")}, 6001, &results_of_admission));
  ASSERT_EQ(blocks.size(), 1u);
  EXPECT_EQ(blocks[0].block.proposal().height(), 501u);
}

// With nobody to suspect but itself, a lone replica never starts a view change, however long
// its events wait (here: for a slow runtime that has not stored the blocks in the window).
TEST_F(PbftSingleTest, NeverStartsAViewChange) {
  auto r = Make(Genesis());
  std::vector<Status> results;
  std::vector<model::EventPtr> evs;
  for (int i = 0; i < 9; ++i) evs.push_back(Event("S" + std::to_string(i)));
  auto blocks = Blocks(r->OnEvents(evs, 1000, &results));
  ASSERT_EQ(blocks.size(), 2u);  // the window is full until the runtime stores a block
  for (int64_t t = 1100; t <= 10000; t += 100) (void)r->OnTick(t);
  EXPECT_EQ(r->status().view, 0u);
  EXPECT_FALSE(r->status().view_changing);
  EXPECT_TRUE(r->status().is_primary);
  auto next = Blocks(r->OnCommitted(Stored(blocks[0]), 10001));
  ASSERT_EQ(next.size(), 1u);
  EXPECT_EQ(next[0].block.proposal().height(), 3u);
}

}  // namespace
}  // namespace shipledger::consensus
