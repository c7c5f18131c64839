// The node's RocksDB store (DESIGN §7): blocks, indexes, receipts, contract state, results, the
// consensus journal and stable checkpoint certificates.
// A committed block and everything it changes are written in ONE WriteBatch with a synced WAL,
// so after a crash the store holds whole blocks only.
// Thread-safety: all methods are thread-safe. CommitBlock is meant for one thread at a time
// (the commit thread), the journal and checkpoint writes for the consensus thread; concurrent
// callers are serialized. Reads never see a half-written block.
#pragma once

#include <atomic>
#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "model/event.h"
#include "model/execution.h"
#include "model/genesis.h"
#include "shipledger/status.h"
#include "shipledger/v1/peer.pb.h"
#include "shipledger/v1/types.pb.h"

namespace rocksdb {
class DB;
class ColumnFamilyHandle;
class Env;
}  // namespace rocksdb

namespace shipledger::storage {

struct StoreOptions {
  size_t block_cache_bytes = 64 << 20;  // Default: 64 MiB
  bool sync_writes = true;              // Default: true; false only in benchmarks of the rest
  bool create_if_missing = true;        // Default: true; `verify --data-dir` opens read-only
  bool read_only = false;
  // Rarely set: the RocksDB environment (files, threads). Default: null, RocksDB's own. Tests
  // inject one that fails writes; it must outlive the store.
  rocksdb::Env* env = nullptr;
};

struct EventLocation {
  uint64_t height = 0;
  uint32_t index = 0;
};

struct ChainHead {
  uint64_t height = 0;  // 0: only the genesis
  Bytes block_hash;     // genesis hash at height 0
  Bytes results;        // results digest at `height`; 32 zero bytes at 0
  int64_t block_time_ms = 0;
  uint64_t event_count = 0;
};

class Store final : public model::ChainWriter {
 public:
  // Opens (or creates) the store in `dir`. FAILED_PRECONDITION when the directory holds
  // another chain ("data dir ... belongs to chain X with genesis hash H, not Y"), DATA_LOSS
  // when the meta records are inconsistent, INTERNAL when RocksDB fails.
  static Result<std::unique_ptr<Store>> Open(const std::string& dir, const model::Genesis& genesis,
                                             const StoreOptions& options = {});
  ~Store() override;

  ChainHead head() const;
  // The storage schema version the data dir had when it was opened: keys::kSchemaVersion, an
  // older one (read as it is; a read-write open has stamped it with the current one), or 0
  // for a store this open created.
  uint32_t found_schema_version() const;
  // The storage schema version this build writes.
  static uint32_t SchemaVersion();
  // When this open built the party index (a data dir made before it, or committed to by a
  // build without it): how many shipment states it indexed. nullopt when it was up to date.
  std::optional<uint64_t> party_index_rebuilt() const;

  // Appends the next block. REQUIRES: block.proposal().height() == head().height + 1 and
  // block.prev_block_hash() == head().block_hash (FAILED_PRECONDITION otherwise; nothing
  // written). `events` are the block's events parsed; `effects` what execution produced.
  // INVALID_ARGUMENT (nothing written) unless the proposal's chain id is the store's, its
  // event_count == events.size(), and effects.receipts holds one receipt per event with that
  // event's id, height and index. FAILED_PRECONDITION on a read-only store. A DUPLICATE
  // receipt's event is stored in the block but not indexed: the first copy keeps its receipt.
  // A VALID booking's tracking_hash is indexed unless an earlier booking (an earlier block, or
  // earlier in this one) claimed it: the first claim wins, on every node alike.
  Status CommitBlock(const v1::Block& block, const std::vector<model::EventPtr>& events,
                     const model::BlockEffects& effects, ByteView results_digest) override;
  Bytes HeadResults() const override { return head().results; }

