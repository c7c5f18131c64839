// PeerInbox: admitted peer messages waiting for the consensus thread, one bounded queue per
// sending replica, drained round-robin (DESIGN §6 "fairness under floods"): what one peer sends
// can only use that peer's share. A full queue drops that peer's new messages only; a heartbeat
// replaces the one its sender still has queued (only the latest report matters), so a stream
// of heartbeats takes one slot.
//
// Thread-safety: thread-safe (one internal mutex, no work done under it). The node pushes from
// the peer thread and drains on the consensus thread.
#pragma once

#include <cstddef>
#include <cstdint>
#include <deque>
#include <mutex>
#include <optional>
#include <vector>

#include "consensus/replica.h"

namespace shipledger::node {

class PeerInbox {
 public:
  struct Options {
    // Messages queued per sending replica, heartbeat included. A message from a replica whose
    // queue is full is dropped (PBFT retransmits what matters). Default: 5000.
    size_t max_queued_per_peer = 5000;
  };
  // What Push did with a message.
  enum class Pushed {
    kQueued,     // appended to its sender's queue
    kCoalesced,  // a heartbeat that replaced its sender's queued one
    kDropped,    // its sender's queue is full, or the sender is not a replica id < n
  };
  struct PeerCounts {
    size_t queued = 0;
    uint64_t dropped = 0;               // messages dropped for being over the sender's share
    uint64_t heartbeats_coalesced = 0;  // heartbeats replaced by a later one before delivery
  };

  // `n`: replicas in the genesis (senders are 0..n-1).
  PeerInbox(uint32_t n, Options options);

  // Queues `message` for its sender (`message.from`). `*schedule_drain` is set true when the
  // caller must arrange a Drain (the inbox had no drain outstanding), else false.
  Pushed Push(consensus::InboundMessage message, bool* schedule_drain);
  // Moves up to `max` messages into `*out`, taking one per sender in turn (round-robin, the
  // cursor kept across calls), oldest first within a sender. Returns true when messages remain:
  // the drain stays outstanding and the caller drains again; false when the inbox is empty, so
  // the next Push asks for a drain.
  bool Drain(size_t max, std::vector<consensus::InboundMessage>* out);

  // A snapshot of one sender's counters; zero for ids >= n.
  PeerCounts counts(uint32_t replica) const;

 private:
  struct Queue {
    std::deque<consensus::InboundMessage> messages;      // everything but heartbeats, in order
    std::deque<uint64_t> seqs;                           // arrival number of each of `messages`
    std::optional<consensus::InboundMessage> heartbeat;  // the latest queued heartbeat
    uint64_t heartbeat_seq = 0;
    uint64_t dropped = 0;
    uint64_t coalesced = 0;
    size_t size() const { return messages.size() + (heartbeat ? 1 : 0); }
  };
  // Takes the older of the queue's front message and its heartbeat. REQUIRES: size() > 0.
  static consensus::InboundMessage TakeOldest(Queue& q);

  const Options options_;
  mutable std::mutex mu_;
  std::vector<Queue> queues_;       // GUARDED_BY(mu_), by sender id
  size_t total_ = 0;                // GUARDED_BY(mu_)
  uint64_t next_seq_ = 0;           // GUARDED_BY(mu_)
  uint32_t cursor_ = 0;             // GUARDED_BY(mu_): the sender served next
  bool drain_outstanding_ = false;  // GUARDED_BY(mu_)
};

}  // namespace shipledger::node
