// Resource exhaustion in the simulator: the simulated inbox (per-peer queues against one shared
// queue), the no-attack comparison, and flood runs end to end.
#include <gtest/gtest.h>

#include <array>
#include <vector>

#include "sim/attack.h"
#include "sim/runner.h"
#include "sim/sim_inbox.h"

namespace shipledger::sim {
namespace {

consensus::InboundMessage Heartbeat(uint32_t from) {
  consensus::InboundMessage m;
  m.from = from;
  m.message.mutable_heartbeat()->set_view(0);
  return m;
}

consensus::InboundMessage Prepare(uint32_t from) {
  consensus::InboundMessage m;
  m.from = from;
  m.message.mutable_prepare()->set_height(1);
  m.message.mutable_prepare()->set_replica(from);
  return m;
}

// Whether a drain of what one ms of processing allows hands the core `from`'s prepare.
bool HonestPrepareServedWithinOneMs(SimInbox* inbox) {
  std::vector<consensus::InboundMessage> out;
  (void)inbox->Drain(inbox->options().budget_per_ms, &out);
  for (const auto& m : out) {
    if (m.message.has_prepare()) return true;
  }
  return false;
}

TEST(SimInbox, PerPeerQueuesServeAnHonestPeerAtOnceDuringAHeartbeatFlood) {
  SimInbox inbox(4, InboxOptions{});
  bool drain = false;
  inbox.Push(Heartbeat(3), 100000, &drain);
  EXPECT_TRUE(drain);
  inbox.Push(Prepare(1), 1, &drain);
  EXPECT_EQ(inbox.counts(3).queued, 1u);  // the flood takes one slot
  EXPECT_EQ(inbox.counts(3).coalesced, 99999u);
  EXPECT_TRUE(HonestPrepareServedWithinOneMs(&inbox));
  EXPECT_EQ(inbox.counts(1).dropped, 0u);
}

TEST(SimInbox, OneSharedQueueLetsAHeartbeatFloodStarveAnHonestPeer) {
  InboxOptions shared;
  shared.per_peer = false;
  SimInbox inbox(4, shared);
  bool drain = false;
  inbox.Push(Heartbeat(3), 100000, &drain);
  inbox.Push(Prepare(1), 1, &drain);
  EXPECT_EQ(inbox.counts(1).dropped, 1u);  // the queue is full of heartbeats
  EXPECT_FALSE(HonestPrepareServedWithinOneMs(&inbox));
}

TEST(SimInbox, ABurstCountsAsThatManyPushes) {
  SimInbox inbox(4, InboxOptions{});
  bool drain = false;
  inbox.Push(Prepare(2), 1000, &drain);
  EXPECT_EQ(inbox.counts(2).queued, 512u);
  EXPECT_EQ(inbox.counts(2).dropped, 488u);
  inbox.Push(Prepare(1), 1, &drain);
  EXPECT_EQ(inbox.counts(1).queued, 1u);  // another sender's share is untouched
  std::vector<consensus::InboundMessage> out;
  EXPECT_TRUE(inbox.Drain(2, &out));
  ASSERT_EQ(out.size(), 2u);
  EXPECT_NE(out[0].from, out[1].from);  // round-robin
}

RunResult Result(int64_t mean_ms, int64_t max_ms, size_t complete, size_t events) {
  RunResult r;
  r.plan.n = 4;
  r.stats.sim_ms = 10000;
  r.stats.latency.events = events;
  r.stats.latency.complete = complete;
  r.stats.latency.mean_ms = mean_ms;
  r.stats.latency.max_ms = max_ms;
  r.stats.correct_frames = 1000;
  return r;
}

bool Flags(const std::vector<Failure>& failures, const std::string& checker) {
  for (const auto& f : failures) {
    if (f.checker == checker) return true;
  }
  return false;
}

TEST(CompareWithBaseline, PassesAnAttackWithinTheBound) {
  EXPECT_TRUE(CompareWithBaseline(Result(900, 3500, 40, 40), Result(300, 1000, 40, 40)).empty());
}

TEST(CompareWithBaseline, FlagsAnAttackThatStoppedCommits) {
  EXPECT_TRUE(
      Flags(CompareWithBaseline(Result(300, 900, 12, 40), Result(300, 1000, 40, 40)), "attack"));
}

TEST(CompareWithBaseline, FlagsAnAttackThatSlowedCommitsBeyondTheFactor) {
  EXPECT_TRUE(
      Flags(CompareWithBaseline(Result(2000, 3000, 40, 40), Result(300, 1000, 40, 40)), "attack"));
  EXPECT_TRUE(
      Flags(CompareWithBaseline(Result(300, 9000, 40, 40), Result(300, 1000, 40, 40)), "attack"));
}

TEST(CompareWithBaseline, FlagsNewViewsAnsweredPerCopy) {
  RunResult attack = Result(300, 1000, 40, 40);
  attack.stats.new_views_sent = 5000;  // a stale heartbeat or replayed VIEW-CHANGE each
  EXPECT_TRUE(Flags(CompareWithBaseline(attack, Result(300, 1000, 40, 40)), "attack"));
}

TEST(CompareWithBaseline, FlagsAFailedBaseline) {
  RunResult baseline = Result(300, 1000, 40, 40);
  baseline.failures.push_back(Failure{"liveness", "stuck", 1});
  EXPECT_TRUE(Flags(CompareWithBaseline(Result(300, 1000, 40, 40), baseline), "baseline"));
}

// One seed of `profile` at n = 4, with one inbound queue for every sender when `shared`.
RunResult RunFour(Profile profile, uint64_t seed, bool shared = false) {
  RunOptions o;
  o.profile = profile;
  o.n = 4;
  if (shared) {
    o.inbox = InboxOptions{};
    o.inbox->per_peer = false;
  }
  return RunSeed(seed, o);
}

// End to end (the unit tests above, in a run): a heartbeat flood through one queue shared by
// every sender drowns the honest replicas' messages (views change, commits slow down) and the
// comparison with the run without the attack says so; the runtime's per-peer queues hold.
TEST(SimFlood, HeartbeatFloodThroughOneSharedQueueIsFlaggedAndPerPeerQueuesHold) {
  RunResult per_peer = RunFour(Profile::kFloodHeartbeat, 1004);
  EXPECT_TRUE(per_peer.ok()) << per_peer.Summary();
  RunResult shared = RunFour(Profile::kFloodHeartbeat, 1004, /*shared=*/true);
  ASSERT_FALSE(shared.ok()) << shared.Summary();
  EXPECT_EQ(shared.failures.front().checker, "attack");
}

// Replayed VIEW-CHANGEs fill the flooder's own queue (and are dropped there) only.
TEST(SimFlood, ViewChangeFloodFillsOnlyTheFloodersShare) {
  RunResult r = RunFour(Profile::kFloodViewChange, 3);
  EXPECT_TRUE(r.ok()) << r.Summary();
  EXPECT_GT(r.stats.inbox_dropped, 100000u) << "the flood never filled its share";
}

// A heartbeat flood claiming view 0 at the primary of view 1: coalesced in the inbox, and
// answered with at most one NEW-VIEW per resend interval (the comparison checks the count).
TEST(SimFlood, HeartbeatFloodIsCoalescedAndNotAnsweredPerCopy) {
  RunResult r = RunFour(Profile::kFloodHeartbeat, 5);
  EXPECT_TRUE(r.ok()) << r.Summary();
  ASSERT_TRUE(r.baseline.has_value());
  EXPECT_GT(r.stats.messages, 100 * r.baseline->messages) << "hardly a flood";
}

v1::ViewChange WithCertificates(const std::vector<std::array<int64_t, 3>>& certs) {
  v1::ViewChange vc;
  for (const auto& [view, height, time_ms] : certs) {
    v1::PreparedCertificate* c = vc.add_prepared();
    c->set_view(static_cast<uint64_t>(view));
    c->mutable_proposal()->set_height(static_cast<uint64_t>(height));
    c->mutable_proposal()->set_timestamp_ms(time_ms);
  }
  return vc;
}

TEST(CertificatesGoBackInTime, ALowerHeightOfALaterViewWithALaterTimeIsFound) {
  v1::NewView nv;
  *nv.add_view_changes() = WithCertificates({{1, 1, 100}, {1, 2, 300}});
  *nv.add_view_changes() = WithCertificates({{0, 2, 150}, {0, 3, 200}});
  EXPECT_TRUE(CertificatesGoBackInTime(nv));  // h2 of view 1 (300) above h3 of view 0 (200)
}

TEST(CertificatesGoBackInTime, TheHighestViewPerHeightWithTimesInOrderIsNot) {
  v1::NewView nv;
  *nv.add_view_changes() = WithCertificates({{1, 1, 100}, {1, 2, 300}});
  *nv.add_view_changes() = WithCertificates({{0, 2, 400}, {0, 3, 300}});
  EXPECT_FALSE(CertificatesGoBackInTime(nv));  // h2's view-0 certificate is not chosen
}

// mixed-view-time (n = 7): the primaries of views 0 and 1 leave proposals prepared at one
// replica each, stamped ahead; view 2's NEW-VIEW meets certificates of views 0 and 1 whose
// times go backwards (the plan drops the view-0 one), and every checker passes: block time
// never decreases, agreement and liveness hold. Without new_view.cc's
// DropCertificatesThatGoBackInTime the block-time checker fails this seed at height 3.
TEST(SimMixedViewTime, ANewViewMeetsCertificatesGoingBackInTimeAndBlockTimeHolds) {
  RunOptions o;
  o.profile = Profile::kMixedViewTime;
  RunResult r = RunSeed(5006, o);
  EXPECT_TRUE(r.ok()) << r.Summary();
  EXPECT_EQ(r.plan.n, 7u);
  EXPECT_GT(r.stats.mixed_view_new_views, 0u) << r.Summary();
}

}  // namespace
}  // namespace shipledger::sim