  // NOT_FOUND when absent.
  Result<v1::Block> GetBlock(uint64_t height) const;
  Result<uint64_t> GetHeightByHash(ByteView block_hash) const;
  // The block header only (proposal, certificate, hashes), without events.
  Result<v1::Block> GetBlockHeader(uint64_t height) const;
  // The block time (proposal timestamp) at `height`, without parsing the certificate.
  Result<int64_t> GetBlockTime(uint64_t height) const;
  // The same for many heights at once (one batched read); NOT_FOUND naming the first missing.
  Result<std::vector<int64_t>> GetBlockTimes(const std::vector<uint64_t>& heights) const;
  Result<EventLocation> GetEventLocation(ByteView event_id) const;
  Result<v1::SignedEvent> GetEvent(ByteView event_id) const;
  Result<v1::SignedEvent> GetEventAt(EventLocation location) const;
  Result<v1::Receipt> GetReceipt(ByteView event_id) const;
  // Many at once (one batched read each): NOT_FOUND naming the first missing event; receipts
  // are nullopt for ids without one.
  Result<std::vector<v1::SignedEvent>> GetEventsAt(const std::vector<EventLocation>& at) const;
  Result<std::vector<std::optional<v1::Receipt>>> GetReceipts(const std::vector<Bytes>& ids) const;
  // GetEventsAt without parsing: fn(i, bytes) with the stored v1::SignedEvent encoding of
  // at[i], in order, the bytes valid only during the call (one batched read, no copy). Stops at
  // the first error of fn; NOT_FOUND naming the first missing event.
  Status ForEachEventAt(const std::vector<EventLocation>& at,
                        const std::function<Status(size_t, ByteView)>& fn) const;
  // Event ids of a shipment in chain order.
  Result<std::vector<Bytes>> GetShipmentEventIds(std::string_view shipment_id) const;
  // A shipment's events in chain order with where they are: one range scan, no index lookups.
  struct ShipmentEvent {
    Bytes id;
    EventLocation location;
  };
  Result<std::vector<ShipmentEvent>> GetShipmentEvents(std::string_view shipment_id) const;
  // The same with each event's block time and receipt, as a history shows them: one range scan
  // (the shipment index keeps both since schema 2; for entries an older store wrote, one
  // batched read each of receipts and block times). The receipt is left encoded (the caller
  // parses it where it wants it, e.g. into a response's arena); empty when none is stored.
  // It is always this entry's own: only the first committed copy of an event is indexed.
  struct HistoryEntry {
    Bytes id;
    EventLocation location;
    int64_t block_time_ms = 0;
    Bytes receipt;  // v1::Receipt encoding
  };
  Result<std::vector<HistoryEntry>> GetShipmentHistory(std::string_view shipment_id) const;
  // Shipments in id order, starting after `after_id` (empty: from the first); at most `limit`.
  Result<std::vector<v1::ShipmentState>> ListShipments(std::string_view after_id,
                                                       uint32_t limit) const;
  // The shipments whose parties include `org`, in id order, starting after `after_id` (empty:
  // from the first); at most `limit`. Read through the node-local party index (family
  // party_index, not part of any certified digest): the states of other organisations'
  // shipments are not read. A read-only open of a store without an up-to-date index scans
  // every state instead. DATA_LOSS / INTERNAL when a record cannot be read.
  Result<std::vector<v1::ShipmentState>> ListPartyShipments(std::string_view org,
                                                            std::string_view after_id,
                                                            uint32_t limit) const;
  // Shipments having a VALID event with this reference, in id order.
  Result<std::vector<std::string>> FindShipments(std::string_view kind,
                                                 std::string_view value) const;
  // The shipment whose VALID booking carried `tracking_hash` (DESIGN §8; the first such
  // booking in chain order: a later booking reusing the hash does not take it over). NOT_FOUND
  // when no VALID booking carried it (or the hash is not 32 bytes: it is still looked up, so
  // that a malformed hash costs what a well-formed one does). INTERNAL on RocksDB errors.
  Result<std::string> GetShipmentByTrackingHash(ByteView tracking_hash) const;
  // Receipts root, state writes digest and results digest recorded at `height`. At height 0:
  // empty roots and results = 32 zero bytes (results_0, DESIGN §5).
  struct ResultsRecord {
    Bytes receipts_root;
    Bytes state_writes_digest;
    Bytes results;
  };
  Result<ResultsRecord> GetResults(uint64_t height) const;
  // The records of heights from..through (both >= 1) in height order, in one range scan (the
  // results chain of an event proof). NOT_FOUND naming the first height without one; empty when
  // from > through.
  Result<std::vector<ResultsRecord>> GetResultsRange(uint64_t from, uint64_t through) const;

  // Committed blocks with their events and commit certificates, for state transfer
  // (FetchBlocks, DESIGN §6): consecutive blocks from `from_height` on, at most `max_blocks`,
  // stopping at the head or before the block that would take the blocks' total serialized size
  // past `max_bytes`; the first block is returned whatever its size. Empty when
  // from_height > head().height or max_blocks == 0. INVALID_ARGUMENT when from_height == 0
  // (the genesis is not a block); DATA_LOSS / INTERNAL when a stored block cannot be read.
  Result<std::vector<v1::Block>> GetBlocks(uint64_t from_height, uint32_t max_blocks,
                                           size_t max_bytes) const;

