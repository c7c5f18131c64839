#include "loadgen/runner.h"

#include <grpcpp/grpcpp.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <mutex>
#include <thread>

#include "shipledger/status.h"
#include "shipledger/v1/ledger.grpc.pb.h"

namespace shipledger::loadgen {

namespace {

using SteadyClock = std::chrono::steady_clock;

constexpr int kMaxAttempts = 200;
constexpr auto kRetryPause = std::chrono::milliseconds(20);

struct Tally {
  uint64_t submitted = 0, valid = 0, rejected = 0, failed = 0, retries = 0;
  std::vector<double> latency_ms;
  std::string first_failure;
  std::string first_retry;

  void Retry(uint64_t n, const std::string& why) {
    retries += n;
    if (first_retry.empty()) first_retry = why;
  }

  void Fail(uint64_t n, const std::string& why) {
    failed += n;
    submitted += n;
    if (first_failure.empty()) first_failure = why;
  }
};

// One client: its own channel and connection, as separate client processes would have; sharing
// one HTTP/2 connection would measure that connection instead.
class Client {
 public:
  Client(const std::string& target, std::shared_ptr<grpc::ChannelCredentials> credentials)
      : stub_(v1::LedgerService::NewStub(OwnChannel(target, std::move(credentials)))) {}

  Result<v1::SubmitEventsResponse> SubmitEvents(const v1::SubmitEventsRequest& request) {
    grpc::ClientContext context;
    context.set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(65));
    v1::SubmitEventsResponse response;
    const grpc::Status s = stub_->SubmitEvents(&context, request, &response);
    if (!s.ok()) return Status(static_cast<Code>(s.error_code()), s.error_message());
    return response;
  }

 private:
  std::unique_ptr<v1::LedgerService::Stub> stub_;
};

bool Retryable(int32_t code) {
  return code == static_cast<int32_t>(Code::kResourceExhausted) ||
         code == static_cast<int32_t>(Code::kUnavailable);
}

// Submits `request` until every event has a receipt or a final error; latency counts from
// `since`.
void Submit(Client& client, v1::SubmitEventsRequest request, SteadyClock::time_point since,
            Tally& tally) {
  for (int attempt = 0; request.events_size() > 0; ++attempt) {
    if (attempt == kMaxAttempts) {
      tally.Fail(static_cast<uint64_t>(request.events_size()),
                 "still refused after " + std::to_string(kMaxAttempts) + " attempts");
      return;
    }
    if (attempt > 0) std::this_thread::sleep_for(kRetryPause);
    auto response = client.SubmitEvents(request);
    const double ms = std::chrono::duration<double, std::milli>(SteadyClock::now() - since).count();
    if (!response.ok()) {
      if (Retryable(static_cast<int32_t>(response.status().code()))) {
        tally.Retry(static_cast<uint64_t>(request.events_size()), response.status().ToString());
        continue;
      }
      tally.Fail(static_cast<uint64_t>(request.events_size()), response.status().ToString());
      return;
    }
    v1::SubmitEventsRequest again;
    again.set_wait_for_commit(true);
    for (int i = 0; i < response->results_size() && i < request.events_size(); ++i) {
      const v1::SubmitResult& r = response->results(i);
      if (r.receipt().event_id().size() == 32) {
        ++tally.submitted;
        (r.receipt().code() == v1::RESULT_CODE_VALID ? tally.valid : tally.rejected)++;
        tally.latency_ms.push_back(ms);
        if (r.receipt().code() != v1::RESULT_CODE_VALID && tally.first_failure.empty()) {
          tally.first_failure = "rejected: " + r.receipt().reason();
        }
      } else if (Retryable(r.code())) {
        tally.Retry(1, r.message());
        *again.add_events() = request.events(i);
      } else {
        tally.Fail(1, r.message().empty() ? "code " + std::to_string(r.code()) : r.message());
      }
    }
    request = std::move(again);
  }
}

}  // namespace

