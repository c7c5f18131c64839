// Building timeline entries (a committed event with its place, block time and receipt).
#pragma once

#include <google/protobuf/arena.h>

#include <map>
#include <optional>
#include <string_view>

#include "model/event.h"
#include "rpc/commit_notifier.h"
#include "shipledger/v1/ledger.pb.h"
#include "storage/store.h"

namespace shipledger::rpc {

// Caches block times by height for the duration of one request.
class BlockTimes {
 public:
  explicit BlockTimes(const storage::Store& store) : store_(store) {}
  Result<int64_t> At(uint64_t height);

 private:
  const storage::Store& store_;
  std::map<uint64_t, int64_t> cache_;
};

// Arena blocks for building one timeline response (a 100-event timeline is ~100 KB of
// messages): 16 KiB first, growing to 256 KiB.
google::protobuf::ArenaOptions TimelineArenaOptions();

// The timeline entry of the committed event `id`. NOT_FOUND when the id is not committed.
Result<v1::TimelineEntry> LoadTimelineEntry(const storage::Store& store, ByteView id,
                                            BlockTimes* times);
// The timeline GetShipment returns: every committed event of `shipment_id` in chain order, each
// as LoadTimelineEntry builds it, appended to *out (nothing appended for an unknown shipment).
// DATA_LOSS / INTERNAL when a stored record cannot be read; *out may then hold a partial
// timeline.
Status AppendTimeline(const storage::Store& store, std::string_view shipment_id,
                      google::protobuf::RepeatedPtrField<v1::TimelineEntry>* out);
// Block `height` from the store as Watch streams show it (what CommitNotifier's ring holds for
// recent blocks): every event parsed, each receipt as certified. NOT_FOUND above the head.
Result<std::shared_ptr<const CommittedBlock>> LoadCommittedBlock(const storage::Store& store,
                                                                 uint64_t height);
// Fills an entry from an event already at hand.
Status FillTimelineEntry(const storage::Store& store, const v1::SignedEvent& se, ByteView id,
                         uint64_t height, uint32_t index, int64_t block_time_ms,
                         v1::TimelineEntry* entry);
// The same from a stored envelope read in place (model::ViewSignedEvent), with the receipt
// stored under `id` already read (nullopt: none).
Status FillTimelineEntry(const model::SignedEventView& se, ByteView id, uint64_t height,
                         uint32_t index, int64_t block_time_ms, std::optional<v1::Receipt> receipt,
                         v1::TimelineEntry* entry);

}  // namespace shipledger::rpc
