#include "consensus/new_view.h"

#include <gtest/gtest.h>

#include <random>

#include "crypto/merkle.h"
#include "model/block.h"

namespace shipledger::consensus {
namespace {

v1::Proposal Prop(uint64_t h, const std::string& root, int64_t t = 1000) {
  v1::Proposal p;
  p.set_chain_id("c");
  p.set_height(h);
  p.set_events_root(root);
  p.set_proposer(0);
  p.set_timestamp_ms(t);
  p.set_event_count(1);
  return p;
}

// The stable block at `stable_h` has time `stable_ms`; the view change proves it unless
// `with_proof` is false (height 0 needs no proof).
v1::ViewChange Vc(uint64_t stable_h, std::vector<std::pair<uint64_t, v1::Proposal>> prepared,
                  int64_t stable_ms = 0, bool with_proof = true) {
  v1::ViewChange vc;
  vc.set_new_view(3);
  vc.mutable_stable()->set_height(stable_h);
  if (stable_h > 0) {
    v1::Proposal p = Prop(stable_h, "stable", stable_ms);
    const Bytes prev = "hash below";
    vc.mutable_stable()->set_block_hash(model::BlockHash(model::ProposalDigest(p), prev));
    if (with_proof) {
      *vc.mutable_stable_proposal() = p;
      vc.set_stable_prev_block_hash(prev);
    }
  }
  for (auto& [view, p] : prepared) {
    auto* c = vc.add_prepared();
    c->set_view(view);
    *c->mutable_proposal() = p;
  }
  return vc;
}

TEST(PlanNewView, TakesHighestStableAndHighestViewPerHeight) {
  auto a = Vc(4, {{1, Prop(5, "A")}, {1, Prop(7, "C")}});
  auto b = Vc(2, {{2, Prop(5, "B")}, {1, Prop(3, "old")}});
  auto c = Vc(4, {});
  auto plan = PlanNewView({&a, &b, &c});
  ASSERT_TRUE(plan.ok());
  EXPECT_EQ(plan->stable.height(), 4u);
  EXPECT_EQ(plan->max_height, 7u);
  ASSERT_EQ(plan->reproposals.size(), 2u);  // height 3 is below the stable checkpoint
  EXPECT_EQ(plan->reproposals.at(5)->proposal().events_root(), "B");
  EXPECT_EQ(plan->reproposals.at(7)->proposal().events_root(), "C");
}

TEST(PlanNewView, RefusesTwoProposalsPreparedInOneView) {
  auto a = Vc(0, {{1, Prop(1, "A")}});
  auto b = Vc(0, {{1, Prop(1, "B")}});
  EXPECT_FALSE(PlanNewView({&a, &b}).ok());
}

// Issue 18: certificates of different views paired a re-proposal with a later neighbour's
// time. Height 6 was prepared in view 1 at 110; in view 2 height 5 got 120 (a filler of view 2
// took its next re-proposal's time), so re-proposing both would make time go backwards. Height
// 6's view-1 certificate cannot have committed (view 2 would have re-proposed it): dropped.
TEST(PlanNewView, DropsALowerViewCertificateThatGoesBackInTime) {
  auto a = Vc(4, {{2, Prop(5, "A", 120)}});
  auto b = Vc(4, {{1, Prop(6, "B", 110)}, {1, Prop(7, "C", 130)}});
  auto plan = PlanNewView({&a, &b});
  ASSERT_TRUE(plan.ok());
  EXPECT_EQ(plan->max_height, 7u);
  ASSERT_EQ(plan->reproposals.size(), 2u);
  EXPECT_EQ(plan->reproposals.at(5)->proposal().events_root(), "A");
  EXPECT_FALSE(plan->reproposals.contains(6));
  EXPECT_EQ(FillerTimeMs(*plan, 6), 120);  // not below its parent at height 5
}

TEST(PlanNewView, DropsTheLowerViewCertificateWhenItIsTheLowerHeight) {
  auto a = Vc(4, {{1, Prop(5, "A", 200)}});
  auto b = Vc(4, {{2, Prop(6, "B", 150)}});
  auto plan = PlanNewView({&a, &b});
  ASSERT_TRUE(plan.ok());
  ASSERT_EQ(plan->reproposals.size(), 1u);
  EXPECT_EQ(plan->reproposals.at(6)->proposal().events_root(), "B");
  EXPECT_EQ(FillerTimeMs(*plan, 5), 150);
}

TEST(PlanNewView, MaxHeightFallsWhenTheHighestCertificateIsDropped) {
  auto a = Vc(4, {{3, Prop(5, "A", 300)}, {1, Prop(8, "B", 100)}});
  auto plan = PlanNewView({&a});
  ASSERT_TRUE(plan.ok());
  EXPECT_EQ(plan->max_height, 5u);
  EXPECT_EQ(plan->reproposals.size(), 1u);
}

TEST(PlanNewView, EqualTimesAreKept) {
  auto a = Vc(4, {{2, Prop(5, "A", 100)}, {1, Prop(6, "B", 100)}});
  auto plan = PlanNewView({&a});
  ASSERT_TRUE(plan.ok());
  EXPECT_EQ(plan->reproposals.size(), 2u);
}

// Issue 18, seed 3100157 (mixed-view-time, n = 4): height 13 was prepared in view 1 at 629;
// height 12 was then proposed afresh in view 2 at 778 and became stable. Re-proposing the
// view-1 certificate above it would make time go backwards; it cannot have committed (view 2's
// NEW-VIEW would have re-proposed it and planned height 12 no later than it): dropped.
TEST(PlanNewView, DropsCertificatesBelowTheStableBlocksTime) {
  auto a = Vc(12, {{1, Prop(13, "A", 629)}}, 778);
  auto b = Vc(12, {}, 778);
  auto plan = PlanNewView({&a, &b});
  ASSERT_TRUE(plan.ok()) << plan.status().ToString();
  EXPECT_EQ(plan->stable_proof, &a);
  EXPECT_TRUE(plan->reproposals.empty());
  EXPECT_EQ(plan->max_height, 12u);

  // Above it, or at its time, a certificate stays, and so do the fillers below it.
  auto c = Vc(12, {{1, Prop(13, "A", 629)}, {2, Prop(15, "C", 778)}}, 778);
  plan = PlanNewView({&c});
  ASSERT_TRUE(plan.ok());
  ASSERT_EQ(plan->reproposals.size(), 1u);
  EXPECT_EQ(plan->max_height, 15u);
  EXPECT_EQ(FillerTimeMs(*plan, 13), 778);
}

TEST(PlanNewView, TakesTheStableProofFromAnyViewChangeAtThatCheckpoint) {
  auto a = Vc(12, {{1, Prop(13, "A", 900)}}, 778, /*with_proof=*/false);
  auto b = Vc(12, {}, 778);
  auto plan = PlanNewView({&a, &b});
  ASSERT_TRUE(plan.ok()) << plan.status().ToString();
  EXPECT_EQ(plan->stable_proof, &b);
  EXPECT_EQ(plan->reproposals.size(), 1u);
  // A proof of a lower checkpoint does not do.
  auto low = Vc(8, {}, 700);
  EXPECT_EQ(PlanNewView({&a, &low}).status().code(), Code::kFailedPrecondition);
}

TEST(PlanNewView, NeedsAStableProofOnlyToReproposeAboveHeightZero) {
  auto a = Vc(12, {{1, Prop(13, "A", 900)}}, 778, /*with_proof=*/false);
  auto plan = PlanNewView({&a});
  EXPECT_EQ(plan.status().code(), Code::kFailedPrecondition);
  EXPECT_NE(plan.status().message().find("stable block 12"), std::string::npos);
  auto none = Vc(12, {}, 778, /*with_proof=*/false);
  EXPECT_TRUE(PlanNewView({&none}).ok());
  auto genesis = Vc(0, {{1, Prop(1, "A", 900)}});
  EXPECT_TRUE(PlanNewView({&genesis}).ok());
}

v1::NewView Built(const NewViewPlan& plan);

// Property: whatever mix of views and times the view changes carry, the NEW-VIEW built from the
// plan never has a block time below its parent's, and the backups' check accepts it.
TEST(PlanNewView, BuiltNewViewTimesNeverDecreaseForRandomMixedViews) {
  for (uint32_t seed = 1; seed <= 500; ++seed) {
    std::mt19937 rng(seed);
    std::vector<v1::ViewChange> vcs;
    const uint64_t stable_h = rng() % 3;
    const int64_t stable_ms = 1000 + static_cast<int64_t>(rng() % 30);
    for (int r = 0; r < 3; ++r) {
      std::vector<std::pair<uint64_t, v1::Proposal>> prepared;
      for (uint64_t h = stable_h + 1; h <= 12; ++h) {
        if (rng() % 3 == 0) continue;
        const uint64_t view = rng() % 4;
        // One proposal per (view, height), as with <= f faults.
        prepared.emplace_back(view, Prop(h, "r" + std::to_string(view) + "h" + std::to_string(h),
                                         1000 + static_cast<int64_t>((view * 7 + h * 13) % 50)));
      }
      vcs.push_back(Vc(stable_h, prepared, stable_ms));
    }
    auto plan = PlanNewView({&vcs[0], &vcs[1], &vcs[2]});
    ASSERT_TRUE(plan.ok()) << "seed " << seed << ": " << plan.status().ToString();
    const v1::NewView nv = Built(*plan);
    ASSERT_TRUE(CheckNewViewAgainstPlan(nv, *plan).ok()) << "seed " << seed;
    for (int i = 0; i < nv.pre_prepares_size(); ++i) {
      const int64_t parent_ms = i == 0 ? (stable_h == 0 ? 0 : stable_ms)
                                       : nv.pre_prepares(i - 1).proposal().timestamp_ms();
      EXPECT_GE(nv.pre_prepares(i).proposal().timestamp_ms(), parent_ms)
          << "seed " << seed << " height " << nv.pre_prepares(i).proposal().height();
    }
  }
}

v1::NewView Built(const NewViewPlan& plan) {
  v1::NewView nv;
  nv.set_view(3);
  nv.set_replica(3);
  for (uint64_t h = plan.stable.height() + 1; h <= plan.max_height; ++h) {
    auto* pp = nv.add_pre_prepares();
    pp->set_view(3);
    if (auto it = plan.reproposals.find(h); it != plan.reproposals.end()) {
      *pp->mutable_proposal() = it->second->proposal();
    } else {
      *pp->mutable_proposal() = Prop(h, crypto::MerkleRoot({}));
      pp->mutable_proposal()->set_event_count(0);
      pp->mutable_proposal()->set_proposer(nv.replica());
      pp->mutable_proposal()->set_timestamp_ms(FillerTimeMs(plan, h));
    }
  }
  return nv;
}

TEST(CheckNewViewAgainstPlan, AcceptsReproposalsAndEmptyFillers) {
  auto a = Vc(0, {{1, Prop(3, "A")}});
  auto plan = PlanNewView({&a});
  ASSERT_TRUE(plan.ok());
  auto nv = Built(*plan);
  ASSERT_EQ(nv.pre_prepares_size(), 3);
  EXPECT_TRUE(CheckNewViewAgainstPlan(nv, *plan).ok());
}

TEST(CheckNewViewAgainstPlan, RejectsAChangedReproposal) {
  auto a = Vc(0, {{1, Prop(2, "A")}});
  auto plan = PlanNewView({&a});
  auto nv = Built(*plan);
  nv.mutable_pre_prepares(1)->mutable_proposal()->set_timestamp_ms(999);
  EXPECT_FALSE(CheckNewViewAgainstPlan(nv, *plan).ok());
}

TEST(CheckNewViewAgainstPlan, RejectsEventsInAFiller) {
  auto a = Vc(0, {{1, Prop(2, "A")}});
  auto plan = PlanNewView({&a});
  auto nv = Built(*plan);
  nv.mutable_pre_prepares(0)->mutable_proposal()->set_event_count(1);
  EXPECT_FALSE(CheckNewViewAgainstPlan(nv, *plan).ok());
}

TEST(CheckNewViewAgainstPlan, RejectsAFillerAtAnotherTime) {
  auto a = Vc(0, {{1, Prop(2, "A", 5000)}});
  auto plan = PlanNewView({&a});
  auto nv = Built(*plan);
  EXPECT_TRUE(CheckNewViewAgainstPlan(nv, *plan).ok());
  nv.mutable_pre_prepares(0)->mutable_proposal()->set_timestamp_ms(9999999);
  EXPECT_FALSE(CheckNewViewAgainstPlan(nv, *plan).ok());
}

TEST(CheckNewViewAgainstPlan, RejectsMissingOrExtraHeights) {
  auto a = Vc(0, {{1, Prop(2, "A")}});
  auto plan = PlanNewView({&a});
  auto nv = Built(*plan);
  nv.mutable_pre_prepares()->RemoveLast();
  EXPECT_FALSE(CheckNewViewAgainstPlan(nv, *plan).ok());
}

}  // namespace
}  // namespace shipledger::consensus
