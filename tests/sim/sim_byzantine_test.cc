// Unit tests of the Byzantine behaviours (byzantine.h): what they send in place of the core's
// messages, checked for valid signatures and for the inconsistency each is meant to carry.
#include <gtest/gtest.h>

#include <set>

#include "model/block.h"
#include "model/votes.h"
#include "sim/byzantine.h"
#include "sim/sim_fixture.h"

namespace shipledger::sim {
namespace {

// Byzantine behaviours: what they send instead of the core's messages.
class SimByzantineTest : public SimCheckersTest {
 protected:
  std::unique_ptr<Byzantine> Make(ByzantineKind kind) {
    signer_ = MakeKeySignerForTest(net_->node(0).key);
    ByzantineContext c;
    c.genesis = genesis_;
    c.replica = 0;
    c.signer = signer_.get();
    c.rng = &rng_;
    c.censored_org = "customs";
    return MakeByzantine(kind, c);
  }
  v1::PeerMessage PrePrepare(uint64_t view, uint64_t height, int events) {
    std::vector<v1::SignedEvent> evs;
    for (int i = 0; i < events; ++i) evs.push_back(Event("S" + std::to_string(i), 0));
    v1::Block b = Block(height, genesis_->hash, evs);
    v1::PeerMessage m;
    v1::PrePrepare* pp = m.mutable_pre_prepare();
    pp->set_view(view);
    *pp->mutable_proposal() = b.proposal();
    *pp->mutable_events() = b.events();
    pp->set_replica(0);
    SignPrePrepare(pp);
    return m;
  }
  void SignPrePrepare(v1::PrePrepare* pp) {
    pp->set_signature(*net_->node(0).key.Sign(
        model::VoteMessage(genesis_->chain_id, model::VoteType::kPrePrepare, pp->view(),
                           pp->proposal().height(), model::ProposalDigest(pp->proposal()))));
  }
  bool ValidlySigned(const v1::PrePrepare& pp) const {
    return model::VerifyReplicaSignature(
               *genesis_, pp.replica(),
               model::VoteMessage(genesis_->chain_id, model::VoteType::kPrePrepare, pp.view(),
                                  pp.proposal().height(), model::ProposalDigest(pp.proposal())),
               pp.signature())
        .ok();
  }
  static std::unique_ptr<consensus::Signer> MakeKeySignerForTest(const crypto::PrivateKey& key) {
    struct S final : consensus::Signer {
      explicit S(crypto::PrivateKey k) : key(std::move(k)) {}
      Result<Bytes> Sign(ByteView m) const override { return key.Sign(m); }
      crypto::PrivateKey key;
    };
    return std::make_unique<S>(key);
  }

