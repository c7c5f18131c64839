#include "consensus/pbft_replica.h"

#include <gtest/gtest.h>

#include "model/block.h"
#include "pbft_cluster.h"

namespace shipledger::consensus {
namespace {

using testing::Cluster;

std::vector<model::EventPtr> Events(Cluster& c, int count, const std::string& prefix) {
  std::vector<model::EventPtr> out;
  for (int i = 0; i < count; ++i) out.push_back(c.NewEvent(prefix + std::to_string(i)));
  return out;
}

std::set<Bytes> CommittedIds(Cluster::Node& node) {
  std::set<Bytes> ids;
  for (const auto& b : node.chain) {
    for (const auto& e : b.events()) ids.insert(model::EventId(e.event()));
  }
  return ids;
}

// Every listed node holds the same chain, with valid commit certificates, linked by hash.
void ExpectAgreement(Cluster& c, const std::vector<uint32_t>& ids) {
  const auto& ref = c.node(ids[0]).chain;
  for (uint32_t i : ids) {
    const auto& chain = c.node(i).chain;
    ASSERT_EQ(chain.size(), ref.size()) << "node " << i;
    Bytes prev = c.genesis().hash;
    for (size_t h = 0; h < chain.size(); ++h) {
      EXPECT_EQ(chain[h].block_hash(), ref[h].block_hash()) << "node " << i << " height " << h + 1;
      EXPECT_EQ(chain[h].prev_block_hash(), prev);
      EXPECT_TRUE(
          model::VerifyCommitCertificate(c.genesis(), chain[h].proposal(), chain[h].certificate())
              .ok());
      prev = chain[h].block_hash();
    }
  }
}

TEST(PbftReplica, FourNodesOrderEventsSubmittedAtABackup) {
  Cluster c;
  auto events = Events(c, 10, "S-");
  for (const auto& s : c.Submit(1, events)) EXPECT_TRUE(s.ok());
  c.RunFor(2000);
  ExpectAgreement(c, {0, 1, 2, 3});
  EXPECT_EQ(CommittedIds(c.node(2)), c.submitted());
  EXPECT_EQ(c.node(0).core->status().view, 0u);
  EXPECT_TRUE(c.node(0).core->status().is_primary);
}

TEST(PbftReplica, DuplicateSubmissionIsRefused) {
  Cluster c;
  auto events = Events(c, 1, "D-");
  EXPECT_TRUE(c.Submit(1, events)[0].ok());
  EXPECT_EQ(c.Submit(1, events)[0].code(), Code::kAlreadyExists);
}

TEST(PbftReplica, CrashedPrimaryIsReplacedByViewChange) {
  Cluster c;
  c.Crash(0);
  auto events = Events(c, 6, "V-");
  c.Submit(2, events);
  c.RunFor(5000);
  ExpectAgreement(c, {1, 2, 3});
  EXPECT_EQ(CommittedIds(c.node(1)), c.submitted());
  EXPECT_GE(c.node(1).core->status().view, 1u);
  EXPECT_FALSE(c.node(1).core->status().view_changing);
}

TEST(PbftReplica, CheckpointsBecomeStableAndEmptyBlockCertifiesIdleTail) {
  Cluster c;
  c.Submit(1, Events(c, 9, "C-"));
  c.RunFor(3000);
  ExpectAgreement(c, {0, 1, 2, 3});
  // The last height is covered by a stable checkpoint (every 4th height, or the idle empty
  // block that follows the last busy one).
  const auto st = c.node(3).core->status();
  EXPECT_EQ(st.stable_checkpoint, c.node(3).chain.size());
  EXPECT_EQ(c.node(3).stable.height(), st.stable_checkpoint);
  EXPECT_EQ(c.node(3).stable.votes_size(), 3);
}

TEST(PbftReplica, LaggingBackupCatchesUpByStateTransfer) {
  Cluster c;
  c.Isolate(3);
  for (int round = 0; round < 6; ++round) {
    c.Submit(1, Events(c, 4, "L" + std::to_string(round) + "-"));
    c.RunFor(300);
  }
  EXPECT_TRUE(c.node(3).chain.empty());
  EXPECT_GE(c.node(0).chain.size(), 6u);
  c.HealAll();
  c.RunFor(3000);
  ExpectAgreement(c, {0, 1, 2, 3});
  EXPECT_EQ(CommittedIds(c.node(3)), c.submitted());
}

TEST(PbftReplica, NewDiskNodeCatchesUp) {
  Cluster c;
  c.Submit(1, Events(c, 12, "N-"));
  c.RunFor(2000);
  c.Crash(2);
  c.Restart(2, /*keep_disk=*/false);
  c.RunFor(3000);
  ExpectAgreement(c, {0, 1, 2, 3});
}

TEST(PbftReplica, RestartedBackupDoesNotVoteTwiceDifferently) {
  Cluster c;
  c.Submit(1, Events(c, 4, "R-"));
  c.RunFor(100);  // one block, before a checkpoint prunes the journal
  // Every vote it sent is in its journal, before it was sent.
  size_t prepares = 0;
  for (const auto& e : c.node(2).journal) {
    if (e.has_sent() && e.sent().has_prepare()) ++prepares;
  }
  EXPECT_GE(prepares, 1u);
  c.RunFor(1900);
  c.Crash(2);
  c.Restart(2, /*keep_disk=*/true);
  c.Submit(1, Events(c, 4, "R2-"));
  c.RunFor(2000);
  ExpectAgreement(c, {0, 1, 2, 3});
  // No two journalled prepares of one (view, height) differ.
  std::map<std::pair<uint64_t, uint64_t>, Bytes> seen;
  for (const auto& e : c.node(2).journal) {
    if (!e.has_sent() || !e.sent().has_prepare()) continue;
    const auto& v = e.sent().prepare();
    auto [it, unused] = seen.emplace(std::make_pair(v.view(), v.height()), v.digest());
    EXPECT_EQ(it->second, v.digest());
  }
}

TEST(PbftReplica, PrimaryRestartKeepsItsView) {
  Cluster c;
  c.Crash(0);
  c.Submit(1, Events(c, 2, "P-"));
  c.RunFor(4000);
  const uint64_t view = c.node(1).core->status().view;
  ASSERT_GE(view, 1u);
  c.Restart(0, /*keep_disk=*/true);
  c.Submit(3, Events(c, 3, "P2-"));
  c.RunFor(4000);
  ExpectAgreement(c, {0, 1, 2, 3});
  EXPECT_EQ(c.node(0).core->status().view, c.node(1).core->status().view);
  EXPECT_EQ(CommittedIds(c.node(0)), c.submitted());
}

// Byzantine primary: backup 1 gets a different, validly signed proposal for height 1.
TEST(PbftReplica, EquivocatingPrimaryCannotSplitTheBackups) {
  Cluster c;
  auto other = c.NewEvent("EQ-other");
  bool rewritten = false;
  c.SetFilter([&](uint32_t from, uint32_t to, v1::PeerMessage* m) {
    if (from != 0 || to != 1 || !m->has_pre_prepare() || rewritten) return true;
    auto* pp = m->mutable_pre_prepare();
    pp->clear_events();
    *pp->add_events() = other->signed_event;
    auto* p = pp->mutable_proposal();
    p->set_events_root(model::EventsRoot(std::vector<model::EventPtr>{other}));
    p->set_event_count(1);
    pp->set_signature(*c.node_key(0).Sign(
        model::VoteMessage(c.genesis().chain_id, model::VoteType::kPrePrepare, pp->view(),
                           p->height(), model::ProposalDigest(*p))));
    rewritten = true;
    return true;
  });
  c.Submit(2, Events(c, 3, "EQ-"));
  c.RunFor(6000);
  EXPECT_TRUE(rewritten);
  ExpectAgreement(c, {1, 2, 3});
  // The events honest nodes submitted all commit; the equivocated block never does.
  auto ids = CommittedIds(c.node(1));
  EXPECT_FALSE(ids.contains(other->id));
  EXPECT_EQ(ids.size(), 3u);
}

// Votes by a replica for a proposal nobody proposed never make anything prepared.
TEST(PbftReplica, ConflictingVotesOfOneBackupChangeNothing) {
  Cluster c;
  c.SetFilter([&](uint32_t from, uint32_t, v1::PeerMessage* m) {
    if (from != 3 || !(m->has_prepare() || m->has_commit())) return true;
    auto* v = m->has_prepare() ? m->mutable_prepare() : m->mutable_commit();
    v->set_digest(Bytes(32, 'z'));
    v->set_signature(*c.node_key(3).Sign(
        model::VoteMessage(c.genesis().chain_id,
                           m->has_prepare() ? model::VoteType::kPrepare : model::VoteType::kCommit,
                           v->view(), v->height(), v->digest())));
    return true;
  });
  c.Submit(1, Events(c, 5, "CV-"));
  c.RunFor(3000);
  ExpectAgreement(c, {0, 1, 2});
  EXPECT_EQ(CommittedIds(c.node(0)), c.submitted());
}

TEST(PbftReplica, DivergentExecutionStopsTheNodesVotes) {
  Cluster c;
  c.CorruptResults(3);
  c.Submit(1, Events(c, 8, "DV-"));
  c.RunFor(3000);
  ExpectAgreement(c, {0, 1, 2});
  EXPECT_NE(c.node(3).core->status().diverged_height, 0u);
  EXPECT_EQ(c.node(0).core->status().diverged_height, 0u);
  // It signs nothing after that.
  const size_t journal = c.node(3).journal.size();
  c.Submit(1, Events(c, 4, "DV2-"));
  c.RunFor(2000);
  size_t votes_after = 0;
  for (size_t i = journal; i < c.node(3).journal.size(); ++i) {
    if (c.node(3).journal[i].has_sent()) ++votes_after;
  }
  EXPECT_EQ(votes_after, 0u);
}

TEST(PbftReplica, CensoringPrimaryIsReplaced) {
  Cluster c;
  // Primary 0 drops everything forwarded by replica 2 (and 2's relays reach it too).
  c.SetFilter([](uint32_t from, uint32_t to, v1::PeerMessage* m) {
    return !(to == 0 && m->has_forward() && from != 0);
  });
  c.Submit(2, Events(c, 3, "CE-"));
  c.RunFor(6000);
  EXPECT_GE(c.node(2).core->status().view, 1u);
  ExpectAgreement(c, {0, 1, 2, 3});
  EXPECT_EQ(CommittedIds(c.node(2)), c.submitted());
}

}  // namespace
}  // namespace shipledger::consensus

