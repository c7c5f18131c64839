// The tracking index (DESIGN §8, docs/tracking.md): tracking hash -> shipment, written with the
// block, only for VALID bookings, first claim wins; and old data dirs without the family.
#include <gtest/gtest.h>
#include <rocksdb/db.h>

#include <algorithm>
#include <string>
#include <vector>

#include "storage/keys.h"
#include "storage/store.h"
#include "store_test_util.h"

namespace shipledger::storage {
namespace {

Bytes Hash(char fill) { return Bytes(32, fill); }

std::string Owner(const Store& store, ByteView hash) {
  Result<std::string> owner = store.GetShipmentByTrackingHash(hash);
  return owner.ok() ? *owner : "<" + std::string(CodeName(owner.status().code())) + ">";
}

TEST(StoreTracking, ValidBookingIndexesItsTrackingHash) {
  TempDir dir;
  auto store = OpenOrDie(dir.path());
  CommitNext(*store, {{.shipment_id = "S1", .tracking_hash = Hash('a')}, {"S2"}});
  EXPECT_EQ(Owner(*store, Hash('a')), "S1");
}

TEST(StoreTracking, UnknownOrMalformedHashIsNotFound) {
  TempDir dir;
  auto store = OpenOrDie(dir.path());
  CommitNext(*store, {{.shipment_id = "S1", .tracking_hash = Hash('a')}});
  EXPECT_EQ(Owner(*store, Hash('b')), "<NOT_FOUND>");
  EXPECT_EQ(Owner(*store, "short"), "<NOT_FOUND>");
  EXPECT_EQ(Owner(*store, ""), "<NOT_FOUND>");
}

TEST(StoreTracking, RejectedBookingDoesNotClaimTheCode) {
  TempDir dir;
  auto store = OpenOrDie(dir.path());
  CommitNext(*store,
             {{.shipment_id = "S1", .code = v1::RESULT_CODE_REJECTED, .tracking_hash = Hash('a')}});
  EXPECT_EQ(Owner(*store, Hash('a')), "<NOT_FOUND>");
  // The code is still free: a later VALID booking takes it.
  CommitNext(*store, {{.shipment_id = "S2", .tracking_hash = Hash('a')}});
  EXPECT_EQ(Owner(*store, Hash('a')), "S2");
}

TEST(StoreTracking, DuplicateBookingDoesNotClaimTheCode) {
  TempDir dir;
  auto store = OpenOrDie(dir.path());
  CommitNext(
      *store,
      {{.shipment_id = "S1", .code = v1::RESULT_CODE_DUPLICATE, .tracking_hash = Hash('a')}});
  EXPECT_EQ(Owner(*store, Hash('a')), "<NOT_FOUND>");
}

TEST(StoreTracking, FirstBookingInAnEarlierBlockWins) {
  TempDir dir;
  auto store = OpenOrDie(dir.path());
  CommitNext(*store, {{.shipment_id = "S1", .tracking_hash = Hash('a')}});
  CommitNext(*store, {{.shipment_id = "S2", .tracking_hash = Hash('a')}});
  EXPECT_EQ(Owner(*store, Hash('a')), "S1");
}

TEST(StoreTracking, FirstBookingInTheSameBlockWins) {
  TempDir dir;
  auto store = OpenOrDie(dir.path());
  CommitNext(*store, {{.shipment_id = "S9", .tracking_hash = Hash('a')},
                      {.shipment_id = "S1", .tracking_hash = Hash('a')}});
  EXPECT_EQ(Owner(*store, Hash('a')), "S9");
}

TEST(StoreTracking, OnlyBookingsAreIndexed) {
  TempDir dir;
  auto store = OpenOrDie(dir.path());
  CommitNext(*store, {{"S1"}});
  CommitNext(*store,
             {{.shipment_id = "S1", .tracking_hash = Hash('a'), .type = v1::EVENT_TYPE_PICKUP}});
  EXPECT_EQ(Owner(*store, Hash('a')), "<NOT_FOUND>");
}

TEST(StoreTracking, IndexSurvivesReopen) {
  TempDir dir;
  {
    auto store = OpenOrDie(dir.path());
    CommitNext(*store, {{.shipment_id = "S1", .tracking_hash = Hash('a')}});
  }
  auto store = OpenOrDie(dir.path());
  EXPECT_EQ(Owner(*store, Hash('a')), "S1");
}

// Removes the tracking_index family from a closed store: a data dir made before it existed.
void DropTrackingFamily(const std::string& path) {
  WithRawDb(path, [](rocksdb::DB* db, const std::vector<rocksdb::ColumnFamilyHandle*>& handles) {
    EXPECT_TRUE(
        db->DropColumnFamily(handles[static_cast<size_t>(keys::Family::kTrackingIndex)]).ok());
  });
  std::vector<std::string> left;
  ASSERT_TRUE(rocksdb::DB::ListColumnFamilies(rocksdb::DBOptions(), path, &left).ok());
  ASSERT_EQ(std::count(left.begin(), left.end(), "tracking_index"), 0);
}

TEST(StoreTracking, OldStoreWithoutTrackingFamilyOpensReadOnly) {
  TempDir dir;
  { CommitNext(*OpenOrDie(dir.path()), {{"S1"}}); }
  DropTrackingFamily(dir.path());
  StoreOptions read_only;
  read_only.read_only = true;
  auto store = OpenOrDie(dir.path(), MakeGenesis(), read_only);
  EXPECT_EQ(store->head().height, 1u);
  EXPECT_EQ(Owner(*store, Hash('a')), "<NOT_FOUND>");
}

TEST(StoreTracking, OldStoreGetsTrackingFamilyOnReadWriteOpen) {
  TempDir dir;
  { CommitNext(*OpenOrDie(dir.path()), {{"S1"}}); }
  DropTrackingFamily(dir.path());
  auto store = OpenOrDie(dir.path());
  EXPECT_EQ(store->head().height, 1u);
  CommitNext(*store, {{.shipment_id = "S2", .tracking_hash = Hash('a')}});
  EXPECT_EQ(Owner(*store, Hash('a')), "S2");
}

}  // namespace
}  // namespace shipledger::storage