  Rng rng_{5};
  std::unique_ptr<consensus::Signer> signer_;
};

TEST_F(SimByzantineTest, EquivocatorSendsTwoValidProposalsToTheTwoHalves) {
  auto b = Make(ByzantineKind::kEquivocate);
  auto m = PrePrepare(0, 1, 3);
  auto to1 = b->Outgoing(1, m), to2 = b->Outgoing(2, m), to3 = b->Outgoing(3, m);
  ASSERT_EQ(to1.size(), 1u);
  ASSERT_EQ(to2.size(), 1u);
  const auto& p1 = to1[0].pre_prepare();
  const auto& p2 = to2[0].pre_prepare();
  EXPECT_NE(model::ProposalDigest(p1.proposal()), model::ProposalDigest(p2.proposal()));
  EXPECT_TRUE(ValidlySigned(p1));
  EXPECT_TRUE(ValidlySigned(p2));
  EXPECT_EQ(p1.proposal().events_root(), model::EventsRoot(p1.events()));
  EXPECT_EQ(to3[0].SerializeAsString(), to1[0].SerializeAsString());  // same half, same lie
  // An empty block is varied by its timestamp.
  auto e = PrePrepare(0, 2, 0);
  EXPECT_NE(model::ProposalDigest(b->Outgoing(1, e)[0].pre_prepare().proposal()),
            model::ProposalDigest(b->Outgoing(2, e)[0].pre_prepare().proposal()));
}

TEST_F(SimByzantineTest, InvalidBlocksAreValidlySignedButInconsistent) {
  auto b = Make(ByzantineKind::kInvalidBlocks);
  for (uint64_t h = 3; h <= 5; ++h) {  // h % 3 = 0, 1, 2: tampered event, root, count
    auto m = PrePrepare(0, h, 2);
    for (uint32_t to = 1; to <= 3; ++to) {
      auto out = b->Outgoing(to, m);
      ASSERT_EQ(out.size(), 1u);
      if ((to + h) % 3 == 0) {
        EXPECT_EQ(out[0].SerializeAsString(), m.SerializeAsString());
        continue;
      }
      const auto& pp = out[0].pre_prepare();
      EXPECT_TRUE(ValidlySigned(pp));
      const bool root_ok = pp.proposal().events_root() == model::EventsRoot(pp.events()) &&
                           pp.proposal().event_count() == static_cast<uint32_t>(pp.events_size());
      bool events_ok = true;
      model::EventValidator v(genesis_);
      model::ValidateOptions o;
      o.cert_time_ms = net_->now_ms();
      for (const auto& e : pp.events()) events_ok = events_ok && v.Validate(e, o).ok();
      EXPECT_FALSE(root_ok && events_ok) << "h" << h << " to " << to;
    }
  }
}

TEST_F(SimByzantineTest, BadBackupSendsConflictingAndBadlySignedVotes) {
  auto b = Make(ByzantineKind::kBadBackup);
  v1::PeerMessage m;
  v1::Vote* v = m.mutable_prepare();
  v->set_view(0);
  v->set_height(1);
  v->set_digest(Bytes(32, 'd'));
  v->set_replica(0);
  v->set_signature(*net_->node(0).key.Sign(
      model::VoteMessage(genesis_->chain_id, model::VoteType::kPrepare, 0, 1, v->digest())));
  int conflicting = 0, bad = 0, real = 0;
  for (int i = 0; i < 50; ++i) {
    for (const auto& out : b->Outgoing(1, m)) {
      const v1::Vote& o = out.prepare();
      const bool sig_ok =
          model::VerifyReplicaSignature(
              *genesis_, 0,
              model::VoteMessage(genesis_->chain_id, model::VoteType::kPrepare, 0, 1, o.digest()),
              o.signature())
              .ok();
      if (!sig_ok)
        ++bad;
      else if (o.digest() != v->digest())
        ++conflicting;
      else
        ++real;
    }
  }
  EXPECT_GT(conflicting, 0);
  EXPECT_GT(bad, 0);
  EXPECT_GT(real, 0);
  EXPECT_LT(real, 50);  // some votes were withheld
}

TEST_F(SimByzantineTest, CensorNeverHearsTheCensoredOrigin) {
  auto b = Make(ByzantineKind::kCensor);
  model::EventValidator v(genesis_);
  model::ValidateOptions o;
  o.cert_time_ms = net_->now_ms();
  consensus::InboundMessage in;
  in.from = 2;
  in.events.emplace_back();
  for (const char* org : {"exporter", "customs", "importer"}) {
    auto se = net_->SignedBy(org, v1::EVENT_TYPE_EXCEPTION, "S");
    *in.message.mutable_forward()->add_events() = se;
    in.events[0].push_back(*v.Validate(se, o));
  }
  ASSERT_TRUE(b->Inbound(&in));
  ASSERT_EQ(in.events[0].size(), 2u);
  ASSERT_EQ(in.message.forward().events_size(), 2u);
  for (const auto& e : in.events[0]) EXPECT_NE(e->event.signer_org(), "customs");
  EXPECT_EQ(in.message.forward().events(1).SerializeAsString(),
            in.events[0][1]->signed_event.SerializeAsString());
}

TEST_F(SimByzantineTest, HeartbeatFlooderSendsStaleViewCopiesOfItsHeartbeatToEveryPeer) {
  auto b = Make(ByzantineKind::kFloodHeartbeat);
  EXPECT_TRUE(b->Flood().empty());  // nothing sent yet, nothing to flood
  v1::PeerMessage hb;
  hb.mutable_heartbeat()->set_view(3);
  hb.mutable_heartbeat()->set_committed_height(9);
  ASSERT_EQ(b->Outgoing(1, hb)[0].SerializeAsString(), hb.SerializeAsString());  // honest
  auto bursts = b->Flood();
  ASSERT_EQ(bursts.size(), 3u);
  for (uint32_t i = 0; i < 3; ++i) {
    EXPECT_EQ(bursts[i].to, i + 1);
    EXPECT_EQ(bursts[i].copies, 2000u);
    EXPECT_EQ(bursts[i].message.heartbeat().view(), 0u);
    EXPECT_EQ(bursts[i].message.heartbeat().committed_height(), 9u);
  }
}

TEST_F(SimByzantineTest, ViewChangeFlooderReplaysItsOwnViewChangesUnchanged) {
  auto b = Make(ByzantineKind::kFloodViewChange);
  v1::PeerMessage vc;
  vc.mutable_view_change()->set_new_view(1);
  vc.mutable_view_change()->set_replica(0);
  vc.mutable_view_change()->set_signature(
      *net_->node(0).key.Sign(model::ViewChangeMessage(genesis_->chain_id, vc.view_change())));
  ASSERT_EQ(b->Outgoing(2, vc).size(), 1u);
  auto bursts = b->Flood();
  ASSERT_EQ(bursts.size(), 3u);
  for (const auto& burst : bursts) {
    EXPECT_EQ(burst.message.SerializeAsString(), vc.SerializeAsString());
  }
}

TEST_F(SimByzantineTest, ForwardFlooderReforwardsEventsItHasSeen) {
  auto b = Make(ByzantineKind::kFloodForward);
  consensus::InboundMessage in;
  in.from = 2;
  std::set<Bytes> seen;
  for (int i = 0; i < 3; ++i) {
    auto se = Event("F" + std::to_string(i), 0);
    seen.insert(se.SerializeAsString());
    *in.message.mutable_forward()->add_events() = se;
  }
  ASSERT_TRUE(b->Inbound(&in));
  auto bursts = b->Flood();
  ASSERT_EQ(bursts.size(), 3u);
  ASSERT_EQ(bursts[0].message.forward().events_size(), 3);
  for (const auto& se : bursts[0].message.forward().events()) {
    EXPECT_TRUE(seen.contains(se.SerializeAsString()));
  }
}

TEST_F(SimByzantineTest, MixedViewTimePrimaryPreparesAheadProposalsAtOneBackupOnly) {
  auto b = Make(ByzantineKind::kMixedViewTime);
  auto m = PrePrepare(4, 2, 1);
  std::vector<uint32_t> got;
  Bytes digest;
  for (uint32_t to = 1; to <= 3; ++to) {
    for (const auto& out : b->Outgoing(to, m)) {
      const auto& pp = out.pre_prepare();
      EXPECT_TRUE(ValidlySigned(pp));
      EXPECT_EQ(pp.proposal().timestamp_ms(), m.pre_prepare().proposal().timestamp_ms() + 800);
      digest = model::ProposalDigest(pp.proposal());
      got.push_back(to);
    }
  }
  ASSERT_EQ(got.size(), 2u);  // quorum - 1 backups get the proposal
  v1::PeerMessage prepare;
  v1::Vote* v = prepare.mutable_prepare();
  v->set_view(4);
  v->set_height(2);
  v->set_digest(model::ProposalDigest(m.pre_prepare().proposal()));
  v->set_replica(0);
  std::vector<uint32_t> prepared;
  for (uint32_t to = 1; to <= 3; ++to) {
    for (const auto& out : b->Outgoing(to, prepare)) {
      EXPECT_EQ(out.prepare().digest(), digest);
      EXPECT_TRUE(
          model::VerifyReplicaSignature(
              *genesis_, 0,
              model::VoteMessage(genesis_->chain_id, model::VoteType::kPrepare, 4, 2, digest),
              out.prepare().signature())
              .ok());
      prepared.push_back(to);
    }
  }
  ASSERT_EQ(prepared.size(), 1u);  // its PREPARE to one of them only
  EXPECT_TRUE(prepared[0] == got[0] || prepared[0] == got[1]);
  v1::PeerMessage commit;
  *commit.mutable_commit() = *v;
  EXPECT_TRUE(b->Outgoing(1, commit).empty());
  v1::PeerMessage vc;
  vc.mutable_view_change()->set_new_view(5);
  vc.mutable_view_change()->set_replica(0);
  vc.mutable_view_change()->add_prepared()->set_view(4);
  auto out = b->Outgoing(1, vc);
  ASSERT_EQ(out.size(), 1u);
  EXPECT_EQ(out[0].view_change().prepared_size(), 0);
  EXPECT_TRUE(model::VerifyReplicaSignature(
                  *genesis_, 0, model::ViewChangeMessage(genesis_->chain_id, out[0].view_change()),
                  out[0].view_change().signature())
                  .ok());
}

}  // namespace
}  // namespace shipledger::sim
