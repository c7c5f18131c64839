// RateLimiter: a token bucket per client key (the tracking service keys by client address),
// in a table of at most max_clients buckets: when it is full, the bucket used least recently is
// evicted, so a flood of addresses costs bounded memory (an evicted client starts again with a
// full bucket, which lets a flood of addresses through no faster than a burst each).
// Time is passed in, so tests drive it with a fake clock.
// Thread-safety: thread-safe (one internal mutex).
#pragma once

#include <cstdint>
#include <list>
#include <mutex>
#include <string>
#include <string_view>
#include <unordered_map>

namespace shipledger::rpc {

struct RateLimiterOptions {
  double rate_per_s = 10;     // Default: 10 tokens per second refill
  double burst = 20;          // Default: 20 tokens: the bucket's size, and a new client's start
  size_t max_clients = 4096;  // Default: 4096 buckets (~100 bytes each)
};

class RateLimiter {
 public:
  // REQUIRES: rate_per_s > 0, burst >= 1, max_clients >= 1.
  explicit RateLimiter(const RateLimiterOptions& options);

  struct Decision {
    bool allowed = false;
    // When refused: whole seconds until a token is back (>= 1), for Retry-After.
    uint32_t retry_after_s = 0;
  };
  // Takes one token of `client`'s bucket at `now_ms` (monotonic milliseconds), if it has one.
  Decision Take(std::string_view client, int64_t now_ms);

  size_t clients() const;

 private:
  struct Bucket {
    double tokens = 0;
    int64_t updated_ms = 0;
    std::list<std::string>::iterator lru;  // position in lru_
  };
  const RateLimiterOptions options_;
  mutable std::mutex mu_;
  std::unordered_map<std::string, Bucket> buckets_;  // GUARDED_BY(mu_)
  std::list<std::string> lru_;                       // GUARDED_BY(mu_); front = most recent
};

}  // namespace shipledger::rpc
