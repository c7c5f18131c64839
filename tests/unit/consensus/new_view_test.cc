#include "consensus/new_view.h"

#include <gtest/gtest.h>

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

v1::ViewChange Vc(uint64_t stable_h, std::vector<std::pair<uint64_t, v1::Proposal>> prepared) {
  v1::ViewChange vc;
  vc.set_new_view(3);
  vc.mutable_stable()->set_height(stable_h);
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
      pp->mutable_proposal()->set_timestamp_ms(
          plan.reproposals.upper_bound(h)->second->proposal().timestamp_ms());
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