std::shared_ptr<grpc::Channel> OwnChannel(const std::string& target,
                                          std::shared_ptr<grpc::ChannelCredentials> credentials) {
  grpc::ChannelArguments args;
  args.SetInt(GRPC_ARG_USE_LOCAL_SUBCHANNEL_POOL, 1);
  args.SetInt(GRPC_ARG_INITIAL_RECONNECT_BACKOFF_MS, 10);
  args.SetInt(GRPC_ARG_MIN_RECONNECT_BACKOFF_MS, 10);
  args.SetInt(GRPC_ARG_MAX_RECONNECT_BACKOFF_MS, 100);
  args.SetMaxReceiveMessageSize(64 << 20);
  return grpc::CreateCustomChannel(target, std::move(credentials), args);
}

RunResult Run(std::vector<std::vector<v1::SignedEvent>> journeys, const RunOptions& options) {
  const size_t batch = static_cast<size_t>(std::max(1, options.batch));
  const size_t chunks = (journeys.size() + batch - 1) / batch;
  std::atomic<size_t> next_chunk{0};
  std::atomic<uint64_t> next_ticket{0};
  std::atomic<uint64_t> finished{0};
  uint64_t total_events = 0;
  for (const auto& journey : journeys) total_events += journey.size();
  std::mutex mu;
  Tally total;
  const auto start = SteadyClock::now();
  auto last_done = start;

  auto client_main = [&](int c) {
    Client client(options.nodes[static_cast<size_t>(c) % options.nodes.size()],
                  options.credentials);
    Tally tally;
    for (size_t chunk = next_chunk++; chunk < chunks; chunk = next_chunk++) {
      const size_t first = chunk * batch;
      const size_t last = std::min(journeys.size(), first + batch);
      size_t steps = 0;
      for (size_t s = first; s < last; ++s) steps = std::max(steps, journeys[s].size());
      for (size_t k = 0; k < steps; ++k) {
        v1::SubmitEventsRequest request;
        request.set_wait_for_commit(true);
        for (size_t s = first; s < last; ++s) {
          if (k < journeys[s].size()) *request.add_events() = std::move(journeys[s][k]);
        }
        auto since = SteadyClock::now();
        if (options.rate > 0) {
          const double at =
              static_cast<double>(next_ticket++) * static_cast<double>(batch) / options.rate;
          since = start + std::chrono::duration_cast<SteadyClock::duration>(
                              std::chrono::duration<double>(at));
          std::this_thread::sleep_until(since);
        }
        const auto events = static_cast<uint64_t>(request.events_size());
        Submit(client, std::move(request), since, tally);
        finished += events;
      }
    }
    std::lock_guard<std::mutex> lock(mu);
    total.submitted += tally.submitted;
    total.valid += tally.valid;
    total.rejected += tally.rejected;
    total.failed += tally.failed;
    total.retries += tally.retries;
    total.latency_ms.insert(total.latency_ms.end(), tally.latency_ms.begin(),
                            tally.latency_ms.end());
    if (total.first_failure.empty()) total.first_failure = tally.first_failure;
    if (total.first_retry.empty()) total.first_retry = tally.first_retry;
    last_done = std::max(last_done, SteadyClock::now());
  };
  std::vector<std::thread> threads;
  for (int c = 0; c < std::max(1, options.clients); ++c) threads.emplace_back(client_main, c);
  std::thread ticker;
  std::atomic<bool> running{true};
  if (options.on_progress) {
    ticker = std::thread([&] {
      while (running) {
        options.on_progress(finished.load(), total_events);
        std::this_thread::sleep_for(std::chrono::milliseconds(200));
      }
    });
  }
  for (std::thread& t : threads) t.join();
  running = false;
  if (ticker.joinable()) ticker.join();

  RunResult result;
  result.seconds = std::chrono::duration<double>(last_done - start).count();
  result.submitted = total.submitted;
  result.valid = total.valid;
  result.rejected = total.rejected;
  result.failed = total.failed;
  result.retries = total.retries;
  result.first_failure = total.first_failure;
  result.first_retry = total.first_retry;
  result.latency_ms = std::move(total.latency_ms);
  std::sort(result.latency_ms.begin(), result.latency_ms.end());
  return result;
}

}  // namespace shipledger::loadgen
