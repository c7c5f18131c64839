// MessageGate: view changes, new views and state transfer (blocks).
#include <gtest/gtest.h>

#include "consensus/message_gate.h"
#include "gate_fixture.h"

namespace shipledger::consensus {
namespace {

class MessageGateViewTest : public GateTest {
 protected:
  // A view change by replica 2 to view 2 over the genesis checkpoint, with a prepared
  // certificate at height 1 (events attached) and one at height 2 (events stripped).
  v1::ViewChange GoodViewChange(uint32_t replica = 2, uint64_t new_view = 2) const {
    const auto e1 = Events(2);
    const auto e2 = Events(1);
    return ViewChange(replica, new_view, Stable(0),
                      {Prepared(1, Proposal(1, e1), e1), Prepared(1, Proposal(2, e2), {})});
  }

  // A NEW-VIEW for view 1 by its primary, replica 1: view changes of replicas 0, 2, 3 and
  // pre-prepares for heights 1 (re-proposal of a prepared proposal, events attached) and 2
  // (empty).
  v1::NewView GoodNewView() const {
    const auto events = Events(2);
    const v1::Proposal prepared = Proposal(1, events, 0);
    v1::NewView nv;
    nv.set_view(1);
    nv.set_replica(1);
    *nv.add_view_changes() = ViewChange(0, 1, Stable(0), {Prepared(0, prepared, {})});
    *nv.add_view_changes() = ViewChange(2, 1, Stable(0));
    *nv.add_view_changes() = ViewChange(3, 1, Stable(0));
    *nv.add_pre_prepares() = PrePrepare(1, prepared, events);
    *nv.add_pre_prepares() = PrePrepare(1, 2, {});
    return nv;
  }
};

// --- view-change -----------------------------------------------------------------------------

TEST_F(MessageGateViewTest, ViewChangeIsAdmitted) {
  auto r = Admit(2, Wrap(GoodViewChange()));
  ASSERT_TRUE(Admitted(r));
  EXPECT_TRUE(r->events.empty());
  EXPECT_TRUE(Admitted(Admit(3, Wrap(ViewChange(3, 7, Stable(64))))));
}

TEST_F(MessageGateViewTest, ViewChangeClaimingAnotherReplicaIsRejected) {
  EXPECT_TRUE(Rejected(Admit(3, Wrap(GoodViewChange(2))), Code::kInvalidArgument,
                       "view-change from replica 3 claims replica 2"));
}

TEST_F(MessageGateViewTest, ViewChangeWithTamperedSignatureIsRejected) {
  v1::ViewChange vc = GoodViewChange();
  vc.set_new_view(3);
  EXPECT_TRUE(Rejected(Admit(2, Wrap(vc)), Code::kInvalidArgument, "bad signature of replica 2"));
  vc = GoodViewChange();
  vc.mutable_prepared()->RemoveLast();  // dropping a prepared certificate changes what is signed
  EXPECT_TRUE(Rejected(Admit(2, Wrap(vc)), Code::kInvalidArgument, "bad signature"));
}

TEST_F(MessageGateViewTest, ViewChangeToViewZeroIsRejected) {
  EXPECT_TRUE(Rejected(Admit(2, Wrap(ViewChange(2, 0, Stable(0)))), Code::kInvalidArgument,
                       "no view change to view 0"));
}

TEST_F(MessageGateViewTest, ViewChangeWithBadStableCheckpointIsRejected) {
  EXPECT_TRUE(Rejected(Admit(2, Wrap(ViewChange(2, 2, Stable(64, {0, 1})))), Code::kInvalidArgument,
                       "stable checkpoint: checkpoint certificate"));
  v1::CheckpointCertificate fake = Stable(0);
  fake.set_block_hash(crypto::Sha256("not the genesis"));
  EXPECT_TRUE(
      Rejected(Admit(2, Wrap(ViewChange(2, 2, fake))), Code::kInvalidArgument, "not the genesis"));
}

// DESIGN §5: a VIEW-CHANGE may prove its stable block's time with that block's proposal and the
// hash below it; the gate admits only a proposal that hashes to the certified block hash.
TEST_F(MessageGateViewTest, ViewChangeStableProposalMustHashToTheStableBlock) {
  const v1::Proposal p = Proposal(64, {});
  const Bytes prev = crypto::Sha256("block 63");
  v1::ViewChange vc =
      ViewChange(2, 2, Stable(64, {0, 1, 2}, model::BlockHash(model::ProposalDigest(p), prev)));
  *vc.mutable_stable_proposal() = p;
  vc.set_stable_prev_block_hash(prev);
  EXPECT_TRUE(Admitted(Admit(2, Wrap(vc))));  // not signed: added by whoever holds the block

  v1::ViewChange later = vc;
  later.mutable_stable_proposal()->set_timestamp_ms(p.timestamp_ms() + 1);
  EXPECT_TRUE(Rejected(Admit(2, Wrap(later)), Code::kInvalidArgument,
                       "does not hash to the block hash of its stable checkpoint 64"));
  v1::ViewChange other_prev = vc;
  other_prev.set_stable_prev_block_hash(crypto::Sha256("block 62"));
  EXPECT_TRUE(Rejected(Admit(2, Wrap(other_prev)), Code::kInvalidArgument, "does not hash"));
  v1::ViewChange at_genesis = ViewChange(2, 2, Stable(0));
  *at_genesis.mutable_stable_proposal() = Proposal(0, {});
  EXPECT_TRUE(Rejected(Admit(2, Wrap(at_genesis)), Code::kInvalidArgument, "does not hash"));
}

TEST_F(MessageGateViewTest, PreparedCertificateNotBelowTheNewViewIsRejected) {
  const auto e = Events(1);
  EXPECT_TRUE(
      Rejected(Admit(2, Wrap(ViewChange(2, 2, Stable(0), {Prepared(2, Proposal(1, e), e)}))),
               Code::kInvalidArgument, "is not below the new view 2"));
}

TEST_F(MessageGateViewTest, PreparedCertificateAtOrBelowStableIsRejected) {
  const auto e = Events(1);
  EXPECT_TRUE(
      Rejected(Admit(2, Wrap(ViewChange(2, 2, Stable(64), {Prepared(1, Proposal(64, e), e)}))),
               Code::kInvalidArgument, "is not above the stable checkpoint 64"));
}

TEST_F(MessageGateViewTest, TwoPreparedCertificatesForOneHeightAreRejected) {
  const auto e = Events(1);
  EXPECT_TRUE(Rejected(Admit(2, Wrap(ViewChange(2, 2, Stable(0),
                                                {Prepared(0, Proposal(1, e), {}),
                                                 Prepared(1, Proposal(1, {}), {})}))),
                       Code::kInvalidArgument, "two prepared certificates for height 1"));
}

TEST_F(MessageGateViewTest, PreparedCertificateWithoutAQuorumIsRejected) {
  const auto e = Events(1);
  EXPECT_TRUE(Rejected(
      Admit(2, Wrap(ViewChange(2, 2, Stable(0), {Prepared(1, Proposal(1, e), {}, {1, 2})}))),
      Code::kInvalidArgument, "has 2 prepares; the quorum is 3"));
  EXPECT_TRUE(Rejected(
      Admit(2, Wrap(ViewChange(2, 2, Stable(0), {Prepared(1, Proposal(1, e), {}, {1, 2, 2})}))),
      Code::kInvalidArgument, "two prepares by replica 2"));
}

TEST_F(MessageGateViewTest, PreparedCertificateWithABadPrepareIsRejected) {
  const auto e = Events(1);
  const v1::Proposal p = Proposal(1, e);
  v1::PreparedCertificate pc = Prepared(1, p, {});
  // Replica 3's prepare for another view does not count for view 1.
  *pc.mutable_prepares(2) = Vote(model::VoteType::kPrepare, 3, 0, 1, model::ProposalDigest(p));
  EXPECT_TRUE(Rejected(Admit(2, Wrap(ViewChange(2, 2, Stable(0), {pc}))), Code::kInvalidArgument,
                       "holds a prepare of replica 3 for view 0 height 1"));
  // Nor when it claims view 1 but was signed for view 0.
  pc.mutable_prepares(2)->set_view(1);
  EXPECT_TRUE(Rejected(Admit(2, Wrap(ViewChange(2, 2, Stable(0), {pc}))), Code::kInvalidArgument,
                       "bad signature of replica 3"));
  // Nor a prepare for another proposal at the same height.
  pc = Prepared(1, p, {});
  *pc.mutable_prepares(1) =
      Vote(model::VoteType::kPrepare, 2, 1, 1, model::ProposalDigest(Proposal(1, {})));
  EXPECT_TRUE(Rejected(Admit(2, Wrap(ViewChange(2, 2, Stable(0), {pc}))), Code::kInvalidArgument,
                       "and another proposal"));
  pc = Prepared(1, p, {});
  pc.mutable_prepares(0)->set_replica(9);
  EXPECT_TRUE(Rejected(Admit(2, Wrap(ViewChange(2, 2, Stable(0), {pc}))), Code::kInvalidArgument,
                       "unknown replica 9"));
}

TEST_F(MessageGateViewTest, PreparedCertificateWithWrongEventsIsRejected) {
  const auto e = Events(2);
  EXPECT_TRUE(
      Rejected(Admit(2, Wrap(ViewChange(2, 2, Stable(0), {Prepared(1, Proposal(1, e), {e[0]})}))),
               Code::kInvalidArgument, "counts 2 events but 1 are attached"));
  auto bad = e;
  bad[1].set_signature(bad[0].signature());
  // Merkle root over the tampered envelopes, so that only the event check can catch it.
  EXPECT_TRUE(
      Rejected(Admit(2, Wrap(ViewChange(2, 2, Stable(0), {Prepared(1, Proposal(1, bad), bad)}))),
               Code::kInvalidArgument, "event 1: event signature"));
  v1::Proposal other_chain = Proposal(1, e);
  other_chain.set_chain_id("other-chain");
  EXPECT_TRUE(Rejected(Admit(2, Wrap(ViewChange(2, 2, Stable(0), {Prepared(1, other_chain, {})}))),
                       Code::kInvalidArgument, "for chain 'other-chain'"));
}

TEST_F(MessageGateViewTest, ViewChangeWithTooManyPreparedCertificatesIsRejected) {
  EditGenesis([](model::Genesis& g) {
    g.consensus.window = 2;
    g.consensus.checkpoint_interval = 1;
  });  // at most 2 * 1 + 2 * 2
  std::vector<v1::PreparedCertificate> prepared;
  for (uint64_t h = 1; h <= 7; ++h) prepared.push_back(Prepared(1, Proposal(h, {}), {}));
  EXPECT_TRUE(Rejected(Admit(2, Wrap(ViewChange(2, 2, Stable(0), prepared))),
                       Code::kInvalidArgument, "carries 7 prepared certificates; at most 6"));
  prepared.pop_back();
  EXPECT_TRUE(Admitted(Admit(2, Wrap(ViewChange(2, 2, Stable(0), prepared)))));
}

// --- new-view --------------------------------------------------------------------------------

TEST_F(MessageGateViewTest, NewViewIsAdmittedWithTheEventsOfEachPrePrepare) {
  auto r = Admit(1, Wrap(GoodNewView()));
  ASSERT_TRUE(Admitted(r));
  ASSERT_EQ(r->events.size(), 2u);
  EXPECT_EQ(r->events[0].size(), 2u);
  EXPECT_TRUE(r->events[1].empty());
}

// A re-proposal of a height the new primary already ordered may come without its events.
TEST_F(MessageGateViewTest, NewViewMayStripTheEventsOfAReproposal) {
  v1::NewView nv = GoodNewView();
  nv.mutable_pre_prepares(0)->clear_events();
  auto r = Admit(1, Wrap(nv));
  ASSERT_TRUE(Admitted(r));
  EXPECT_TRUE(r->events[0].empty());
  // Outside a NEW-VIEW the events are required.
  EXPECT_FALSE(Admitted(Admit(1, Wrap(nv.pre_prepares(0)))));
}

TEST_F(MessageGateViewTest, NewViewFromNonPrimaryIsRejected) {
  v1::NewView nv = GoodNewView();
  nv.set_replica(2);
  EXPECT_TRUE(Rejected(Admit(2, Wrap(nv)), Code::kInvalidArgument,
                       "new-view for view 1 from replica 2, but the primary of view 1 is 1"));
  EXPECT_TRUE(Rejected(Admit(3, Wrap(GoodNewView())), Code::kInvalidArgument,
                       "new-view from replica 3 claims replica 1"));
}

TEST_F(MessageGateViewTest, NewViewWithoutAQuorumOfViewChangesIsRejected) {
  v1::NewView nv = GoodNewView();
  nv.mutable_view_changes()->RemoveLast();
  EXPECT_TRUE(
      Rejected(Admit(1, Wrap(nv)), Code::kInvalidArgument, "carries 2 view-changes; it needs 3"));
  nv = GoodNewView();
  *nv.mutable_view_changes(2) = nv.view_changes(1);
  EXPECT_TRUE(
      Rejected(Admit(1, Wrap(nv)), Code::kInvalidArgument, "two view-changes of replica 2"));
}

TEST_F(MessageGateViewTest, NewViewWithAViewChangeForAnotherViewIsRejected) {
  v1::NewView nv = GoodNewView();
  *nv.mutable_view_changes(1) = ViewChange(2, 5, Stable(0));
  EXPECT_TRUE(
      Rejected(Admit(1, Wrap(nv)), Code::kInvalidArgument, "view-change of replica 2 to view 5"));
}

TEST_F(MessageGateViewTest, NewViewWithAForgedViewChangeIsRejected) {
  v1::NewView nv = GoodNewView();
  // Replica 1 (the sender) passes off its own view change as replica 3's.
  v1::ViewChange forged = ViewChange(1, 1, Stable(0));
  forged.set_replica(3);
  *nv.mutable_view_changes(2) = forged;
  EXPECT_TRUE(Rejected(Admit(1, Wrap(nv)), Code::kInvalidArgument, "bad signature of replica 3"));
}

TEST_F(MessageGateViewTest, NewViewWithABadPrePrepareIsRejected) {
  v1::NewView nv = GoodNewView();
  *nv.mutable_pre_prepares(1) = PrePrepare(5, 2, {});  // primary 1 as well, but view 5
  EXPECT_TRUE(
      Rejected(Admit(1, Wrap(nv)), Code::kInvalidArgument, "carries a pre-prepare for view 5"));
  nv = GoodNewView();
  nv.mutable_pre_prepares(0)->mutable_events()->RemoveLast();
  EXPECT_TRUE(Rejected(Admit(1, Wrap(nv)), Code::kInvalidArgument, "events"));
  nv = GoodNewView();
  nv.mutable_pre_prepares(1)->set_signature(nv.pre_prepares(0).signature());
  EXPECT_TRUE(Rejected(Admit(1, Wrap(nv)), Code::kInvalidArgument, "bad signature of replica 1"));
}

TEST_F(MessageGateViewTest, NewViewWithTooManyPrePreparesIsRejected) {
  EditGenesis([](model::Genesis& g) {
    g.consensus.window = 1;
    g.consensus.checkpoint_interval = 1;
  });  // at most 2 * 1 + 2 * 1
  v1::NewView nv = GoodNewView();
  for (uint64_t h = 3; h <= 5; ++h) *nv.add_pre_prepares() = PrePrepare(1, h, {});
  EXPECT_TRUE(
      Rejected(Admit(1, Wrap(nv)), Code::kInvalidArgument, "carries 5 pre-prepares; at most 4"));
}

// --- blocks ----------------------------------------------------------------------------------

TEST_F(MessageGateViewTest, BlocksAreAdmittedWithTheirEvents) {
  const auto blocks = Chain(3);
  const v1::CheckpointCertificate stable = Stable(64);
  auto r = Admit(3, Wrap(blocks, &stable));
  ASSERT_TRUE(Admitted(r));
  ASSERT_EQ(r->events.size(), 3u);
  for (size_t i = 0; i < 3; ++i) {
    ASSERT_EQ(r->events[i].size(), 2u);
    EXPECT_EQ(r->events[i][1]->leaf_hash, model::EventLeafHash(blocks[i].events(1)));
    EXPECT_EQ(r->events[i][1]->signer_role, model::Role::kExporter);
  }
  EXPECT_TRUE(Admitted(Admit(3, Wrap(std::vector<v1::Block>{}))));  // nothing to send
}

TEST_F(MessageGateViewTest, EventsOfCertifiedBlocksAreNotReverified) {
  // 2f+1 commit signatures vouch for the events; a broken event signature inside a certified
  // block can only be admitted if the gate did not check it again.
  auto events = Events(2);
  events[0].set_signature(events[1].signature());
  const v1::Block block = Block(1, genesis_->hash, events);
  EXPECT_TRUE(Admitted(Admit(3, Wrap({block}))));
}

TEST_F(MessageGateViewTest, BlockWithBadCommitCertificateIsRejected) {
  EXPECT_TRUE(Rejected(Admit(3, Wrap({Block(1, genesis_->hash, Events(1), {0, 1})})),
                       Code::kInvalidArgument, "commit certificate has 2 votes; the quorum is 3"));
  v1::Block b = Block(1, genesis_->hash, Events(1));
  b.mutable_certificate()->set_view(1);  // votes were for view 0
  EXPECT_TRUE(Rejected(Admit(3, Wrap({b})), Code::kInvalidArgument,
                       "block at height 1: commit certificate vote of replica 0"));
}

TEST_F(MessageGateViewTest, BlockWhoseEventsDoNotMatchIsRejected) {
  v1::Block b = Block(1, genesis_->hash, Events(2));
  b.mutable_events()->RemoveLast();
  EXPECT_TRUE(
      Rejected(Admit(3, Wrap({b})), Code::kInvalidArgument, "counts 2 events but carries 1"));
  b = Block(1, genesis_->hash, Events(2));
  *b.mutable_events(1) = Events(1)[0];
  EXPECT_TRUE(
      Rejected(Admit(3, Wrap({b})), Code::kInvalidArgument, "do not match its events root"));
}

TEST_F(MessageGateViewTest, BlockWithWrongHashIsRejected) {
  v1::Block b = Block(1, genesis_->hash, Events(1));
  b.set_block_hash(crypto::Sha256("x"));
  EXPECT_TRUE(Rejected(Admit(3, Wrap({b})), Code::kInvalidArgument, "block hash is not"));
  b = Block(1, genesis_->hash, Events(1));
  b.set_prev_block_hash("short");
  EXPECT_TRUE(
      Rejected(Admit(3, Wrap({b})), Code::kInvalidArgument, "previous block hash is 5 bytes"));
}

TEST_F(MessageGateViewTest, NonConsecutiveBlocksAreRejected) {
  auto blocks = Chain(3);
  EXPECT_TRUE(Rejected(Admit(3, Wrap({blocks[0], blocks[2]})), Code::kInvalidArgument,
                       "has height 3 after height 1"));
  EXPECT_TRUE(Rejected(Admit(3, Wrap({blocks[1], blocks[0]})), Code::kInvalidArgument,
                       "has height 1 after height 2"));
  // Consecutive heights that do not chain: block 2 built on another block 1.
  const v1::Block fork = Block(2, crypto::Sha256("another block 1"), Events(1));
  EXPECT_TRUE(Rejected(Admit(3, Wrap({blocks[0], fork})), Code::kInvalidArgument,
                       "does not chain to the block before it"));
}

TEST_F(MessageGateViewTest, TooManyBlocksAreRejected) {
  const v1::Block b = Block(1, genesis_->hash, {});
  std::vector<v1::Block> blocks(65, b);  // bound checked before anything else
  EXPECT_TRUE(
      Rejected(Admit(3, Wrap(blocks)), Code::kInvalidArgument, "carries 65 blocks; at most 64"));
}

TEST_F(MessageGateViewTest, BlocksWithBadStableCertificateAreRejected) {
  const v1::CheckpointCertificate weak = Stable(64, {1, 2});
  EXPECT_TRUE(Rejected(Admit(3, Wrap(Chain(1), &weak)), Code::kInvalidArgument,
                       "stable checkpoint: checkpoint certificate at height 64 has 2 votes"));
  const v1::CheckpointCertificate genesis = Stable(0);
  EXPECT_TRUE(Admitted(Admit(3, Wrap(Chain(1), &genesis))));
}

}  // namespace
}  // namespace shipledger::consensus
