// Unit tests of the simulator's parts that do not need the PBFT core: the network model, the
// checkers on synthetic histories, the plans, the regression list and deterministic randomness.
// (Byzantine behaviours: sim_byzantine_test.cc.)
#include <gtest/gtest.h>

#include "crypto/ecdsa.h"
#include "model/block.h"
#include "sim/checkers.h"
#include "sim/det_random.h"
#include "sim/network.h"
#include "sim/profiles.h"
#include "sim/regression.h"
#include "sim/sim_fixture.h"

namespace shipledger::sim {
namespace {

TEST(SimNetwork, SameSeedSameFates) {
  LinkOptions l;
  l.drop = 0.2;
  l.duplicate = 0.2;
  l.slow = 0.1;
  NetworkModel a(l), b(l);
  Rng ra(7), rb(7);
  for (int i = 0; i < 1000; ++i) EXPECT_EQ(a.Deliveries(0, 1, ra), b.Deliveries(0, 1, rb));
}

TEST(SimNetwork, DelaysWithinRangeAndLossAndDuplicationHappen) {
  LinkOptions l;
  l.min_delay_ms = 3;
  l.max_delay_ms = 9;
  l.drop = 0.25;
  l.duplicate = 0.25;
  NetworkModel m(l);
  Rng rng(1);
  int lost = 0, dup = 0;
  for (int i = 0; i < 4000; ++i) {
    auto d = m.Deliveries(0, 1, rng);
    if (d.empty()) ++lost;
    if (d.size() == 2) ++dup;
    for (int64_t x : d) {
      EXPECT_GE(x, 3);
      EXPECT_LE(x, 9);
    }
  }
  EXPECT_NEAR(lost, 1000, 150);
  EXPECT_NEAR(dup, 750, 150);  // duplicated and not lost
}

TEST(SimNetwork, PartitionCutsBothWaysUntilHealed) {
  NetworkModel m(LinkOptions{});
  Rng rng(1);
  m.Partition({1, 2});
  EXPECT_FALSE(m.Connected(0, 1));
  EXPECT_FALSE(m.Connected(2, 3));
  EXPECT_TRUE(m.Connected(1, 2));
  EXPECT_TRUE(m.Connected(0, 3));
  EXPECT_TRUE(m.Deliveries(1, 0, rng).empty());
  m.Heal();
  EXPECT_TRUE(m.Connected(0, 1));
  EXPECT_EQ(m.Deliveries(1, 0, rng).size(), 1u);
}

TEST(SimNetwork, UniformCoversTheRangeInclusive) {
  Rng rng(3);
  std::set<int64_t> seen;
  for (int i = 0; i < 200; ++i) seen.insert(Uniform(rng, -2, 2));
  EXPECT_EQ(seen, (std::set<int64_t>{-2, -1, 0, 1, 2}));
}

TEST(SimRandom, SameSeedSameKeysAndSignatures) {
  Bytes first_key, first_sig;
  for (int round = 0; round < 2; ++round) {
    ScopedDeterministicRandom r(42);
    auto key = crypto::PrivateKey::Generate();
    ASSERT_TRUE(key.ok());
    auto sig = key->Sign("message");
    ASSERT_TRUE(sig.ok());
    if (round == 0) {
      first_key = key->public_key().ToDer();
      first_sig = *sig;
    } else {
      EXPECT_EQ(key->public_key().ToDer(), first_key);
      EXPECT_EQ(*sig, first_sig);
    }
  }
  ScopedDeterministicRandom other(43);
  auto key = crypto::PrivateKey::Generate();
  ASSERT_TRUE(key.ok());
  EXPECT_NE(key->public_key().ToDer(), first_key);
}

TEST(SimProfiles, PlansAreDeterministicAndHealInTime) {
  for (Profile p : AllProfiles()) {
    for (uint64_t seed = 0; seed < 20; ++seed) {
      Rng a(seed), b(seed);
      Plan pa = MakePlan(p, 0, a), pb = MakePlan(p, 0, b);
      EXPECT_EQ(pa.ToString(), pb.ToString());
      for (const auto& s : pa.steps) EXPECT_LE(s.at_ms, pa.heal_ms) << pa.ToString();
      if (pa.byzantine != ByzantineKind::kNone) {
        EXPECT_LT(pa.byzantine_replica, pa.n);
        EXPECT_NE(pa.censored_replica, pa.byzantine_replica);
      }
    }
  }
}

TEST(SimProfiles, NamesRoundTrip) {
  for (Profile p : AllProfiles()) EXPECT_EQ(ParseProfile(ProfileName(p)), p);
  EXPECT_FALSE(ParseProfile("nonsense").has_value());
}

TEST(SimRegression, ParsesSeedsProfilesAndComments) {
  std::string error;
  auto seeds = ParseRegressionSeeds("# header\n\n12\n34 twins # found a fork\n", &error);
  EXPECT_TRUE(error.empty());
  ASSERT_EQ(seeds.size(), 2u);
  EXPECT_EQ(seeds[0].seed, 12u);
  EXPECT_FALSE(seeds[0].profile.has_value());
  EXPECT_EQ(seeds[1].seed, 34u);
  EXPECT_EQ(seeds[1].profile, Profile::kTwins);
  (void)ParseRegressionSeeds("x1\n5 nope\n", &error);
  EXPECT_NE(error.find("bad seed"), std::string::npos);
  EXPECT_NE(error.find("unknown profile"), std::string::npos);
}

TEST(SimRegression, ParsesAClusterSize) {
  std::string error;
  auto seeds = ParseRegressionSeeds("7 combined n=7 # n = 7 only\n8 n=4\n", &error);
  EXPECT_TRUE(error.empty()) << error;
  ASSERT_EQ(seeds.size(), 2u);
  EXPECT_EQ(seeds[0].profile, Profile::kCombined);
  EXPECT_EQ(seeds[0].n, 7u);
  EXPECT_FALSE(seeds[1].profile.has_value());
  EXPECT_EQ(seeds[1].n, 4u);
  seeds = ParseRegressionSeeds("9 combined n=5\n10 combined twins\n", &error);
  EXPECT_TRUE(seeds.empty());
  EXPECT_NE(error.find("bad cluster size"), std::string::npos);
  EXPECT_NE(error.find("unknown profile"), std::string::npos);
}

TEST_F(SimCheckersTest, ConsistentHistoryPassesAndIsLive) {
  auto e1 = Event("A", 0), e2 = Event("B", 1);
  auto b1 = Block(1, genesis_->hash, {e1});
  auto b2 = Block(2, b1.block_hash(), {e2});
  for (uint32_t s = 0; s < 4; ++s) {
    EXPECT_FALSE(checkers_->LivenessSatisfied());
    checkers_->Stored(s, b1, kResults, 10);
    checkers_->Stored(s, b2, kResults, 20);
  }
  EXPECT_TRUE(checkers_->failures().empty()) << checkers_->failures()[0].detail;
  EXPECT_TRUE(checkers_->LivenessSatisfied());
  EXPECT_EQ(checkers_->max_height(), 2u);
}

// The simulator's replicas execute with the real contracts: a correct replica whose results
// for the same block differ from another's is an execution divergence.
TEST_F(SimCheckersTest, DifferentResultsForOneBlockBreakExecution) {
  auto b1 = Block(1, genesis_->hash, {Event("A", 0)});
  checkers_->Stored(0, b1, kResults, 10);
  checkers_->Stored(1, b1, kResults, 11);
  EXPECT_FALSE(Failed("execution"));
  checkers_->Stored(2, b1, Bytes(32, 'y'), 12);
  EXPECT_TRUE(Failed("execution"));
}

TEST_F(SimCheckersTest, DifferentBlocksAtOneHeightBreakAgreement) {
  auto b1 = Block(1, genesis_->hash, {Event("A", 0)});
  auto b1x = Block(1, genesis_->hash, {Event("B", 0)});
  checkers_->Stored(0, b1, kResults, 10);
  checkers_->Stored(1, b1x, kResults, 11);
  EXPECT_TRUE(Failed("agreement"));
}

TEST_F(SimCheckersTest, ANodeContradictingItselfAfterANewDiskBreaksAgreement) {
  auto b1 = Block(1, genesis_->hash, {Event("A", 0)});
  auto b1x = Block(1, genesis_->hash, {Event("B", 0)});
  Checkers one(genesis_, {0});
  one.Generated(0, model::EventId(b1.events(0).event()), 0);
  one.Generated(0, model::EventId(b1x.events(0).event()), 0);
  one.Stored(0, b1, kResults, 10);
  one.DiskWiped(0);
  one.Stored(0, b1x, kResults, 20);
  ASSERT_EQ(one.failures().size(), 1u);
  EXPECT_EQ(one.failures()[0].checker, "agreement");
}

TEST_F(SimCheckersTest, ByzantineSlotsAreNotChecked) {
  Checkers c(genesis_, {0, 1, 2});
  auto b1 = Block(1, genesis_->hash, {Event("A", 0, false)}, {0});  // all wrong
  c.Stored(3, b1, kResults, 10);
  EXPECT_TRUE(c.failures().empty());
}

TEST_F(SimCheckersTest, BlockNotOnTheNodesChainIsAFork) {
  auto b1 = Block(1, genesis_->hash, {Event("A", 0)});
  auto b2 = Block(2, Bytes(32, 'x'), {Event("B", 0)});
  checkers_->Stored(0, b1, kResults, 10);
  checkers_->Stored(0, b2, kResults, 20);
  EXPECT_TRUE(Failed("no-fork"));
}

TEST_F(SimCheckersTest, SkippedHeightIsAFork) {
  auto b1 = Block(1, genesis_->hash, {Event("A", 0)});
  auto b2 = Block(2, b1.block_hash(), {Event("B", 0)});
  checkers_->Stored(0, b2, kResults, 20);
  EXPECT_TRUE(Failed("no-fork"));
}

TEST_F(SimCheckersTest, BlockTimeBelowItsParentsIsAFailure) {
  const int64_t t = net_->now_ms() + 100;
  auto b1 = Block(1, genesis_->hash, {Event("A", 0)}, {0, 1, 2}, t);
  auto b2 = Block(2, b1.block_hash(), {Event("B", 0)}, {0, 1, 2}, t - 1);
  checkers_->Stored(0, b1, kResults, 10);
  checkers_->Stored(0, b2, kResults, 20);
  EXPECT_TRUE(Failed("block-time"));
}

TEST_F(SimCheckersTest, EqualBlockTimesPass) {
  const int64_t t = net_->now_ms() + 100;
  auto b1 = Block(1, genesis_->hash, {Event("A", 0)}, {0, 1, 2}, t);
  auto b2 = Block(2, b1.block_hash(), {Event("B", 0)}, {0, 1, 2}, t);
  checkers_->Stored(0, b1, kResults, 10);
  checkers_->Stored(0, b2, kResults, 20);
  EXPECT_TRUE(checkers_->failures().empty()) << checkers_->failures()[0].detail;
}

TEST_F(SimCheckersTest, EventNobodySubmittedBreaksValidity) {
  checkers_->Stored(0, Block(1, genesis_->hash, {Event("A", 0, false)}), kResults, 10);
  EXPECT_TRUE(Failed("validity"));
}

TEST_F(SimCheckersTest, TamperedEventBreaksValidity) {
  auto e = Event("A", 0);
  v1::Event body;
  ASSERT_TRUE(body.ParseFromString(e.event()));
  body.set_shipment_id("B");
  e.set_event(body.SerializeAsString());
  checkers_->Stored(0, Block(1, genesis_->hash, {e}), kResults, 10);
  EXPECT_TRUE(Failed("validity"));
}

TEST_F(SimCheckersTest, WrongEventsRootBreaksValidity) {
  auto b = Block(1, genesis_->hash, {Event("A", 0)});
  *b.add_events() = Event("B", 0);  // the proposal's root and count no longer match
  checkers_->Stored(0, b, kResults, 10);
  EXPECT_TRUE(Failed("validity"));
}

TEST_F(SimCheckersTest, TooFewCommitsBreakTheCertificate) {
  checkers_->Stored(0, Block(1, genesis_->hash, {Event("A", 0)}, {0, 1}), kResults, 10);
  EXPECT_TRUE(Failed("certificate"));
}

TEST_F(SimCheckersTest, DuplicateVoterBreaksTheCertificate) {
  checkers_->Stored(0, Block(1, genesis_->hash, {Event("A", 0)}, {0, 1, 1}), kResults, 10);
  EXPECT_TRUE(Failed("certificate"));
}

TEST_F(SimCheckersTest, DuplicateCopiesAreCountedNotFailed) {
  auto e = Event("A", 0);
  auto b1 = Block(1, genesis_->hash, {e});
  auto b2 = Block(2, b1.block_hash(), {e});
  checkers_->Stored(0, b1, kResults, 10);
  checkers_->Stored(0, b2, kResults, 20);
  EXPECT_TRUE(checkers_->failures().empty());
  EXPECT_EQ(checkers_->duplicates(), 1u);
}

TEST_F(SimCheckersTest, LivenessNamesWhatIsMissingWhere) {
  auto e1 = Event("A", 0);
  auto b1 = Block(1, genesis_->hash, {e1});
  for (uint32_t s = 0; s < 3; ++s) checkers_->Stored(s, b1, kResults, 10);
  EXPECT_FALSE(checkers_->LivenessSatisfied());
  checkers_->FailLiveness(100);
  ASSERT_TRUE(Failed("liveness"));
  EXPECT_NE(checkers_->failures().back().detail.find("slot 3 lacks 1 events"), std::string::npos);
}

TEST_F(SimCheckersTest, EventsOfByzantineOriginsNeedNotCommit) {
  Checkers c(genesis_, {0, 1, 2});
  c.Generated(3, Bytes(32, 'e'), 0);
  EXPECT_TRUE(c.LivenessSatisfied());
}

TEST_F(SimCheckersTest, WipedDiskNoLongerCountsForLiveness) {
  auto b1 = Block(1, genesis_->hash, {Event("A", 0)});
  for (uint32_t s = 0; s < 4; ++s) checkers_->Stored(s, b1, kResults, 10);
  EXPECT_TRUE(checkers_->LivenessSatisfied());
  checkers_->DiskWiped(2);
  EXPECT_FALSE(checkers_->LivenessSatisfied());
  checkers_->Stored(2, b1, kResults, 30);
  EXPECT_TRUE(checkers_->LivenessSatisfied());
  EXPECT_TRUE(checkers_->failures().empty());
}

}  // namespace
}  // namespace shipledger::sim
