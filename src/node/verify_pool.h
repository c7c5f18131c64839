// VerifyPool: the node's ParallelRunner (DESIGN §10). Worker threads sized to the machine help
// every caller with its batch; the caller works on its own batch too, so a batch finishes even
// when every worker is busy with others', and a one-task batch never changes threads.
// Thread-safety: ForEach may be called from any number of threads at once.
#pragma once

#include <condition_variable>
#include <cstddef>
#include <deque>
#include <memory>
#include <mutex>
#include <thread>
#include <vector>

#include "model/parallel.h"

namespace shipledger::node {

class VerifyPool final : public model::ParallelRunner {
 public:
  // `workers` threads named sl-verify besides the callers (0: every batch runs on its caller).
  explicit VerifyPool(size_t workers);
  // The workers for node.yaml verify_threads: 0 means one thread per core, callers included.
  static size_t WorkersFor(uint32_t verify_threads);
  // Joins the workers. REQUIRES: no ForEach in progress.
  ~VerifyPool() override;
  VerifyPool(const VerifyPool&) = delete;
  VerifyPool& operator=(const VerifyPool&) = delete;

  void ForEach(size_t n, const std::function<void(size_t)>& task) override;
  size_t workers() const { return threads_.size(); }

 private:
  struct Batch;
  // Runs unclaimed tasks of `batch` until none is left; true if this call finished the last.
  static void Work(Batch& batch);
  void WorkerLoop();

  std::mutex mu_;
  std::condition_variable wake_;
  std::deque<std::shared_ptr<Batch>> queue_;  // GUARDED_BY(mu_): batches with unclaimed tasks
  bool stopping_ = false;                     // GUARDED_BY(mu_)
  std::vector<std::thread> threads_;
};

}  // namespace shipledger::node