  // ---- Sizes, for the operations metrics (RocksDB's estimates) ----
  struct FamilySize {
    std::string_view family;       // keys::kFamilyNames
    uint64_t live_data_bytes = 0;  // rocksdb.estimate-live-data-size (in SST files)
    uint64_t memtable_bytes = 0;   // rocksdb.cur-size-all-mem-tables (not yet flushed)
    uint64_t keys = 0;             // rocksdb.estimate-num-keys
  };
  std::vector<FamilySize> FamilySizes() const;

  // ---- Backups while running (docs/operations.md) ----
  // Writes a consistent copy of the whole store (every family, the consensus journal included)
  // into `dir`, which must not exist and must be on a local filesystem; SST files are
  // hard-linked when `dir` is on the store's filesystem, copied otherwise. The copy opens as a
  // data dir of its own. Safe while blocks commit. ALREADY_EXISTS when `dir` exists;
  // RESOURCE_EXHAUSTED when the disk is full, INTERNAL when RocksDB fails otherwise (nothing is
  // left at `dir` either way).
  Status CreateCheckpoint(const std::string& dir) const;

  // ---- Consensus journal (family `consensus`; DESIGN §6 "persistence before sending") ----
  // Entries are keyed height ‖ sequence, where the sequence grows with every append (and keeps
  // growing after a reopen), so they load in (height, append) order. View entries use height 0,
  // so the latest view is the last view entry loaded.

  // Appends `entry` about `height` (0 for view entries) and returns once it is durable: the
  // write is synced (unless StoreOptions::sync_writes is false, in benchmarks only).
  // FAILED_PRECONDITION on a read-only store; INTERNAL when RocksDB fails.
  Status AppendJournal(uint64_t height, const v1::JournalEntry& entry);
  // Every journal entry in key order. DATA_LOSS when a stored entry or key is malformed.
  Result<std::vector<v1::JournalEntry>> LoadJournal() const;

  // ---- Stable checkpoint certificates (family `checkpoints`, DESIGN §5) ----
  // Stores a stable checkpoint's certificate under its height (replacing one stored there) and,
  // in the same synced write, prunes the journal it covers: entries at heights 1..height, and
  // the height-0 entries model::PrunableHeightZeroEntries names (older views, VIEW-CHANGEs for
  // views already entered). When the write fails neither happens. The certificate is stored as
  // given: the caller (the consensus core) has checked it, and the block it names may not be
  // stored here yet (a node catching up). INVALID_ARGUMENT for height 0 (the genesis checkpoint
  // is implicit); FAILED_PRECONDITION on a read-only store; DATA_LOSS when a height-0 journal
  // entry is malformed; INTERNAL when RocksDB fails (nothing written).
  Status PutCheckpoint(const v1::CheckpointCertificate& certificate);
  // The stored certificate of the highest height, or the genesis certificate (height 0,
  // block_hash = genesis hash, results = 32 zero bytes, no votes) when none is stored.
  Result<v1::CheckpointCertificate> LatestCheckpoint() const;
  // The certificate stored at `height`; the genesis certificate at height 0. NOT_FOUND when none
  // is stored there.
  Result<v1::CheckpointCertificate> GetCheckpoint(uint64_t height) const;
  // The stored certificates with height >= from_height in height order, at most `limit`
  // (the genesis certificate is not stored and never listed).
  Result<std::vector<v1::CheckpointCertificate>> ListCheckpoints(uint64_t from_height,
                                                                 uint32_t limit) const;

  // The committed state of a shipment (nullopt if never booked); DATA_LOSS / INTERNAL when the
  // record cannot be read. For client reads: unlike GetShipmentState it never stops the node.
  Result<std::optional<v1::ShipmentState>> ReadShipmentState(std::string_view shipment_id) const;

  // model::StateReader
  std::optional<v1::ShipmentState> GetShipmentState(std::string_view shipment_id) const override;
  bool HasEvent(ByteView event_id) const override;
  std::optional<model::EventFacts> GetEventFacts(ByteView event_id) const override;
  std::optional<Bytes> GetRecord(std::string_view key) const override;
  std::vector<std::pair<std::string, Bytes>> ScanRecords(std::string_view prefix) const override;
  std::vector<std::pair<std::string, Bytes>> ScanRecordRange(std::string_view begin,
                                                             std::string_view end) const override;

 private:
  Store() = default;
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace shipledger::storage
