#include "rpc/timeline.h"

#include "crypto/x509.h"
#include "model/event.h"

namespace shipledger::rpc {

Result<int64_t> BlockTimes::At(uint64_t height) {
  auto it = cache_.find(height);
  if (it != cache_.end()) return it->second;
  SL_ASSIGN_OR_RETURN(v1::Block header, store_.GetBlockHeader(height));
  const int64_t t = header.proposal().timestamp_ms();
  cache_.emplace(height, t);
  return t;
}

Status FillTimelineEntry(const storage::Store& store, const v1::SignedEvent& se, ByteView id,
                         uint64_t height, uint32_t index, int64_t block_time_ms,
                         v1::TimelineEntry* entry) {
  entry->set_event_id(std::string(id));
  entry->set_height(height);
  entry->set_index(index);
  entry->set_block_time_ms(block_time_ms);
  if (!entry->mutable_event()->ParseFromString(se.event())) {
    return Status::DataLoss("stored event " + ToHex(id) + " does not parse");
  }
  for (const auto& c : se.cosignatures()) {
    auto cert = crypto::Certificate::FromDer(c.signer_cert());
    if (cert.ok()) entry->add_cosigner_orgs(cert->organization());
  }
  auto receipt = store.GetReceipt(id);
  if (receipt.ok()) *entry->mutable_receipt() = std::move(receipt).value();
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

}  // namespace shipledger::rpc
