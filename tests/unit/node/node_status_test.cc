// Node status: the per-peer counters of DESIGN §6 "fairness under floods" reach PeerStatus.
#include <gtest/gtest.h>

#include "node/node.h"

namespace shipledger::node {
namespace {

consensus::InboundMessage From(uint32_t from, bool heartbeat) {
  consensus::InboundMessage m;
  m.from = from;
  if (heartbeat) {
    m.message.mutable_heartbeat()->set_view(1);
  } else {
    m.message.mutable_prepare()->set_replica(from);
  }
  return m;
}

TEST(NodeStatus, PeerStatusCountsFramesOverShareCoalescedHeartbeatsAndSuppressedResends) {
  PeerInbox::Options options;
  options.max_queued_per_peer = 3;
  PeerInbox inbox(4, options);
  bool schedule = false;
  for (int i = 0; i < 10; ++i) (void)inbox.Push(From(2, /*heartbeat=*/false), &schedule);
  for (int i = 0; i < 5; ++i) (void)inbox.Push(From(2, /*heartbeat=*/true), &schedule);
  consensus::PeerState core;
  core.replica = 2;
  core.resends_suppressed = 9;

  v1::PeerStatus status;
  SetFloodCounters(inbox.counts(2), core, &status);
  EXPECT_EQ(status.frames_over_share(), 12u);  // 3 of 10 prepares fit, then no heartbeat
  EXPECT_EQ(status.heartbeats_coalesced(), 0u);
  EXPECT_EQ(status.resends_suppressed(), 9u);

  // Room again: heartbeats now coalesce instead of being dropped.
  std::vector<consensus::InboundMessage> out;
  (void)inbox.Drain(3, &out);
  (void)inbox.Push(From(2, true), &schedule);
  (void)inbox.Push(From(2, true), &schedule);
  SetFloodCounters(inbox.counts(2), core, &status);
  EXPECT_EQ(status.heartbeats_coalesced(), 1u);
}

}  // namespace
}  // namespace shipledger::node
