// Store queries (DESIGN §7). Every read sees whole blocks only: a block and everything it
// changes become visible together, as one WriteBatch.
#include <google/protobuf/io/coded_stream.h>
#include <google/protobuf/wire_format_lite.h>

#include <algorithm>
#include <string>
#include <utility>

#include "model/digest.h"
#include "shipledger/check.h"
#include "storage/keys.h"
#include "storage/store.h"
#include "storage/store_impl.h"

namespace shipledger::storage {

using keys::Family;

Result<v1::Block> Store::Impl::ReadHeader(uint64_t height) const {
  Bytes value;
  SL_ASSIGN_OR_RETURN(const bool found, Get(Family::kBlocks, keys::HeightKey(height), &value));
  if (!found) {
    return Status::NotFound("no block at height " + std::to_string(height) + " (head is " +
                            std::to_string(CurrentHead().height) + ")");
  }
  v1::Block header;
  SL_RETURN_IF_ERROR(ParseValue(value, &header, "block " + std::to_string(height)));
  return header;
}

Result<bool> Store::Impl::ContainsEvent(ByteView event_id) const {
  Bytes value;
  return Get(Family::kEventIndex, event_id, &value);
}

Result<v1::Block> Store::GetBlockHeader(uint64_t height) const { return impl_->ReadHeader(height); }

namespace {

// The proposal timestamp of a stored header. Only field 1 (proposal) is decoded; the commit
// certificate, most of the header's bytes, is skipped.
Result<int64_t> BlockTimeOf(ByteView value, uint64_t height) {
  google::protobuf::io::CodedInputStream in(reinterpret_cast<const uint8_t*>(value.data()),
                                            static_cast<int>(value.size()));
  constexpr uint32_t kProposalTag = (1 << 3) | 2;  // field 1, length-delimited
  for (uint32_t tag = in.ReadTag(); tag != 0; tag = in.ReadTag()) {
    if (tag != kProposalTag) {
      if (!google::protobuf::internal::WireFormatLite::SkipField(&in, tag)) break;
      continue;
    }
    uint32_t length = 0;
    std::string bytes;
    v1::Proposal proposal;
    if (!in.ReadVarint32(&length) || !in.ReadString(&bytes, static_cast<int>(length)) ||
        !proposal.ParseFromString(bytes)) {
      break;
    }
    return proposal.timestamp_ms();
  }
  return Status::DataLoss("stored block " + std::to_string(height) + " has no readable proposal");
}

}  // namespace

Result<int64_t> Store::GetBlockTime(uint64_t height) const {
  Bytes value;
  SL_ASSIGN_OR_RETURN(const bool found,
                      impl_->Get(Family::kBlocks, keys::HeightKey(height), &value));
  if (!found) return Status::NotFound("no block at height " + std::to_string(height));
  return BlockTimeOf(value, height);
}

Result<std::vector<int64_t>> Store::GetBlockTimes(const std::vector<uint64_t>& heights) const {
  std::vector<Bytes> keys;
  keys.reserve(heights.size());
  for (uint64_t h : heights) keys.push_back(keys::HeightKey(h));
  std::vector<int64_t> times(heights.size());
  SL_RETURN_IF_ERROR(impl_->MultiGetEach(
      Family::kBlocks, keys, [&](size_t i, std::optional<ByteView> value) -> Status {
        if (!value) return Status::NotFound("no block at height " + std::to_string(heights[i]));
        SL_ASSIGN_OR_RETURN(times[i], BlockTimeOf(*value, heights[i]));
        return Status::Ok();
      }));
  return times;
}

Result<v1::Block> Store::GetBlock(uint64_t height) const {
  SL_ASSIGN_OR_RETURN(v1::Block block, impl_->ReadHeader(height));
  // The events were written in the header's batch, so this later read sees all of them.
  Status decode_status;
  uint32_t expected = 0;
  SL_RETURN_IF_ERROR(impl_->Scan(
      Family::kEvents, keys::EventKey(height, 0), keys::PrefixSuccessor(keys::HeightKey(height)),
      [&](ByteView key, ByteView value) {
        EventLocation location;
        if (!keys::DecodeEventKey(key, &location) || location.index != expected) {
          decode_status = Status::DataLoss("block " + std::to_string(height) + ": event " +
                                           std::to_string(expected) + " is missing");
          return false;
        }
        decode_status =
            ParseValue(value, block.add_events(),
                       "event " + std::to_string(height) + "/" + std::to_string(location.index));
        ++expected;
        return decode_status.ok();
      }));
  SL_RETURN_IF_ERROR(decode_status);
  if (expected != block.proposal().event_count()) {
    return Status::DataLoss("block " + std::to_string(height) + " counts " +
                            std::to_string(block.proposal().event_count()) + " events, " +
                            std::to_string(expected) + " are stored");
  }
  return block;
}

Result<uint64_t> Store::GetHeightByHash(ByteView block_hash) const {
  Bytes value;
  SL_ASSIGN_OR_RETURN(const bool found, impl_->Get(Family::kBlockIndex, block_hash, &value));
  if (!found) return Status::NotFound("no block with hash " + ToHex(block_hash));
  uint64_t height = 0;
  if (!keys::DecodeU64(value, &height)) {
    return Status::DataLoss("block index entry of " + ToHex(block_hash) + " is malformed");
  }
  return height;
}

Result<EventLocation> Store::GetEventLocation(ByteView event_id) const {
  Bytes value;
  SL_ASSIGN_OR_RETURN(const bool found, impl_->Get(Family::kEventIndex, event_id, &value));
  if (!found) return Status::NotFound("no event with id " + ToHex(event_id));
  EventLocation location;
  if (!keys::DecodeEventKey(value, &location)) {
    return Status::DataLoss("event index entry of " + ToHex(event_id) + " is malformed");
  }
  return location;
}

Result<v1::SignedEvent> Store::GetEvent(ByteView event_id) const {
  SL_ASSIGN_OR_RETURN(const EventLocation location, GetEventLocation(event_id));
  Result<v1::SignedEvent> event = GetEventAt(location);
  if (!event.ok() && event.status().code() == Code::kNotFound) {
    return Status::DataLoss("event " + ToHex(event_id) + " is indexed at " +
                            std::to_string(location.height) + "/" + std::to_string(location.index) +
                            " but not stored there");
  }
  return event;
}

Result<v1::SignedEvent> Store::GetEventAt(EventLocation location) const {
  Bytes value;
  const std::string where = std::to_string(location.height) + "/" + std::to_string(location.index);
  SL_ASSIGN_OR_RETURN(
      const bool found,
      impl_->Get(Family::kEvents, keys::EventKey(location.height, location.index), &value));
  if (!found) return Status::NotFound("no event at height/index " + where);
  v1::SignedEvent event;
  SL_RETURN_IF_ERROR(ParseValue(value, &event, "event " + where));
  return event;
}

Result<v1::Receipt> Store::GetReceipt(ByteView event_id) const {
  Bytes value;
  SL_ASSIGN_OR_RETURN(const bool found, impl_->Get(Family::kReceipts, event_id, &value));
  if (!found) return Status::NotFound("no receipt for event " + ToHex(event_id));
  v1::Receipt receipt;
  SL_RETURN_IF_ERROR(ParseValue(value, &receipt, "receipt of " + ToHex(event_id)));
  return receipt;
}

namespace {

std::string EventPlace(const EventLocation& at) {
  return "height/index " + std::to_string(at.height) + "/" + std::to_string(at.index);
}

}  // namespace

Status Store::ForEachEventAt(const std::vector<EventLocation>& at,
                             const std::function<Status(size_t, ByteView)>& fn) const {
  std::vector<Bytes> keys;
  keys.reserve(at.size());
  for (const EventLocation& l : at) keys.push_back(keys::EventKey(l.height, l.index));
  return impl_->MultiGetEach(Family::kEvents, keys,
                             [&](size_t i, std::optional<ByteView> value) -> Status {
                               if (!value) {
                                 return Status::NotFound("no event at " + EventPlace(at[i]));
                               }
                               return fn(i, *value);
                             });
}

Result<std::vector<v1::SignedEvent>> Store::GetEventsAt(
    const std::vector<EventLocation>& at) const {
  std::vector<v1::SignedEvent> events(at.size());
  SL_RETURN_IF_ERROR(ForEachEventAt(at, [&](size_t i, ByteView value) {
    if (events[i].ParseFromArray(value.data(), static_cast<int>(value.size()))) {
      return Status::Ok();
    }
    return Status::DataLoss("stored event at " + EventPlace(at[i]) + " does not parse");
  }));
  return events;
}

Result<std::vector<std::optional<v1::Receipt>>> Store::GetReceipts(
    const std::vector<Bytes>& ids) const {
  std::vector<std::optional<v1::Receipt>> receipts(ids.size());
  SL_RETURN_IF_ERROR(
      impl_->MultiGetEach(Family::kReceipts, ids, [&](size_t i, std::optional<ByteView> value) {
        if (!value) return Status::Ok();
        if (receipts[i].emplace().ParseFromArray(value->data(), static_cast<int>(value->size()))) {
          return Status::Ok();
        }
        return Status::DataLoss("stored receipt of " + ToHex(ids[i]) + " does not parse");
      }));
  return receipts;
}

Status Store::Impl::ScanShipmentIndex(
    std::string_view shipment_id,
    const std::function<void(EventLocation, const keys::ShipmentEntry&)>& fn) const {
  const Bytes prefix = keys::ShipmentEventsPrefix(shipment_id);
  Status bad = Status::Ok();
  SL_RETURN_IF_ERROR(
      Scan(Family::kShipmentEvents, prefix, keys::PrefixSuccessor(prefix),
           [&](ByteView key, ByteView value) {
             // key = prefix ‖ height (u64 BE) ‖ index (u32 BE); the scan's bounds give the prefix
             keys::ShipmentEntry entry;
             if (key.size() != prefix.size() + 12 || !keys::DecodeShipmentEntry(value, &entry)) {
               bad = Status::DataLoss("shipment index entry of " + std::string(shipment_id) + " (" +
                                      std::to_string(key.size()) + "-byte key, " +
                                      std::to_string(value.size()) + "-byte value) is malformed");
               return false;
             }
             const ByteView tail = key.substr(prefix.size());
             fn(EventLocation{GetU64BE(tail), GetU32BE(tail.substr(8))}, entry);
             return true;
           }));
  return bad;
}

Result<std::vector<Store::ShipmentEvent>> Store::GetShipmentEvents(
    std::string_view shipment_id) const {
  std::vector<ShipmentEvent> events;
  SL_RETURN_IF_ERROR(impl_->ScanShipmentIndex(
      shipment_id, [&](EventLocation at, const keys::ShipmentEntry& entry) {
        events.push_back({Bytes(entry.event_id), at});
      }));
  return events;
}

Result<std::vector<Store::HistoryEntry>> Store::GetShipmentHistory(
    std::string_view shipment_id) const {
  std::vector<HistoryEntry> history;
  std::vector<size_t> old_format;  // entries written by schema 1: id only
  SL_RETURN_IF_ERROR(impl_->ScanShipmentIndex(
      shipment_id, [&](EventLocation at, const keys::ShipmentEntry& entry) {
        HistoryEntry& e = history.emplace_back();
        e.id = Bytes(entry.event_id);
        e.location = at;
        if (entry.block_time_ms) {
          e.block_time_ms = *entry.block_time_ms;
          e.receipt = Bytes(entry.receipt);
        } else {
          old_format.push_back(history.size() - 1);
        }
      }));
  if (old_format.empty()) return history;
  std::vector<Bytes> ids;
  std::vector<uint64_t> heights;
  for (size_t i : old_format) {
    ids.push_back(history[i].id);
    heights.push_back(history[i].location.height);
  }
  SL_RETURN_IF_ERROR(
      impl_->MultiGetEach(Family::kReceipts, ids, [&](size_t k, std::optional<ByteView> value) {
        if (value) history[old_format[k]].receipt = Bytes(*value);
        return Status::Ok();
      }));
  SL_ASSIGN_OR_RETURN(std::vector<int64_t> times, GetBlockTimes(heights));
  for (size_t k = 0; k < old_format.size(); ++k) {
    history[old_format[k]].block_time_ms = times[k];
  }
  return history;
}

Result<std::vector<Bytes>> Store::GetShipmentEventIds(std::string_view shipment_id) const {
  SL_ASSIGN_OR_RETURN(std::vector<ShipmentEvent> events, GetShipmentEvents(shipment_id));
  std::vector<Bytes> ids;
  ids.reserve(events.size());
  for (ShipmentEvent& e : events) ids.push_back(std::move(e.id));
  return ids;
}

Result<std::vector<v1::ShipmentState>> Store::ListShipments(std::string_view after_id,
                                                            uint32_t limit) const {
  std::vector<v1::ShipmentState> states;
  if (limit == 0) return states;
  // after_id ‖ 0x00 is the smallest key greater than after_id.
  Bytes start;
  if (!after_id.empty()) {
    start.assign(after_id);
    start.push_back('\0');
  }
  Status decode_status;
  SL_RETURN_IF_ERROR(
      impl_->Scan(Family::kShipmentState, start, std::nullopt, [&](ByteView key, ByteView value) {
        decode_status = ParseValue(value, &states.emplace_back(), "state of " + std::string(key));
        return decode_status.ok() && states.size() < limit;
      }));
  SL_RETURN_IF_ERROR(decode_status);
  return states;
}

Result<std::vector<v1::ShipmentState>> Store::ListPartyShipments(std::string_view org,
                                                                 std::string_view after_id,
                                                                 uint32_t limit) const {
  const auto is_party = [&](const v1::ShipmentState& state) {
    return std::find(state.parties().begin(), state.parties().end(), org) != state.parties().end();
  };
  std::vector<v1::ShipmentState> states;
  if (!impl_->party_index_ready) {
    // A read-only store without the index (verify --data-dir of an old data dir).
    std::string cursor(after_id);
    for (;;) {
      SL_ASSIGN_OR_RETURN(std::vector<v1::ShipmentState> page, ListShipments(cursor, 1000));
      for (v1::ShipmentState& state : page) {
        if (states.size() == limit) return states;
        if (is_party(state)) states.push_back(std::move(state));
      }
      if (page.size() < 1000) return states;
      cursor = page.back().shipment_id();
    }
  }
  const Bytes prefix = keys::PartyPrefix(org);
  const std::optional<Bytes> upper = keys::PrefixSuccessor(prefix);
  // after_id ‖ 0x00 is the smallest id greater than after_id.
  Bytes lower = keys::PartyKey(org, after_id);
  if (!after_id.empty()) lower.push_back('\0');
  while (states.size() < limit) {
    const size_t wanted = limit - states.size();
    std::vector<Bytes> ids;
    SL_RETURN_IF_ERROR(impl_->Scan(Family::kPartyIndex, lower, upper, [&](ByteView key, ByteView) {
      ids.emplace_back(key.substr(prefix.size()));
      return ids.size() < wanted;
    }));
    if (ids.empty()) break;
    SL_RETURN_IF_ERROR(
        impl_->MultiGetEach(Family::kShipmentState, ids, [&](size_t i, std::optional<ByteView> v) {
          if (!v.has_value()) {
            return Status::DataLoss("party index names shipment " + ids[i] +
                                    ", which has no state");
          }
          v1::ShipmentState state;
          Status parsed = ParseValue(*v, &state, "state of " + ids[i]);
          // Always so while parties only grow; checked so that the index can only narrow.
          if (parsed.ok() && is_party(state)) states.push_back(std::move(state));
          return parsed;
        }));
    if (ids.size() < wanted) break;
    lower = keys::PartyKey(org, ids.back());
    lower.push_back('\0');
  }
  return states;
}

Result<std::vector<std::string>> Store::FindShipments(std::string_view kind,
                                                      std::string_view value) const {
  const Bytes prefix = keys::ReferencePrefix(kind, value);
  std::vector<std::string> shipment_ids;
  // One key per (reference, shipment): the scan yields each shipment once, in id order.
  SL_RETURN_IF_ERROR(impl_->Scan(Family::kReferenceIndex, prefix, keys::PrefixSuccessor(prefix),
                                 [&](ByteView key, ByteView) {
                                   shipment_ids.emplace_back(key.substr(prefix.size()));
                                   return true;
                                 }));
  return shipment_ids;
}

Result<std::string> Store::GetShipmentByTrackingHash(ByteView tracking_hash) const {
  // Looked up whatever its size: the tracking service's equal-work rule (docs/tracking.md).
  if (impl_->cf(Family::kTrackingIndex) == nullptr) {
    return Status::NotFound("no tracking index (read-only store made before it existed)");
  }
  std::string shipment_id;
  SL_ASSIGN_OR_RETURN(const bool found,
                      impl_->Get(Family::kTrackingIndex, tracking_hash, &shipment_id));
  if (!found) return Status::NotFound("no shipment with this tracking code");
  return shipment_id;
}

Result<Store::ResultsRecord> Store::GetResults(uint64_t height) const {
  if (height == 0) {
    // results_0 = 32 zero bytes (DESIGN §5); the genesis has no receipts or state writes.
    return ResultsRecord{Bytes(), Bytes(), model::ZeroDigest()};
  }
  Bytes value;
  SL_ASSIGN_OR_RETURN(const bool found,
                      impl_->Get(Family::kResults, keys::HeightKey(height), &value));
  if (!found) return Status::NotFound("no results at height " + std::to_string(height));
  ResultsRecord record;
  if (!keys::DecodeResults(value, &record)) {
    return Status::DataLoss("results record at height " + std::to_string(height) + " is malformed");
  }
  return record;
}

Result<std::vector<Store::ResultsRecord>> Store::GetResultsRange(uint64_t from,
                                                                 uint64_t through) const {
  std::vector<ResultsRecord> records;
  if (from > through) return records;
  if (from == 0) return Status::InvalidArgument("results ranges start at height 1");
  Status bad = Status::Ok();
  uint64_t next = from;
  SL_RETURN_IF_ERROR(impl_->Scan(Family::kResults, keys::HeightKey(from),
                                 keys::PrefixSuccessor(keys::HeightKey(through)),
                                 [&](ByteView key, ByteView value) {
                                   if (key.size() != 8 || GetU64BE(key) != next)
                                     return false;  // a gap: reported below
                                   if (!keys::DecodeResults(value, &records.emplace_back())) {
                                     bad = Status::DataLoss("results record at height " +
                                                            std::to_string(next) + " is malformed");
                                     return false;
                                   }
                                   ++next;
                                   return true;
                                 }));
  SL_RETURN_IF_ERROR(bad);
  if (next <= through) return Status::NotFound("no results at height " + std::to_string(next));
  return records;
}

Result<std::optional<v1::ShipmentState>> Store::ReadShipmentState(
    std::string_view shipment_id) const {
  Bytes value;
  SL_ASSIGN_OR_RETURN(bool found, impl_->Get(Family::kShipmentState, shipment_id, &value));
  if (!found) return std::optional<v1::ShipmentState>();
  v1::ShipmentState state;
  SL_RETURN_IF_ERROR(ParseValue(value, &state, "state of " + std::string(shipment_id)));
  return std::optional<v1::ShipmentState>(std::move(state));
}

// StateReader has no error channel, and execution must not read a missing state where a
// stored one is unreadable (its receipts would silently diverge): a failed read stops the node.
// Client reads use ReadShipmentState, which reports the error instead.
std::optional<v1::ShipmentState> Store::GetShipmentState(std::string_view shipment_id) const {
  auto state = ReadShipmentState(shipment_id);
  SHIPLEDGER_CHECK_MSG(state.ok(), state.status().ToString().c_str());
  return std::move(state).value();
}

bool Store::HasEvent(ByteView event_id) const {
  Result<bool> found = impl_->ContainsEvent(event_id);
  SHIPLEDGER_CHECK_MSG(found.ok(), found.status().ToString().c_str());
  return *found;
}

// Execution reads below stop the node on a read error, as GetShipmentState does.
std::optional<model::EventFacts> Store::GetEventFacts(ByteView event_id) const {
  Result<v1::SignedEvent> signed_event = GetEvent(event_id);
  if (!signed_event.ok() && signed_event.status().code() == Code::kNotFound) {
    return std::nullopt;
  }
  SHIPLEDGER_CHECK_MSG(signed_event.ok(), signed_event.status().ToString().c_str());
  Result<v1::Receipt> receipt = GetReceipt(event_id);
  SHIPLEDGER_CHECK_MSG(receipt.ok(), receipt.status().ToString().c_str());
  v1::Event event;
  // Committed events were parsed at admission; bytes that no longer parse are a broken store.
  SHIPLEDGER_CHECK_MSG(event.ParseFromString(signed_event->event()),
                       "a committed event no longer parses");
  model::EventFacts facts;
  facts.shipment_id = event.shipment_id();
  facts.signer_org = event.signer_org();
  facts.type = event.type();
  facts.code = receipt->code();
  facts.height = receipt->height();
  return facts;
}

std::optional<Bytes> Store::GetRecord(std::string_view key) const {
  if (impl_->cf(Family::kContractRecords) == nullptr) return std::nullopt;
  Bytes value;
  Result<bool> found = impl_->Get(Family::kContractRecords, key, &value);
  SHIPLEDGER_CHECK_MSG(found.ok(), found.status().ToString().c_str());
  if (!*found) return std::nullopt;
  return value;
}

std::vector<std::pair<std::string, Bytes>> Store::Impl::ScanContractRecords(
    ByteView lower, const std::optional<Bytes>& upper) const {
  std::vector<std::pair<std::string, Bytes>> records;
  if (cf(Family::kContractRecords) == nullptr) return records;
  const Status status =
      Scan(Family::kContractRecords, lower, upper, [&](ByteView key, ByteView value) {
        records.emplace_back(std::string(key), Bytes(value));
        return true;
      });
  SHIPLEDGER_CHECK_MSG(status.ok(), status.ToString().c_str());
  return records;
}

std::vector<std::pair<std::string, Bytes>> Store::ScanRecords(std::string_view prefix) const {
  return impl_->ScanContractRecords(prefix, keys::PrefixSuccessor(prefix));
}

std::vector<std::pair<std::string, Bytes>> Store::ScanRecordRange(std::string_view begin,
                                                                  std::string_view end) const {
  if (begin >= end) return {};
  return impl_->ScanContractRecords(begin, Bytes(end));
}

std::vector<Store::FamilySize> Store::FamilySizes() const {
  std::vector<FamilySize> out;
  for (size_t i = 0; i < static_cast<size_t>(keys::kFamilyCount); ++i) {
    rocksdb::ColumnFamilyHandle* handle = impl_->cf(static_cast<Family>(i));
    FamilySize size{keys::kFamilyNames[i]};
    impl_->db->GetIntProperty(handle, "rocksdb.estimate-live-data-size", &size.live_data_bytes);
    impl_->db->GetIntProperty(handle, "rocksdb.cur-size-all-mem-tables", &size.memtable_bytes);
    impl_->db->GetIntProperty(handle, "rocksdb.estimate-num-keys", &size.keys);
    out.push_back(size);
  }
  return out;
}

}  // namespace shipledger::storage
