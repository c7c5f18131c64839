#include "storage/keys.h"

namespace shipledger::storage::keys {

Bytes HeightKey(uint64_t height) {
  Bytes key;
  key.reserve(8);
  PutU64BE(&key, height);
  return key;
}

Bytes JournalKey(uint64_t height, uint64_t sequence) {
  Bytes key;
  key.reserve(16);
  PutU64BE(&key, height);
  PutU64BE(&key, sequence);
  return key;
}

bool DecodeJournalKey(ByteView data, uint64_t* height, uint64_t* sequence) {
  if (data.size() != 16) return false;
  ByteReader reader(data);
  return reader.ReadU64(height) && reader.ReadU64(sequence);
}

Bytes EventKey(uint64_t height, uint32_t index) {
  Bytes key;
  key.reserve(12);
  PutU64BE(&key, height);
  PutU32BE(&key, index);
  return key;
}

bool DecodeEventKey(ByteView data, EventLocation* location) {
  if (data.size() != 12) return false;
  ByteReader reader(data);
  return reader.ReadU64(&location->height) && reader.ReadU32(&location->index);
}

Bytes ShipmentEventsPrefix(std::string_view shipment_id) {
  Bytes key;
  key.reserve(4 + shipment_id.size() + 12);
  PutLengthPrefixed(&key, shipment_id);
  return key;
}

Bytes ShipmentEventKey(std::string_view shipment_id, uint64_t height, uint32_t index) {
  Bytes key = ShipmentEventsPrefix(shipment_id);
  PutU64BE(&key, height);
  PutU32BE(&key, index);
  return key;
}

Bytes EncodeShipmentEntry(ByteView event_id, int64_t block_time_ms, ByteView receipt) {
  Bytes value;
  value.reserve(event_id.size() + 8 + receipt.size());
  value.append(event_id);
  PutU64BE(&value, static_cast<uint64_t>(block_time_ms));
  value.append(receipt);
  return value;
}

bool DecodeShipmentEntry(ByteView data, ShipmentEntry* entry) {
  if (data.size() == kEventIdSize) {
    *entry = ShipmentEntry{data, std::nullopt, ByteView()};
    return true;
  }
  if (data.size() <= kEventIdSize + 8) return false;
  entry->event_id = data.substr(0, kEventIdSize);
  entry->block_time_ms = static_cast<int64_t>(GetU64BE(data.substr(kEventIdSize, 8)));
  entry->receipt = data.substr(kEventIdSize + 8);
  return true;
}

Bytes ReferencePrefix(std::string_view kind, std::string_view value) {
  Bytes key;
  key.reserve(8 + kind.size() + value.size());
  PutLengthPrefixed(&key, kind);
  PutLengthPrefixed(&key, value);
  return key;
}

Bytes ReferenceKey(std::string_view kind, std::string_view value, std::string_view shipment_id) {
  Bytes key = ReferencePrefix(kind, value);
  key.append(shipment_id);
  return key;
}

Bytes PartyPrefix(std::string_view org) {
  Bytes key;
  key.reserve(4 + org.size());
  PutLengthPrefixed(&key, org);
  return key;
}

Bytes PartyKey(std::string_view org, std::string_view shipment_id) {
  Bytes key = PartyPrefix(org);
  key.append(shipment_id);
  return key;
}

std::optional<Bytes> PrefixSuccessor(ByteView prefix) {
  Bytes out(prefix);
  while (!out.empty()) {
    const auto last = static_cast<uint8_t>(out.back());
    if (last != 0xff) {
      out.back() = static_cast<char>(last + 1);
      return out;
    }
    out.pop_back();
  }
  return std::nullopt;
}

Bytes EncodeHead(const ChainHead& head) {
  Bytes out;
  PutU64BE(&out, head.height);
  PutLengthPrefixed(&out, head.block_hash);
  PutLengthPrefixed(&out, head.results);
  PutU64BE(&out, static_cast<uint64_t>(head.block_time_ms));
  PutU64BE(&out, head.event_count);
  return out;
}

bool DecodeHead(ByteView data, ChainHead* head) {
  ByteReader reader(data);
  ByteView block_hash;
  ByteView results;
  uint64_t block_time = 0;
  if (!reader.ReadU64(&head->height) || !reader.ReadLengthPrefixed(&block_hash) ||
      !reader.ReadLengthPrefixed(&results) || !reader.ReadU64(&block_time) ||
      !reader.ReadU64(&head->event_count) || !reader.empty()) {
    return false;
  }
  head->block_hash = Bytes(block_hash);
  head->results = Bytes(results);
  head->block_time_ms = static_cast<int64_t>(block_time);
  return true;
}

Bytes EncodeResults(const Store::ResultsRecord& record) {
  Bytes out;
  out.reserve(12 + record.receipts_root.size() + record.state_writes_digest.size() +
              record.results.size());
  PutLengthPrefixed(&out, record.receipts_root);
  PutLengthPrefixed(&out, record.state_writes_digest);
  PutLengthPrefixed(&out, record.results);
  return out;
}

bool DecodeResults(ByteView data, Store::ResultsRecord* record) {
  ByteReader reader(data);
  ByteView receipts_root;
  ByteView state_writes_digest;
  ByteView results;
  if (!reader.ReadLengthPrefixed(&receipts_root) ||
      !reader.ReadLengthPrefixed(&state_writes_digest) || !reader.ReadLengthPrefixed(&results) ||
      !reader.empty()) {
    return false;
  }
  record->receipts_root = Bytes(receipts_root);
  record->state_writes_digest = Bytes(state_writes_digest);
  record->results = Bytes(results);
  return true;
}

bool DecodeU64(ByteView data, uint64_t* v) {
  if (data.size() != 8) return false;
  *v = GetU64BE(data);
  return true;
}

bool DecodeU32(ByteView data, uint32_t* v) {
  if (data.size() != 4) return false;
  *v = GetU32BE(data);
  return true;
}

}  // namespace shipledger::storage::keys
