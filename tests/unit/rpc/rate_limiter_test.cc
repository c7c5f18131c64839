// The tracking service's per-client token bucket (rpc/rate_limiter.h), on a fake clock.
#include "rpc/rate_limiter.h"

#include <gtest/gtest.h>

#include <string>

namespace shipledger::rpc {
namespace {

RateLimiterOptions Options(double rate, double burst, size_t max_clients = 100) {
  RateLimiterOptions o;
  o.rate_per_s = rate;
  o.burst = burst;
  o.max_clients = max_clients;
  return o;
}

// Requests `n` times at `now_ms`; returns how many were allowed.
int Allowed(RateLimiter& limiter, const std::string& client, int n, int64_t now_ms) {
  int allowed = 0;
  for (int i = 0; i < n; ++i) allowed += limiter.Take(client, now_ms).allowed ? 1 : 0;
  return allowed;
}

TEST(RateLimiter, NewClientGetsTheBurstThenIsRefused) {
  RateLimiter limiter(Options(10, 20));
  EXPECT_EQ(Allowed(limiter, "a", 25, 1000), 20);
}

TEST(RateLimiter, RefusalSaysWhenToRetry) {
  RateLimiter limiter(Options(0.5, 1));
  EXPECT_TRUE(limiter.Take("a", 0).allowed);
  const RateLimiter::Decision refused = limiter.Take("a", 0);
  EXPECT_FALSE(refused.allowed);
  EXPECT_EQ(refused.retry_after_s, 2u);  // one token every 2 s
  EXPECT_EQ(RateLimiter(Options(10, 1)).Take("b", 0).retry_after_s, 0u);
}

TEST(RateLimiter, TokensComeBackAtTheRate) {
  RateLimiter limiter(Options(10, 20));
  EXPECT_EQ(Allowed(limiter, "a", 20, 0), 20);
  EXPECT_EQ(Allowed(limiter, "a", 5, 99), 0);        // < 1 token after 99 ms
  EXPECT_EQ(Allowed(limiter, "a", 5, 100), 1);       // 1 token after 100 ms
  EXPECT_EQ(Allowed(limiter, "a", 50, 10'000), 20);  // never more than the burst
}

TEST(RateLimiter, ClientsHaveTheirOwnBuckets) {
  RateLimiter limiter(Options(1, 2));
  EXPECT_EQ(Allowed(limiter, "a", 5, 0), 2);
  EXPECT_EQ(Allowed(limiter, "b", 5, 0), 2);
}

TEST(RateLimiter, ClockGoingBackRefillsNothing) {
  RateLimiter limiter(Options(10, 2));
  EXPECT_EQ(Allowed(limiter, "a", 2, 5000), 2);
  EXPECT_EQ(Allowed(limiter, "a", 1, 1000), 0);
  EXPECT_EQ(Allowed(limiter, "a", 1, 5100), 1);
}

TEST(RateLimiter, TableIsBoundedAndEvictsTheLeastRecentlyUsed) {
  RateLimiter limiter(Options(1, 1, /*max_clients=*/3));
  for (int i = 0; i < 1000; ++i) limiter.Take("flood-" + std::to_string(i), 0);
  EXPECT_EQ(limiter.clients(), 3u);

  RateLimiter lru(Options(1, 1, 2));
  EXPECT_TRUE(lru.Take("a", 0).allowed);
  EXPECT_TRUE(lru.Take("b", 0).allowed);
  EXPECT_FALSE(lru.Take("a", 0).allowed);  // a is now the most recent
  EXPECT_TRUE(lru.Take("c", 0).allowed);   // evicts b, not a
  EXPECT_FALSE(lru.Take("a", 0).allowed);  // a kept its empty bucket
  EXPECT_TRUE(lru.Take("b", 0).allowed);   // b starts afresh
}

}  // namespace
}  // namespace shipledger::rpc
