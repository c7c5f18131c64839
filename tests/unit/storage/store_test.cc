#include "storage/store.h"

#include <fcntl.h>
#include <gtest/gtest.h>
#include <rocksdb/db.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <atomic>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <map>
#include <random>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include "storage/keys.h"
#include "store_test_util.h"

namespace shipledger::storage {
namespace {

TEST(Store, NewStoreStartsAtGenesis) {
  TempDir dir;
  auto store = OpenOrDie(dir.path() + "/nested/data");
  const ChainHead head = store->head();
  EXPECT_EQ(head.height, 0u);
  EXPECT_EQ(head.block_hash, MakeGenesis().hash);
  EXPECT_EQ(head.results, Bytes(32, '\0'));
  EXPECT_EQ(head.event_count, 0u);
  EXPECT_EQ(store->GetBlock(0).status().code(), Code::kNotFound);
  EXPECT_EQ(store->GetBlock(1).status().code(), Code::kNotFound);
  Result<Store::ResultsRecord> results = store->GetResults(0);
  ASSERT_TRUE(results.ok());
  EXPECT_EQ(results->results, Bytes(32, '\0'));
  EXPECT_EQ(store->GetResults(1).status().code(), Code::kNotFound);
}

TEST(Store, RefusesGenesisWithoutHash) {
  TempDir dir;
  model::Genesis genesis = MakeGenesis();
  genesis.hash.clear();
  EXPECT_EQ(Store::Open(dir.path(), genesis).status().code(), Code::kInvalidArgument);
}

TEST(Store, GetBlockReassemblesEventsInOrder) {
  TempDir dir;
  auto store = OpenOrDie(dir.path());
  CommitNext(*store, {{"S1"}});
  const NextBlock next = CommitNext(*store, {{"S1"}, {"S2"}, {"S3"}, {"S1"}, {"S4"}});
  Result<v1::Block> block = store->GetBlock(2);
  ASSERT_TRUE(block.ok()) << block.status().ToString();
  EXPECT_EQ(block->SerializeAsString(), next.block.SerializeAsString());
  ASSERT_EQ(block->events_size(), 5);
  for (int i = 0; i < 5; ++i) {
    EXPECT_EQ(block->events(i).event(), next.events[static_cast<size_t>(i)]->signed_event.event());
  }
}

TEST(Store, GetBlockHeaderHasNoEvents) {
  TempDir dir;
  auto store = OpenOrDie(dir.path());
  const NextBlock next = CommitNext(*store, {{"S1"}, {"S2"}});
  Result<v1::Block> header = store->GetBlockHeader(1);
  ASSERT_TRUE(header.ok());
  EXPECT_EQ(header->events_size(), 0);
  EXPECT_EQ(header->block_hash(), next.block.block_hash());
  EXPECT_EQ(header->prev_block_hash(), MakeGenesis().hash);
  EXPECT_EQ(header->proposal().SerializeAsString(), next.block.proposal().SerializeAsString());
  EXPECT_EQ(header->certificate().votes_size(), 3);
}

TEST(Store, CommitAdvancesHead) {
  TempDir dir;
  auto store = OpenOrDie(dir.path());
  CommitNext(*store, {{"S1"}, {"S2"}});
  const NextBlock next = CommitNext(*store, {{"S1"}, {"S2"}, {"S3"}});
  const ChainHead head = store->head();
  EXPECT_EQ(head.height, 2u);
  EXPECT_EQ(head.block_hash, next.block.block_hash());
  EXPECT_EQ(head.results, next.results);
  EXPECT_EQ(head.block_time_ms, next.block.proposal().timestamp_ms());
  EXPECT_EQ(head.event_count, 5u);
}

TEST(Store, CommitsEmptyBlock) {
  TempDir dir;
  auto store = OpenOrDie(dir.path());
  CommitNext(*store, {});
  Result<v1::Block> block = store->GetBlock(1);
  ASSERT_TRUE(block.ok());
  EXPECT_EQ(block->events_size(), 0);
  EXPECT_EQ(store->head().height, 1u);
}

TEST(Store, ScansContractRecordsByPrefixAndByRange) {
  TempDir dir;
  auto store = OpenOrDie(dir.path());
  NextBlock next = MakeNextBlock(*store, {});
  for (const char* key : {"a/1", "a/2", "a/3", "b/1"}) {
    next.effects.record_writes[key] = std::string("v") + key;
  }
  ASSERT_TRUE(store->CommitBlock(next.block, next.events, next.effects, next.results).ok());
  auto keys = [](const std::vector<std::pair<std::string, Bytes>>& records) {
    std::vector<std::string> out;
    for (const auto& [key, value] : records) out.push_back(key + "=" + value);
    return out;
  };
  EXPECT_EQ(keys(store->ScanRecords("a/")),
            (std::vector<std::string>{"a/1=va/1", "a/2=va/2", "a/3=va/3"}));
  // [begin, end): the end is excluded, and may lie past the prefix.
  EXPECT_EQ(keys(store->ScanRecordRange("a/2", "b/1")),
            (std::vector<std::string>{"a/2=va/2", "a/3=va/3"}));
  EXPECT_EQ(keys(store->ScanRecordRange("a/3", "c")),
            (std::vector<std::string>{"a/3=va/3", "b/1=vb/1"}));
  EXPECT_TRUE(store->ScanRecordRange("a/2", "a/2").empty());
  EXPECT_TRUE(store->ScanRecordRange("b", "a").empty());
}

TEST(Store, FindsBlockByHash) {
  TempDir dir;
  auto store = OpenOrDie(dir.path());
  CommitNext(*store, {{"S1"}});
  const NextBlock next = CommitNext(*store, {{"S2"}});
  Result<uint64_t> height = store->GetHeightByHash(next.block.block_hash());
  ASSERT_TRUE(height.ok());
  EXPECT_EQ(*height, 2u);
  Result<v1::Block> block = store->GetBlock(*height);
  ASSERT_TRUE(block.ok());
  EXPECT_EQ(block->block_hash(), next.block.block_hash());
  EXPECT_EQ(store->GetHeightByHash(Bytes(32, 'z')).status().code(), Code::kNotFound);
}

TEST(Store, ReadsEventsByIdAndLocation) {
  TempDir dir;
  auto store = OpenOrDie(dir.path());
  const NextBlock next = CommitNext(*store, {{"S1"}, {"S2"}, {"S3"}});
  const model::AdmittedEvent& event = *next.events[2];
  Result<EventLocation> location = store->GetEventLocation(event.id);
  ASSERT_TRUE(location.ok());
  EXPECT_EQ(location->height, 1u);
  EXPECT_EQ(location->index, 2u);
  Result<v1::SignedEvent> by_id = store->GetEvent(event.id);
  ASSERT_TRUE(by_id.ok());
  EXPECT_EQ(by_id->SerializeAsString(), event.signed_event.SerializeAsString());
  Result<v1::SignedEvent> at = store->GetEventAt({1, 0});
  ASSERT_TRUE(at.ok());
  EXPECT_EQ(at->event(), next.events[0]->signed_event.event());
  EXPECT_TRUE(store->HasEvent(event.id));
  EXPECT_FALSE(store->HasEvent(Bytes(32, 'x')));
  EXPECT_EQ(store->GetEvent(Bytes(32, 'x')).status().code(), Code::kNotFound);
  EXPECT_EQ(store->GetEventAt({1, 3}).status().code(), Code::kNotFound);
}

TEST(Store, ReadsReceipts) {
  TempDir dir;
  auto store = OpenOrDie(dir.path());
  const NextBlock next = CommitNext(*store, {{"S1"}, {"S2", v1::RESULT_CODE_REJECTED}});
  Result<v1::Receipt> valid = store->GetReceipt(next.events[0]->id);
  ASSERT_TRUE(valid.ok());
  EXPECT_EQ(valid->code(), v1::RESULT_CODE_VALID);
  EXPECT_EQ(valid->height(), 1u);
  EXPECT_EQ(valid->index(), 0u);
  Result<v1::Receipt> rejected = store->GetReceipt(next.events[1]->id);
  ASSERT_TRUE(rejected.ok());
  EXPECT_EQ(rejected->code(), v1::RESULT_CODE_REJECTED);
  EXPECT_EQ(rejected->reason(), "not booked");
  Result<v1::Receipt> missing = store->GetReceipt(Bytes(32, 'x'));
  EXPECT_EQ(missing.status().code(), Code::kNotFound);
  EXPECT_NE(missing.status().message().find(ToHex(Bytes(32, 'x'))), std::string::npos);
}

TEST(Store, RejectedEventIsIndexedWithoutStateOrReferences) {
  TempDir dir;
  auto store = OpenOrDie(dir.path());
  const NextBlock next =
      CommitNext(*store, {{"S9", v1::RESULT_CODE_REJECTED, {{"booking", "BK9"}}}});
  const Bytes& id = next.events[0]->id;
  EXPECT_TRUE(store->HasEvent(id));
  ASSERT_TRUE(store->GetEventLocation(id).ok());
  ASSERT_TRUE(store->GetEvent(id).ok());
  Result<std::vector<Bytes>> ids = store->GetShipmentEventIds("S9");
  ASSERT_TRUE(ids.ok());
  EXPECT_EQ(*ids, std::vector<Bytes>{id});
  EXPECT_FALSE(store->GetShipmentState("S9").has_value());
  EXPECT_TRUE(store->FindShipments("booking", "BK9")->empty());
}

TEST(Store, ReadsShipmentStateAndEventIdsInChainOrder) {
  TempDir dir;
  auto store = OpenOrDie(dir.path());
  const NextBlock b1 = CommitNext(*store, {{"S1"}, {"S10"}});
  const NextBlock b2 = CommitNext(*store, {{"S10"}, {"S1"}, {"S1"}});
  const NextBlock b3 = CommitNext(*store, {{"S1"}});
  Result<std::vector<Bytes>> ids = store->GetShipmentEventIds("S1");
  ASSERT_TRUE(ids.ok());
  EXPECT_EQ(*ids, (std::vector<Bytes>{b1.events[0]->id, b2.events[1]->id, b2.events[2]->id,
                                      b3.events[0]->id}));
  Result<std::vector<Bytes>> ids10 = store->GetShipmentEventIds("S10");
  ASSERT_TRUE(ids10.ok());
  EXPECT_EQ(*ids10, (std::vector<Bytes>{b1.events[1]->id, b2.events[0]->id}));
  EXPECT_TRUE(store->GetShipmentEventIds("S")->empty());
  // The same events with their locations, read from the shipment index alone: each agrees with
  // the event index, in chain order.
  auto located = store->GetShipmentEvents("S1");
  ASSERT_TRUE(located.ok());
  ASSERT_EQ(located->size(), ids->size());
  const std::vector<std::pair<uint64_t, uint32_t>> expected = {{1, 0}, {2, 1}, {2, 2}, {3, 0}};
  for (size_t i = 0; i < located->size(); ++i) {
    const auto& e = (*located)[i];
    EXPECT_EQ(e.id, (*ids)[i]);
    EXPECT_EQ(std::make_pair(e.location.height, e.location.index), expected[i]) << i;
    auto loc = store->GetEventLocation(e.id);
    ASSERT_TRUE(loc.ok());
    EXPECT_EQ(loc->height, e.location.height);
    EXPECT_EQ(loc->index, e.location.index);
  }
  EXPECT_TRUE(store->GetShipmentEvents("S")->empty());
  // Batched reads agree with the single ones; absent receipts are nullopt in place, an absent
  // event is NOT_FOUND.
  std::vector<EventLocation> where;
  std::vector<Bytes> which;
  for (const auto& e : *located) {
    where.push_back(e.location);
    which.push_back(e.id);
  }
  which.push_back(Bytes(32, 'x'));
  auto batch = store->GetEventsAt(where);
  ASSERT_TRUE(batch.ok()) << batch.status().ToString();
  ASSERT_EQ(batch->size(), where.size());
  for (size_t i = 0; i < where.size(); ++i) {
    EXPECT_EQ((*batch)[i].SerializeAsString(), store->GetEventAt(where[i])->SerializeAsString());
  }
  auto receipts = store->GetReceipts(which);
  ASSERT_TRUE(receipts.ok());
  ASSERT_EQ(receipts->size(), which.size());
  for (size_t i = 0; i + 1 < which.size(); ++i) {
    ASSERT_TRUE((*receipts)[i].has_value()) << i;
    EXPECT_EQ((*receipts)[i]->event_id(), which[i]);
  }
  EXPECT_FALSE(receipts->back().has_value());
  // ForEachEventAt hands out the stored bytes in order, in place, and stops at fn's error.
  size_t visited = 0;
  ASSERT_TRUE(store
                  ->ForEachEventAt(where,
                                   [&](size_t i, ByteView bytes) {
                                     EXPECT_EQ(i, visited++);
                                     EXPECT_EQ(bytes, (*batch)[i].SerializeAsString());
                                     return Status::Ok();
                                   })
                  .ok());
  EXPECT_EQ(visited, where.size());
  visited = 0;
  const Status stopped = store->ForEachEventAt(where, [&](size_t, ByteView) {
    ++visited;
    return Status::DataLoss("stop here");
  });
  EXPECT_EQ(stopped.code(), Code::kDataLoss);
  EXPECT_EQ(visited, 1u);
  where.push_back({3, 7});
  EXPECT_EQ(store->GetEventsAt(where).status().code(), Code::kNotFound);
  EXPECT_EQ(store->ForEachEventAt(where, [](size_t, ByteView) { return Status::Ok(); }).code(),
            Code::kNotFound);
  // Block times read without the certificate agree with the full header.
  for (uint64_t h = 1; h <= 3; ++h) {
    auto header = store->GetBlockHeader(h);
    ASSERT_TRUE(header.ok());
    auto t = store->GetBlockTime(h);
    ASSERT_TRUE(t.ok()) << t.status().ToString();
    EXPECT_EQ(*t, header->proposal().timestamp_ms());
    EXPECT_NE(*t, 0);
  }
  EXPECT_EQ(store->GetBlockTime(99).status().code(), Code::kNotFound);
  auto times = store->GetBlockTimes({1, 2, 3});
  ASSERT_TRUE(times.ok()) << times.status().ToString();
  for (uint64_t h = 1; h <= 3; ++h) EXPECT_EQ((*times)[h - 1], *store->GetBlockTime(h));
  EXPECT_EQ(store->GetBlockTimes({1, 99}).status().code(), Code::kNotFound);

  std::optional<v1::ShipmentState> state = store->GetShipmentState("S1");
  ASSERT_TRUE(state.has_value());
  EXPECT_EQ(state->shipment_id(), "S1");
  EXPECT_EQ(state->event_count(), 4u);
  EXPECT_EQ(state->last_height(), 3u);
  EXPECT_EQ(state->booked_height(), 1u);
  EXPECT_FALSE(store->GetShipmentState("S2").has_value());
}

TEST(Store, RecordsResultsPerHeight) {
  TempDir dir;
  auto store = OpenOrDie(dir.path());
  const NextBlock next = CommitNext(*store, {{"S1"}});
  Result<Store::ResultsRecord> record = store->GetResults(1);
  ASSERT_TRUE(record.ok());
  EXPECT_EQ(record->receipts_root, next.effects.receipts_root);
  EXPECT_EQ(record->state_writes_digest, next.effects.state_writes_digest);
  EXPECT_EQ(record->results, next.results);
}

TEST(Store, ReadsResultsRangeInHeightOrder) {
  TempDir dir;
  auto store = OpenOrDie(dir.path());
  std::vector<Bytes> results;
  for (int i = 0; i < 4; ++i) results.push_back(CommitNext(*store, {{"S1"}}).results);
  auto range = store->GetResultsRange(2, 4);
  ASSERT_TRUE(range.ok()) << range.status().ToString();
  ASSERT_EQ(range->size(), 3u);
  for (size_t i = 0; i < range->size(); ++i) EXPECT_EQ((*range)[i].results, results[i + 1]);
  EXPECT_TRUE(store->GetResultsRange(3, 2)->empty());
  const Status past_head = store->GetResultsRange(3, 5).status();
  EXPECT_EQ(past_head.code(), Code::kNotFound);
  EXPECT_NE(past_head.message().find("height 5"), std::string::npos) << past_head.ToString();
  EXPECT_EQ(store->GetResultsRange(0, 1).status().code(), Code::kInvalidArgument);
}

// Checks that a refused commit left the store exactly at height 1.
void ExpectOnlyFirstBlock(const Store& store, const NextBlock& refused) {
  EXPECT_EQ(store.head().height, 1u);
  EXPECT_EQ(store.GetBlock(2).status().code(), Code::kNotFound);
  EXPECT_EQ(store.GetResults(2).status().code(), Code::kNotFound);
  EXPECT_EQ(store.GetHeightByHash(refused.block.block_hash()).status().code(), Code::kNotFound);
  for (const model::EventPtr& event : refused.events) {
    EXPECT_FALSE(store.HasEvent(event->id));
    EXPECT_EQ(store.GetReceipt(event->id).status().code(), Code::kNotFound);
  }
  EXPECT_FALSE(store.GetShipmentState("NEW").has_value());
  EXPECT_TRUE(store.FindShipments("booking", "NEW")->empty());
}

TEST(Store, RefusesWrongHeightAndWritesNothing) {
  TempDir dir;
  auto store = OpenOrDie(dir.path());
  const NextBlock first = CommitNext(*store, {{"S1"}});
  NextBlock skip = MakeNextBlock(*store, {{"NEW", v1::RESULT_CODE_VALID, {{"booking", "NEW"}}}});
  skip.block.mutable_proposal()->set_height(3);
  for (v1::Receipt& receipt : skip.effects.receipts) receipt.set_height(3);
  EXPECT_EQ(Commit(*store, skip).code(), Code::kFailedPrecondition);
  // Re-committing the head height is refused too.
  EXPECT_EQ(Commit(*store, first).code(), Code::kFailedPrecondition);
  ExpectOnlyFirstBlock(*store, skip);
}

TEST(Store, RefusesWrongPrevHashAndWritesNothing) {
  TempDir dir;
  auto store = OpenOrDie(dir.path());
  CommitNext(*store, {{"S1"}});
  NextBlock fork = MakeNextBlock(*store, {{"NEW", v1::RESULT_CODE_VALID, {{"booking", "NEW"}}}});
  fork.block.set_prev_block_hash(FakeHash('x', 1));
  const Status status = Commit(*store, fork);
  EXPECT_EQ(status.code(), Code::kFailedPrecondition);
  EXPECT_NE(status.message().find("links to"), std::string::npos) << status.ToString();
  ExpectOnlyFirstBlock(*store, fork);
}

TEST(Store, RefusesEffectsThatDoNotMatchEvents) {
  TempDir dir;
  auto store = OpenOrDie(dir.path());
  CommitNext(*store, {{"S1"}});
  NextBlock missing = MakeNextBlock(*store, {{"NEW"}, {"NEW"}});
  missing.effects.receipts.pop_back();
  EXPECT_EQ(Commit(*store, missing).code(), Code::kInvalidArgument);
  NextBlock swapped = MakeNextBlock(*store, {{"NEW"}, {"NEW"}});
  std::swap(swapped.effects.receipts[0], swapped.effects.receipts[1]);
  EXPECT_EQ(Commit(*store, swapped).code(), Code::kInvalidArgument);
  NextBlock miscounted = MakeNextBlock(*store, {{"NEW"}});
  miscounted.block.mutable_proposal()->set_event_count(2);
  EXPECT_EQ(Commit(*store, miscounted).code(), Code::kInvalidArgument);
  NextBlock other_chain = MakeNextBlock(*store, {{"NEW"}});
  other_chain.block.mutable_proposal()->set_chain_id("other");
  EXPECT_EQ(Commit(*store, other_chain).code(), Code::kInvalidArgument);
  ExpectOnlyFirstBlock(*store, missing);
}

TEST(Store, DuplicateReceiptDoesNotClobberOriginal) {
  TempDir dir;
  auto store = OpenOrDie(dir.path());
  const NextBlock original = CommitNext(*store, {{"S1", v1::RESULT_CODE_VALID, {{"bl", "B1"}}}});
  const Bytes id = original.events[0]->id;
  const NextBlock copy = CommitNext(
      *store, {{"S2"}, {"S1", v1::RESULT_CODE_DUPLICATE, {{"bl", "B1"}, {"bl", "DUP"}}, id}});

  Result<EventLocation> location = store->GetEventLocation(id);
  ASSERT_TRUE(location.ok());
  EXPECT_EQ(location->height, 1u);
  EXPECT_EQ(location->index, 0u);
  Result<v1::Receipt> receipt = store->GetReceipt(id);
  ASSERT_TRUE(receipt.ok());
  EXPECT_EQ(receipt->code(), v1::RESULT_CODE_VALID);
  EXPECT_EQ(receipt->height(), 1u);
  EXPECT_EQ(*store->GetShipmentEventIds("S1"), std::vector<Bytes>{id});
  EXPECT_TRUE(store->FindShipments("bl", "DUP")->empty());
  // The copy is still part of block 2.
  Result<v1::Block> block = store->GetBlock(2);
  ASSERT_TRUE(block.ok());
  ASSERT_EQ(block->events_size(), 2);
  EXPECT_EQ(block->events(1).signature(), "sig-" + id);
  EXPECT_TRUE(store->GetEventAt({2, 1}).ok());
}

TEST(Store, ListShipmentsPagesInIdOrder) {
  TempDir dir;
  auto store = OpenOrDie(dir.path());
  CommitNext(*store, {{"S5"}, {"S1"}, {"S3"}, {"S7"}});
  CommitNext(*store, {{"S2"}, {"S6"}, {"S4"}, {"S1"}, {"X", v1::RESULT_CODE_REJECTED}});
  std::vector<std::string> seen;
  std::string after;
  std::vector<size_t> page_sizes;
  for (int page = 0; page < 10; ++page) {
    Result<std::vector<v1::ShipmentState>> states = store->ListShipments(after, 3);
    ASSERT_TRUE(states.ok());
    page_sizes.push_back(states->size());
    if (states->empty()) break;
    for (const v1::ShipmentState& state : *states) seen.push_back(state.shipment_id());
    after = states->back().shipment_id();
  }
  EXPECT_EQ(seen, (std::vector<std::string>{"S1", "S2", "S3", "S4", "S5", "S6", "S7"}));
  EXPECT_EQ(page_sizes, (std::vector<size_t>{3, 3, 1, 0}));
  EXPECT_TRUE(store->ListShipments("", 0)->empty());
  Result<std::vector<v1::ShipmentState>> middle = store->ListShipments("S35", 2);
  ASSERT_TRUE(middle.ok());
  ASSERT_EQ(middle->size(), 2u);
  EXPECT_EQ((*middle)[0].shipment_id(), "S4");
}

TEST(Store, FindShipmentsOnlyFromValidEventsAndOncePerShipment) {
  TempDir dir;
  auto store = OpenOrDie(dir.path());
  CommitNext(*store, {{"S3", v1::RESULT_CODE_VALID, {{"container", "MSKU1"}}},
                      {"S2", v1::RESULT_CODE_REJECTED, {{"container", "MSKU1"}}},
                      {"S1", v1::RESULT_CODE_VALID, {{"container", "MSKU1"}, {"seal", "77"}}}});
  CommitNext(*store, {{"S1", v1::RESULT_CODE_VALID, {{"container", "MSKU1"}}},
                      {"S4", v1::RESULT_CODE_VALID, {{"container", "MSKU12"}}}});
  Result<std::vector<std::string>> found = store->FindShipments("container", "MSKU1");
  ASSERT_TRUE(found.ok());
  EXPECT_EQ(*found, (std::vector<std::string>{"S1", "S3"}));
  EXPECT_EQ(*store->FindShipments("seal", "77"), std::vector<std::string>{"S1"});
  EXPECT_EQ(*store->FindShipments("container", "MSKU12"), std::vector<std::string>{"S4"});
  EXPECT_TRUE(store->FindShipments("seal", "MSKU1")->empty());
  EXPECT_TRUE(store->FindShipments("container", "MSKU")->empty());
}

TEST(Store, ReopenRecoversExactHead) {
  TempDir dir;
  ChainHead before;
  NextBlock last;
  {
    auto store = OpenOrDie(dir.path());
    CommitNext(*store, {{"S1"}, {"S2"}});
    last = CommitNext(*store, {{"S1"}});
    before = store->head();
  }
  auto store = OpenOrDie(dir.path());
  const ChainHead after = store->head();
  EXPECT_EQ(after.height, before.height);
  EXPECT_EQ(after.block_hash, before.block_hash);
  EXPECT_EQ(after.results, before.results);
  EXPECT_EQ(after.block_time_ms, before.block_time_ms);
  EXPECT_EQ(after.event_count, 3u);
  EXPECT_TRUE(store->HasEvent(last.events[0]->id));
  // And the chain continues from there.
  CommitNext(*store, {{"S3"}});
  EXPECT_EQ(store->head().height, 3u);
}

TEST(Store, RefusesAnotherChainsDataDir) {
  TempDir dir;
  { OpenOrDie(dir.path()); }
  Result<std::unique_ptr<Store>> other = Store::Open(dir.path(), MakeGenesis("other", '\x22'));
  ASSERT_EQ(other.status().code(), Code::kFailedPrecondition);
  const std::string message = other.status().message();
  EXPECT_NE(message.find("belongs to chain 'test-chain' (genesis 1111"), std::string::npos)
      << message;
  EXPECT_NE(message.find("not to chain 'other' (genesis 2222"), std::string::npos) << message;
  EXPECT_NE(message.find("--data-dir"), std::string::npos) << message;
  // Same chain id, another genesis file.
  EXPECT_EQ(Store::Open(dir.path(), MakeGenesis(kChain, '\x33')).status().code(),
            Code::kFailedPrecondition);
  // The right genesis still opens it.
  EXPECT_TRUE(Store::Open(dir.path(), MakeGenesis()).ok());
}

TEST(Store, RefusesSecondOpenOfSameDir) {
  TempDir dir;
  auto store = OpenOrDie(dir.path());
  Result<std::unique_ptr<Store>> second = Store::Open(dir.path(), MakeGenesis());
  EXPECT_EQ(second.status().code(), Code::kFailedPrecondition) << second.status().ToString();
}

TEST(Store, ReadOnlyOpenReadsButCannotWrite) {
  TempDir dir;
  NextBlock first;
  {
    auto store = OpenOrDie(dir.path());
    first = CommitNext(*store, {{"S1"}, {"S2"}});
  }
  StoreOptions options;
  options.read_only = true;
  auto store = OpenOrDie(dir.path(), MakeGenesis(), options);
  EXPECT_EQ(store->head().height, 1u);
  Result<v1::Block> block = store->GetBlock(1);
  ASSERT_TRUE(block.ok());
  EXPECT_EQ(block->events_size(), 2);
  EXPECT_TRUE(store->GetReceipt(first.events[1]->id).ok());
  const NextBlock next = MakeNextBlock(*store, {{"S3"}});
  EXPECT_EQ(Commit(*store, next).code(), Code::kFailedPrecondition);
  EXPECT_EQ(store->head().height, 1u);
  // Another chain's genesis is refused read-only as well.
  StoreOptions read_only;
  read_only.read_only = true;
  EXPECT_EQ(Store::Open(dir.path(), MakeGenesis("other"), read_only).status().code(),
            Code::kFailedPrecondition);
}

TEST(Store, ReadOnlyOpenOfMissingStoreIsNotFound) {
  TempDir dir;
  const std::string absent = dir / "store";
  StoreOptions options;
  options.read_only = true;
  EXPECT_EQ(Store::Open(absent, MakeGenesis(), options).status().code(), Code::kNotFound);
  StoreOptions no_create;
  no_create.create_if_missing = false;
  EXPECT_EQ(Store::Open(absent, MakeGenesis(), no_create).status().code(), Code::kNotFound);
  EXPECT_FALSE(fs::exists(absent));
}

TEST(Store, ReopenAfterManyCommitsSeesExactlyThem) {
  TempDir dir;
  constexpr uint64_t kBlocks = 40;
  {
    auto store = OpenOrDie(dir.path());
    for (uint64_t i = 0; i < kBlocks; ++i) CommitNext(*store, {{"S" + std::to_string(i % 5)}});
  }
  auto store = OpenOrDie(dir.path());
  EXPECT_EQ(store->head().height, kBlocks);
  EXPECT_EQ(store->head().event_count, kBlocks);
  for (uint64_t h = 1; h <= kBlocks; ++h) EXPECT_TRUE(store->GetBlock(h).ok()) << h;
  EXPECT_EQ(store->GetBlock(kBlocks + 1).status().code(), Code::kNotFound);
  EXPECT_EQ(store->GetShipmentState("S0")->event_count(), kBlocks / 5);
}

TEST(Store, ConcurrentReadersSeeWholeBlocks) {
  TempDir dir;
  auto store = OpenOrDie(dir.path());
  std::atomic<bool> done{false};
  std::atomic<int> checks{0};
  std::thread reader([&] {
    while (!done.load()) {
      const ChainHead head = store->head();
      if (head.height == 0) continue;
      Result<v1::Block> block = store->GetBlock(head.height);
      EXPECT_TRUE(block.ok()) << block.status().ToString();
      if (block.ok()) {
        EXPECT_EQ(block->events_size(), 4);
      }
      Result<Store::ResultsRecord> results = store->GetResults(head.height);
      EXPECT_TRUE(results.ok());
      ++checks;
    }
  });
  for (int i = 0; i < 30; ++i) CommitNext(*store, {{"A"}, {"B"}, {"C"}, {"A"}});
  done = true;
  reader.join();
  EXPECT_GT(checks.load(), 0);
}

TEST(Store, UnparsableRecordIsDataLoss) {
  TempDir dir;
  NextBlock first;
  {
    auto store = OpenOrDie(dir.path());
    first = CommitNext(*store, {{"S1"}, {"S2"}});
  }
  const Bytes garbage("\xff\xff\xff\xff", 4);
  RawWrite(dir.path(), keys::Family::kReceipts, first.events[0]->id, garbage);
  RawWrite(dir.path(), keys::Family::kEvents, keys::EventKey(1, 1), garbage);
  RawWrite(dir.path(), keys::Family::kEventIndex, first.events[1]->id, Bytes("short"));
  auto store = OpenOrDie(dir.path());
  EXPECT_EQ(store->GetReceipt(first.events[0]->id).status().code(), Code::kDataLoss);
  EXPECT_EQ(store->GetBlock(1).status().code(), Code::kDataLoss);
  EXPECT_EQ(store->GetEventAt({1, 1}).status().code(), Code::kDataLoss);
  EXPECT_EQ(store->GetEventLocation(first.events[1]->id).status().code(), Code::kDataLoss);
  EXPECT_TRUE(store->GetReceipt(first.events[1]->id).ok());
}

// Bug: an unreadable state record reached through a client read (GetShipment) stopped the node.
TEST(Store, UnparsableShipmentStateIsDataLossForClientReads) {
  TempDir dir;
  {
    auto store = OpenOrDie(dir.path());
    CommitNext(*store, {{"S1"}});
  }
  RawWrite(dir.path(), keys::Family::kShipmentState, "S1", Bytes("\xff\xff\xff\xff", 4));
  auto store = OpenOrDie(dir.path());
  EXPECT_EQ(store->ReadShipmentState("S1").status().code(), Code::kDataLoss);
  auto absent = store->ReadShipmentState("NOPE");
  ASSERT_TRUE(absent.ok());
  EXPECT_FALSE(absent->has_value());
}

TEST(Store, MissingEventOfBlockIsDataLoss) {
  TempDir dir;
  NextBlock first;
  {
    auto store = OpenOrDie(dir.path());
    first = CommitNext(*store, {{"S1"}, {"S2"}, {"S3"}});
  }
  RawWrite(dir.path(), keys::Family::kEvents, keys::EventKey(1, 1), std::nullopt);
  auto store = OpenOrDie(dir.path());
  const Status status = store->GetBlock(1).status();
  EXPECT_EQ(status.code(), Code::kDataLoss);
  EXPECT_NE(status.message().find("event 1 is missing"), std::string::npos) << status.ToString();
  EXPECT_EQ(store->GetEvent(first.events[1]->id).status().code(), Code::kDataLoss);
}

TEST(Store, HeadRecordNotMatchingBlocksIsDataLoss) {
  TempDir dir;
  {
    auto store = OpenOrDie(dir.path());
    CommitNext(*store, {{"S1"}});
    CommitNext(*store, {{"S1"}});
  }
  RawWrite(dir.path(), keys::Family::kBlocks, keys::HeightKey(2), std::nullopt);
  EXPECT_EQ(Store::Open(dir.path(), MakeGenesis()).status().code(), Code::kDataLoss);
  RawWrite(dir.path(), keys::Family::kMeta, keys::kMetaHead, std::nullopt);
  EXPECT_EQ(Store::Open(dir.path(), MakeGenesis()).status().code(), Code::kDataLoss);
}

// Crash atomicity with a real crash: a child process commits blocks until it is killed with
// SIGKILL (no destructor, no close); the reopened store holds whole blocks only, at least every
// block whose commit returned.
constexpr const char* kCrashDirEnv = "SHIPLEDGER_STORE_CRASH_DIR";
constexpr const char* kCrashFdEnv = "SHIPLEDGER_STORE_CRASH_FD";
constexpr uint32_t kCrashEventsPerBlock = 3;

// Run by StoreCrash.KilledWriterLeavesWholeBlocks in a child process; skipped otherwise.
TEST(StoreCrashChild, CommitsUntilKilled) {
  const char* dir = std::getenv(kCrashDirEnv);
  const char* fd_text = std::getenv(kCrashFdEnv);
  if (dir == nullptr || fd_text == nullptr) GTEST_SKIP() << "only run as a crash-test child";
  const int fd = std::atoi(fd_text);
  auto store = OpenOrDie(dir);
  for (int i = 0; i < 100000; ++i) {
    const NextBlock next =
        CommitNext(*store, {{"S" + std::to_string(i % 7)},
                            {"T" + std::to_string(i % 3), v1::RESULT_CODE_REJECTED},
                            {"S" + std::to_string(i % 7)}});
    Bytes height;
    PutU64BE(&height, store->head().height);
    if (::write(fd, height.data(), height.size()) != static_cast<ssize_t>(height.size())) break;
  }
  std::_Exit(1);  // the parent kills us long before this
}

TEST(StoreCrash, KilledWriterLeavesWholeBlocks) {
  TempDir dir;
  int fds[2];
  ASSERT_EQ(::pipe(fds), 0);
  // Everything the child needs is prepared before fork: after it, only async-signal-safe calls.
  const std::string dir_env = std::string(kCrashDirEnv) + "=" + dir.path();
  const std::string fd_env = std::string(kCrashFdEnv) + "=" + std::to_string(fds[1]);
  const std::string filter = "--gtest_filter=StoreCrashChild.CommitsUntilKilled";
  char* argv[] = {const_cast<char*>("store_crash_child"), const_cast<char*>(filter.c_str()),
                  nullptr};
  char* envp[] = {const_cast<char*>(dir_env.c_str()), const_cast<char*>(fd_env.c_str()), nullptr};
  const int dev_null = ::open("/dev/null", O_WRONLY);
  ASSERT_GE(dev_null, 0);
  const pid_t pid = ::fork();
  ASSERT_GE(pid, 0);
  if (pid == 0) {
    ::close(fds[0]);
    ::dup2(dev_null, STDOUT_FILENO);
    ::execve("/proc/self/exe", argv, envp);
    ::_exit(127);
  }
  ::close(dev_null);
  ::close(fds[1]);
  constexpr uint64_t kKillAfter = 25;
  uint64_t acked = 0;
  char buffer[8];
  auto read_height = [&]() {
    size_t got = 0;
    while (got < sizeof(buffer)) {
      const ssize_t n = ::read(fds[0], buffer + got, sizeof(buffer) - got);
      if (n <= 0) return false;
      got += static_cast<size_t>(n);
    }
    acked = GetU64BE(ByteView(buffer, sizeof(buffer)));
    return true;
  };
  while (acked < kKillAfter && read_height()) {
  }
  ::kill(pid, SIGKILL);
  int wait_status = 0;
  ASSERT_EQ(::waitpid(pid, &wait_status, 0), pid);
  while (read_height()) {
  }
  ::close(fds[0]);
  ASSERT_GE(acked, kKillAfter) << "the child stopped early";
  ASSERT_TRUE(WIFSIGNALED(wait_status));

  auto store = OpenOrDie(dir.path());
  const ChainHead head = store->head();
  EXPECT_GE(head.height, acked);
  EXPECT_LE(head.height, acked + 1);  // the last commit may be durable but not yet reported
  EXPECT_EQ(head.event_count, head.height * kCrashEventsPerBlock);
  for (uint64_t h = 1; h <= head.height; ++h) {
    Result<v1::Block> block = store->GetBlock(h);
    ASSERT_TRUE(block.ok()) << block.status().ToString();
    ASSERT_EQ(block->events_size(), static_cast<int>(kCrashEventsPerBlock));
    EXPECT_TRUE(store->GetResults(h).ok()) << h;
  }
  EXPECT_EQ(store->GetBlock(head.height + 1).status().code(), Code::kNotFound);
  Result<v1::Block> top = store->GetBlock(head.height);
  ASSERT_TRUE(top.ok());
  EXPECT_EQ(top->block_hash(), head.block_hash);
  // The chain goes on after the crash.
  CommitNext(*store, {{"S0"}});
  EXPECT_EQ(store->head().height, head.height + 1);
}

}  // namespace
}  // namespace shipledger::storage
