#include "rpc/stall_watchdog.h"

#include <grpcpp/server_context.h>
#include <spdlog/spdlog.h>

#include <algorithm>

#include "shipledger/log.h"
#include "shipledger/thread_name.h"

namespace shipledger::rpc {

using enum LogComponent;

StallWatchdog::StallWatchdog(std::chrono::milliseconds limit) : limit_(limit) {
  thread_ = std::thread([this] {
    SetThreadName("sl-watchdog");
    Run();
  });
}

StallWatchdog::~StallWatchdog() {
  {
    std::lock_guard<std::mutex> lock(mu_);
    stop_ = true;
  }
  cv_.notify_all();
  thread_.join();
}

std::unique_ptr<StallWatchdog::Stream> StallWatchdog::Register(grpc::ServerContext* ctx) {
  std::lock_guard<std::mutex> lock(mu_);
  streams_[ctx] = State{};
  return std::unique_ptr<Stream>(new Stream(this, ctx));
}

StallWatchdog::Stream::~Stream() {
  std::lock_guard<std::mutex> lock(owner_->mu_);
  owner_->streams_.erase(ctx_);
}

void StallWatchdog::Stream::BeginWrite() {
  std::lock_guard<std::mutex> lock(owner_->mu_);
  owner_->streams_[ctx_].write_started = Clock::now();
}

void StallWatchdog::Stream::EndWrite() {
  std::lock_guard<std::mutex> lock(owner_->mu_);
  owner_->streams_[ctx_].write_started = Clock::time_point{};
}

bool StallWatchdog::Stream::dropped() const {
  std::lock_guard<std::mutex> lock(owner_->mu_);
  auto it = owner_->streams_.find(ctx_);
  return it != owner_->streams_.end() && it->second.dropped;
}

void StallWatchdog::Run() {
  const auto period = std::max(std::chrono::milliseconds(10), limit_ / 4);
  std::unique_lock<std::mutex> lock(mu_);
  while (!stop_) {
    cv_.wait_for(lock, period, [this] { return stop_; });
    const auto now = Clock::now();
    for (auto& [ctx, state] : streams_) {
      if (state.dropped || state.write_started == Clock::time_point{}) continue;
      if (now - state.write_started < limit_) continue;
      // Under mu_: the stream is registered, so its call (and ctx) is still alive.
      state.dropped = true;
      Log(kRpc).warn("dropping a Watch subscriber at {}: not reading for {} ms", ctx->peer(),
                     limit_.count());
      ctx->TryCancel();
      dropped_total_.fetch_add(1);
    }
  }
}

}  // namespace shipledger::rpc
