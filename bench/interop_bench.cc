// Micro-benchmarks of the GS1 EPCIS 2.0 / DCSA mapping (issue 22; docs/interop.md): what export
// and import cost per event, before any network or disk. The shipment is testing::SampleJourney
// (every event type) repeated to about 100 events, as GetShipment returns it.
#include <benchmark/benchmark.h>

#include "interop/dcsa_export.h"
#include "interop/epcis_export.h"
#include "interop/epcis_import.h"
#include "testing/ledger_samples.h"

namespace shipledger::bench {
namespace {

namespace pb = google::protobuf;
namespace samples = interop::testing;

// SampleJourney's timeline `copies` times, each copy's events with ids and nonces of their own.
v1::GetShipmentResponse LongJourney(int copies) {
  const v1::GetShipmentResponse one = samples::SampleJourney();
  v1::GetShipmentResponse out = one;
  out.clear_timeline();
  for (int c = 0; c < copies; ++c) {
    for (const auto& entry : one.timeline()) {
      v1::TimelineEntry copy = entry;
      copy.mutable_event_id()->back() = static_cast<char>(c);
      copy.mutable_event_id()->front() = static_cast<char>(entry.event_id().back());
      copy.mutable_event()->mutable_nonce()->front() = static_cast<char>(c);
      *out.add_timeline() = std::move(copy);
    }
  }
  return out;
}

// One iteration: interop::ExportEpcis of a ~100-event shipment (mapping, one event hash ID per
// event, the header's records).
void BM_ExportEpcis(benchmark::State& state) {
  const v1::GetShipmentResponse shipment = LongJourney(4);
  for (auto _ : state) {
    auto out =
        interop::ExportEpcis(shipment, {.creation_time_ms = samples::kT0, .private_values = {}});
    benchmark::DoNotOptimize(out);
  }
  state.SetItemsProcessed(state.iterations() * shipment.timeline_size());
}
BENCHMARK(BM_ExportEpcis)->Unit(benchmark::kMicrosecond);

void BM_ExportDcsa(benchmark::State& state) {
  const v1::GetShipmentResponse shipment = LongJourney(4);
  for (auto _ : state) {
    auto out = interop::ExportDcsa(shipment);
    benchmark::DoNotOptimize(out);
  }
  state.SetItemsProcessed(state.iterations() * shipment.timeline_size());
}
BENCHMARK(BM_ExportDcsa)->Unit(benchmark::kMicrosecond);

// One iteration: the event hash ID of every event of the exported document.
void BM_EventHashId(benchmark::State& state) {
  auto doc = interop::ExportEpcis(LongJourney(4),
                                  {.creation_time_ms = samples::kT0, .private_values = {}});
  const auto& list = doc->document.fields().at("epcisBody").struct_value().fields().at("eventList");
  const interop::Namespaces ns = interop::ExportNamespaces();
  for (auto _ : state) {
    for (const auto& e : list.list_value().values()) {
      auto id = interop::EventHashId(e.struct_value(), ns);
      benchmark::DoNotOptimize(id);
    }
  }
  state.SetItemsProcessed(state.iterations() * list.list_value().values_size());
}
BENCHMARK(BM_EventHashId)->Unit(benchmark::kMicrosecond);

// One iteration: every event of the exported document mapped back (LedgerEventOfEpcis) and its
// id checked to survive (CheckRoundTrip: two more pre-hashes), as `shipledger import` does.
void BM_ImportEpcis(benchmark::State& state) {
  const v1::GetShipmentResponse shipment = LongJourney(4);
  auto doc =
      interop::ExportEpcis(shipment, {.creation_time_ms = samples::kT0, .private_values = {}});
  const auto& list = doc->document.fields().at("epcisBody").struct_value().fields().at("eventList");
  const interop::Namespaces ns = interop::ExportNamespaces();
  int64_t mapped = 0;
  for (auto _ : state) {
    for (const auto& v : list.list_value().values()) {
      const pb::Struct& e = v.struct_value();
      const auto org = e.fields().find("sl:recordedBy");
      auto event = interop::LedgerEventOfEpcis(
          e, ns, org == e.fields().end() ? "" : org->second.string_value());
      if (!event.ok()) continue;
      event->set_chain_id("sample-chain");
      const Status s = interop::CheckRoundTrip(*event, e, ns, &shipment.state().cold_chain());
      benchmark::DoNotOptimize(s);
      ++mapped;
    }
  }
  state.SetItemsProcessed(mapped);
}
BENCHMARK(BM_ImportEpcis)->Unit(benchmark::kMicrosecond);

}  // namespace
}  // namespace shipledger::bench
