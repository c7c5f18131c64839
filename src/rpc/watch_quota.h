// WatchQuota: who may hold Watch streams on this node (DESIGN §8: quotas on long-lived reads
// are per organisation, so one member cannot starve the others).
//
// Two limits: at most `max_streams_per_org` streams per organisation, and at most `max_streams`
// on the node. An organisation at its own limit is refused (RESOURCE_EXHAUSTED naming it and
// the limit). When the node is full, a stream of an organisation holding fewer than the
// largest holder minus one takes the place of that holder's least recently active idle stream
// (the one whose last delivery, or start, is oldest; a stream in the middle of a write is not
// idle): the evicted stream is told so (evicted()) and must end. Otherwise the new stream is
// refused. (Among holders of equal size with an idle stream, the least recently active idle
// stream goes.) The "minus one" makes the holdings converge to within one stream of each other,
// and keeps two organisations from taking a slot back and forth.
// A dead subscriber is not this class's business: the server's keepalive pings end its
// connection, and with it its streams (rpc/server.cc).
// Thread-safety: all methods are thread-safe (one internal mutex).
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "model/node_defaults.h"
#include "shipledger/status.h"

namespace shipledger::rpc {

struct WatchQuotaOptions {
  // Defaults: node.yaml's max_watchers and max_watchers_per_org.
  uint32_t max_streams = model::kDefaultMaxWatchers;
  uint32_t max_streams_per_org = model::kDefaultMaxWatchersPerOrg;
};

class WatchQuota {
 public:
  // REQUIRES: max_streams >= 1, max_streams_per_org >= 1.
  explicit WatchQuota(const WatchQuotaOptions& options) : options_(options) {}
  WatchQuota(const WatchQuota&) = delete;
  WatchQuota& operator=(const WatchQuota&) = delete;

  // One admitted stream. Gives its slot back on destruction (unless it was evicted, which
  // gave it back already). REQUIRES: the WatchQuota outlives it.
  class Ticket {
   public:
    ~Ticket();
    Ticket(const Ticket&) = delete;
    Ticket& operator=(const Ticket&) = delete;
    // Bracket a delivery: a stream writing is not idle, and EndWrite makes it the most
    // recently active stream of its organisation.
    void BeginWrite();
    void EndWrite();
    // True once the stream was dropped to make room for another organisation's stream: it no
    // longer holds a slot and should end (with evicted_message()).
    bool evicted() const;
    // Why it was evicted, for the status the subscriber gets.
    std::string evicted_message() const;

   private:
    friend class WatchQuota;
    Ticket(WatchQuota* owner, std::string org, uint64_t stamp)
        : owner_(owner), org_(std::move(org)), last_active_(stamp) {}
    WatchQuota* const owner_;
    const std::string org_;
    uint64_t last_active_;    // GUARDED_BY(owner_->mu_): an admission / delivery sequence number
    bool writing_ = false;    // GUARDED_BY(owner_->mu_)
    bool evicted_ = false;    // GUARDED_BY(owner_->mu_)
    std::string evicted_by_;  // GUARDED_BY(owner_->mu_): the organisation that took the slot
  };

  // Admits a stream of organisation `org` ("" for a caller without one: insecure mode, where
  // the per-organisation limit does not apply). RESOURCE_EXHAUSTED saying which limit when it
  // cannot be admitted; may evict another organisation's idle stream (see above).
  Result<std::unique_ptr<Ticket>> Admit(const std::string& org);

  uint32_t streams() const;
  // Streams held per organisation, in organisation order; organisations holding none are left
  // out.
  std::vector<std::pair<std::string, uint32_t>> StreamsByOrg() const;
  // Streams evicted since start.
  uint64_t evicted_total() const;

 private:
  // The stream to evict for a new stream of `org`, which holds `own`: the least recently
  // active idle stream of the organisation holding the most streams, if it holds more than
  // own + 1; nullptr when there is none. REQUIRES: mu_ held.
  Ticket* EvictionCandidate(const std::string& org, uint32_t own) const;
  // REQUIRES: mu_ held; `ticket` registered.
  void Remove(Ticket* ticket);

  const WatchQuotaOptions options_;
  mutable std::mutex mu_;
  std::map<std::string, std::set<Ticket*>> by_org_;  // GUARDED_BY(mu_); no empty sets
  uint32_t total_ = 0;                               // GUARDED_BY(mu_)
  uint64_t next_stamp_ = 0;                          // GUARDED_BY(mu_)
  uint64_t evicted_total_ = 0;                       // GUARDED_BY(mu_)
};

}  // namespace shipledger::rpc
