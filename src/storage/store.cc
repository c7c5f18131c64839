// Store: opening, chain identity checks, head recovery and the one-batch block commit
// (DESIGN §7). Queries are in store_read.cc.
#include "storage/store.h"

#include <google/protobuf/io/coded_stream.h>
#include <google/protobuf/io/zero_copy_stream_impl_lite.h>
#include <rocksdb/cache.h>
#include <rocksdb/convenience.h>
#include <rocksdb/filter_policy.h>
#include <rocksdb/options.h>
#include <rocksdb/table.h>
#include <rocksdb/write_batch.h>

#include <algorithm>
#include <filesystem>
#include <system_error>
#include <unordered_set>
#include <utility>

#include "model/digest.h"
#include "storage/keys.h"
#include "storage/store_impl.h"

namespace shipledger::storage {

using keys::Family;

Status FromRocks(const rocksdb::Status& status, std::string_view what) {
  if (status.ok()) return Status::Ok();
  std::string message = std::string(what) + ": " + status.ToString();
  if (status.IsCorruption()) return Status::DataLoss(std::move(message));
  if (status.IsNotFound()) return Status::NotFound(std::move(message));
  return Status::Internal(std::move(message));
}

Status SerializeValue(const google::protobuf::MessageLite& message, Bytes* out) {
  out->clear();
  bool ok = false;
  {
    google::protobuf::io::StringOutputStream stream(out);
    google::protobuf::io::CodedOutputStream coded(&stream);
    coded.SetSerializationDeterministic(true);
    ok = message.SerializeToCodedStream(&coded) && !coded.HadError();
  }  // `coded` trims `out` to the bytes written when destroyed.
  if (!ok) return Status::Internal("cannot serialize " + message.GetTypeName());
  return Status::Ok();
}

Status ParseValue(ByteView data, google::protobuf::MessageLite* message, std::string_view what) {
  if (!message->ParseFromArray(data.data(), static_cast<int>(data.size()))) {
    return Status::DataLoss("stored " + std::string(what) + " does not parse as " +
                            message->GetTypeName());
  }
  return Status::Ok();
}

std::string ShortHex(ByteView data) {
  constexpr size_t kShown = 8;
  if (data.size() <= kShown) return ToHex(data);
  return ToHex(data.substr(0, kShown)) + "...";
}

Store::Impl::~Impl() {
  if (db == nullptr) return;
  for (rocksdb::ColumnFamilyHandle* handle : handles) {
    if (handle == nullptr) continue;  // a family a read-only open found absent
    db->DestroyColumnFamilyHandle(handle).PermitUncheckedError();
  }
  db->Close().PermitUncheckedError();
  delete db;
}

Result<bool> Store::Impl::Get(Family family, ByteView key, Bytes* value) const {
  const rocksdb::Status status =
      db->Get(rocksdb::ReadOptions(), cf(family), rocksdb::Slice(key.data(), key.size()), value);
  if (status.IsNotFound()) return false;
  SL_RETURN_IF_ERROR(FromRocks(
      status, std::string("read ") + std::string(keys::kFamilyNames[static_cast<size_t>(family)])));
  return true;
}

Status Store::Impl::MultiGetEach(
    Family family, const std::vector<Bytes>& keys,
    const std::function<Status(size_t, std::optional<ByteView>)>& fn) const {
  std::vector<rocksdb::Slice> slices;
  slices.reserve(keys.size());
  for (const Bytes& k : keys) slices.emplace_back(k.data(), k.size());
  std::vector<rocksdb::PinnableSlice> found(keys.size());
  std::vector<rocksdb::Status> statuses(keys.size());
  db->MultiGet(rocksdb::ReadOptions(), cf(family), keys.size(), slices.data(), found.data(),
               statuses.data());
  for (size_t i = 0; i < keys.size(); ++i) {
    if (statuses[i].IsNotFound()) {
      SL_RETURN_IF_ERROR(fn(i, std::nullopt));
      continue;
    }
    SL_RETURN_IF_ERROR(FromRocks(
        statuses[i],
        std::string("read ") + std::string(keys::kFamilyNames[static_cast<size_t>(family)])));
    SL_RETURN_IF_ERROR(fn(i, ByteView(found[i].data(), found[i].size())));
  }
  return Status::Ok();
}

namespace {

// Families read by point lookups of hash-like keys: a bloom filter saves a disk read per miss
// (HasEvent is asked for every event execution sees). Not tracking_index, on purpose: there a
// miss (an unknown tracking code) should cost what a hit costs (docs/tracking.md).
bool IsPointLookupFamily(Family family) {
  switch (family) {
    case Family::kBlockIndex:
    case Family::kEventIndex:
    case Family::kReceipts:
    case Family::kShipmentState:
    case Family::kMeta:
      return true;
    default:
      return false;
  }
}

// Families added after schema 1 shipped: created on a read-write open of an older store, and
// read as empty by a read-only open of one.
bool IsLateFamily(Family family) {
  return family == Family::kTrackingIndex || family == Family::kContractRecords ||
         family == Family::kPartyIndex;
}

// The families that take most bytes: events (certificates and signatures) and block headers.
bool IsBulkFamily(Family family) { return family == Family::kEvents || family == Family::kBlocks; }

rocksdb::CompressionType PickCompression() {
  const std::vector<rocksdb::CompressionType> supported = rocksdb::GetSupportedCompressions();
  for (rocksdb::CompressionType type : {rocksdb::kLZ4Compression, rocksdb::kSnappyCompression}) {
    if (std::find(supported.begin(), supported.end(), type) != supported.end()) return type;
  }
  return rocksdb::kNoCompression;
}

rocksdb::DBOptions MakeDbOptions(const StoreOptions& options) {
  rocksdb::DBOptions db_options;
  db_options.create_if_missing = options.create_if_missing && !options.read_only;
  db_options.create_missing_column_families = !options.read_only;
  db_options.max_open_files = 512;     // bounded: table readers (and their memory) are cached
  db_options.max_background_jobs = 2;  // the node's machines are small; consensus needs CPU
  db_options.db_write_buffer_size = 64 << 20;  // all memtables together: keeps RSS bounded
  db_options.max_total_wal_size = 128 << 20;   // flush idle families so old WALs are freed
  db_options.bytes_per_sync = 1 << 20;         // smooth SST writeback
  db_options.keep_log_file_num = 4;
  db_options.max_log_file_size = 8 << 20;
  // WAL stays enabled; recovery replays whole write batches only (point-in-time recovery).
  db_options.wal_recovery_mode = rocksdb::WALRecoveryMode::kPointInTimeRecovery;
  if (options.env != nullptr) db_options.env = options.env;
  return db_options;
}

rocksdb::ColumnFamilyOptions MakeFamilyOptions(Family family,
                                               const std::shared_ptr<rocksdb::Cache>& cache,
                                               rocksdb::CompressionType compression) {
  rocksdb::ColumnFamilyOptions cf_options;
  rocksdb::BlockBasedTableOptions table;
  table.block_cache = cache;
  // Index and filter blocks live in (and are bounded by) the block cache, not on the heap.
  table.cache_index_and_filter_blocks = true;
  table.cache_index_and_filter_blocks_with_high_priority = true;
  table.pin_l0_filter_and_index_blocks_in_cache = true;
  // Partitioned: a lookup loads one small index/filter partition, not a whole index or filter
  // of a large file. Whole blocks of ~1 MB per file (a million ids) do not stay in a cache
  // shard, and re-reading and checksumming them on every lookup made a 100-event history take
  // 26 ms at 1M events (bench: BM_ShipmentHistory).
  table.index_type = rocksdb::BlockBasedTableOptions::IndexType::kTwoLevelIndexSearch;
  table.metadata_block_size = 4096;
  table.pin_top_level_index_and_filter = true;
  table.format_version = 5;
  // A hash index in each data block: a point read (Get, MultiGet) finds its key without a
  // binary search and a scan of the restart interval. Range scans are unaffected.
  table.data_block_index_type = rocksdb::BlockBasedTableOptions::kDataBlockBinaryAndHash;
  table.data_block_hash_table_util_ratio = 0.75;
  if (IsPointLookupFamily(family)) {
    table.filter_policy.reset(rocksdb::NewBloomFilterPolicy(10));
    table.whole_key_filtering = true;
    table.partition_filters = true;
  }
  if (IsBulkFamily(family)) table.block_size = 16 << 10;  // compresses repeated certificates
  cf_options.table_factory.reset(rocksdb::NewBlockBasedTableFactory(table));
  cf_options.write_buffer_size = IsBulkFamily(family) ? (16 << 20) : (4 << 20);
  cf_options.max_write_buffer_number = 2;
  cf_options.level_compaction_dynamic_level_bytes = true;
  cf_options.compression = compression;
  return cf_options;
}

std::string ChainMismatchMessage(const std::string& dir, std::string_view stored_chain,
                                 ByteView stored_hash, const model::Genesis& genesis) {
  return "data dir " + dir + " belongs to chain '" + std::string(stored_chain) + "' (genesis " +
         ShortHex(stored_hash) + "), not to chain '" + genesis.chain_id + "' (genesis " +
         ShortHex(genesis.hash) + "); use an empty --data-dir or the right genesis";
}

}  // namespace

Status Store::Impl::InitOrCheckMeta(const model::Genesis& genesis) {
  Bytes stored_chain;
  SL_ASSIGN_OR_RETURN(const bool has_chain, Get(Family::kMeta, keys::kMetaChainId, &stored_chain));
  if (!has_chain) {
    // A new store, or one whose creation stopped before this write: it must hold no block.
    bool has_block = false;
    SL_RETURN_IF_ERROR(Scan(Family::kBlocks, ByteView(), std::nullopt, [&](ByteView, ByteView) {
      has_block = true;
      return false;
    }));
    if (has_block) {
      return Status::DataLoss("data dir " + dir + " holds blocks but no chain id record");
    }
    if (options.read_only) {
      return Status::FailedPrecondition("data dir " + dir + " holds no chain yet");
    }
    ChainHead genesis_head;
    genesis_head.block_hash = genesis.hash;
    genesis_head.results = model::ZeroDigest();
    Bytes version;
    PutU32BE(&version, keys::kSchemaVersion);
    rocksdb::WriteBatch batch;
    rocksdb::ColumnFamilyHandle* meta = cf(Family::kMeta);
    const Bytes head_value = keys::EncodeHead(genesis_head);
    SL_RETURN_IF_ERROR(FromRocks(batch.Put(meta, keys::kMetaChainId, genesis.chain_id), "batch"));
    SL_RETURN_IF_ERROR(FromRocks(batch.Put(meta, keys::kMetaGenesisHash, genesis.hash), "batch"));
    SL_RETURN_IF_ERROR(FromRocks(batch.Put(meta, keys::kMetaSchemaVersion, version), "batch"));
    SL_RETURN_IF_ERROR(FromRocks(batch.Put(meta, keys::kMetaHead, head_value), "batch"));
    // No states yet: the (empty) party index is complete at the genesis.
    SL_RETURN_IF_ERROR(
        FromRocks(batch.Put(meta, keys::kMetaPartyIndexHeight, keys::HeightKey(0)), "batch"));
    rocksdb::WriteOptions write_options;
    write_options.sync = true;
    return FromRocks(db->Write(write_options, &batch), "initialise data dir " + dir);
  }

  Bytes stored_hash;
  Bytes version_value;
  SL_ASSIGN_OR_RETURN(const bool has_hash,
                      Get(Family::kMeta, keys::kMetaGenesisHash, &stored_hash));
  SL_ASSIGN_OR_RETURN(const bool has_version,
                      Get(Family::kMeta, keys::kMetaSchemaVersion, &version_value));
  uint32_t version = 0;
  if (!has_hash || !has_version || !keys::DecodeU32(version_value, &version)) {
    return Status::DataLoss("data dir " + dir +
                            " has a chain id but no valid genesis hash or schema version");
  }
  if (stored_chain != genesis.chain_id || stored_hash != genesis.hash) {
    return Status::FailedPrecondition(
        ChainMismatchMessage(dir, stored_chain, stored_hash, genesis));
  }
  if (version < keys::kOldestSchemaVersion || version > keys::kSchemaVersion) {
    return Status::FailedPrecondition("data dir " + dir + " has storage schema version " +
                                      std::to_string(version) + "; this build reads versions " +
                                      std::to_string(keys::kOldestSchemaVersion) + " to " +
                                      std::to_string(keys::kSchemaVersion));
  }
  found_schema = version;
  if (version == keys::kSchemaVersion || options.read_only) return Status::Ok();
  // An older store: its entries stay as they are (the readers take both formats), and the
  // stamp, written before anything of the new format, keeps builds that read only the old
  // format from misreading what this one will add.
  Bytes stamp;
  PutU32BE(&stamp, keys::kSchemaVersion);
  rocksdb::WriteOptions write_options;
  write_options.sync = true;
  return FromRocks(db->Put(write_options, cf(Family::kMeta), keys::kMetaSchemaVersion, stamp),
                   "stamp schema version of data dir " + dir);
}

namespace {

// Adds to `batch` a party_index entry (in `family`) for each party of shipment `shipment_id`,
// whose state is `state`.
Status AddPartyIndexEntries(rocksdb::ColumnFamilyHandle* family, std::string_view shipment_id,
                            const v1::ShipmentState& state, rocksdb::WriteBatch* batch) {
  // Parties only grow (the contract adds, never removes), so a state's parties are a superset
  // of every earlier one's: putting them all again is enough, and costs a few small keys.
  for (const std::string& org : state.parties()) {
    const Bytes key = keys::PartyKey(org, shipment_id);
    SL_RETURN_IF_ERROR(FromRocks(
        batch->Put(family, rocksdb::Slice(key.data(), key.size()), rocksdb::Slice()), "batch"));
  }
  return Status::Ok();
}

}  // namespace

Status Store::Impl::CheckOrBuildPartyIndex() {
  const uint64_t height = CurrentHead().height;
  Bytes value;
  uint64_t indexed = 0;
  SL_ASSIGN_OR_RETURN(const bool found, Get(Family::kMeta, keys::kMetaPartyIndexHeight, &value));
  if (found && keys::DecodeU64(value, &indexed) && indexed == height &&
      cf(Family::kPartyIndex) != nullptr) {
    party_index_ready = true;
    return Status::Ok();
  }
  // A store made before the index, or one an older build has committed to since: its index is
  // missing or behind. A read-only open cannot build it, and lists by scanning the states.
  if (options.read_only) return Status::Ok();
  // Every state's parties, put again (the entries already there are overwritten with the same
  // empty value), in batches; the height is recorded last, once all are written. Nothing else
  // writes while the store is being opened.
  rocksdb::WriteBatch batch;
  size_t states = 0;
  Status status;
  SL_RETURN_IF_ERROR(
      Scan(Family::kShipmentState, ByteView(), std::nullopt, [&](ByteView key, ByteView data) {
        v1::ShipmentState state;
        status = ParseValue(data, &state, "state of " + std::string(key));
        if (status.ok()) {
          status = AddPartyIndexEntries(cf(Family::kPartyIndex), key, state, &batch);
        }
        if (status.ok() && ++states % 4096 == 0) {
          status = FromRocks(db->Write(rocksdb::WriteOptions(), &batch), "build party index");
          batch.Clear();
        }
        return status.ok();
      }));
  SL_RETURN_IF_ERROR(status);
  SL_RETURN_IF_ERROR(FromRocks(
      batch.Put(cf(Family::kMeta), keys::kMetaPartyIndexHeight, keys::HeightKey(height)), "batch"));
  SL_RETURN_IF_ERROR(FromRocks(db->Write(SyncedWrite(), &batch), "build party index"));
  party_index_ready = true;
  party_index_rebuilt = states;
  return Status::Ok();
}

Status Store::Impl::RecoverHead() {
  Bytes value;
  SL_ASSIGN_OR_RETURN(const bool found, Get(Family::kMeta, keys::kMetaHead, &value));
  ChainHead recovered;
  if (!found || !keys::DecodeHead(value, &recovered)) {
    return Status::DataLoss("data dir " + dir + " has no valid head record");
  }
  if (recovered.height == 0) {
    if (recovered.block_hash != genesis_hash) {
      return Status::DataLoss("data dir " + dir + ": head at height 0 is not the genesis");
    }
  } else {
    Result<v1::Block> header = ReadHeader(recovered.height);
    if (!header.ok()) {
      return Status::DataLoss("data dir " + dir + ": head says height " +
                              std::to_string(recovered.height) + " but " +
                              header.status().message());
    }
    if (header->block_hash() != recovered.block_hash) {
      return Status::DataLoss("data dir " + dir + ": block " + std::to_string(recovered.height) +
                              " has hash " + ShortHex(header->block_hash()) +
                              ", the head record says " + ShortHex(recovered.block_hash));
    }
  }
  Bytes next;
  SL_ASSIGN_OR_RETURN(const bool has_next,
                      Get(Family::kBlocks, keys::HeightKey(recovered.height + 1), &next));
  if (has_next) {
    return Status::DataLoss("data dir " + dir + " holds block " +
                            std::to_string(recovered.height + 1) + " above its head record");
  }
  std::lock_guard<std::mutex> lock(head_mu);
  head = std::move(recovered);
  return Status::Ok();
}

Result<std::unique_ptr<Store>> Store::Open(const std::string& dir, const model::Genesis& genesis,
                                           const StoreOptions& options) {
  if (genesis.chain_id.empty() || genesis.hash.empty()) {
    return Status::InvalidArgument("genesis has no chain id or no hash");
  }
  namespace fs = std::filesystem;
  std::error_code ec;
  const bool exists = fs::exists(fs::path(dir) / "CURRENT", ec);
  if (!exists) {
    if (options.read_only || !options.create_if_missing) {
      return Status::NotFound("no store in data dir " + dir);
    }
    fs::create_directories(dir, ec);
    if (ec) return Status::Internal("cannot create data dir " + dir + ": " + ec.message());
  }

  auto impl = std::make_unique<Impl>();
  impl->dir = dir;
  impl->chain_id = genesis.chain_id;
  impl->genesis_hash = genesis.hash;
  impl->options = options;
  // 16 shards (not 64 of 1 MiB): a shard must hold the blocks a lookup needs at once.
  impl->block_cache = rocksdb::NewLRUCache(options.block_cache_bytes, /*num_shard_bits=*/4);
  const rocksdb::DBOptions db_options = MakeDbOptions(options);
  const rocksdb::CompressionType compression = PickCompression();

  std::vector<std::string> existing;
  if (exists) {
    SL_RETURN_IF_ERROR(FromRocks(rocksdb::DB::ListColumnFamilies(db_options, dir, &existing),
                                 "list column families of " + dir));
  }
  std::vector<rocksdb::ColumnFamilyDescriptor> families;
  std::vector<int> family_of;  // families[i] is Family family_of[i]; -1 for unknown ones
  // A read-write open creates families added after a store was made (create_missing_column_
  // families); a read-only open cannot, and reads such an absent family as empty.
  for (int i = 0; i < keys::kFamilyCount; ++i) {
    const std::string name(keys::kFamilyNames[static_cast<size_t>(i)]);
    if (options.read_only && std::find(existing.begin(), existing.end(), name) == existing.end()) {
      if (IsLateFamily(static_cast<Family>(i))) continue;
      return Status::DataLoss("data dir " + dir + " has no column family " + name);
    }
    families.emplace_back(
        name, MakeFamilyOptions(static_cast<Family>(i), impl->block_cache, compression));
    family_of.push_back(i);
  }
  // A read-write open must name every family present (a newer schema may have added some).
  for (const std::string& name : existing) {
    if (options.read_only) break;
    if (std::find(keys::kFamilyNames.begin(), keys::kFamilyNames.end(), name) ==
        keys::kFamilyNames.end()) {
      families.emplace_back(name, rocksdb::ColumnFamilyOptions());
      family_of.push_back(-1);
    }
  }

  rocksdb::DB* db = nullptr;
  std::vector<rocksdb::ColumnFamilyHandle*> opened;
  const rocksdb::Status status =
      options.read_only ? rocksdb::DB::OpenForReadOnly(db_options, dir, families, &opened, &db)
                        : rocksdb::DB::Open(db_options, dir, families, &opened, &db);
  if (!status.ok()) {
    if (status.IsIOError() && status.ToString().find("lock") != std::string::npos) {
      return Status::FailedPrecondition(
          "data dir " + dir + " is in use (is another node running on it?): " + status.ToString());
    }
    return FromRocks(status, "open data dir " + dir);
  }
  impl->db = db;
  // handles: one per Family (nullptr for a late family absent from a read-only store), then
  // the unknown families.
  impl->handles.assign(keys::kFamilyCount, nullptr);
  for (size_t i = 0; i < opened.size(); ++i) {
    if (family_of[i] >= 0) {
      impl->handles[static_cast<size_t>(family_of[i])] = opened[i];
    } else {
      impl->handles.push_back(opened[i]);
    }
  }

  SL_RETURN_IF_ERROR(impl->InitOrCheckMeta(genesis));
  SL_RETURN_IF_ERROR(impl->RecoverHead());
  SL_RETURN_IF_ERROR(impl->RecoverJournal());
  SL_RETURN_IF_ERROR(impl->CheckOrBuildPartyIndex());
  std::unique_ptr<Store> store(new Store());
  store->impl_ = std::move(impl);
  return store;
}

Store::~Store() = default;

ChainHead Store::head() const { return impl_->CurrentHead(); }

uint32_t Store::found_schema_version() const { return impl_->found_schema; }

std::optional<uint64_t> Store::party_index_rebuilt() const { return impl_->party_index_rebuilt; }

uint32_t Store::SchemaVersion() { return keys::kSchemaVersion; }

namespace {

// What CommitBlock requires beyond the chain linkage: the block, its parsed events and the
// execution results must describe the same events, in the same order.
Status CheckBlockConsistent(std::string_view chain_id, const v1::Block& block,
                            const std::vector<model::EventPtr>& events,
                            const model::BlockEffects& effects) {
  const v1::Proposal& proposal = block.proposal();
  const std::string where = "block " + std::to_string(proposal.height()) + ": ";
  if (proposal.chain_id() != chain_id) {
    return Status::InvalidArgument(where + "chain id '" + proposal.chain_id() + "', store holds '" +
                                   std::string(chain_id) + "'");
  }
  if (block.block_hash().empty()) return Status::InvalidArgument(where + "no block hash");
  if (proposal.event_count() != events.size() ||
      (block.events_size() != 0 && static_cast<size_t>(block.events_size()) != events.size())) {
    return Status::InvalidArgument(where + "proposal counts " +
                                   std::to_string(proposal.event_count()) + " events, " +
                                   std::to_string(events.size()) + " parsed events given");
  }
  if (effects.receipts.size() != events.size()) {
    return Status::InvalidArgument(where + std::to_string(effects.receipts.size()) +
                                   " receipts for " + std::to_string(events.size()) + " events");
  }
  for (size_t i = 0; i < events.size(); ++i) {
    const v1::Receipt& receipt = effects.receipts[i];
    if (events[i] == nullptr) {
      return Status::InvalidArgument(where + "event " + std::to_string(i) + " is null");
    }
    if (events[i]->id.size() != keys::kEventIdSize) {
      return Status::InvalidArgument(where + "event " + std::to_string(i) + " has a " +
                                     std::to_string(events[i]->id.size()) + "-byte id");
    }
    if (receipt.event_id() != events[i]->id || receipt.height() != proposal.height() ||
        receipt.index() != i) {
      return Status::InvalidArgument(
          where + "receipt " + std::to_string(i) + " (event " + ShortHex(receipt.event_id()) +
          " at " + std::to_string(receipt.height()) + "/" + std::to_string(receipt.index()) +
          ") does not match event " + ShortHex(events[i]->id));
    }
  }
  return Status::Ok();
}

}  // namespace

Status Store::CommitBlock(const v1::Block& block, const std::vector<model::EventPtr>& events,
                          const model::BlockEffects& effects, ByteView results_digest) {
  Impl& impl = *impl_;
  if (impl.options.read_only) {
    return Status::FailedPrecondition("store in " + impl.dir + " is open read-only");
  }
  std::lock_guard<std::mutex> commit_lock(impl.commit_mu);
  const ChainHead current = impl.CurrentHead();
  const uint64_t height = block.proposal().height();
  if (height != current.height + 1) {
    return Status::FailedPrecondition("block at height " + std::to_string(height) +
                                      " does not follow the head at height " +
                                      std::to_string(current.height));
  }
  if (block.prev_block_hash() != current.block_hash) {
    return Status::FailedPrecondition("block " + std::to_string(height) + " links to " +
                                      ShortHex(block.prev_block_hash()) +
                                      ", the head block hash is " + ShortHex(current.block_hash));
  }
  SL_RETURN_IF_ERROR(CheckBlockConsistent(impl.chain_id, block, events, effects));

  rocksdb::WriteBatch batch;
  Bytes value;
  auto put = [&](Family family, ByteView key, ByteView data) {
    return FromRocks(batch.Put(impl.cf(family), rocksdb::Slice(key.data(), key.size()),
                               rocksdb::Slice(data.data(), data.size())),
                     "batch");
  };

  // The header: the block without its events, which are stored once, under events.
  v1::Block header;
  *header.mutable_proposal() = block.proposal();
  *header.mutable_certificate() = block.certificate();
  header.set_block_hash(block.block_hash());
  header.set_prev_block_hash(block.prev_block_hash());
  const Bytes height_key = keys::HeightKey(height);
  const int64_t block_time_ms = block.proposal().timestamp_ms();
  SL_RETURN_IF_ERROR(SerializeValue(header, &value));
  SL_RETURN_IF_ERROR(put(Family::kBlocks, height_key, value));
  SL_RETURN_IF_ERROR(put(Family::kBlockIndex, block.block_hash(), height_key));

  std::unordered_set<ByteView> indexed;  // ids indexed by this batch; views into `events`
  indexed.reserve(events.size());
  // A VALID booking's tracking hash -> its shipment (DESIGN §8), unless claimed before: the
  // first booking in chain order keeps the code, so a later one cannot redirect it.
  std::unordered_set<ByteView> tracked;  // hashes claimed by this batch; views into `events`
  auto index_tracking_hash = [&](const v1::Event& event) -> Status {
    const std::string& hash = event.tracking_hash();
    if (event.type() != v1::EVENT_TYPE_BOOKED || hash.size() != model::kDigestSize ||
        tracked.contains(hash)) {
      return Status::Ok();
    }
    Bytes owner;
    SL_ASSIGN_OR_RETURN(const bool claimed, impl.Get(Family::kTrackingIndex, hash, &owner));
    if (claimed) return Status::Ok();
    tracked.insert(hash);
    return put(Family::kTrackingIndex, hash, event.shipment_id());
  };
  for (size_t i = 0; i < events.size(); ++i) {
    const model::AdmittedEvent& event = *events[i];
    const v1::Receipt& receipt = effects.receipts[i];
    const auto index = static_cast<uint32_t>(i);
    const Bytes event_key = keys::EventKey(height, index);
    SL_RETURN_IF_ERROR(SerializeValue(event.signed_event, &value));
    SL_RETURN_IF_ERROR(put(Family::kEvents, event_key, value));

    // The first committed copy of an id keeps its location and receipt: a DUPLICATE (or a
    // repeated id inside this block) is stored in the block but indexed nowhere.
    bool index_it = !indexed.contains(event.id);
    if (index_it && receipt.code() == v1::RESULT_CODE_DUPLICATE) {
      SL_ASSIGN_OR_RETURN(const bool known, impl.ContainsEvent(event.id));
      index_it = !known;
    }
    const std::string& shipment_id = event.event.shipment_id();
    if (index_it) {
      indexed.insert(event.id);
      SL_RETURN_IF_ERROR(put(Family::kEventIndex, event.id, event_key));
      SL_RETURN_IF_ERROR(SerializeValue(receipt, &value));
      SL_RETURN_IF_ERROR(put(Family::kReceipts, event.id, value));
      SL_RETURN_IF_ERROR(put(Family::kShipmentEvents,
                             keys::ShipmentEventKey(shipment_id, height, index),
                             keys::EncodeShipmentEntry(event.id, block_time_ms, value)));
    }
    if (receipt.code() == v1::RESULT_CODE_VALID) {
      for (const v1::Reference& reference : event.event.references()) {
        SL_RETURN_IF_ERROR(put(Family::kReferenceIndex,
                               keys::ReferenceKey(reference.kind(), reference.value(), shipment_id),
                               ByteView()));
      }
      SL_RETURN_IF_ERROR(index_tracking_hash(event.event));
    }
  }

  for (const auto& [shipment_id, state] : effects.state_writes) {
    SL_RETURN_IF_ERROR(SerializeValue(state, &value));
    SL_RETURN_IF_ERROR(put(Family::kShipmentState, shipment_id, value));
    SL_RETURN_IF_ERROR(
        AddPartyIndexEntries(impl.cf(Family::kPartyIndex), shipment_id, state, &batch));
  }
  for (const auto& [key, record] : effects.record_writes) {
    if (record.has_value()) {
      SL_RETURN_IF_ERROR(put(Family::kContractRecords, key, *record));
    } else {
      SL_RETURN_IF_ERROR(FromRocks(
          batch.Delete(impl.cf(Family::kContractRecords), rocksdb::Slice(key.data(), key.size())),
          "batch"));
    }
  }
  const Store::ResultsRecord record{effects.receipts_root, effects.state_writes_digest,
                                    Bytes(results_digest)};
  SL_RETURN_IF_ERROR(put(Family::kResults, height_key, keys::EncodeResults(record)));

  ChainHead next;
  next.height = height;
  next.block_hash = block.block_hash();
  next.results = Bytes(results_digest);
  next.block_time_ms = block_time_ms;
  next.event_count = current.event_count + events.size();
  SL_RETURN_IF_ERROR(put(Family::kMeta, keys::kMetaHead, keys::EncodeHead(next)));
  SL_RETURN_IF_ERROR(put(Family::kMeta, keys::kMetaPartyIndexHeight, keys::HeightKey(height)));

  rocksdb::WriteOptions write_options;
  write_options.sync = impl.options.sync_writes;
  SL_RETURN_IF_ERROR(
      FromRocks(impl.db->Write(write_options, &batch), "commit block " + std::to_string(height)));
  std::lock_guard<std::mutex> head_lock(impl.head_mu);
  impl.head = std::move(next);
  return Status::Ok();
}

}  // namespace shipledger::storage
