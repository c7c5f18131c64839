#include "model/journal.h"

#include <gtest/gtest.h>

#include <vector>

namespace shipledger::model {
namespace {

v1::JournalEntry View(uint64_t view) {
  v1::JournalEntry e;
  e.set_view(view);
  return e;
}

v1::JournalEntry ViewChange(uint64_t new_view, std::vector<uint64_t> prepared_heights) {
  v1::JournalEntry e;
  v1::ViewChange* vc = e.mutable_sent()->mutable_view_change();
  vc->set_new_view(new_view);
  for (uint64_t h : prepared_heights) {
    v1::PreparedCertificate* c = vc->add_prepared();
    c->mutable_proposal()->set_height(h);
  }
  return e;
}

std::vector<bool> Prune(const std::vector<v1::JournalEntry>& entries, uint64_t through) {
  std::vector<const v1::JournalEntry*> ptrs;
  for (const auto& e : entries) ptrs.push_back(&e);
  return PrunableHeightZeroEntries(ptrs, through);
}

TEST(JournalPrune, KeepsOnlyTheLatestViewEntry) {
  EXPECT_EQ(Prune({View(1), View(2), View(3)}, 10), (std::vector<bool>{true, true, false}));
}

TEST(JournalPrune, ViewChangeForAViewEnteredIsPruned) {
  EXPECT_EQ(Prune({ViewChange(1, {5}), View(1)}, 10), (std::vector<bool>{true, false}));
}

TEST(JournalPrune, ViewChangeForAViewNotYetEnteredIsKept) {
  EXPECT_EQ(Prune({View(1), ViewChange(2, {5})}, 10), (std::vector<bool>{false, false}));
}

TEST(JournalPrune, ViewChangeWithAPreparedHeightAboveTheCheckpointIsKept) {
  EXPECT_EQ(Prune({ViewChange(1, {5, 12}), View(1)}, 10), (std::vector<bool>{false, false}));
}

TEST(JournalPrune, WithoutAViewEnteredEveryViewChangeIsKept) {
  EXPECT_EQ(Prune({ViewChange(1, {}), ViewChange(2, {})}, 10), (std::vector<bool>{false, false}));
}

TEST(JournalPrune, OtherKindsAtHeightZeroAreKept) {
  v1::JournalEntry vote;
  vote.mutable_sent()->mutable_prepare()->set_height(0);
  EXPECT_EQ(Prune({vote, View(1), View(2)}, 10), (std::vector<bool>{false, true, false}));
}

}  // namespace
}  // namespace shipledger::model
