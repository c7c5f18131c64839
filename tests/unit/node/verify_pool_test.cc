// VerifyPool: every task of a batch runs exactly once, batches of many callers at once all
// finish, tasks really run side by side, and a task's exception reaches its caller.
#include "node/verify_pool.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <stdexcept>
#include <thread>
#include <vector>

namespace shipledger::node {
namespace {

TEST(VerifyPool, RunsEveryTaskOnceForManyCallersAtOnce) {
  VerifyPool pool(3);
  constexpr size_t kCallers = 4;
  constexpr size_t kTasks = 2000;
  std::vector<std::vector<std::atomic<int>>> runs(kCallers);
  for (auto& r : runs) r = std::vector<std::atomic<int>>(kTasks);
  std::vector<std::thread> callers;
  for (size_t c = 0; c < kCallers; ++c) {
    callers.emplace_back([&, c] {
      for (int round = 0; round < 5; ++round) {
        pool.ForEach(kTasks, [&](size_t i) { runs[c][i].fetch_add(1); });
      }
    });
  }
  for (std::thread& t : callers) t.join();
  for (size_t c = 0; c < kCallers; ++c) {
    for (size_t i = 0; i < kTasks; ++i) ASSERT_EQ(runs[c][i].load(), 5) << c << " " << i;
  }
}

TEST(VerifyPool, TasksRunSideBySide) {
  VerifyPool pool(1);  // one worker and the caller
  std::atomic<int> inside{0};
  std::atomic<bool> met{false};
  pool.ForEach(2, [&](size_t) {
    inside.fetch_add(1);
    // Each task waits for the other: only two threads at once get both past this.
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
    while (inside.load() < 2 && std::chrono::steady_clock::now() < deadline) {
      std::this_thread::yield();
    }
    if (inside.load() == 2) met = true;
  });
  EXPECT_TRUE(met.load());
}

TEST(VerifyPool, VerifyThreadsCountTheCaller) {
  EXPECT_EQ(VerifyPool::WorkersFor(1), 0u);
  EXPECT_EQ(VerifyPool::WorkersFor(4), 3u);
  EXPECT_EQ(VerifyPool::WorkersFor(0), std::max(1u, std::thread::hardware_concurrency()) - 1);
  VerifyPool none(0);
  std::vector<std::thread::id> ran_on(3);
  none.ForEach(3, [&](size_t i) { ran_on[i] = std::this_thread::get_id(); });
  for (const auto& id : ran_on) EXPECT_EQ(id, std::this_thread::get_id());
}

TEST(VerifyPool, EmptyAndSingleBatchesRunOnTheCaller) {
  VerifyPool pool(2);
  int calls = 0;
  pool.ForEach(0, [&](size_t) { ++calls; });
  EXPECT_EQ(calls, 0);
  std::thread::id ran_on;
  pool.ForEach(1, [&](size_t) { ran_on = std::this_thread::get_id(); });
  EXPECT_EQ(ran_on, std::this_thread::get_id());
}

TEST(VerifyPool, ATasksExceptionReachesTheCallerAfterTheBatch) {
  VerifyPool pool(2);
  std::atomic<int> ran{0};
  EXPECT_THROW(pool.ForEach(100,
                            [&](size_t i) {
                              ran.fetch_add(1);
                              if (i == 7) throw std::runtime_error("task 7");
                            }),
               std::runtime_error);
  EXPECT_EQ(ran.load(), 100);  // the others still ran: the batch ended before the rethrow
  std::atomic<int> after{0};
  pool.ForEach(10, [&](size_t) { after.fetch_add(1); });  // the pool still works
  EXPECT_EQ(after.load(), 10);
}

}  // namespace
}  // namespace shipledger::node
