#include "consensus/pbft_mempool.h"

#include <gtest/gtest.h>

#include <set>

namespace shipledger::consensus {
namespace {

model::EventPtr Ev(const std::string& id, int64_t valid_until_ms = INT64_MAX) {
  auto e = std::make_shared<model::AdmittedEvent>();
  e->id = id;
  e->valid_until_ms = valid_until_ms;
  return e;
}

TEST(PbftMempool, RefusesDuplicatesPendingInFlightAndCommitted) {
  PbftMempool m(100, 4);
  EXPECT_TRUE(m.Add(Ev("a"), 1, 0).ok());
  EXPECT_EQ(m.Add(Ev("a"), 2, 0).code(), Code::kAlreadyExists);
  auto taken = m.Take(10);
  ASSERT_EQ(taken.size(), 1u);
  EXPECT_EQ(m.Add(Ev("a"), 1, 0).code(), Code::kAlreadyExists);
  m.Committed(taken);
  EXPECT_EQ(m.Add(Ev("a"), 1, 0).code(), Code::kAlreadyExists);
  EXPECT_EQ(m.size(), 0u);
}

TEST(PbftMempool, EachOriginHasItsOwnQuota) {
  PbftMempool m(8, 4);  // 2 per origin
  EXPECT_TRUE(m.Add(Ev("a1"), 1, 0).ok());
  EXPECT_TRUE(m.Add(Ev("a2"), 1, 0).ok());
  EXPECT_EQ(m.Add(Ev("a3"), 1, 0).code(), Code::kResourceExhausted);
  EXPECT_TRUE(m.Add(Ev("b1"), 2, 0).ok());  // a flood from 1 does not crowd out 2
}

TEST(PbftMempool, TakesRoundRobinAcrossOrigins) {
  PbftMempool m(100, 4);
  for (int i = 0; i < 3; ++i) ASSERT_TRUE(m.Add(Ev("x" + std::to_string(i)), 1, i).ok());
  ASSERT_TRUE(m.Add(Ev("y0"), 2, 5).ok());
  ASSERT_TRUE(m.Add(Ev("z0"), 3, 6).ok());
  auto batch = m.Take(3);
  std::set<std::string> ids;
  for (const auto& e : batch) ids.insert(e->id);
  EXPECT_EQ(ids, (std::set<std::string>{"x0", "y0", "z0"}));
  EXPECT_EQ(m.pending(), 2u);
}

TEST(PbftMempool, ResetInFlightMakesEventsPendingAgainWithFreshTimers) {
  PbftMempool m(100, 4);
  ASSERT_TRUE(m.Add(Ev("a"), 0, 10).ok());
  ASSERT_EQ(m.Take(1).size(), 1u);
  EXPECT_EQ(m.pending(), 0u);
  EXPECT_FALSE(m.OldestPending());
  m.ResetInFlight(500);
  EXPECT_EQ(m.pending(), 1u);
  EXPECT_EQ(*m.OldestPending(), 500);
}

TEST(PbftMempool, MarkInFlightHidesEventsOfAcceptedProposals) {
  PbftMempool m(100, 4);
  auto a = Ev("a");
  ASSERT_TRUE(m.Add(a, 2, 0).ok());
  m.MarkInFlight({a});
  EXPECT_EQ(m.pending(), 0u);
  EXPECT_TRUE(m.Take(5).empty());
}

// Issue 18 (seed 500921): a replica alone in a higher view resent only its pending events; the
// ones in flight in a proposal the others replaced were never seen again.
TEST(PbftMempool, AllOfAnOriginIncludesEventsInFlightInArrivalOrder) {
  PbftMempool m(100, 4);
  auto a = Ev("a"), b = Ev("b"), c = Ev("c");
  ASSERT_TRUE(m.Add(b, 1, 20).ok());
  ASSERT_TRUE(m.Add(a, 1, 10).ok());
  ASSERT_TRUE(m.Add(c, 2, 5).ok());
  m.MarkInFlight({a});
  EXPECT_EQ(m.AllPending(1).size(), 1u);
  const auto all = m.AllOf(1);
  ASSERT_EQ(all.size(), 2u);
  EXPECT_EQ(all[0], a);
  EXPECT_EQ(all[1], b);
}

TEST(PbftMempool, RelaysEachPendingEventOnceAfterItsTime) {
  PbftMempool m(100, 4);
  ASSERT_TRUE(m.Add(Ev("own"), 0, 0).ok());
  ASSERT_TRUE(m.Add(Ev("fwd"), 1, 0).ok());
  ASSERT_TRUE(m.Add(Ev("late"), 2, 100).ok());
  ASSERT_TRUE(m.Add(Ev("taken"), 3, 0).ok());
  m.MarkInFlight(m.AllPending(3));
  auto r = m.TakeUnrelayed(50);
  std::set<std::string> ids;
  for (const auto& e : r) ids.insert(e->id);
  EXPECT_EQ(ids, (std::set<std::string>{"own", "fwd"}));  // in flight: not relayed
  EXPECT_TRUE(m.TakeUnrelayed(50).empty());
  EXPECT_EQ(m.TakeUnrelayed(100).size(), 1u);
}

TEST(PbftMempool, DropsExpiredPendingEvents) {
  PbftMempool m(100, 4);
  auto e = Ev("old", 10);
  auto keep = Ev("new", 1000);
  ASSERT_TRUE(m.Add(e, 1, 0).ok());
  ASSERT_TRUE(m.Add(keep, 1, 0).ok());
  m.DropExpired(500);
  EXPECT_EQ(m.size(), 1u);
  EXPECT_EQ(m.AllPending()[0]->id, "new");
}

TEST(PbftMempool, DropFreesQuota) {
  PbftMempool m(4, 4);  // 1 per origin
  ASSERT_TRUE(m.Add(Ev("a"), 1, 0).ok());
  m.Drop("a");
  EXPECT_TRUE(m.Add(Ev("b"), 1, 0).ok());
  EXPECT_EQ(m.size(), 1u);
}

}  // namespace
}  // namespace shipledger::consensus

namespace shipledger::consensus {
namespace {

// The ids of committed events are remembered up to the given number, oldest forgotten first (a
// lone replica keeps only what can be ordered and not yet stored).
TEST(PbftMempool, RemembersTheLatestCommittedIdsUpToItsMemory) {
  PbftMempool m(100, 1, /*committed_memory=*/2);
  const std::vector<model::EventPtr> events = {Ev("a"), Ev("b"), Ev("c")};
  for (const auto& e : events) ASSERT_TRUE(m.Add(e, 0, 0).ok());
  m.Committed(m.Take(3));
  EXPECT_FALSE(m.Holds(events[0]->id));
  EXPECT_TRUE(m.Holds(events[1]->id));
  EXPECT_TRUE(m.Holds(events[2]->id));
  EXPECT_TRUE(m.Add(Ev("a"), 0, 0).ok());  // forgotten: execution would mark it DUPLICATE
  EXPECT_EQ(m.Add(Ev("c"), 0, 0).code(), Code::kAlreadyExists);
}

}  // namespace
}  // namespace shipledger::consensus
