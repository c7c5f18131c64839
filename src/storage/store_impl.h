// Internal to storage/: the state behind Store, shared by store.cc (open, recovery, commit) and
// store_read.cc (queries). Not included outside this folder.
#pragma once

#include <rocksdb/db.h>

#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "shipledger/bytes.h"
#include "shipledger/status.h"
#include "storage/keys.h"
#include "storage/store.h"

namespace shipledger::storage {

// Maps a RocksDB status: Corruption -> DATA_LOSS, NotFound -> NOT_FOUND, others -> INTERNAL.
Status FromRocks(const rocksdb::Status& status, std::string_view what);

// Protobuf (de)serialization for stored values. Serialization is deterministic, so that equal
// messages are stored as equal bytes on every node.
Status SerializeValue(const google::protobuf::MessageLite& message, Bytes* out);
// DATA_LOSS naming `what` when the bytes do not parse.
Status ParseValue(ByteView data, google::protobuf::MessageLite* message, std::string_view what);

// The first 8 bytes of `data` in hex followed by "..." (for messages), or all of it if shorter.
std::string ShortHex(ByteView data);

struct Store::Impl {
  ~Impl();

  rocksdb::ColumnFamilyHandle* cf(keys::Family family) const {
    return handles[static_cast<size_t>(family)];
  }
  // Point read. Returns false when the key is absent; INTERNAL / DATA_LOSS on RocksDB errors.
  Result<bool> Get(keys::Family family, ByteView key, Bytes* value) const;
  // Point reads of many keys at once (one RocksDB MultiGet), without copying the values:
  // fn(i, value) for each i in order, value nullopt when keys[i] is absent and otherwise valid
  // only during the call. Stops at fn's first error.
  Status MultiGetEach(keys::Family family, const std::vector<Bytes>& keys,
                      const std::function<Status(size_t, std::optional<ByteView>)>& fn) const;
  // Calls fn(key, value) for the keys in [lower, upper) in order (no upper bound when nullopt)
  // until fn returns false. Callers record their own decoding errors before returning false.
  template <typename Fn>
  Status Scan(keys::Family family, ByteView lower, const std::optional<Bytes>& upper,
              Fn&& fn) const;
  Result<v1::Block> ReadHeader(uint64_t height) const;
  // The contract records with `lower` <= key < `upper` (none: to the end), in key order; stops
  // the node (SHIPLEDGER_CHECK) on a read error, as every contract-state read does.
  std::vector<std::pair<std::string, Bytes>> ScanContractRecords(
      ByteView lower, const std::optional<Bytes>& upper) const;
  // fn(location, entry) for each shipment index entry of `shipment_id`, in chain order (the
  // entry's views are valid only during the call); DATA_LOSS for a malformed key or value.
  Status ScanShipmentIndex(
      std::string_view shipment_id,
      const std::function<void(EventLocation, const keys::ShipmentEntry&)>& fn) const;
  // Open: checks the chain identity recorded in meta, or records it in a new store.
  Status InitOrCheckMeta(const model::Genesis& genesis);
  // Open: loads the head from meta and checks it against the blocks family.
  Status RecoverHead();
  Result<bool> ContainsEvent(ByteView event_id) const;
  // Open: sets next_journal_sequence above every stored journal key. DATA_LOSS on a bad key.
  Status RecoverJournal();
  // Open (after RecoverHead): checks that party_index is complete through the head, and on a
  // read-write open builds it from the shipment states when it is not (a store made before
  // the index, or committed to by an older build). DATA_LOSS when a state does not parse.
  Status CheckOrBuildPartyIndex();
  // The genesis checkpoint certificate (height 0, DESIGN §5).
  v1::CheckpointCertificate GenesisCheckpoint() const;
  // Adds to `batch` the deletion of the journal entries a stable checkpoint at `through_height`
  // makes unnecessary (model::PrunableHeightZeroEntries; heights 1..through_height).
  // REQUIRES: journal_mu held. DATA_LOSS when a height-0 entry is malformed (batch unchanged).
  Status AddJournalPrune(uint64_t through_height, rocksdb::WriteBatch* batch);
  // Write options for the synced writes outside CommitBlock.
  rocksdb::WriteOptions SyncedWrite() const {
    rocksdb::WriteOptions write_options;
    write_options.sync = options.sync_writes;
    return write_options;
  }
  ChainHead CurrentHead() const {
    std::lock_guard<std::mutex> lock(head_mu);
    return head;
  }

  // Set by Open, constant afterwards.
  std::string dir;
  std::string chain_id;
  Bytes genesis_hash;
  StoreOptions options;
  uint32_t found_schema = 0;  // the schema version the store had when opened (0: new store)
  // party_index is complete through the head and maintained by CommitBlock; false only on a
  // read-only open of a store whose index is missing or behind.
  bool party_index_ready = false;
  std::optional<uint64_t> party_index_rebuilt;  // states indexed by the open, when it built it
  std::shared_ptr<rocksdb::Cache> block_cache;
  rocksdb::DB* db = nullptr;                          // owned; closed by ~Impl
  std::vector<rocksdb::ColumnFamilyHandle*> handles;  // by keys::Family, then unknown families

  std::mutex commit_mu;  // serializes CommitBlock (documented single caller; cheap insurance)
  mutable std::mutex head_mu;
  ChainHead head;  // guarded by head_mu; changed only after a successful commit write

  std::mutex journal_mu;               // serializes journal appends and prunes
  uint64_t next_journal_sequence = 0;  // guarded by journal_mu
};

template <typename Fn>
Status Store::Impl::Scan(keys::Family family, ByteView lower, const std::optional<Bytes>& upper,
                         Fn&& fn) const {
  rocksdb::ReadOptions read_options;
  rocksdb::Slice upper_slice;
  if (upper.has_value()) {
    upper_slice = rocksdb::Slice(upper->data(), upper->size());
    read_options.iterate_upper_bound = &upper_slice;
  }
  std::unique_ptr<rocksdb::Iterator> it(db->NewIterator(read_options, cf(family)));
  for (it->Seek(rocksdb::Slice(lower.data(), lower.size())); it->Valid(); it->Next()) {
    const rocksdb::Slice key = it->key();
    const rocksdb::Slice value = it->value();
    if (!fn(ByteView(key.data(), key.size()), ByteView(value.data(), value.size()))) break;
  }
  return FromRocks(it->status(), std::string("scan ") +
                                     std::string(keys::kFamilyNames[static_cast<size_t>(family)]));
}

}  // namespace shipledger::storage
