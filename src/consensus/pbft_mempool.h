// PbftMempool: events waiting to be ordered by the PBFT core, by origin replica (DESIGN §6
// "censorship"). Each origin has a fixed quota, so a flood forwarded by one replica cannot
// crowd out the others; the primary takes batches round-robin across origins; an event taken
// into a proposal is "in flight" until its block commits or the view changes. Committed ids are
// remembered (bounded) so a late forwarded copy is not proposed again.
// Thread-safety: none; owned by the core.
#pragma once

#include <cstdint>
#include <deque>
#include <map>
#include <optional>
#include <unordered_map>
#include <unordered_set>
#include <vector>

#include "model/event.h"
#include "shipledger/status.h"

namespace shipledger::consensus {

class PbftMempool {
 public:
  // Ids of recently committed events remembered by default: a forwarded copy that arrives late
  // is refused without being proposed again.
  static constexpr size_t kDefaultCommittedMemory = 200000;

  // `capacity` is split into n equal per-origin quotas; `committed_memory` ids of committed
  // events are remembered.
  PbftMempool(uint32_t capacity, uint32_t n, size_t committed_memory = kDefaultCommittedMemory);

  // OK; ALREADY_EXISTS when the id is pending, in flight or recently committed;
  // RESOURCE_EXHAUSTED when `origin`'s quota is full.
  Status Add(const model::EventPtr& event, uint32_t origin, int64_t now_ms);
  // Up to `max` pending events, round-robin across origins (FIFO within one), marked in flight.
  std::vector<model::EventPtr> Take(uint32_t max);
  // Marks events of a proposal accepted from the primary as in flight (known or not).
  void MarkInFlight(const std::vector<model::EventPtr>& events);
  // A new view: every in-flight event is pending again; own events' timers restart at now.
  void ResetInFlight(int64_t now_ms);
  // Forgets committed events (and remembers their ids).
  void Committed(const std::vector<model::EventPtr>& events);
  // Forgets one event that will not be ordered (e.g. its certificate expired).
  void Drop(const Bytes& id);

  // Pending events that arrived at or before `arrived_by_ms` and were not returned here before
  // (to be relayed to the primary before they are timed: a forward may have been lost, or a
  // peer may have hidden it from the primary).
  std::vector<model::EventPtr> TakeUnrelayed(int64_t arrived_by_ms);

  // Every pending (not in flight) event, by origin then arrival; of one origin if given.
  std::vector<model::EventPtr> AllPending(std::optional<uint32_t> origin = std::nullopt) const;
  // Every event of `origin` held here, pending or in flight, by arrival.
  std::vector<model::EventPtr> AllOf(uint32_t origin) const;
  // Drops pending events whose certificate window ended before `now_ms`.
  void DropExpired(int64_t now_ms);

  // True when the id is pending, in flight or recently committed (Add would say ALREADY_EXISTS).
  bool Holds(const Bytes& id) const { return entries_.contains(id) || committed_.contains(id); }
  uint32_t pending() const { return pending_; }
  uint32_t size() const { return static_cast<uint32_t>(entries_.size()); }
  uint32_t capacity() const { return quota_ * n_; }
  // Events held (pending and in flight) per origin replica, by replica id.
  const std::vector<uint32_t>& per_origin() const { return per_origin_; }
  // Arrival of the oldest pending event of any origin / of `origin`, if any.
  std::optional<int64_t> OldestPending() const;
  std::optional<int64_t> OldestPendingOf(uint32_t origin) const;

 private:
  struct Entry {
    model::EventPtr event;
    uint32_t origin;
    int64_t arrival_ms;
    bool in_flight;
  };
  uint32_t n_;
  uint32_t quota_;
  size_t committed_memory_;
  uint32_t pending_ = 0;
  uint32_t next_origin_ = 0;  // round-robin cursor
  std::unordered_map<Bytes, Entry> entries_;
  // Per origin, arrival order. May hold stale ids (dropped, in flight): skipped and popped lazily;
  // ResetInFlight rebuilds them.
  mutable std::vector<std::deque<Bytes>> queues_;
  std::vector<uint32_t> per_origin_;                   // entries per origin (pending + in flight)
  std::deque<std::pair<int64_t, Bytes>> relay_queue_;  // (arrival, id)
  std::unordered_set<Bytes> committed_;
  std::deque<Bytes> committed_order_;  // eviction order of committed_
};

}  // namespace shipledger::consensus
