// Micro-benchmarks of the EPCIS/DCSA gateway's index (issue 22; docs/gateway.md, "The index"):
// what indexing an event costs, and what a query of 100 events costs with 1,000,000 events
// stored (GATEWAY_BENCH_EVENTS to change it). The stored events are 10,000 shipments of 100
// events each (pickup to delivery with inspections and readings between), every event naming
// its shipment's container, in commit order. The index is built once per process, in a temporary
// folder, through EventIndex::Add exactly as the Indexer adds Watch entries.
#include <benchmark/benchmark.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>

#include "gateway/event_index.h"
#include "interop/epcis_hash.h"
#include "testing/ledger_samples.h"

namespace shipledger::bench {
namespace {

namespace pb = google::protobuf;
using T = v1::EventType;

constexpr int kPerShipment = 100;
constexpr int64_t kStart = interop::testing::kT0;

std::string Container(int shipment) {
  char text[16];
  std::snprintf(text, sizeof text, "BENU%07d", shipment);
  return text;
}

// Event `n` (0-based) of shipment `s`: a journey's types in order, readings in between.
v1::WatchResponse EventOf(int s, int n, uint64_t height) {
  static const T kCycle[] = {T::EVENT_TYPE_LOADED,     T::EVENT_TYPE_DEPARTED,
                             T::EVENT_TYPE_ARRIVED,    T::EVENT_TYPE_DISCHARGED,
                             T::EVENT_TYPE_INSPECTION, T::EVENT_TYPE_SENSOR_READINGS};
  const T type = n == 0 ? T::EVENT_TYPE_PICKUP : kCycle[(n - 1) % 6];
  v1::Event e = interop::testing::NewEvent(type, "Carrier", 0, n % 2 == 0 ? "DEHAM" : "CNSHA");
  e.set_shipment_id("S-" + std::to_string(s));
  e.set_occurred_at_ms(kStart + (static_cast<int64_t>(s) * kPerShipment + n) * 1000);
  e.set_nonce(std::to_string(s) + "/" + std::to_string(n));
  interop::testing::AddRef(&e, "container", Container(s));
  interop::testing::AddDetail(&e, "mode_of_transport", "VESSEL");
  if (type == T::EVENT_TYPE_SENSOR_READINGS) {
    auto* r = e.add_readings();
    r->set_time_ms(e.occurred_at_ms());
    r->set_value_milli(4000 + n);
    r->set_unit("C");
    r->set_device_id("probe-" + std::to_string(s));
  }
  v1::WatchResponse w;
  w.set_height(height);
  w.set_block_time_ms(e.occurred_at_ms() + 500);
  auto* entry = w.mutable_entry();
  entry->set_event_id(std::to_string(s) + ":" + std::to_string(n));
  entry->set_height(height);
  entry->set_block_time_ms(w.block_time_ms());
  entry->mutable_receipt()->set_code(v1::RESULT_CODE_VALID);
  *entry->mutable_event() = std::move(e);
  return w;
}

struct Filled {
  std::string dir;
  std::unique_ptr<gateway::EventIndex> index;
  int shipments = 0;
};

// The index of GATEWAY_BENCH_EVENTS events (default 1,000,000), built once.
Filled& Index() {
  static Filled filled = [] {
    Filled f;
    const char* env = std::getenv("GATEWAY_BENCH_EVENTS");
    const int events = env != nullptr ? std::atoi(env) : 1'000'000;
    f.shipments = std::max(1, events / kPerShipment);
    f.dir = (std::filesystem::temp_directory_path() /
             ("shipledger-gateway-bench-" + std::to_string(::getpid())))
                .string();
    f.index = std::move(gateway::EventIndex::Open(f.dir).value());
    const auto start = std::chrono::steady_clock::now();
    uint64_t height = 1;
    for (int s = 0; s < f.shipments; ++s) {
      for (int n = 0; n < kPerShipment; ++n) {
        (void)f.index->Add(EventOf(s, n, height));
        if ((s * kPerShipment + n) % 500 == 499) ++height;  // 500 events a block
      }
    }
    const double seconds =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    std::fprintf(stderr, "gateway index: %llu EPCIS and %llu DCSA events stored in %.1f s\n",
                 static_cast<unsigned long long>(f.index->Count()),
                 static_cast<unsigned long long>(f.index->DcsaHead()), seconds);
    std::atexit([] { std::filesystem::remove_all(Index().dir); });
    return f;
  }();
  return filled;
}

// One iteration: EventIndex::Add of one Watch entry (EPCIS form, event hash ID, DCSA form,
// every index entry, one RocksDB write), into an index of its own.
void BM_GatewayIndexAdd(benchmark::State& state) {
  const std::string dir = (std::filesystem::temp_directory_path() /
                           ("shipledger-gateway-add-" + std::to_string(::getpid())))
                              .string();
  auto index = std::move(gateway::EventIndex::Open(dir).value());
  int i = 0;
  for (auto _ : state) {
    state.PauseTiming();
    const v1::WatchResponse w = EventOf(i / kPerShipment, i % kPerShipment, 1 + i / 500);
    state.ResumeTiming();
    benchmark::DoNotOptimize(index->Add(w));
    ++i;
  }
  state.SetItemsProcessed(state.iterations());
  index.reset();
  std::filesystem::remove_all(dir);
}
BENCHMARK(BM_GatewayIndexAdd)->Unit(benchmark::kMicrosecond);

// Runs `query` for shipment after shipment (so that no one answer stays cached), checking the
// page holds `want` events.
template <class Query, class Run>
void QueryLoop(benchmark::State& state, Query query, size_t want, Run run) {
  Filled& f = Index();
  int s = 0;
  for (auto _ : state) {
    s = (s * 7919 + 13) % f.shipments;
    auto page = run(*f.index, query, s);
    if (!page.ok() || page->events.size() != want) {
      state.SkipWithError("the query did not answer as expected");
      break;
    }
    benchmark::DoNotOptimize(page);
  }
  state.SetItemsProcessed(state.iterations() * static_cast<int64_t>(want));
  state.counters["stored"] = static_cast<double>(f.index->Count());
}

// GET /events?MATCH_epc=urn:epc:id:bic:<container>&perPage=100: a shipment's 100 events.
void BM_GatewayQueryByContainer(benchmark::State& state) {
  QueryLoop(state, gateway::EventQuery{}, kPerShipment,
            [](gateway::EventIndex& index, gateway::EventQuery q, int s) {
              q.epcs = {"urn:epc:id:bic:" + Container(s)};
              return index.Query(q);
            });
}
BENCHMARK(BM_GatewayQueryByContainer)->Unit(benchmark::kMicrosecond);

// GET /events?EQ_bizStep=departing&perPage=100&nextPageToken=<deep>: a page of 100 from
// the middle of ~170,000 departures.
void BM_GatewayQueryByBizStepDeepPage(benchmark::State& state) {
  QueryLoop(state, gateway::EventQuery{}, 100,
            [](gateway::EventIndex& index, gateway::EventQuery q, int s) {
              q.biz_steps = {"https://ref.gs1.org/cbv/BizStep-departing"};
              q.after = static_cast<uint64_t>(s / 2) * kPerShipment;
              return index.Query(q);
            });
}
BENCHMARK(BM_GatewayQueryByBizStepDeepPage)->Unit(benchmark::kMicrosecond);

// GET /events?GE_eventTime=…&LT_eventTime=…&perPage=100, no indexed parameter: the scan walks
// the events in commit order from the start until it has 100 (a window of one shipment).
// eventTime from the last shipment's first event to after its last: its 100 events.
gateway::EventQuery LastShipmentsWindow() {
  const int last = Index().shipments - 1;
  gateway::EventQuery q;
  q.ge_event_time_ms = kStart + static_cast<int64_t>(last) * kPerShipment * 1000;
  q.lt_event_time_ms = *q.ge_event_time_ms + kPerShipment * 1000;
  return q;
}

void BM_GatewayQueryTimeWindowScan(benchmark::State& state) {
  gateway::EventQuery q = LastShipmentsWindow();
  // A page token 1,000 events before the window.
  q.after = static_cast<uint64_t>(Index().shipments - 1) * kPerShipment - 1000;
  QueryLoop(state, q, kPerShipment,
            [](gateway::EventIndex& index, const gateway::EventQuery& query, int) {
              return index.Query(query);
            });
}
BENCHMARK(BM_GatewayQueryTimeWindowScan)->Unit(benchmark::kMicrosecond);

// The same window without a page token: the scan reads its cap of 200,000 stored events and
// answers an empty page with a token to go on (the worst a query costs).
void BM_GatewayQueryUnindexedScanCap(benchmark::State& state) {
  const gateway::EventQuery q = LastShipmentsWindow();
  const size_t want = Index().index->Count() > 200'000 ? 0 : kPerShipment;
  QueryLoop(state, q, want, [](gateway::EventIndex& index, const gateway::EventQuery& query, int) {
    return index.Query(query);
  });
}
BENCHMARK(BM_GatewayQueryUnindexedScanCap)->Unit(benchmark::kMillisecond);

// GET /v2/events?equipmentReference=<container>: a shipment's DCSA equipment events (pickup,
// and each loading, discharge and inspection: transport events name no equipment).
void BM_GatewayDcsaByEquipment(benchmark::State& state) {
  QueryLoop(state, gateway::DcsaQuery{}, 50,
            [](gateway::EventIndex& index, gateway::DcsaQuery q, int s) {
              q.equipment = Container(s);
              return index.QueryDcsa(q);
            });
}
BENCHMARK(BM_GatewayDcsaByEquipment)->Unit(benchmark::kMicrosecond);

}  // namespace
}  // namespace shipledger::bench
