// PeerInbox: per-peer bounded queues drained round-robin, heartbeats coalesced (DESIGN §6
// "fairness under floods").
#include "node/peer_inbox.h"

#include <gtest/gtest.h>

namespace shipledger::node {
namespace {

consensus::InboundMessage Heartbeat(uint32_t from, uint64_t view) {
  consensus::InboundMessage m;
  m.from = from;
  m.message.mutable_heartbeat()->set_view(view);
  return m;
}

consensus::InboundMessage Prepare(uint32_t from, uint64_t height) {
  consensus::InboundMessage m;
  m.from = from;
  m.message.mutable_prepare()->set_height(height);
  m.message.mutable_prepare()->set_replica(from);
  return m;
}

PeerInbox::Options Bound(size_t per_peer) {
  PeerInbox::Options o;
  o.max_queued_per_peer = per_peer;
  return o;
}

std::vector<consensus::InboundMessage> DrainAll(PeerInbox& inbox) {
  std::vector<consensus::InboundMessage> out;
  while (inbox.Drain(1000, &out)) {
  }
  return out;
}

TEST(PeerInbox, OnePeersFloodDropsOnlyThatPeersMessages) {
  PeerInbox inbox(4, Bound(10));
  bool schedule = false;
  for (uint64_t h = 1; h <= 1000; ++h) (void)inbox.Push(Prepare(3, h), &schedule);
  // The flooding peer fills its own share; the others still get every message in.
  for (uint64_t h = 1; h <= 10; ++h) {
    EXPECT_EQ(inbox.Push(Prepare(1, h), &schedule), PeerInbox::Pushed::kQueued);
    EXPECT_EQ(inbox.Push(Prepare(2, h), &schedule), PeerInbox::Pushed::kQueued);
  }
  EXPECT_EQ(inbox.counts(3).dropped, 990u);
  EXPECT_EQ(inbox.counts(1).dropped, 0u);
  EXPECT_EQ(inbox.counts(2).dropped, 0u);
  const auto out = DrainAll(inbox);
  ASSERT_EQ(out.size(), 30u);
  std::vector<uint64_t> from1;
  for (const auto& m : out) {
    if (m.from == 1) from1.push_back(m.message.prepare().height());
  }
  EXPECT_EQ(from1, (std::vector<uint64_t>{1, 2, 3, 4, 5, 6, 7, 8, 9, 10}));
}

TEST(PeerInbox, DrainTakesOneMessagePerPeerInTurn) {
  PeerInbox inbox(4, Bound(100));
  bool schedule = false;
  for (uint64_t h = 1; h <= 50; ++h) (void)inbox.Push(Prepare(3, h), &schedule);
  (void)inbox.Push(Prepare(1, 7), &schedule);
  std::vector<consensus::InboundMessage> out;
  EXPECT_TRUE(inbox.Drain(3, &out));
  ASSERT_EQ(out.size(), 3u);
  // The lone message of replica 1 does not wait behind replica 3's fifty.
  bool saw_one = false;
  for (const auto& m : out) saw_one = saw_one || m.from == 1;
  EXPECT_TRUE(saw_one);
}

TEST(PeerInbox, HeartbeatsOfOnePeerCoalesceToTheLatest) {
  PeerInbox inbox(4, Bound(10));
  bool schedule = false;
  EXPECT_EQ(inbox.Push(Heartbeat(2, 1), &schedule), PeerInbox::Pushed::kQueued);
  for (uint64_t v = 2; v <= 100000; ++v) {
    EXPECT_EQ(inbox.Push(Heartbeat(2, v), &schedule), PeerInbox::Pushed::kCoalesced);
  }
  EXPECT_EQ(inbox.counts(2).queued, 1u);
  EXPECT_EQ(inbox.counts(2).heartbeats_coalesced, 99999u);
  EXPECT_EQ(inbox.counts(2).dropped, 0u);
  const auto out = DrainAll(inbox);
  ASSERT_EQ(out.size(), 1u);
  EXPECT_EQ(out[0].message.heartbeat().view(), 100000u);
}

TEST(PeerInbox, AHeartbeatFloodLeavesRoomForThatPeersOtherMessages) {
  PeerInbox inbox(4, Bound(3));
  bool schedule = false;
  for (uint64_t v = 1; v <= 1000; ++v) (void)inbox.Push(Heartbeat(1, v), &schedule);
  EXPECT_EQ(inbox.Push(Prepare(1, 5), &schedule), PeerInbox::Pushed::kQueued);
  EXPECT_EQ(inbox.Push(Prepare(1, 6), &schedule), PeerInbox::Pushed::kQueued);
  EXPECT_EQ(inbox.counts(1).dropped, 0u);
  // The heartbeat came first and keeps its place.
  const auto out = DrainAll(inbox);
  ASSERT_EQ(out.size(), 3u);
  EXPECT_TRUE(out[0].message.has_heartbeat());
  EXPECT_EQ(out[0].message.heartbeat().view(), 1000u);
  EXPECT_EQ(out[1].message.prepare().height(), 5u);
}

TEST(PeerInbox, AsksForADrainOnlyWhenNoneIsOutstanding) {
  PeerInbox inbox(4, Bound(10));
  bool schedule = false;
  (void)inbox.Push(Prepare(1, 1), &schedule);
  EXPECT_TRUE(schedule);
  (void)inbox.Push(Prepare(2, 1), &schedule);
  EXPECT_FALSE(schedule);
  std::vector<consensus::InboundMessage> out;
  EXPECT_TRUE(inbox.Drain(1, &out));  // one left: the drain stays outstanding
  (void)inbox.Push(Prepare(1, 2), &schedule);
  EXPECT_FALSE(schedule);
  EXPECT_FALSE(inbox.Drain(10, &out));  // now empty
  (void)inbox.Push(Prepare(1, 3), &schedule);
  EXPECT_TRUE(schedule);
}

TEST(PeerInbox, DropsMessagesFromUnknownSenders) {
  PeerInbox inbox(4, Bound(10));
  bool schedule = true;
  EXPECT_EQ(inbox.Push(Prepare(9, 1), &schedule), PeerInbox::Pushed::kDropped);
  EXPECT_FALSE(schedule);
}

}  // namespace
}  // namespace shipledger::node
