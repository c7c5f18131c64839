// Mempool: admitted events waiting to be ordered. Bounded (RESOURCE_EXHAUSTED when full, never
// unbounded), deduplicated by event id from admission until the event's block is committed, and
// FIFO. Thread-safety: none; owned by a replica core.
#pragma once

#include <cstdint>
#include <deque>
#include <unordered_map>
#include <vector>

#include "model/event.h"
#include "shipledger/status.h"

namespace shipledger::consensus {

class Mempool {
 public:
  explicit Mempool(uint32_t capacity) : capacity_(capacity) {}

  // OK; ALREADY_EXISTS when the id is pending or in flight; RESOURCE_EXHAUSTED when full.
  Status Add(const model::EventPtr& event, int64_t now_ms);
  // Removes up to `max` events from the front (they stay known as in flight at `height`).
  std::vector<model::EventPtr> Take(uint32_t max, uint64_t height);
  // Forgets one taken event that will not be ordered (e.g. its certificate expired).
  void Drop(const Bytes& id) { known_.erase(id); }
  // Forgets the ids of events taken for heights <= `height` (their block is committed).
  void Committed(uint64_t height);

  uint32_t pending() const { return static_cast<uint32_t>(queue_.size()); }
  uint32_t capacity() const { return capacity_; }
  // Arrival time of the oldest pending event. REQUIRES: pending() > 0.
  int64_t oldest_arrival_ms() const { return queue_.front().arrival_ms; }

 private:
  struct Pending {
    model::EventPtr event;
    int64_t arrival_ms;
  };
  uint32_t capacity_;
  std::deque<Pending> queue_;
  // id -> 0 while pending, else the height of the block that carries it.
  std::unordered_map<Bytes, uint64_t> known_;
  std::deque<std::pair<uint64_t, std::vector<Bytes>>> in_flight_;  // by height, ascending
};

}  // namespace shipledger::consensus
