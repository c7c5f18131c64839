#include "consensus/mempool.h"

#include <algorithm>

namespace shipledger::consensus {

Status Mempool::Add(const model::EventPtr& event, int64_t now_ms) {
  if (known_.contains(event->id)) {
    return Status::AlreadyExists("event is already pending on this node");
  }
  if (queue_.size() >= capacity_) {
    return Status::ResourceExhausted("the node's queue of pending events is full (" +
                                     std::to_string(capacity_) + "); retry with backoff");
  }
  known_.emplace(event->id, 0);
  queue_.push_back(Pending{event, now_ms});
  return Status::Ok();
}

std::vector<model::EventPtr> Mempool::Take(uint32_t max, uint64_t height) {
  const size_t n = std::min<size_t>(max, queue_.size());
  std::vector<model::EventPtr> out;
  std::vector<Bytes> ids;
  out.reserve(n);
  ids.reserve(n);
  for (size_t i = 0; i < n; ++i) {
    out.push_back(std::move(queue_.front().event));
    queue_.pop_front();
    known_[out.back()->id] = height;
    ids.push_back(out.back()->id);
  }
  in_flight_.emplace_back(height, std::move(ids));
  return out;
}

void Mempool::Committed(uint64_t height) {
  while (!in_flight_.empty() && in_flight_.front().first <= height) {
    for (const auto& id : in_flight_.front().second) known_.erase(id);
    in_flight_.pop_front();
  }
}

}  // namespace shipledger::consensus
