#include "consensus/mempool.h"

#include <gtest/gtest.h>

namespace shipledger::consensus {
namespace {

model::EventPtr Ev(int i) {
  auto e = std::make_shared<model::AdmittedEvent>();
  e->id = std::string(31, 'x') + static_cast<char>(i);
  return e;
}

TEST(Mempool, RejectsDuplicateWhilePending) {
  Mempool m(10);
  ASSERT_TRUE(m.Add(Ev(1), 0).ok());
  EXPECT_EQ(m.Add(Ev(1), 0).code(), Code::kAlreadyExists);
  EXPECT_EQ(m.pending(), 1u);
}

TEST(Mempool, FullQueueIsResourceExhausted) {
  Mempool m(2);
  ASSERT_TRUE(m.Add(Ev(1), 0).ok());
  ASSERT_TRUE(m.Add(Ev(2), 0).ok());
  const Status s = m.Add(Ev(3), 0);
  EXPECT_EQ(s.code(), Code::kResourceExhausted);
  EXPECT_NE(s.message().find("full"), std::string::npos);
  EXPECT_EQ(m.pending(), 2u);
}

TEST(Mempool, TakeIsFifoAndKeepsIdsKnownUntilCommitted) {
  Mempool m(10);
  for (int i = 0; i < 5; ++i) ASSERT_TRUE(m.Add(Ev(i), 100 + i).ok());
  EXPECT_EQ(m.oldest_arrival_ms(), 100);
  auto taken = m.Take(3, 1);
  ASSERT_EQ(taken.size(), 3u);
  EXPECT_EQ(taken[0]->id, Ev(0)->id);
  EXPECT_EQ(taken[2]->id, Ev(2)->id);
  EXPECT_EQ(m.pending(), 2u);
  EXPECT_EQ(m.oldest_arrival_ms(), 103);
  // In flight: still a duplicate.
  EXPECT_EQ(m.Add(Ev(1), 0).code(), Code::kAlreadyExists);
  m.Committed(1);
  // Committed: the mempool forgets it (execution reports later copies as DUPLICATE).
  EXPECT_TRUE(m.Add(Ev(1), 0).ok());
}

TEST(Mempool, CommittedForgetsOnlyUpToHeight) {
  Mempool m(10);
  for (int i = 0; i < 4; ++i) ASSERT_TRUE(m.Add(Ev(i), 0).ok());
  m.Take(2, 1);
  m.Take(2, 2);
  m.Committed(1);
  EXPECT_TRUE(m.Add(Ev(0), 0).ok());
  EXPECT_EQ(m.Add(Ev(3), 0).code(), Code::kAlreadyExists);
}

}  // namespace
}  // namespace shipledger::consensus
