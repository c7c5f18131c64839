#include "rpc/rate_limiter.h"

#include <algorithm>
#include <cmath>

#include "shipledger/check.h"

namespace shipledger::rpc {

RateLimiter::RateLimiter(const RateLimiterOptions& options) : options_(options) {
  SHIPLEDGER_CHECK(options.rate_per_s > 0 && options.burst >= 1 && options.max_clients >= 1);
}

RateLimiter::Decision RateLimiter::Take(std::string_view client, int64_t now_ms) {
  std::lock_guard<std::mutex> lock(mu_);
  auto it = buckets_.find(std::string(client));
  if (it == buckets_.end()) {
    if (buckets_.size() >= options_.max_clients) {
      buckets_.erase(lru_.back());
      lru_.pop_back();
    }
    lru_.emplace_front(client);
    it = buckets_.emplace(lru_.front(), Bucket{options_.burst, now_ms, lru_.begin()}).first;
  } else {
    lru_.splice(lru_.begin(), lru_, it->second.lru);
  }
  Bucket& bucket = it->second;
  // A clock that went back refills nothing (and does not drain either).
  const int64_t elapsed_ms = std::max<int64_t>(0, now_ms - bucket.updated_ms);
  bucket.tokens = std::min(options_.burst, bucket.tokens + static_cast<double>(elapsed_ms) *
                                                               options_.rate_per_s / 1000.0);
  bucket.updated_ms = std::max(bucket.updated_ms, now_ms);
  if (bucket.tokens >= 1) {
    bucket.tokens -= 1;
    return Decision{true, 0};
  }
  const double wait_s = (1 - bucket.tokens) / options_.rate_per_s;
  return Decision{false, static_cast<uint32_t>(std::max(1.0, std::ceil(wait_s)))};
}

size_t RateLimiter::clients() const {
  std::lock_guard<std::mutex> lock(mu_);
  return buckets_.size();
}

}  // namespace shipledger::rpc
