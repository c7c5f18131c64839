// Building timeline entries (a committed event with its place, block time and receipt).
#pragma once

#include <map>

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

// The timeline entry of the committed event `id`. NOT_FOUND when the id is not committed.
Result<v1::TimelineEntry> LoadTimelineEntry(const storage::Store& store, ByteView id,
                                            BlockTimes* times);
// Fills an entry from an event already at hand (Watch reads whole blocks).
Status FillTimelineEntry(const storage::Store& store, const v1::SignedEvent& se, ByteView id,
                         uint64_t height, uint32_t index, int64_t block_time_ms,
                         v1::TimelineEntry* entry);

}  // namespace shipledger::rpc
