// Micro-benchmarks of the RocksDB store (DESIGN §7): committing a 500-event block with a synced
// WAL, and the shipment history query behind GetShipment on a store of many events.
#include <benchmark/benchmark.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <memory>
#include <string>
#include <vector>

#include "bench_fixture.h"
#include "rpc/timeline.h"
#include "shipledger/v1/ledger.pb.h"
#include "testing/temp_dir.h"

namespace shipledger::bench {
namespace {

using Clock = std::chrono::steady_clock;

// One iteration: storage::Store::CommitBlock of the next 500-event block (whole journeys in
// flight; one event in 12 co-signed) on a store opened with the node's default options (synced
// WAL): one WriteBatch holding the block header and certificate, 500 events, the event index,
// the shipment index, 500 receipts, the shipment states the block changes and the results
// record, written with sync = true. The store grows by one block per iteration. Signing, ordering
// and executing the block (contracts::ExecuteBlock) happen with the timer paused.
// Items = events committed; blocks/s is the iteration rate.
void BM_CommitBlock(benchmark::State& state) {
  const BenchNetwork net;
  const testing::TempDir dir("shipledger-bench-commit");
  const auto store = Must(storage::Store::Open(dir.path(), *net.genesis()));
  JourneyStream stream(net, {.prefix = "SHP-C"});
  ExecutedBlock block;
  for (auto _ : state) {
    state.PauseTiming();
    block = ExecuteNextBlock(net, *store, stream.Next(kBlockEvents));
    state.ResumeTiming();
    Commit(*store, block);
  }
  state.SetItemsProcessed(state.iterations() * kBlockEvents);
  state.counters["blocks/s"] =
      benchmark::Counter(static_cast<double>(state.iterations()), benchmark::Counter::kIsRate);
}
BENCHMARK(BM_CommitBlock)->UseRealTime()->Unit(benchmark::kMillisecond);

constexpr int kLongShipments = 8;

// Events in the history store: SHIPLEDGER_BENCH_HISTORY_EVENTS, default 100,000.
uint64_t HistoryEvents() {
  const char* env = std::getenv("SHIPLEDGER_BENCH_HISTORY_EVENTS");
  if (env == nullptr || *env == '\0') return 100'000;
  char* end = nullptr;
  const uint64_t events = std::strtoull(env, &end, 10);
  SHIPLEDGER_CHECK_MSG(*end == '\0' && events >= uint64_t{kLongShipments} * kLongJourneyEvents,
                       "SHIPLEDGER_BENCH_HISTORY_EVENTS must be a number of events >= 800");
  return events;
}

// A store holding HistoryEvents() events in 500-event blocks: 12-event journeys, 500 under way
// at once, and kLongShipments journeys of exactly 100 events whose events are spread evenly over
// the whole history (one of them every HistoryEvents()/800 events). Filled once per process
// with sync_writes = false, then reopened with the node's default options.
class History {
 public:
  static const History& Get() {
    static const std::unique_ptr<History> history(new History(HistoryEvents()));
    return *history;
  }

  const storage::Store& store() const { return *store_; }
  const std::string& long_shipment(size_t i) const { return long_shipments_[i]; }
  uint64_t events() const { return events_; }
  double prefill_s() const { return prefill_s_; }

