// StallWatchdog: drops Watch subscribers that stopped reading (DESIGN §10: a slow reader is
// dropped, never waited for). A stream marks each Write; when one stays blocked — the client's
// flow-control window is full because it does not read — longer than the limit, the watchdog
// cancels that call, the Write returns false and the stream's thread and slot are freed.
// Thread-safety: all methods are thread-safe; one background thread.
#pragma once

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <map>
#include <memory>
#include <mutex>
#include <thread>

namespace grpc {
class ServerContext;
}

namespace shipledger::rpc {

class StallWatchdog {
 public:
  explicit StallWatchdog(std::chrono::milliseconds limit);
  ~StallWatchdog();
  StallWatchdog(const StallWatchdog&) = delete;
  StallWatchdog& operator=(const StallWatchdog&) = delete;

  // Brackets one Write of a registered stream. Unregisters on destruction.
  class Stream {
   public:
    ~Stream();
    void BeginWrite();
    void EndWrite();
    // True if the watchdog cancelled this stream.
    bool dropped() const;

   private:
    friend class StallWatchdog;
    Stream(StallWatchdog* owner, grpc::ServerContext* ctx) : owner_(owner), ctx_(ctx) {}
    StallWatchdog* owner_;
    grpc::ServerContext* ctx_;
  };

  // REQUIRES: `ctx` outlives the returned Stream.
  std::unique_ptr<Stream> Register(grpc::ServerContext* ctx);
  uint64_t dropped_total() const { return dropped_total_.load(); }

 private:
  using Clock = std::chrono::steady_clock;
  struct State {
    Clock::time_point write_started;  // time_point{} when not writing
    bool dropped = false;
  };
  void Run();

  const std::chrono::milliseconds limit_;
  mutable std::mutex mu_;
  std::condition_variable cv_;
  bool stop_ = false;                              // GUARDED_BY(mu_)
  std::map<grpc::ServerContext*, State> streams_;  // GUARDED_BY(mu_)
  std::atomic<uint64_t> dropped_total_{0};
  std::thread thread_;
};

}  // namespace shipledger::rpc
