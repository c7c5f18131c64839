#include "rpc/timeline.h"

#include "contracts/executor.h"
#include "model/event.h"

namespace shipledger::rpc {

google::protobuf::ArenaOptions TimelineArenaOptions() {
  google::protobuf::ArenaOptions options;
  options.start_block_size = 16 << 10;
  options.max_block_size = 256 << 10;
  return options;
}

Result<int64_t> BlockTimes::At(uint64_t height) {
  auto it = cache_.find(height);
  if (it != cache_.end()) return it->second;
  SL_ASSIGN_OR_RETURN(const int64_t t, store_.GetBlockTime(height));
  cache_.emplace(height, t);
  return t;
}

Status FillTimelineEntry(const storage::Store& store, const v1::SignedEvent& se, ByteView id,
                         uint64_t height, uint32_t index, int64_t block_time_ms,
                         v1::TimelineEntry* entry) {
  auto receipt = store.GetReceipt(id);
  std::optional<v1::Receipt> found;
  if (receipt.ok()) found = std::move(receipt).value();
  return FillTimelineEntry(model::SignedEventView{se.event(), se.cosignatures_size()}, id, height,
                           index, block_time_ms, std::move(found), entry);
}

Result<std::shared_ptr<const CommittedBlock>> LoadCommittedBlock(const storage::Store& store,
                                                                 uint64_t height) {
  SL_ASSIGN_OR_RETURN(v1::Block block, store.GetBlock(height));
  const int64_t time_ms = block.proposal().timestamp_ms();
  std::vector<v1::TimelineEntry> entries(static_cast<size_t>(block.events_size()));
  for (int i = 0; i < block.events_size(); ++i) {
    const v1::SignedEvent& se = block.events(i);
    SL_RETURN_IF_ERROR(FillTimelineEntry(store, se, model::EventId(se.event()), height,
                                         static_cast<uint32_t>(i), time_ms,
                                         &entries[static_cast<size_t>(i)]));
  }
  return std::make_shared<const CommittedBlock>(height, time_ms, block.block_hash(),
                                                std::move(entries));
}

Status FillTimelineEntry(const model::SignedEventView& se, ByteView id, uint64_t height,
                         uint32_t index, int64_t block_time_ms, std::optional<v1::Receipt> receipt,
                         v1::TimelineEntry* entry) {
  entry->set_event_id(std::string(id));
  entry->set_height(height);
  entry->set_index(index);
  entry->set_block_time_ms(block_time_ms);
  if (!entry->mutable_event()->ParseFromArray(se.event.data(), static_cast<int>(se.event.size()))) {
    return Status::DataLoss("stored event " + ToHex(id) + " does not parse");
  }
  // A committed event's co-signatures are by exactly the organisations its cosigner_orgs
  // names, in order (admission and every backup's gate checked each certificate against it),
  // so the certificates need not be parsed again here.
  if (entry->event().cosigner_orgs_size() == se.cosignatures) {
    *entry->mutable_cosigner_orgs() = entry->event().cosigner_orgs();
  }
  // A later copy of an event committed earlier shows its own DUPLICATE receipt, as certified,
  // not the original's stored under the id.
  if (receipt) {
    *entry->mutable_receipt() = contracts::ReceiptOfCopy(std::move(receipt), id, height, index);
  }
  return Status::Ok();
}

Result<v1::TimelineEntry> LoadTimelineEntry(const storage::Store& store, ByteView id,
                                            BlockTimes* times) {
  SL_ASSIGN_OR_RETURN(storage::EventLocation loc, store.GetEventLocation(id));
  SL_ASSIGN_OR_RETURN(v1::SignedEvent se, store.GetEventAt(loc));
  SL_ASSIGN_OR_RETURN(int64_t t, times->At(loc.height));
  v1::TimelineEntry entry;
  SL_RETURN_IF_ERROR(FillTimelineEntry(store, se, id, loc.height, loc.index, t, &entry));
  return entry;
}

Status AppendTimeline(const storage::Store& store, std::string_view shipment_id,
                      google::protobuf::RepeatedPtrField<v1::TimelineEntry>* out) {
  // One range scan gives each event's place, block time and receipt; one batched read the
  // envelopes, read in place (only the event is parsed, into the response).
  SL_ASSIGN_OR_RETURN(std::vector<storage::Store::HistoryEntry> history,
                      store.GetShipmentHistory(shipment_id));
  std::vector<storage::EventLocation> locations;
  locations.reserve(history.size());
  for (const storage::Store::HistoryEntry& e : history) locations.push_back(e.location);
  out->Reserve(out->size() + static_cast<int>(history.size()));
  return store.ForEachEventAt(locations, [&](size_t i, ByteView stored) -> Status {
    const storage::Store::HistoryEntry& e = history[i];
    const std::optional<model::SignedEventView> se = model::ViewSignedEvent(stored);
    if (!se) {
      return Status::DataLoss("stored envelope of event " + ToHex(e.id) + " does not parse");
    }
    v1::TimelineEntry* entry = out->Add();
    SL_RETURN_IF_ERROR(FillTimelineEntry(*se, e.id, e.location.height, e.location.index,
                                         e.block_time_ms, std::nullopt, entry));
    // Parsed straight into the response's arena. The receipt is this copy's own (only the
    // first committed copy of an event is in the shipment index), so no DUPLICATE rewrite.
    if (!e.receipt.empty() && !entry->mutable_receipt()->ParseFromArray(
                                  e.receipt.data(), static_cast<int>(e.receipt.size()))) {
      return Status::DataLoss("stored receipt of event " + ToHex(e.id) + " does not parse");
    }
    return Status::Ok();
  });
}

}  // namespace shipledger::rpc
