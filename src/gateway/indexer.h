// Indexer: follows the node's Watch stream (parties_only: the gateway answers for its party's
// shipments only) from where the EventIndex left off, and adds every event to it. It reconnects
// with back-off when the stream ends (node restarting, eviction), resuming at the height the
// index recorded, which re-reads at most one block (entries already indexed are skipped).
// Thread-safety: Start/Stop from the owning thread; the accessors from any thread.
#pragma once

#include <atomic>
#include <condition_variable>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <thread>

#include "cli/client.h"
#include "gateway/event_index.h"

namespace shipledger::gateway {

class Indexer {
 public:
  // `connect` makes a client of the node (a new one after a failure). `on_entry`, when set,
  // hears of every entry after it is indexed (subscriptions).
  Indexer(EventIndex& index, std::function<Result<std::unique_ptr<cli::NodeClient>>()> connect,
          std::function<void(const v1::WatchResponse&)> on_entry = {});
  ~Indexer();  // Stop()

  void Start();
  void Stop();

  // The height of the last entry indexed.
  uint64_t height() const { return height_.load(); }
  bool connected() const { return connected_.load(); }
  std::string last_error() const;

  // Waits until the ledger event with this id is in the index (indexed, or seen and left out)
  // or `timeout_ms` passed; whether it is.
  bool WaitForLedgerEvent(const std::string& ledger_event_id, int64_t timeout_ms);

 private:
  void Run();

  EventIndex& index_;
  const std::function<Result<std::unique_ptr<cli::NodeClient>>()> connect_;
  const std::function<void(const v1::WatchResponse&)> on_entry_;
  std::atomic<uint64_t> height_{0};
  std::atomic<bool> connected_{false};
  mutable std::mutex mu_;
  std::condition_variable cv_;
  bool stopping_ = false;                  // guarded by mu_
  grpc::ClientContext* stream_ = nullptr;  // guarded by mu_: the open stream, to cancel
  std::string last_error_;                 // guarded by mu_
  std::thread thread_;
};

}  // namespace shipledger::gateway
