// Micro-benchmarks of one event on the hot path (DESIGN §10): signing it as the CLI does, and
// verifying it with the function admission uses, on one core and on all cores.
#include <benchmark/benchmark.h>

#include <algorithm>
#include <atomic>
#include <string>
#include <thread>
#include <vector>

#include "bench_fixture.h"
#include "shipledger/check.h"

namespace shipledger::bench {
namespace {

// Handover is the journey's only co-signed step.
constexpr int kHandoverStep = 4;
constexpr int kLoadedStep = 5;

// `count` distinct signed events of one step (distinct shipments).
std::vector<v1::SignedEvent> EventsOfStep(const BenchNetwork& net, int step, int count) {
  std::vector<v1::SignedEvent> out;
  for (int i = 0; i < count; ++i) {
    out.push_back(net.Sign(net.JourneyEvent("SHP-V-" + std::to_string(i), step, kJourneyEvents)));
  }
  return out;
}

int StepFor(const benchmark::State& state) {
  return state.range(0) == 0 ? kLoadedStep : kHandoverStep;
}

void SetSizeCounters(benchmark::State& state, const v1::SignedEvent& se) {
  state.counters["event_bytes"] = static_cast<double>(se.event().size());
  state.counters["envelope_bytes"] = static_cast<double>(se.ByteSizeLong());
}

// One iteration: cli::SignEvent of one filled event (the `loaded` step, or with cosigners:1 the
// `handover` step), as `shipledger event submit` signs it: serialize the Event, ECDSA-sign
// "shipledger/event/v1" ‖ bytes with the signer's key; for the handover also the event id and
// the receiver's co-signature over "shipledger/cosign/v1" ‖ id. Building and filling the event
// (flags, nonce) is not timed.
void BM_SignEvent(benchmark::State& state) {
  const BenchNetwork net;
  const v1::Event event = net.JourneyEvent("SHP-S-1", StepFor(state), kJourneyEvents);
  for (auto _ : state) benchmark::DoNotOptimize(net.Sign(event));
  SetSizeCounters(state, net.Sign(event));
}
BENCHMARK(BM_SignEvent)->ArgName("cosigners")->Arg(0)->Arg(1);

// One iteration: model::EventValidator::Validate of one signed event with admission's options
// (rpc/ SubmitEvents): size checks, parse, field checks, signer certificate by SHA-256
// fingerprint (its chain check is cached; every certificate was chain-checked once before
// timing, as a running node has them), ONE ECDSA P-256 verification (two for the co-signed
// handover), role and clock checks, event id and leaf hash. The validator keeps no verified set
// (the consensus gate's VerifiedSet sits in front of it), and the events cycle through 256
// distinct pre-signed envelopes, so every iteration really verifies.
void BM_VerifyEvent(benchmark::State& state) {
  const BenchNetwork net;
  const std::vector<v1::SignedEvent> events = EventsOfStep(net, StepFor(state), 256);
  const model::EventValidator validator(net.genesis());
  const model::ValidateOptions options = net.AdmissionOptions();
  SHIPLEDGER_CHECK(validator.Validate(events[0], options).ok());  // caches the certificates
  size_t next = 0;
  for (auto _ : state) {
    auto admitted = validator.Validate(events[next], options);
    SHIPLEDGER_CHECK(admitted.ok());
    benchmark::DoNotOptimize(admitted);
    next = (next + 1) % events.size();
  }
  SetSizeCounters(state, events[0]);
}
BENCHMARK(BM_VerifyEvent)->ArgName("cosigners")->Arg(0)->Arg(1);

// One iteration: `events` distinct pre-signed events (whole 12-event journeys: one in 12 is a
// co-signed handover) verified with EventValidator::Validate, as in BM_VerifyEvent, by `threads`
// threads (0: std::thread::hardware_concurrency(), the node's "all cores"; 1: the single-thread
// reference) sharing one validator as the node shares one, each taking the next unverified event
// from a shared counter. The threads are started and joined inside the iteration (~0.1 ms, small
// against a batch). Items = events verified.
void BM_VerifyBatch(benchmark::State& state) {
  const BenchNetwork net;
  JourneyStream stream(net, {.prefix = "SHP-B", .in_flight = 200});
  const std::vector<v1::SignedEvent> events = stream.Next(static_cast<size_t>(state.range(0)));
  const model::EventValidator validator(net.genesis());
  const model::ValidateOptions options = net.AdmissionOptions();
  for (const auto& se : events) SHIPLEDGER_CHECK(validator.Validate(se, options).ok());
  const auto threads = state.range(1) > 0 ? static_cast<unsigned>(state.range(1))
                                          : std::max(1u, std::thread::hardware_concurrency());
  for (auto _ : state) {
    std::atomic<size_t> next{0};
    std::atomic<size_t> failed{0};
    std::vector<std::thread> pool;
    for (unsigned t = 0; t < threads; ++t) {
      pool.emplace_back([&] {
        for (size_t i = next++; i < events.size(); i = next++) {
          if (!validator.Validate(events[i], options).ok()) ++failed;
        }
      });
    }
    for (auto& thread : pool) thread.join();
    SHIPLEDGER_CHECK(failed == 0);
  }
  state.SetItemsProcessed(state.iterations() * state.range(0));
  state.counters["threads_used"] = threads;
}
BENCHMARK(BM_VerifyBatch)
    ->ArgNames({"events", "threads"})
    ->Args({2000, 0})
    ->Args({2000, 1})
    ->UseRealTime()
    ->Unit(benchmark::kMillisecond);

}  // namespace
}  // namespace shipledger::bench
