#include "sim/sim_inbox.h"

#include <utility>

namespace shipledger::sim {

SimInbox::SimInbox(uint32_t n, InboxOptions options) : options_(options), counts_(n) {
  if (options_.per_peer) {
    per_peer_ = std::make_unique<node::PeerInbox>(
        n, node::PeerInbox::Options{.max_queued_per_peer = options_.capacity_per_peer});
  }
}

SimInbox::Pushed SimInbox::PushShared(consensus::InboundMessage message, bool* schedule_drain) {
  *schedule_drain = false;
  if (message.from >= counts_.size() ||
      shared_.size() >= options_.capacity_per_peer * counts_.size()) {
    return Pushed::kDropped;
  }
  shared_.push_back(std::move(message));
  if (!shared_drain_outstanding_) {
    shared_drain_outstanding_ = true;
    *schedule_drain = true;
  }
  return Pushed::kQueued;
}

void SimInbox::Push(const consensus::InboundMessage& message, uint64_t copies,
                    bool* schedule_drain) {
  *schedule_drain = false;
  if (message.from >= counts_.size()) return;
  Counts& c = counts_[message.from];
  for (uint64_t i = 0; i < copies; ++i) {
    bool drain = false;
    const Pushed p = per_peer_ ? per_peer_->Push(message, &drain) : PushShared(message, &drain);
    *schedule_drain = *schedule_drain || drain;
    if (p == Pushed::kQueued) {
      ++c.queued;
      continue;
    }
    // Nothing drains within a burst: every later copy meets the same full queue, or replaces
    // this heartbeat in turn.
    (p == Pushed::kDropped ? c.dropped : c.coalesced) += copies - i;
    return;
  }
}

bool SimInbox::Drain(size_t max, std::vector<consensus::InboundMessage>* out) {
  const size_t before = out->size();
  bool more = false;
  if (per_peer_) {
    more = per_peer_->Drain(max, out);
  } else {
    while (out->size() - before < max && !shared_.empty()) {
      out->push_back(std::move(shared_.front()));
      shared_.pop_front();
    }
    more = !shared_.empty();
    shared_drain_outstanding_ = more;
  }
  for (size_t i = before; i < out->size(); ++i) ++counts_[(*out)[i].from].drained;
  return more;
}

SimInbox::Counts SimInbox::counts(uint32_t replica) const {
  return replica < counts_.size() ? counts_[replica] : Counts{};
}

}  // namespace shipledger::sim
