// Key and value encodings of the store's column families (DESIGN §7). Integers are big-endian
// so that RocksDB's bytewise order is numeric order; variable fields inside a composite key are
// length-prefixed, so that one key's prefix never matches another key by accident.
// Thread-safety: pure functions.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string_view>

#include "model/digest.h"
#include "shipledger/bytes.h"
#include "storage/store.h"

namespace shipledger::storage::keys {

// Column families, in the order they are opened. kDefault is RocksDB's own (unused).
enum class Family : int {
  kDefault = 0,
  kMeta,
  kBlocks,
  kEvents,
  kBlockIndex,
  kEventIndex,
  kShipmentEvents,
  kShipmentState,
  kReceipts,
  kResults,
  kReferenceIndex,
  kCheckpoints,
  kConsensus,
  kTrackingIndex,    // added after schema 1 shipped: created on open of an older store
  kContractRecords,  // likewise (contract rules v2: offers, open-leg index)
  kPartyIndex,       // likewise; node-local, built on open when missing or behind
  kCount,
};
inline constexpr int kFamilyCount = static_cast<int>(Family::kCount);
// RocksDB column family names, indexed by Family.
inline constexpr std::array<std::string_view, kFamilyCount> kFamilyNames = {
    "default",     "meta",           "blocks",           "events",
    "block_index", "event_index",    "shipment_events",  "shipment_state",
    "receipts",    "results",        "reference_index",  "checkpoints",
    "consensus",   "tracking_index", "contract_records", "party_index",
};

// The schema this code writes. Open refuses a store of a newer schema and reads one of an older
// schema it still knows (kOldestSchemaVersion); a read-write open stamps such a store with
// kSchemaVersion before writing, so a build that reads only the old format refuses it after.
//   1: shipment_events values are the event id alone.
//   2: shipment_events values also carry the block time and the receipt (EncodeShipmentEntry).
inline constexpr uint32_t kSchemaVersion = 2;
inline constexpr uint32_t kOldestSchemaVersion = 1;

// Fixed keys of the meta family.
inline constexpr std::string_view kMetaChainId = "chain_id";              // the chain id, raw
inline constexpr std::string_view kMetaGenesisHash = "genesis_hash";      // 32 raw bytes
inline constexpr std::string_view kMetaSchemaVersion = "schema_version";  // u32 BE
inline constexpr std::string_view kMetaHead = "head";                     // EncodeHead
// The head height through which party_index is complete (u64 BE), written with every block:
// absent in a store made before the index, behind the head when an older build committed.
inline constexpr std::string_view kMetaPartyIndexHeight = "party_index_height";

// blocks, results, checkpoints: height (u64 BE).
Bytes HeightKey(uint64_t height);
// consensus (the journal): height (u64 BE) ‖ sequence (u64 BE), so that entries sort by height
// and, within a height, in append order. The family holds no other keys.
Bytes JournalKey(uint64_t height, uint64_t sequence);
// Decodes JournalKey. False unless `data` is exactly 16 bytes.
bool DecodeJournalKey(ByteView data, uint64_t* height, uint64_t* sequence);
// events: height (u64 BE) ‖ index (u32 BE); event_index values use the same encoding.
Bytes EventKey(uint64_t height, uint32_t index);
// Decodes EventKey. False unless `data` is exactly 12 bytes.
bool DecodeEventKey(ByteView data, EventLocation* location);
// shipment_events: len-prefixed shipment id ‖ height ‖ index. The prefix selects one shipment.
Bytes ShipmentEventsPrefix(std::string_view shipment_id);
Bytes ShipmentEventKey(std::string_view shipment_id, uint64_t height, uint32_t index);
// Event ids are SHA-256 digests; CommitBlock refuses others, and shipment_events values rely on
// the size.
inline constexpr size_t kEventIdSize = model::kDigestSize;
// shipment_events values: event id (kEventIdSize bytes) ‖ block time ms (i64 BE) ‖ the event's
// receipt (its v1::Receipt encoding, as stored under receipts), so that a shipment's history is one
// range scan plus the events. Schema 1 wrote the event id alone.
Bytes EncodeShipmentEntry(ByteView event_id, int64_t block_time_ms, ByteView receipt);
struct ShipmentEntry {
  ByteView event_id;
  std::optional<int64_t> block_time_ms;  // nullopt for a schema 1 entry
  ByteView receipt;                      // empty for a schema 1 entry
};
// Views into `data`. False unless `data` is an id alone (schema 1) or an id, a time and a
// non-empty receipt.
bool DecodeShipmentEntry(ByteView data, ShipmentEntry* entry);
// tracking_index: the 32-byte tracking hash itself is the key; the value is the shipment id.
// reference_index: len-prefixed kind ‖ len-prefixed value ‖ shipment id (the rest of the key).
Bytes ReferencePrefix(std::string_view kind, std::string_view value);
Bytes ReferenceKey(std::string_view kind, std::string_view value, std::string_view shipment_id);

// party_index (node-local, not in any certified digest): len-prefixed organisation ‖ shipment
// id (the rest of the key), empty value, for each organisation among a shipment's parties. The
// prefix selects one organisation's shipments, in id order.
Bytes PartyPrefix(std::string_view org);
Bytes PartyKey(std::string_view org, std::string_view shipment_id);

// The smallest key greater than every key starting with `prefix` (an exclusive upper bound
// for a prefix scan), or nullopt when there is none (empty or all-0xff prefix).
std::optional<Bytes> PrefixSuccessor(ByteView prefix);

// meta "head": height ‖ len-prefixed block hash ‖ len-prefixed results ‖ block time ‖ count.
Bytes EncodeHead(const ChainHead& head);
bool DecodeHead(ByteView data, ChainHead* head);
// results: len-prefixed receipts root ‖ len-prefixed state-writes digest ‖ len-prefixed results.
Bytes EncodeResults(const Store::ResultsRecord& record);
bool DecodeResults(ByteView data, Store::ResultsRecord* record);

// u64 BE values (block_index) and u32 BE values (schema version). False on a wrong size.
bool DecodeU64(ByteView data, uint64_t* v);
bool DecodeU32(ByteView data, uint32_t* v);

}  // namespace shipledger::storage::keys
