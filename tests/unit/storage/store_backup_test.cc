// Store::CreateCheckpoint: a consistent copy of a live store that opens as a data dir.
#include <gtest/gtest.h>

#include "store_test_util.h"

namespace shipledger::storage {
namespace {

TEST(StoreBackup, TheCopyHoldsEverythingCommittedBeforeAndNothingAfter) {
  TempDir dir;
  auto store = OpenOrDie(dir.path() + "/data");
  CommitNext(*store, {{"S1"}, {"S2"}});
  const NextBlock second = CommitNext(*store, {{"S1", v1::RESULT_CODE_VALID, {{"bol", "B-1"}}}});
  v1::JournalEntry entry;
  entry.set_view(3);
  ASSERT_TRUE(store->AppendJournal(2, entry).ok());

  const std::string copy = dir.path() + "/backup";
  ASSERT_TRUE(store->CreateCheckpoint(copy).ok());
  CommitNext(*store, {{"S3"}});  // after the copy: not in it

  StoreOptions read_only;
  read_only.read_only = true;
  auto backup = OpenOrDie(copy, MakeGenesis(), read_only);
  EXPECT_EQ(backup->head().height, 2u);
  EXPECT_EQ(backup->head().block_hash, second.block.block_hash());
  EXPECT_EQ(backup->head().event_count, 3u);
  EXPECT_TRUE(backup->GetBlock(1).ok());
  EXPECT_EQ(backup->GetBlock(3).status().code(), Code::kNotFound);
  auto ids = backup->GetShipmentEventIds("S1");
  ASSERT_TRUE(ids.ok());
  EXPECT_EQ(ids->size(), 2u);
  auto journal = backup->LoadJournal();
  ASSERT_TRUE(journal.ok());
  ASSERT_EQ(journal->size(), 1u);
  EXPECT_EQ((*journal)[0].view(), 3u);
  EXPECT_EQ(store->head().height, 3u);
}

TEST(StoreBackup, RefusesAnExistingFolderAndLeavesItAlone) {
  TempDir dir;
  auto store = OpenOrDie(dir.path() + "/data");
  CommitNext(*store, {{"S1"}});
  const std::string copy = dir.path() + "/backup";
  fs::create_directories(copy);
  const Status s = store->CreateCheckpoint(copy);
  EXPECT_EQ(s.code(), Code::kAlreadyExists) << s.ToString();
  EXPECT_TRUE(fs::is_empty(copy));
}

TEST(StoreBackup, TheCopyOfAStoreOpensReadWriteAndGoesOn) {
  TempDir dir;
  const std::string copy = dir.path() + "/backup";
  {
    auto store = OpenOrDie(dir.path() + "/data");
    CommitNext(*store, {{"S1"}});
    ASSERT_TRUE(store->CreateCheckpoint(copy).ok());
  }
  auto restored = OpenOrDie(copy);
  EXPECT_EQ(restored->head().height, 1u);
  CommitNext(*restored, {{"S2"}});
  EXPECT_EQ(restored->head().height, 2u);
}

}  // namespace
}  // namespace shipledger::storage
