// The party index (DESIGN §8: list scans per organisation; docs/architecture.md): (party
// organisation, shipment id) for each party of each shipment state, written with the block,
// read by ListPartyShipments; and data dirs made before it, or committed to by a build without
// it, which get it built on a read-write open.
#include <gtest/gtest.h>
#include <rocksdb/db.h>
#include <rocksdb/perf_context.h>
#include <rocksdb/perf_level.h>

#include <set>
#include <string>
#include <utility>
#include <vector>

#include "storage/keys.h"
#include "storage/store.h"
#include "store_test_util.h"

namespace shipledger::storage {
namespace {

using Booking = std::pair<std::string, std::vector<std::string>>;  // shipment id, parties

// Commits one block booking (or updating) each shipment with exactly these parties.
void Book(Store& store, const std::vector<Booking>& bookings) {
  std::vector<EventSpec> specs;
  for (const auto& [id, parties] : bookings) specs.push_back({id});
  NextBlock next = MakeNextBlock(store, specs);
  for (const auto& [id, parties] : bookings) {
    v1::ShipmentState& state = next.effects.state_writes.at(id);
    state.clear_parties();
    for (const std::string& org : parties) state.add_parties(org);
  }
  const Status status = Commit(store, next);
  ASSERT_TRUE(status.ok()) << status.ToString();
}

std::vector<std::string> Ids(const Result<std::vector<v1::ShipmentState>>& states) {
  EXPECT_TRUE(states.ok()) << states.status().ToString();
  std::vector<std::string> ids;
  if (!states.ok()) return ids;
  for (const v1::ShipmentState& state : *states) ids.push_back(state.shipment_id());
  return ids;
}

using Strings = std::vector<std::string>;

// 300 shipments of org-b, and org-a's four among them (one shared with org-b).
void BookManyOfOthers(Store& store) {
  for (int block = 0; block < 3; ++block) {
    std::vector<Booking> bookings;
    for (int i = 0; i < 100; ++i) {
      bookings.push_back({"B-" + std::to_string(block * 100 + i + 1000), {"org-b"}});
    }
    Book(store, bookings);
  }
  Book(store, {{"Z-9", {"org-a"}}, {"A-1", {"org-a"}}, {"M-5", {"org-a", "org-b"}}});
  Book(store, {{"C-3", {"org-c", "org-a"}}});
}

TEST(StorePartyIndex, ListsTheShipmentsOfOnePartyInIdOrder) {
  TempDir dir;
  auto store = OpenOrDie(dir.path());
  BookManyOfOthers(*store);
  EXPECT_EQ(Ids(store->ListPartyShipments("org-a", "", 1000)),
            (Strings{"A-1", "C-3", "M-5", "Z-9"}));
  EXPECT_EQ(Ids(store->ListPartyShipments("org-c", "", 1000)), (Strings{"C-3"}));
  EXPECT_EQ(store->ListPartyShipments("org-b", "", 1000)->size(), 301u);
  EXPECT_TRUE(store->ListPartyShipments("org-x", "", 1000)->empty());
  EXPECT_TRUE(store->ListPartyShipments("org", "", 1000)->empty());  // a prefix of org-a
}

TEST(StorePartyIndex, PagesAfterTheGivenId) {
  TempDir dir;
  auto store = OpenOrDie(dir.path());
  BookManyOfOthers(*store);
  EXPECT_EQ(Ids(store->ListPartyShipments("org-a", "", 2)), (Strings{"A-1", "C-3"}));
  EXPECT_EQ(Ids(store->ListPartyShipments("org-a", "C-3", 2)), (Strings{"M-5", "Z-9"}));
  EXPECT_EQ(Ids(store->ListPartyShipments("org-a", "D", 10)), (Strings{"M-5", "Z-9"}));
  EXPECT_TRUE(store->ListPartyShipments("org-a", "Z-9", 2)->empty());
  EXPECT_TRUE(store->ListPartyShipments("org-a", "", 0)->empty());
}

TEST(StorePartyIndex, PartyAddedByALaterBlockIsIndexed) {
  TempDir dir;
  auto store = OpenOrDie(dir.path());
  Book(*store, {{"S1", {"org-a"}}});
  EXPECT_TRUE(store->ListPartyShipments("org-d", "", 10)->empty());
  Book(*store, {{"S1", {"org-a", "org-d"}}});
  EXPECT_EQ(Ids(store->ListPartyShipments("org-d", "", 10)), (Strings{"S1"}));
  EXPECT_EQ(Ids(store->ListPartyShipments("org-a", "", 10)), (Strings{"S1"}));
}

// What RocksDB read for `fn` on this thread: the keys its iterators stepped through, and the
// bytes of the values it returned from point reads.
struct Reads {
  uint64_t keys_scanned = 0;
  uint64_t point_read_bytes = 0;
};
template <typename Fn>
Reads ReadsOf(Fn&& fn) {
  rocksdb::SetPerfLevel(rocksdb::PerfLevel::kEnableCount);
  rocksdb::get_perf_context()->Reset();
  fn();
  const rocksdb::PerfContext& perf = *rocksdb::get_perf_context();
  const Reads reads{perf.internal_key_skipped_count,
                    perf.get_read_bytes + perf.multiget_read_bytes};
  rocksdb::SetPerfLevel(rocksdb::PerfLevel::kDisable);
  return reads;
}

TEST(StorePartyIndex, ListingOnePartysShipmentsDoesNotReadTheOthers) {
  TempDir dir;
  auto store = OpenOrDie(dir.path());
  BookManyOfOthers(*store);
  std::vector<v1::ShipmentState> mine;
  const Reads indexed = ReadsOf([&] {
    Result<std::vector<v1::ShipmentState>> listed = store->ListPartyShipments("org-a", "", 50);
    ASSERT_TRUE(listed.ok()) << listed.status().ToString();
    mine = std::move(listed).value();
  });
  ASSERT_EQ(mine.size(), 4u);
  size_t own_bytes = 0;
  for (const v1::ShipmentState& state : mine) own_bytes += state.ByteSizeLong();
  // Its four index keys, then its four states by key: no state of org-b's 300 shipments.
  EXPECT_LE(indexed.keys_scanned, 5u);
  EXPECT_GT(indexed.point_read_bytes, 0u);
  EXPECT_LE(indexed.point_read_bytes, own_bytes);
  // What the scan of every state, which ListShipments did for everyone before, reads.
  const Reads all = ReadsOf([&] { ASSERT_TRUE(store->ListShipments("", 1000).ok()); });
  EXPECT_GE(all.keys_scanned, 304u);
}

// The keys of the party_index family of a closed store, as (org, shipment id) strings.
std::set<std::string> RawPartyIndex(const std::string& path) {
  std::set<std::string> entries;
  WithRawDb(path, [&](rocksdb::DB* db, const std::vector<rocksdb::ColumnFamilyHandle*>& handles) {
    std::unique_ptr<rocksdb::Iterator> it(db->NewIterator(
        rocksdb::ReadOptions(), handles[static_cast<size_t>(keys::Family::kPartyIndex)]));
    for (it->SeekToFirst(); it->Valid(); it->Next()) entries.insert(it->key().ToString());
  });
  return entries;
}

// Makes a closed store look like one a build without the party index wrote: no party_index
// family and no record of how far it is complete.
void MakePreIndexDataDir(const std::string& path) {
  WithRawDb(path, [](rocksdb::DB* db, const std::vector<rocksdb::ColumnFamilyHandle*>& handles) {
    EXPECT_TRUE(db->Delete(rocksdb::WriteOptions(),
                           handles[static_cast<size_t>(keys::Family::kMeta)],
                           keys::kMetaPartyIndexHeight)
                    .ok());
    EXPECT_TRUE(db->DropColumnFamily(handles[static_cast<size_t>(keys::Family::kPartyIndex)]).ok());
  });
  std::vector<std::string> left;
  ASSERT_TRUE(rocksdb::DB::ListColumnFamilies(rocksdb::DBOptions(), path, &left).ok());
  ASSERT_EQ(std::count(left.begin(), left.end(), "party_index"), 0);
}

TEST(StorePartyIndex, NewStoreNeedsNoBuild) {
  TempDir dir;
  {
    auto store = OpenOrDie(dir.path());
    EXPECT_FALSE(store->party_index_rebuilt().has_value());
    Book(*store, {{"S1", {"org-a"}}});
  }
  auto store = OpenOrDie(dir.path());
  EXPECT_FALSE(store->party_index_rebuilt().has_value());
  EXPECT_EQ(Ids(store->ListPartyShipments("org-a", "", 10)), (Strings{"S1"}));
}

TEST(StorePartyIndex, DataDirMadeBeforeTheIndexGetsItBuiltOnOpen) {
  TempDir dir;
  {
    auto store = OpenOrDie(dir.path());
    Book(*store, {{"S1", {"org-a"}}, {"S2", {"org-b", "org-a"}}});
    Book(*store, {{"S3", {"org-b"}}});
  }
  const std::set<std::string> written = RawPartyIndex(dir.path());
  EXPECT_EQ(written,
            (std::set<std::string>{keys::PartyKey("org-a", "S1"), keys::PartyKey("org-a", "S2"),
                                   keys::PartyKey("org-b", "S2"), keys::PartyKey("org-b", "S3")}));
  MakePreIndexDataDir(dir.path());
  {
    auto store = OpenOrDie(dir.path());
    ASSERT_TRUE(store->party_index_rebuilt().has_value());
    EXPECT_EQ(*store->party_index_rebuilt(), 3u);  // states indexed
    EXPECT_EQ(Ids(store->ListPartyShipments("org-a", "", 10)), (Strings{"S1", "S2"}));
    EXPECT_EQ(Ids(store->ListPartyShipments("org-b", "", 10)), (Strings{"S2", "S3"}));
    Book(*store, {{"S4", {"org-a"}}});  // and kept up from then on
    EXPECT_EQ(Ids(store->ListPartyShipments("org-a", "", 10)), (Strings{"S1", "S2", "S4"}));
  }
  std::set<std::string> expected = written;
  expected.insert(keys::PartyKey("org-a", "S4"));
  EXPECT_EQ(RawPartyIndex(dir.path()), expected);
  auto store = OpenOrDie(dir.path());
  EXPECT_FALSE(store->party_index_rebuilt().has_value());  // built once
}

TEST(StorePartyIndex, IndexBehindTheHeadIsCompletedOnOpen) {
  TempDir dir;
  {
    auto store = OpenOrDie(dir.path());
    Book(*store, {{"S1", {"org-a"}}});
    Book(*store, {{"S2", {"org-a"}}});
  }
  // As if a build without the index had committed block 2: no entry for S2, and the index
  // recorded complete through height 1 only.
  RawWrite(dir.path(), keys::Family::kPartyIndex, keys::PartyKey("org-a", "S2"), std::nullopt);
  RawWrite(dir.path(), keys::Family::kMeta, keys::kMetaPartyIndexHeight, keys::HeightKey(1));
  auto store = OpenOrDie(dir.path());
  ASSERT_TRUE(store->party_index_rebuilt().has_value());
  EXPECT_EQ(Ids(store->ListPartyShipments("org-a", "", 10)), (Strings{"S1", "S2"}));
}

TEST(StorePartyIndex, ReadOnlyOpenOfAPreIndexDataDirListsByScanning) {
  TempDir dir;
  {
    auto store = OpenOrDie(dir.path());
    Book(*store, {{"S1", {"org-a"}}, {"S2", {"org-b"}}, {"S3", {"org-a"}}});
  }
  MakePreIndexDataDir(dir.path());
  StoreOptions read_only;
  read_only.read_only = true;
  auto store = OpenOrDie(dir.path(), MakeGenesis(), read_only);
  EXPECT_FALSE(store->party_index_rebuilt().has_value());
  EXPECT_EQ(Ids(store->ListPartyShipments("org-a", "", 10)), (Strings{"S1", "S3"}));
  EXPECT_EQ(Ids(store->ListPartyShipments("org-a", "S1", 10)), (Strings{"S3"}));
  EXPECT_EQ(Ids(store->ListPartyShipments("org-a", "", 1)), (Strings{"S1"}));
}

}  // namespace
}  // namespace shipledger::storage
