#include "node/verify_pool.h"

#include <algorithm>
#include <atomic>
#include <exception>

#include "shipledger/thread_name.h"

namespace shipledger::node {

struct VerifyPool::Batch {
  Batch(size_t count, const std::function<void(size_t)>& fn) : n(count), task(fn) {}
  const size_t n;
  const std::function<void(size_t)>& task;  // the caller's; used only for claimed indices
  std::atomic<size_t> next{0};              // next index to claim
  std::mutex mu;
  std::condition_variable done_cv;
  size_t done = 0;           // GUARDED_BY(mu)
  std::exception_ptr error;  // GUARDED_BY(mu): the first exception a task threw
};

size_t VerifyPool::WorkersFor(uint32_t verify_threads) {
  const uint32_t threads =
      verify_threads != 0 ? verify_threads : std::max(1u, std::thread::hardware_concurrency());
  return threads - 1;
}

VerifyPool::VerifyPool(size_t workers) {
  threads_.reserve(workers);
  for (size_t i = 0; i < workers; ++i) {
    threads_.emplace_back([this] {
      SetThreadName("sl-verify");
      WorkerLoop();
    });
  }
}

VerifyPool::~VerifyPool() {
  {
    std::lock_guard<std::mutex> lock(mu_);
    stopping_ = true;
  }
  wake_.notify_all();
  for (std::thread& t : threads_) t.join();
}

void VerifyPool::Work(Batch& batch) {
  size_t finished = 0;
  std::exception_ptr error;
  for (size_t i = batch.next.fetch_add(1); i < batch.n; i = batch.next.fetch_add(1)) {
    try {
      batch.task(i);
    } catch (...) {
      if (!error) error = std::current_exception();
    }
    ++finished;
  }
  if (finished == 0) return;
  std::lock_guard<std::mutex> lock(batch.mu);
  if (error && !batch.error) batch.error = error;
  batch.done += finished;
  if (batch.done == batch.n) batch.done_cv.notify_all();
}

void VerifyPool::ForEach(size_t n, const std::function<void(size_t)>& task) {
  if (n == 0) return;
  if (n == 1 || threads_.empty()) {
    for (size_t i = 0; i < n; ++i) task(i);
    return;
  }
  auto batch = std::make_shared<Batch>(n, task);
  {
    std::lock_guard<std::mutex> lock(mu_);
    queue_.push_back(batch);
  }
  // n - 1 helpers at most: the caller takes a share itself.
  if (n - 1 >= threads_.size()) {
    wake_.notify_all();
  } else {
    for (size_t i = 0; i + 1 < n; ++i) wake_.notify_one();
  }
  Work(*batch);
  std::unique_lock<std::mutex> lock(batch->mu);
  batch->done_cv.wait(lock, [&] { return batch->done == batch->n; });
  if (batch->error) std::rethrow_exception(batch->error);
}

void VerifyPool::WorkerLoop() {
  for (;;) {
    std::shared_ptr<Batch> batch;
    {
      std::unique_lock<std::mutex> lock(mu_);
      wake_.wait(lock, [&] {
        while (!queue_.empty() && queue_.front()->next.load() >= queue_.front()->n) {
          queue_.pop_front();  // every task claimed: nothing left to help with
        }
        return stopping_ || !queue_.empty();
      });
      if (stopping_) return;
      batch = queue_.front();
    }
    Work(*batch);
  }
}

}  // namespace shipledger::node
