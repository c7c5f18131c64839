#include "consensus/pbft_mempool.h"

#include <algorithm>

namespace shipledger::consensus {
PbftMempool::PbftMempool(uint32_t capacity, uint32_t n, size_t committed_memory)
    : n_(std::max<uint32_t>(n, 1)),
      quota_(std::max<uint32_t>(capacity / std::max<uint32_t>(n, 1), 1)),
      committed_memory_(committed_memory),
      queues_(n_),
      per_origin_(n_, 0) {}

Status PbftMempool::Add(const model::EventPtr& event, uint32_t origin, int64_t now_ms) {
  if (origin >= n_) return Status::InvalidArgument("unknown origin replica");
  if (entries_.contains(event->id) || committed_.contains(event->id)) {
    return Status::AlreadyExists("event is already pending on this node");
  }
  if (per_origin_[origin] >= quota_) {
    return Status::ResourceExhausted("the node's queue of pending events is full (" +
                                     std::to_string(quota_) + " per origin); retry with backoff");
  }
  entries_.emplace(event->id, Entry{event, origin, now_ms, false});
  queues_[origin].push_back(event->id);
  ++per_origin_[origin];
  ++pending_;
  relay_queue_.emplace_back(now_ms, event->id);
  return Status::Ok();
}

std::vector<model::EventPtr> PbftMempool::Take(uint32_t max) {
  std::vector<model::EventPtr> out;
  uint32_t idle_origins = 0;
  while (out.size() < max && pending_ > 0 && idle_origins < n_) {
    auto& q = queues_[next_origin_];
    bool took = false;
    while (!q.empty()) {
      auto it = entries_.find(q.front());
      q.pop_front();
      if (it == entries_.end() || it->second.in_flight) continue;  // stale id
      it->second.in_flight = true;
      --pending_;
      out.push_back(it->second.event);
      took = true;
      break;
    }
    idle_origins = took ? 0 : idle_origins + 1;
    next_origin_ = (next_origin_ + 1) % n_;
  }
  return out;
}

std::vector<model::EventPtr> PbftMempool::TakeUnrelayed(int64_t arrived_by_ms) {
  std::vector<model::EventPtr> out;
  while (!relay_queue_.empty() && relay_queue_.front().first <= arrived_by_ms) {
    auto it = entries_.find(relay_queue_.front().second);
    relay_queue_.pop_front();
    if (it != entries_.end() && !it->second.in_flight) out.push_back(it->second.event);
  }
  return out;
}

std::vector<model::EventPtr> PbftMempool::AllPending(std::optional<uint32_t> origin) const {
  std::vector<model::EventPtr> out;
  for (uint32_t o = 0; o < n_; ++o) {
    if (origin && o != *origin) continue;
    for (const Bytes& id : queues_[o]) {
      auto it = entries_.find(id);
      if (it != entries_.end() && !it->second.in_flight) out.push_back(it->second.event);
    }
  }
  return out;
}

std::vector<model::EventPtr> PbftMempool::AllOf(uint32_t origin) const {
  // In-flight ids leave queues_ when taken: read the entries, in a deterministic order.
  std::vector<std::pair<std::pair<int64_t, Bytes>, model::EventPtr>> held;
  for (const auto& [id, e] : entries_) {
    if (e.origin == origin) held.push_back({{e.arrival_ms, id}, e.event});
  }
  std::sort(held.begin(), held.end(),
            [](const auto& a, const auto& b) { return a.first < b.first; });
  std::vector<model::EventPtr> out;
  for (auto& h : held) out.push_back(std::move(h.second));
  return out;
}

void PbftMempool::DropExpired(int64_t now_ms) {
  std::vector<Bytes> expired;
  for (const auto& [id, e] : entries_) {
    if (!e.in_flight && e.event->valid_until_ms < now_ms) expired.push_back(id);
  }
  for (const auto& id : expired) Drop(id);
}

void PbftMempool::MarkInFlight(const std::vector<model::EventPtr>& events) {
  for (const auto& e : events) {
    auto it = entries_.find(e->id);
    if (it != entries_.end() && !it->second.in_flight) {
      it->second.in_flight = true;
      --pending_;
    }
  }
}

void PbftMempool::ResetInFlight(int64_t now_ms) {
  for (auto& q : queues_) q.clear();
  // Re-queue in arrival order per origin; ties by id keep this deterministic.
  std::vector<const Entry*> all;
  all.reserve(entries_.size());
  for (auto& [id, e] : entries_) {
    if (e.in_flight) {
      e.in_flight = false;
      ++pending_;
    }
    e.arrival_ms = std::max(e.arrival_ms, now_ms);
    all.push_back(&e);
  }
  std::sort(all.begin(), all.end(), [](const Entry* a, const Entry* b) {
    return a->arrival_ms != b->arrival_ms ? a->arrival_ms < b->arrival_ms
                                          : a->event->id < b->event->id;
  });
  for (const Entry* e : all) queues_[e->origin].push_back(e->event->id);
}

void PbftMempool::Committed(const std::vector<model::EventPtr>& events) {
  for (const auto& e : events) {
    Drop(e->id);
    if (committed_.insert(e->id).second) {
      committed_order_.push_back(e->id);
      if (committed_order_.size() > committed_memory_) {
        committed_.erase(committed_order_.front());
        committed_order_.pop_front();
      }
    }
  }
}

void PbftMempool::Drop(const Bytes& id) {
  auto it = entries_.find(id);
  if (it == entries_.end()) return;
  if (!it->second.in_flight) --pending_;
  --per_origin_[it->second.origin];
  entries_.erase(it);  // its queue slot becomes a stale id, skipped by Take
}

std::optional<int64_t> PbftMempool::OldestPending() const {
  std::optional<int64_t> out;
  for (uint32_t o = 0; o < n_; ++o) {
    auto t = OldestPendingOf(o);
    if (t && (!out || *t < *out)) out = t;
  }
  return out;
}

std::optional<int64_t> PbftMempool::OldestPendingOf(uint32_t origin) const {
  if (origin >= n_) return std::nullopt;
  auto& q = queues_[origin];
  while (!q.empty()) {
    auto it = entries_.find(q.front());
    if (it != entries_.end() && !it->second.in_flight) return it->second.arrival_ms;
    q.pop_front();
  }
  return std::nullopt;
}

}  // namespace shipledger::consensus
