#include "node/peer_inbox.h"

#include <utility>

namespace shipledger::node {

PeerInbox::PeerInbox(uint32_t n, Options options) : options_(options), queues_(n) {}

PeerInbox::Pushed PeerInbox::Push(consensus::InboundMessage message, bool* schedule_drain) {
  *schedule_drain = false;
  std::lock_guard<std::mutex> lock(mu_);
  if (message.from >= queues_.size()) return Pushed::kDropped;
  Queue& q = queues_[message.from];
  if (message.message.has_heartbeat() && q.heartbeat.has_value()) {
    // DESIGN §6: only the latest report counts; it keeps the slot (and place) of the old one.
    *q.heartbeat = std::move(message);
    ++q.coalesced;
    return Pushed::kCoalesced;
  }
  if (q.size() >= options_.max_queued_per_peer) {
    ++q.dropped;
    return Pushed::kDropped;
  }
  if (message.message.has_heartbeat()) {
    q.heartbeat = std::move(message);
    q.heartbeat_seq = next_seq_++;
  } else {
    q.messages.push_back(std::move(message));
    q.seqs.push_back(next_seq_++);
  }
  ++total_;
  if (!drain_outstanding_) {
    drain_outstanding_ = true;
    *schedule_drain = true;
  }
  return Pushed::kQueued;
}

consensus::InboundMessage PeerInbox::TakeOldest(Queue& q) {
  if (q.heartbeat && (q.messages.empty() || q.heartbeat_seq < q.seqs.front())) {
    consensus::InboundMessage m = std::move(*q.heartbeat);
    q.heartbeat.reset();
    return m;
  }
  consensus::InboundMessage m = std::move(q.messages.front());
  q.messages.pop_front();
  q.seqs.pop_front();
  return m;
}

bool PeerInbox::Drain(size_t max, std::vector<consensus::InboundMessage>* out) {
  std::lock_guard<std::mutex> lock(mu_);
  const auto n = static_cast<uint32_t>(queues_.size());
  for (size_t taken = 0; taken < max && total_ > 0;) {
    Queue& q = queues_[cursor_];
    cursor_ = (cursor_ + 1) % n;
    if (q.size() == 0) continue;
    out->push_back(TakeOldest(q));
    --total_;
    ++taken;
  }
  if (total_ == 0) drain_outstanding_ = false;
  return total_ > 0;
}

PeerInbox::PeerCounts PeerInbox::counts(uint32_t replica) const {
  PeerCounts c;
  std::lock_guard<std::mutex> lock(mu_);
  if (replica >= queues_.size()) return c;
  const Queue& q = queues_[replica];
  c.queued = q.size();
  c.dropped = q.dropped;
  c.heartbeats_coalesced = q.coalesced;
  return c;
}

}  // namespace shipledger::node
