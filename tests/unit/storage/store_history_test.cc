// A shipment's history from the shipment index (schema 2: receipt and block time kept with each
// entry), stores written by schema 1, and the schema version check at Open.
#include <gtest/gtest.h>

#include <memory>
#include <string>
#include <vector>

#include "store_test_util.h"

namespace shipledger::storage {
namespace {

// What a history entry must say, read the long way: the event index, receipts and blocks.
struct Expected {
  Bytes id;
  EventLocation location;
  int64_t block_time_ms;
  std::string receipt;  // encoding
};

std::vector<Expected> ReadTheLongWay(const Store& store, std::string_view shipment_id) {
  std::vector<Expected> out;
  Result<std::vector<Bytes>> ids = store.GetShipmentEventIds(shipment_id);
  EXPECT_TRUE(ids.ok()) << ids.status().ToString();
  if (!ids.ok()) return out;
  for (const Bytes& id : *ids) {
    const EventLocation at = store.GetEventLocation(id).value();
    out.push_back({id, at, store.GetBlockTime(at.height).value(),
                   store.GetReceipt(id).value().SerializeAsString()});
  }
  return out;
}

void ExpectHistory(const Store& store, std::string_view shipment_id,
                   const std::vector<Expected>& expected) {
  Result<std::vector<Store::HistoryEntry>> history = store.GetShipmentHistory(shipment_id);
  ASSERT_TRUE(history.ok()) << history.status().ToString();
  ASSERT_EQ(history->size(), expected.size());
  for (size_t i = 0; i < expected.size(); ++i) {
    const Store::HistoryEntry& e = (*history)[i];
    EXPECT_EQ(e.id, expected[i].id) << i;
    EXPECT_EQ(e.location.height, expected[i].location.height) << i;
    EXPECT_EQ(e.location.index, expected[i].location.index) << i;
    EXPECT_EQ(e.block_time_ms, expected[i].block_time_ms) << i;
    EXPECT_EQ(e.receipt, expected[i].receipt) << i;
  }
}

// Rewrites a closed store as schema 1 wrote it: shipment index values are the event id alone.
void DowngradeToSchemaOne(const std::string& dir) {
  WithRawDb(dir, [](rocksdb::DB* db, const std::vector<rocksdb::ColumnFamilyHandle*>& handles) {
    rocksdb::ColumnFamilyHandle* index =
        handles[static_cast<size_t>(keys::Family::kShipmentEvents)];
    rocksdb::WriteBatch batch;
    std::unique_ptr<rocksdb::Iterator> it(db->NewIterator(rocksdb::ReadOptions(), index));
    for (it->SeekToFirst(); it->Valid(); it->Next()) {
      ASSERT_GT(it->value().size(), 32u);
      ASSERT_TRUE(batch.Put(index, it->key(), rocksdb::Slice(it->value().data(), 32)).ok());
    }
    ASSERT_TRUE(it->status().ok());
    Bytes version;
    PutU32BE(&version, 1);
    ASSERT_TRUE(batch
                    .Put(handles[static_cast<size_t>(keys::Family::kMeta)],
                         std::string(keys::kMetaSchemaVersion), version)
                    .ok());
    ASSERT_TRUE(db->Write(rocksdb::WriteOptions(), &batch).ok());
  });
}

uint32_t SchemaVersionOf(const std::string& dir) {
  uint32_t version = 0;
  WithRawDb(dir, [&](rocksdb::DB* db, const std::vector<rocksdb::ColumnFamilyHandle*>& handles) {
    std::string value;
    ASSERT_TRUE(db->Get(rocksdb::ReadOptions(), handles[static_cast<size_t>(keys::Family::kMeta)],
                        std::string(keys::kMetaSchemaVersion), &value)
                    .ok());
    ASSERT_TRUE(keys::DecodeU32(value, &version));
  });
  return version;
}

TEST(StoreHistory, ReadsTimesAndReceiptsFromTheShipmentIndex) {
  TempDir dir;
  NextBlock first;
  std::vector<Expected> expected;
  {
    auto store = OpenOrDie(dir.path());
    first = CommitNext(*store, {{"S1"}, {"S2"}});
    CommitNext(*store, {{"S2"}, {"S1", v1::RESULT_CODE_REJECTED}, {"S1"}});
    // A later copy of the first event: in the block, not in the index.
    CommitNext(*store, {{"S1", v1::RESULT_CODE_DUPLICATE, {}, first.events[0]->id}});
    expected = ReadTheLongWay(*store, "S1");
    ASSERT_EQ(expected.size(), 3u);
    EXPECT_EQ(expected[1].location.height, 2u);
    EXPECT_NE(expected[0].block_time_ms, expected[1].block_time_ms);
    ExpectHistory(*store, "S1", expected);
    ExpectHistory(*store, "S", {});
    // The index agrees with GetShipmentEvents.
    auto located = store->GetShipmentEvents("S1");
    ASSERT_TRUE(located.ok());
    ASSERT_EQ(located->size(), 3u);
    for (size_t i = 0; i < 3; ++i) EXPECT_EQ((*located)[i].id, expected[i].id);
  }
  // The history needs neither the receipts family nor the blocks' times: with the first
  // event's receipt gone from receipts, its history entry still carries it.
  RawWrite(dir.path(), keys::Family::kReceipts, first.events[0]->id, std::nullopt);
  auto store = OpenOrDie(dir.path());
  EXPECT_EQ(store->GetReceipt(first.events[0]->id).status().code(), Code::kNotFound);
  ExpectHistory(*store, "S1", expected);
}

TEST(StoreHistory, ReadsAStoreOfSchemaOneAndStampsItOnReadWriteOpen) {
  TempDir dir;
  std::vector<Expected> expected;
  {
    auto store = OpenOrDie(dir.path());
    CommitNext(*store, {{"S1"}, {"S2"}});
    CommitNext(*store, {{"S1", v1::RESULT_CODE_REJECTED}, {"S1"}});
    expected = ReadTheLongWay(*store, "S1");
  }
  ASSERT_EQ(SchemaVersionOf(dir.path()), keys::kSchemaVersion);
  DowngradeToSchemaOne(dir.path());
  ASSERT_EQ(SchemaVersionOf(dir.path()), 1u);
  {
    // Read-only: the old entries are read through receipts and blocks; the stamp stays.
    StoreOptions read_only;
    read_only.read_only = true;
    auto store = OpenOrDie(dir.path(), MakeGenesis(), read_only);
    EXPECT_EQ(store->found_schema_version(), 1u);
    ExpectHistory(*store, "S1", expected);
    auto located = store->GetShipmentEvents("S1");
    ASSERT_TRUE(located.ok());
    ASSERT_EQ(located->size(), expected.size());
    EXPECT_EQ(located->back().id, expected.back().id);
  }
  EXPECT_EQ(SchemaVersionOf(dir.path()), 1u);
  {
    // Read-write: stamped before anything is written; a new block's entries are schema 2,
    // and a history of both kinds reads whole.
    auto store = OpenOrDie(dir.path());
    EXPECT_EQ(store->found_schema_version(), 1u);
    ExpectHistory(*store, "S1", expected);
    CommitNext(*store, {{"S2"}, {"S1"}});
    expected = ReadTheLongWay(*store, "S1");
    ASSERT_EQ(expected.size(), 4u);
    ExpectHistory(*store, "S1", expected);
  }
  EXPECT_EQ(SchemaVersionOf(dir.path()), keys::kSchemaVersion);
  EXPECT_EQ(OpenOrDie(dir.path())->found_schema_version(), keys::kSchemaVersion);
  EXPECT_EQ(Store::SchemaVersion(), keys::kSchemaVersion);
}

TEST(StoreHistory, RefusesASchemaItDoesNotKnow) {
  TempDir dir;
  EXPECT_EQ(OpenOrDie(dir.path())->found_schema_version(), 0u);  // created by this open
  for (uint32_t version : {keys::kSchemaVersion + 1, keys::kOldestSchemaVersion - 1}) {
    Bytes value;
    PutU32BE(&value, version);
    RawWrite(dir.path(), keys::Family::kMeta, keys::kMetaSchemaVersion, value);
    Result<std::unique_ptr<Store>> store = Store::Open(dir.path(), MakeGenesis());
    ASSERT_EQ(store.status().code(), Code::kFailedPrecondition) << version;
    EXPECT_NE(store.status().message().find("schema version " + std::to_string(version)),
              std::string::npos)
        << store.status().ToString();
    // Refused without being stamped.
    EXPECT_EQ(SchemaVersionOf(dir.path()), version);
  }
}

TEST(StoreHistory, MalformedIndexEntryIsDataLossAndReceiptsAreHandedOutAsStored) {
  TempDir dir;
  NextBlock first;
  {
    auto store = OpenOrDie(dir.path());
    first = CommitNext(*store, {{"S1"}, {"S2"}});
  }
  // S1: an id, a time and a receipt that does not parse; S2: a value of no known size.
  Bytes bad_receipt = keys::EncodeShipmentEntry(first.events[0]->id, 5, "\xff\xff\xff");
  RawWrite(dir.path(), keys::Family::kShipmentEvents, keys::ShipmentEventKey("S1", 1, 0),
           bad_receipt);
  RawWrite(dir.path(), keys::Family::kShipmentEvents, keys::ShipmentEventKey("S2", 1, 1),
           Bytes(36, 'x'));
  auto store = OpenOrDie(dir.path());
  // The receipt is handed out encoded, as stored (its reader parses it and says DATA_LOSS).
  auto s1 = store->GetShipmentHistory("S1");
  ASSERT_TRUE(s1.ok()) << s1.status().ToString();
  ASSERT_EQ(s1->size(), 1u);
  EXPECT_EQ(s1->front().receipt, "\xff\xff\xff");
  EXPECT_EQ(s1->front().block_time_ms, 5);
  EXPECT_EQ(store->GetShipmentHistory("S2").status().code(), Code::kDataLoss);
  EXPECT_EQ(store->GetShipmentEvents("S2").status().code(), Code::kDataLoss);
}

TEST(StoreHistory, RefusesAnEventIdThatIsNotAHash) {
  TempDir dir;
  auto store = OpenOrDie(dir.path());
  const NextBlock next = MakeNextBlock(*store, {{"S1", v1::RESULT_CODE_VALID, {}, Bytes(20, 'i')}});
  const Status status = Commit(*store, next);
  EXPECT_EQ(status.code(), Code::kInvalidArgument);
  EXPECT_NE(status.message().find("20-byte id"), std::string::npos) << status.ToString();
  EXPECT_EQ(store->head().height, 0u);
  EXPECT_TRUE(store->GetShipmentEvents("S1")->empty());
}

}  // namespace
}  // namespace shipledger::storage
