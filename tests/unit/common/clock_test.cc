#include "shipledger/clock.h"

#include <gtest/gtest.h>

#include <chrono>
#include <thread>
#include <vector>

namespace shipledger {
namespace {

TEST(ManualClock, StartsAtGivenTime) {
  const ManualClock clock(1795000000000);
  EXPECT_EQ(clock.NowMs(), 1795000000000);
}

TEST(ManualClock, DoesNotMoveByItself) {
  const ManualClock clock(1000);
  std::this_thread::sleep_for(std::chrono::milliseconds(5));
  EXPECT_EQ(clock.NowMs(), 1000);
}

TEST(ManualClock, SetAndAdvance) {
  ManualClock clock(1000);
  clock.Advance(250);
  EXPECT_EQ(clock.NowMs(), 1250);
  clock.Set(5);
  EXPECT_EQ(clock.NowMs(), 5);
  clock.Advance(-10);  // moving back is allowed: tests use it to simulate clock skew
  EXPECT_EQ(clock.NowMs(), -5);
}

TEST(ManualClock, ReadableThroughClockInterface) {
  ManualClock manual(42);
  const Clock& clock = manual;
  EXPECT_EQ(clock.NowMs(), 42);
  manual.Advance(1);
  EXPECT_EQ(clock.NowMs(), 43);
}

TEST(ManualClock, ConcurrentAdvancesAreNotLost) {
  ManualClock clock(0);
  constexpr int kThreads = 4;
  constexpr int kSteps = 10000;
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&clock] {
      for (int i = 0; i < kSteps; ++i) clock.Advance(1);
    });
  }
  for (auto& t : threads) t.join();
  EXPECT_EQ(clock.NowMs(), int64_t{kThreads} * kSteps);
}

TEST(SystemClock, ReadsWallClockInMilliseconds) {
  using std::chrono::duration_cast;
  using std::chrono::milliseconds;
  using std::chrono::system_clock;
  const int64_t before =
      duration_cast<milliseconds>(system_clock::now().time_since_epoch()).count();
  const int64_t now = SystemClock::Get().NowMs();
  const int64_t after = duration_cast<milliseconds>(system_clock::now().time_since_epoch()).count();
  EXPECT_GE(now, before);
  EXPECT_LE(now, after);
}

TEST(SystemClock, GetReturnsOneInstance) { EXPECT_EQ(&SystemClock::Get(), &SystemClock::Get()); }

}  // namespace
}  // namespace shipledger
