// CommitNotifier: tells waiting submitters and Watch streams that blocks were committed.
// The commit thread calls Published() after a block is durably stored; readers block on it
// with deadlines. It never blocks the commit thread on a reader: Watch streams read committed
// blocks from the store at their own pace, so a slow subscriber cannot stall commits.
// Thread-safety: all methods are thread-safe.
#pragma once

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <vector>

#include "shipledger/bytes.h"
#include "shipledger/v1/types.pb.h"

namespace shipledger::rpc {

class CommitNotifier {
 public:
  using Deadline = std::chrono::steady_clock::time_point;

  explicit CommitNotifier(uint64_t height) : height_(height) {}

  // A set of event ids whose receipts a submitter awaits.
  class Waiter {
   public:
    // Receipts in the order of the ids given to Expect; nullopt while not committed.
    const std::vector<std::optional<v1::Receipt>>& receipts() const { return receipts_; }

   private:
    friend class CommitNotifier;
    std::vector<Bytes> ids_;
    std::vector<std::optional<v1::Receipt>> receipts_;
    size_t missing_ = 0;
  };

  // Registers interest in `ids` (call before checking the store, so no commit is missed).
  std::shared_ptr<Waiter> Expect(const std::vector<Bytes>& ids);
  // Records a receipt found in the store for ids[i] of `waiter`.
  void Fill(Waiter& waiter, size_t i, v1::Receipt receipt);
  // Blocks until every id has a receipt, `deadline` passes or Shutdown(); then unregisters.
  // Returns true if all receipts arrived.
  bool Wait(const std::shared_ptr<Waiter>& waiter, Deadline deadline);

  // Called by the commit thread once block `height` and its receipts are durable.
  void Published(uint64_t height, const std::vector<v1::Receipt>& receipts);

  uint64_t height() const;
  // Blocks until height() > `above`, `deadline` or Shutdown(); returns height().
  uint64_t WaitBeyond(uint64_t above, Deadline deadline);

  // Wakes every waiter; later waits return at once.
  void Shutdown();
  bool shutting_down() const;

 private:
  mutable std::mutex mu_;
  std::condition_variable cv_;
  uint64_t height_;                                                         // GUARDED_BY(mu_)
  bool shutdown_ = false;                                                   // GUARDED_BY(mu_)
  std::multimap<Bytes, std::pair<std::shared_ptr<Waiter>, size_t>> by_id_;  // GUARDED_BY(mu_)
};

}  // namespace shipledger::rpc