 private:
  explicit History(uint64_t events) : dir_("shipledger-bench-history"), events_(events) {
    const auto start = Clock::now();
    JourneyStream stream(net_, {.prefix = "SHP-H",
                                .long_shipments = kLongShipments,
                                .long_every = events / (kLongShipments * kLongJourneyEvents)});
    {
      storage::StoreOptions fill;
      fill.sync_writes = false;
      const auto store = Must(storage::Store::Open(dir_.path(), *net_.genesis(), fill));
      for (uint64_t done = 0; done < events;) {
        const size_t n = static_cast<size_t>(std::min<uint64_t>(kBlockEvents, events - done));
        CommitNextBlock(net_, *store, stream.Next(n));
        done += n;
      }
    }
    store_ = Must(storage::Store::Open(dir_.path(), *net_.genesis()));
    prefill_s_ = std::chrono::duration<double>(Clock::now() - start).count();
    std::fprintf(stderr, "history store: %llu events in %llu blocks, filled in %.1f s\n",
                 static_cast<unsigned long long>(events),
                 static_cast<unsigned long long>(store_->head().height), prefill_s_);
    for (int j = 0; j < kLongShipments; ++j) {
      long_shipments_.push_back(stream.LongShipment(j));
      const auto ids = Must(store_->GetShipmentEventIds(long_shipments_.back()));
      SHIPLEDGER_CHECK(ids.size() == kLongJourneyEvents);
    }
  }

  BenchNetwork net_;
  testing::TempDir dir_;                   // outlives store_
  std::unique_ptr<storage::Store> store_;  // the node's default options
  std::vector<std::string> long_shipments_;
  uint64_t events_;
  double prefill_s_ = 0;
};

// GetShipment's store work (rpc::LedgerService::GetShipment without gRPC), into a response in
// an arena with the node's block sizes.
void GetShipment(const storage::Store& store, const std::string& shipment_id) {
  google::protobuf::Arena arena(rpc::TimelineArenaOptions());
  auto& resp = *google::protobuf::Arena::CreateMessage<v1::GetShipmentResponse>(&arena);
  auto state = store.ReadShipmentState(shipment_id);
  SHIPLEDGER_CHECK(state.ok() && state->has_value());
  *resp.mutable_state() = std::move(**state);
  const Status timeline = rpc::AppendTimeline(store, shipment_id, resp.mutable_timeline());
  SHIPLEDGER_CHECK_MSG(timeline.ok(), timeline.ToString().c_str());
  SHIPLEDGER_CHECK(resp.timeline_size() == kLongJourneyEvents);
}

// One iteration: GetShipment's store work for one 100-event shipment into a fresh response in
// an arena, as the node builds it: Store::ReadShipmentState, then rpc::AppendTimeline — event ids
// and locations by a prefix scan of shipment_events, then one batched read each of the block
// times (every event of these shipments is in a different block), the receipts and the events
// (envelopes read in place; only the event is parsed, into the response). The kLongShipments
// shipments are queried in turn, each once before timing:
// warm caches (RocksDB block cache 64 MiB, OS page cache). Latencies of single iterations are
// timed too: p50_us, p99_us (nearest rank) and max_us of this run's `samples`.
void BM_ShipmentHistory(benchmark::State& state) {
  const History& history = History::Get();
  for (size_t j = 0; j < kLongShipments; ++j)
    GetShipment(history.store(), history.long_shipment(j));
  std::vector<double> latencies_us;
  size_t next = 0;
  for (auto _ : state) {
    const auto start = Clock::now();
    GetShipment(history.store(), history.long_shipment(next));
    latencies_us.push_back(std::chrono::duration<double, std::micro>(Clock::now() - start).count());
    next = (next + 1) % kLongShipments;
  }
  std::sort(latencies_us.begin(), latencies_us.end());
  const auto rank = [&](double q) {
    const auto i = static_cast<size_t>(std::ceil(q * static_cast<double>(latencies_us.size())));
    return latencies_us[std::max<size_t>(i, 1) - 1];
  };
  state.counters["p50_us"] = rank(0.50);
  state.counters["p99_us"] = rank(0.99);
  state.counters["max_us"] = latencies_us.back();
  state.counters["samples"] = static_cast<double>(latencies_us.size());
  state.counters["history_events"] = static_cast<double>(history.events());
  state.counters["prefill_s"] = history.prefill_s();
}
BENCHMARK(BM_ShipmentHistory)->UseRealTime()->Unit(benchmark::kMicrosecond);

}  // namespace
}  // namespace shipledger::bench