namespace shipledger::consensus {
namespace {

// A replica cut off with its own events asks for a view change alone: it must not climb views
// on its own, and once the network heals its events commit through the others.
TEST(PbftReplica, LoneViewChangerDoesNotClimbAndItsEventsStillCommit) {
  Cluster c;
  c.Isolate(1);
  c.Submit(1, Events(c, 3, "LO-"));
  c.RunFor(8000);
  EXPECT_EQ(c.node(1).core->status().view, 1u);
  EXPECT_TRUE(c.node(1).core->status().view_changing);
  c.HealAll();
  c.RunFor(5000);
  ExpectAgreement(c, {0, 1, 2, 3});
  EXPECT_EQ(CommittedIds(c.node(0)), c.submitted());
}

// A VIEW-CHANGE for a view not yet entered is never pruned from the journal: restarted while
// waiting for the NEW-VIEW, the replica is still in that view change after checkpoints pruned
// the journal.
TEST(PbftReplica, RestartWhileViewChangingKeepsTheViewChange) {
  Cluster c;
  c.Submit(2, Events(c, 8, "VJ-"));
  c.RunFor(2000);
  c.Isolate(1);
  c.Submit(1, Events(c, 1, "VJ2-"));
  c.RunFor(2000);
  ASSERT_TRUE(c.node(1).core->status().view_changing);
  c.Crash(1);
  c.Restart(1, /*keep_disk=*/true);
  EXPECT_TRUE(c.node(1).core->status().view_changing);
  EXPECT_EQ(c.node(1).core->status().view, 1u);
}

// Issue 18: each view change added a VIEW-CHANGE entry (with its prepared certificates) that
// was never pruned, and a restart reloaded them all. Once the view is entered and a stable
// checkpoint covers their heights, they go; the restarted replica resumes in the view entered.
TEST(PbftReplica, ViewChangesOfEnteredViewsArePrunedAtTheNextStableCheckpoint) {
  Cluster c;
  c.Crash(0);
  c.Submit(2, Events(c, 4, "VP-"));
  c.RunFor(5000);
  ASSERT_GE(c.node(1).core->status().view, 1u);
  ASSERT_FALSE(c.node(1).core->status().view_changing);
  auto view_changes = [&] {
    size_t count = 0;
    for (const auto& e : c.node(1).journal) count += e.has_sent() && e.sent().has_view_change();
    return count;
  };
  const uint64_t stable_before = c.node(1).stable.height();
  c.Submit(2, Events(c, 4, "VP2-"));
  c.RunFor(5000);
  ASSERT_GT(c.node(1).stable.height(), stable_before);
  EXPECT_EQ(view_changes(), 0u);
  const uint64_t view = c.node(1).core->status().view;
  c.Crash(1);
  c.Restart(1, /*keep_disk=*/true);
  EXPECT_EQ(c.node(1).core->status().view, view);
  EXPECT_FALSE(c.node(1).core->status().view_changing);
}

// Counts the NEW-VIEWs among `actions` sent to replica `to`.
int NewViewsTo(const Actions& actions, uint32_t to) {
  int count = 0;
  for (const auto& a : actions) {
    const auto* s = std::get_if<Send>(&a);
    if (s != nullptr && s->to == to && s->message->has_new_view()) ++count;
  }
  return count;
}

InboundMessage StaleHeartbeat(uint32_t from) {
  InboundMessage in;
  in.from = from;
  in.message.mutable_heartbeat()->set_view(0);
  return in;
}

// DESIGN §5 (issue 18, seed 3100157): a VIEW-CHANGE proves its stable block's time with that
// block's proposal, which hashes to the certified block hash, also after a restart.
TEST(PbftReplica, ViewChangesCarryTheirStableBlocksProposal) {
  Cluster c;
  c.Submit(2, Events(c, 9, "SP-"));
  c.RunFor(3000);
  const uint64_t stable = c.node(1).stable.height();
  ASSERT_GT(stable, 0u);
  c.Crash(1);
  c.Restart(1, /*keep_disk=*/true);
  std::map<uint32_t, v1::ViewChange> seen;
  c.SetFilter([&seen](uint32_t from, uint32_t, v1::PeerMessage* m) {
    if (m->has_view_change()) seen[from] = m->view_change();
    return true;
  });
  c.Crash(0);
  c.Submit(2, Events(c, 2, "SP2-"));  // pending events time out: a view change to view 1
  c.RunFor(5000);
  ASSERT_EQ(seen.size(), 3u);
  for (const auto& [from, vc] : seen) {
    ASSERT_EQ(vc.stable().height(), stable) << "replica " << from;
    ASSERT_TRUE(vc.has_stable_proposal()) << "replica " << from;
    const v1::Block& block = c.node(from).chain[stable - 1];
    EXPECT_EQ(model::ProposalDigest(vc.stable_proposal()), model::ProposalDigest(block.proposal()));
    EXPECT_EQ(
        model::BlockHash(model::ProposalDigest(vc.stable_proposal()), vc.stable_prev_block_hash()),
        vc.stable().block_hash());
  }
  EXPECT_EQ(c.node(1).core->status().view, 1u);
  EXPECT_FALSE(c.node(1).core->status().view_changing);
}

TEST(PbftReplica, StaleHeartbeatsFromOneReplicaYieldAtMostOneNewViewPerInterval) {
  Cluster c;
  c.Crash(0);
  c.Submit(2, Events(c, 2, "R-"));  // pending events time out: a view change to view 1
  c.RunFor(5000);
  PbftReplica& primary = *c.node(1).core;
  ASSERT_EQ(primary.status().view, 1u);
  ASSERT_TRUE(primary.status().is_primary);
  const int64_t t0 = c.now() + 10000;  // well past any resend made during the view change
  int sent = 0;
  for (int i = 0; i < 1000; ++i)
    sent += NewViewsTo(primary.OnPeerMessage(StaleHeartbeat(3), t0), 3);
  EXPECT_EQ(sent, 1);
  // Still within the interval: nothing more.
  sent = NewViewsTo(primary.OnPeerMessage(StaleHeartbeat(3), t0 + 499), 3);
  EXPECT_EQ(sent, 0);
  // The next interval allows one more.
  sent = 0;
  for (int i = 0; i < 1000; ++i) {
    sent += NewViewsTo(primary.OnPeerMessage(StaleHeartbeat(3), t0 + 500), 3);
  }
  EXPECT_EQ(sent, 1);
  uint64_t suppressed = 0;
  for (const auto& p : primary.status().peers) {
    if (p.replica == 3) suppressed = p.resends_suppressed;
  }
  EXPECT_GE(suppressed, 1999u);
}

TEST(PbftReplica, ReplayedViewChangesShareTheNewViewResendLimit) {
  Cluster c;
  c.Crash(0);
  // Replica 3's VIEW-CHANGE as it went out (its journal drops it at the next stable checkpoint).
  InboundMessage vc;
  vc.from = 3;
  c.SetFilter([&vc](uint32_t from, uint32_t, v1::PeerMessage* m) {
    if (from == 3 && m->has_view_change() && m->view_change().new_view() == 1) {
      *vc.message.mutable_view_change() = m->view_change();
    }
    return true;
  });
  c.Submit(2, Events(c, 2, "R-"));  // pending events time out: a view change to view 1
  c.RunFor(5000);
  c.SetFilter(nullptr);
  PbftReplica& primary = *c.node(1).core;
  ASSERT_EQ(primary.status().view, 1u);
  ASSERT_TRUE(vc.message.has_view_change());
  const int64_t t0 = c.now() + 10000;
  int sent = 0;
  for (int i = 0; i < 100; ++i) {
    sent += NewViewsTo(primary.OnPeerMessage(vc, t0), 3);
    sent += NewViewsTo(primary.OnPeerMessage(StaleHeartbeat(3), t0), 3);
  }
  EXPECT_EQ(sent, 1);
}

TEST(PbftReplica, OneReplicasResendLimitDoesNotDelayAnother) {
  Cluster c;
  c.Crash(0);
  c.Submit(2, Events(c, 2, "R-"));  // pending events time out: a view change to view 1
  c.RunFor(5000);
  PbftReplica& primary = *c.node(1).core;
  const int64_t t0 = c.now() + 10000;
  for (int i = 0; i < 100; ++i) (void)primary.OnPeerMessage(StaleHeartbeat(3), t0);
  EXPECT_EQ(NewViewsTo(primary.OnPeerMessage(StaleHeartbeat(2), t0), 2), 1);
}

// Counts the forwarded events among `actions` sent to replica `to`.
int ForwardedTo(const Actions& actions, uint32_t to) {
  int count = 0;
  for (const auto& a : actions) {
    const auto* s = std::get_if<Send>(&a);
    if (s != nullptr && s->to == to && s->message->has_forward()) {
      count += s->message->forward().events_size();
    }
  }
  return count;
}

InboundMessage HeartbeatFrom(uint32_t from) {
  InboundMessage in;
  in.from = from;
  in.message.mutable_heartbeat()->set_view(0);
  return in;
}

// Issue 18: forwards to a peer whose link was down were skipped and never sent again. A peer
// heard from again after a missed heartbeat gets our pending events once.
TEST(PbftReplica, PendingEventsAreForwardedAgainToAPeerHeardAfterSilence) {
  Cluster c;
  c.Isolate(3);
  ASSERT_TRUE(c.Submit(3, Events(c, 3, "RF-"))[0].ok());
  PbftReplica& node = *c.node(3).core;
  // The cluster's heartbeat period is 100 ms.
  const int64_t t0 = c.now() + 1000;  // no heartbeat from replica 0 for ten periods
  EXPECT_EQ(ForwardedTo(node.OnPeerMessage(HeartbeatFrom(0), t0), 0), 3);
  // Heard again within the period: nothing more.
  EXPECT_EQ(ForwardedTo(node.OnPeerMessage(HeartbeatFrom(0), t0 + 100), 0), 0);
  // Silent again, then back: once more.
  EXPECT_EQ(ForwardedTo(node.OnPeerMessage(HeartbeatFrom(0), t0 + 400), 0), 3);
}

// Issue 18, "admitted means something": events a replica admitted while cut off from every
// peer reach them once the links are back, so they commit even if that replica then crashes
// (before its own view timeout would have made it resend them).
TEST(PbftReplica, EventsAdmittedWhileCutOffCommitAfterTheOriginCrashes) {
  Cluster c;
  c.Isolate(3);
  c.Submit(3, Events(c, 3, "AD-"));
  c.RunFor(300);  // three heartbeat periods, below the 500 ms view timeout
  ASSERT_FALSE(c.node(3).core->status().view_changing);
  c.HealAll();
  c.RunFor(150);  // heartbeats both ways
  c.Crash(3);
  c.RunFor(3000);
  ExpectAgreement(c, {0, 1, 2});
  EXPECT_EQ(CommittedIds(c.node(0)), c.submitted());
}

// Sim seed 600918: a primary restarted holding a journalled pre-prepare without events can
// neither send it again nor sign another for that height. With nobody else timing out (here
// the backups never hear of its events), it must step down by itself, not wait forever.
TEST(PbftReplica, PrimaryThatCannotProposeItsPendingEventsStepsDown) {
  Cluster c;
  c.SetFilter([](uint32_t from, uint32_t, v1::PeerMessage* m) {
    return from != 0 || !(m->has_pre_prepare() || m->has_forward());
  });
  c.Submit(0, Events(c, 2, "PS-"));
  c.RunFor(100);  // proposed (and journalled), below the 500 ms view timeout
  c.Crash(0);
  c.Restart(0, /*keep_disk=*/true);
  c.Submit(0, Events(c, 2, "PS2-"));
  c.RunFor(400);
  ASSERT_EQ(c.node(0).core->status().view, 0u);
  c.RunFor(1000);
  EXPECT_GE(c.node(0).core->status().view, 1u);
  for (uint32_t i = 1; i < 4; ++i) EXPECT_EQ(c.node(i).core->status().view, 0u) << i;
}

}  // namespace
}  // namespace shipledger::consensus
