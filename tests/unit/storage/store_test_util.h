// Helpers shared by the storage unit tests: temporary directories, a fake genesis, blocks with
// events, receipts and state writes built on top of a store's head, raw RocksDB writes.
#pragma once

#include <gtest/gtest.h>
#include <rocksdb/db.h>

#include <atomic>
#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "shipledger/check.h"
#include "storage/keys.h"
#include "storage/store.h"
#include "testing/temp_dir.h"

namespace shipledger::storage {

namespace fs = std::filesystem;

inline constexpr std::string_view kChain = "test-chain";

using TempDir = ::shipledger::testing::TempDir;

inline model::Genesis MakeGenesis(std::string_view chain_id = kChain, char fill = '\x11') {
  model::Genesis genesis;
  genesis.chain_id = std::string(chain_id);
  genesis.hash = Bytes(32, fill);
  return genesis;
}

inline Bytes FreshId() {
  static std::atomic<uint64_t> next{0};
  Bytes id(24, 'e');
  PutU64BE(&id, ++next);
  return id;
}

struct EventSpec {
  std::string shipment_id;
  v1::ResultCode code = v1::RESULT_CODE_VALID;
  std::vector<std::pair<std::string, std::string>> references = {};
  Bytes id = {};  // empty: a fresh id
  Bytes tracking_hash = {};
  v1::EventType type = v1::EVENT_TYPE_BOOKED;
};

inline model::EventPtr MakeEvent(const EventSpec& spec) {
  auto event = std::make_shared<model::AdmittedEvent>();
  event->id = spec.id.empty() ? FreshId() : spec.id;
  event->event.set_chain_id(std::string(kChain));
  event->event.set_shipment_id(spec.shipment_id);
  event->event.set_type(spec.type);
  event->event.set_tracking_hash(spec.tracking_hash);
  event->event.set_signer_org("exporter-org");
  event->event.set_nonce(event->id.substr(16));
  for (const auto& [kind, value] : spec.references) {
    v1::Reference* reference = event->event.add_references();
    reference->set_kind(kind);
    reference->set_value(value);
  }
  event->signed_event.set_event(event->event.SerializeAsString());
  event->signed_event.set_signer_cert("fake-der-certificate");
  event->signed_event.set_signature("sig-" + event->id);
  event->leaf_hash = Bytes(32, 'l');
  return event;
}

inline Bytes FakeHash(char tag, uint64_t height) {
  Bytes hash(24, tag);
  PutU64BE(&hash, height);
  return hash;
}

// The next block on top of `store`'s head, with its events, receipts and state writes (the
// shipment of every VALID event gets its event_count incremented).
struct NextBlock {
  v1::Block block;
  std::vector<model::EventPtr> events;
  model::BlockEffects effects;
  Bytes results;
};

inline NextBlock MakeNextBlock(const Store& store, const std::vector<EventSpec>& specs) {
  const ChainHead head = store.head();
  const uint64_t height = head.height + 1;
  NextBlock next;
  v1::Proposal* proposal = next.block.mutable_proposal();
  proposal->set_chain_id(std::string(kChain));
  proposal->set_height(height);
  proposal->set_events_root(FakeHash('r', height));
  proposal->set_proposer(static_cast<uint32_t>(height % 4));
  proposal->set_timestamp_ms(1'700'000'000'000 + static_cast<int64_t>(height) * 1000);
  proposal->set_event_count(static_cast<uint32_t>(specs.size()));
  next.block.mutable_certificate()->set_view(3);
  for (uint32_t replica = 0; replica < 3; ++replica) {
    v1::CommitVote* vote = next.block.mutable_certificate()->add_votes();
    vote->set_replica(replica);
    vote->set_signature("vote-" + std::to_string(replica));
  }
  next.block.set_prev_block_hash(head.block_hash);
  next.block.set_block_hash(FakeHash('b', height));
  for (size_t i = 0; i < specs.size(); ++i) {
    model::EventPtr event = MakeEvent(specs[i]);
    *next.block.add_events() = event->signed_event;
    v1::Receipt& receipt = next.effects.receipts.emplace_back();
    receipt.set_event_id(event->id);
    receipt.set_height(height);
    receipt.set_index(static_cast<uint32_t>(i));
    receipt.set_code(specs[i].code);
    if (specs[i].code == v1::RESULT_CODE_REJECTED) receipt.set_reason("not booked");
    if (specs[i].code == v1::RESULT_CODE_VALID) {
      auto it = next.effects.state_writes.find(specs[i].shipment_id);
      if (it == next.effects.state_writes.end()) {
        v1::ShipmentState state =
            store.GetShipmentState(specs[i].shipment_id).value_or(v1::ShipmentState());
        if (state.shipment_id().empty()) {
          state.set_shipment_id(specs[i].shipment_id);
          state.set_status(v1::SHIPMENT_STATUS_BOOKED);
          state.set_booked_height(height);
          state.add_parties("exporter-org");
        }
        it = next.effects.state_writes.emplace(specs[i].shipment_id, state).first;
      }
      it->second.set_event_count(it->second.event_count() + 1);
      it->second.set_last_height(height);
    }
    next.events.push_back(std::move(event));
  }
  next.effects.receipts_root = FakeHash('R', height);
  next.effects.state_writes_digest = FakeHash('W', height);
  next.results = FakeHash('D', height);
  return next;
}

inline Status Commit(Store& store, const NextBlock& next) {
  return store.CommitBlock(next.block, next.events, next.effects, next.results);
}

// Commits a block of these events on top of the head; fails the test if refused.
inline NextBlock CommitNext(Store& store, const std::vector<EventSpec>& specs) {
  NextBlock next = MakeNextBlock(store, specs);
  const Status status = Commit(store, next);
  EXPECT_TRUE(status.ok()) << status.ToString();
  return next;
}

inline std::unique_ptr<Store> OpenOrDie(const std::string& dir,
                                        const model::Genesis& genesis = MakeGenesis(),
                                        const StoreOptions& options = {}) {
  Result<std::unique_ptr<Store>> store = Store::Open(dir, genesis, options);
  SHIPLEDGER_CHECK_MSG(store.ok(), store.status().ToString().c_str());
  return std::move(store).value();
}

// Opens the RocksDB of a closed store directly, with every family, calls fn(db, handles) and
// closes it again, bypassing Store.
template <typename Fn>
void WithRawDb(const std::string& dir, Fn&& fn) {
  rocksdb::DBOptions options;
  std::vector<rocksdb::ColumnFamilyDescriptor> families;
  for (std::string_view name : keys::kFamilyNames) {
    families.emplace_back(std::string(name), rocksdb::ColumnFamilyOptions());
  }
  std::vector<rocksdb::ColumnFamilyHandle*> handles;
  rocksdb::DB* db = nullptr;
  ASSERT_TRUE(rocksdb::DB::Open(options, dir, families, &handles, &db).ok());
  fn(db, handles);
  for (rocksdb::ColumnFamilyHandle* h : handles) EXPECT_TRUE(db->DestroyColumnFamilyHandle(h).ok());
  EXPECT_TRUE(db->Close().ok());
  delete db;
}

// Writes (or, with nullopt, deletes) one raw key of a closed store, bypassing Store.
inline void RawWrite(const std::string& dir, keys::Family family, ByteView key,
                     const std::optional<Bytes>& value) {
  WithRawDb(dir, [&](rocksdb::DB* db, const std::vector<rocksdb::ColumnFamilyHandle*>& handles) {
    rocksdb::ColumnFamilyHandle* handle = handles[static_cast<size_t>(family)];
    const rocksdb::Slice key_slice(key.data(), key.size());
    const rocksdb::Status status = value.has_value()
                                       ? db->Put(rocksdb::WriteOptions(), handle, key_slice, *value)
                                       : db->Delete(rocksdb::WriteOptions(), handle, key_slice);
    EXPECT_TRUE(status.ok()) << status.ToString();
  });
}

}  // namespace shipledger::storage
