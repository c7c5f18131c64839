// The simulated node's inbound queue in front of its core, as the runtime has it (DESIGN §6
// "fairness under floods"; src/node/node.cc): admitted peer messages wait in node::PeerInbox,
// one bounded queue per sender with heartbeats coalesced, and are handed to the core
// round-robin at most `budget_per_ms` per millisecond of simulated time, so a flood costs
// processing time and a flooding peer gets only its share of it. The shared mode (one FIFO for
// every sender, no coalescing) is what the runtime must not do; tests use it to show why.
// Thread-safety: none; owned by one SimNode.
#pragma once

#include <cstddef>
#include <cstdint>
#include <deque>
#include <memory>
#include <vector>

#include "consensus/replica.h"
#include "node/peer_inbox.h"

namespace shipledger::sim {

struct InboxOptions {
  // One queue per sender (node::PeerInbox), else one shared FIFO. Default: true.
  bool per_peer = true;
  // Messages queued per sender (the shared FIFO holds n times this). Smaller than the node's
  // default (5000) so that a flood fills it within a simulated second. Default: 512.
  size_t capacity_per_peer = 512;
  // Messages the core takes per ms of simulated time (its processing capacity); honest traffic
  // in the simulator peaks far below it. Default: 8.
  size_t budget_per_ms = 8;
};

class SimInbox {
 public:
  using Pushed = node::PeerInbox::Pushed;
  struct Counts {
    uint64_t queued = 0;     // messages taken into a queue
    uint64_t dropped = 0;    // refused: the (sender's or shared) queue was full
    uint64_t coalesced = 0;  // heartbeats replaced by a later one
    uint64_t drained = 0;    // handed to the core
  };

  SimInbox(uint32_t n, InboxOptions options);

  // Queues `copies` byte-identical copies of `message` arriving at once (a burst; 1 for an
  // ordinary frame). Equivalent to that many Push calls with no drain between them: once one
  // copy is dropped or coalesced so is every later one, so only the first few are materialised.
  // `*schedule_drain` is set true when the caller must arrange a drain.
  void Push(const consensus::InboundMessage& message, uint64_t copies, bool* schedule_drain);
  // Moves up to `max` messages into `*out` (round-robin across senders, or FIFO when shared).
  // True when messages remain (the caller drains again later); false when empty.
  bool Drain(size_t max, std::vector<consensus::InboundMessage>* out);

  const InboxOptions& options() const { return options_; }
  // Per sender; zero for ids >= n.
  Counts counts(uint32_t replica) const;

 private:
  // Shared mode only.
  Pushed PushShared(consensus::InboundMessage message, bool* schedule_drain);

  const InboxOptions options_;
  std::unique_ptr<node::PeerInbox> per_peer_;
  std::deque<consensus::InboundMessage> shared_;
  bool shared_drain_outstanding_ = false;
  std::vector<Counts> counts_;
};

}  // namespace shipledger::sim
