// Micro-benchmarks of one 500-event block: its events root, and its encoding and decoding.
#include <benchmark/benchmark.h>

#include <string>

#include "bench_fixture.h"
#include "model/block.h"
#include "shipledger/check.h"

namespace shipledger::bench {
namespace {

// A committed-looking block of `events` realistic events (whole journeys, one in 12 co-signed)
// at height 1: proposal, 3-vote commit certificate, hashes.
v1::Block MakeBlock(const BenchNetwork& net, int events) {
  JourneyStream stream(net, {.prefix = "SHP-K"});
  std::vector<model::EventPtr> admitted;
  for (const auto& se : stream.Next(static_cast<size_t>(events))) {
    admitted.push_back(net.Admitted(se));
  }
  storage::ChainHead genesis_head;
  genesis_head.block_hash = net.genesis()->hash;
  return net.NextBlock(genesis_head, admitted);
}

// One iteration: model::EventsRoot over the block's signed events, as a backup checks a
// proposal (consensus Checker): per event the canonical envelope encoding (event, certificate,
// signatures) and its leaf hash, then the RFC 6962 tree over the leaves.
void BM_EventsRoot(benchmark::State& state) {
  const BenchNetwork net;
  const v1::Block block = MakeBlock(net, static_cast<int>(state.range(0)));
  for (auto _ : state) {
    const Bytes root = model::EventsRoot(block.events());
    SHIPLEDGER_CHECK(root == block.proposal().events_root());
  }
  state.SetItemsProcessed(state.iterations() * state.range(0));
}
BENCHMARK(BM_EventsRoot)->Arg(kBlockEvents)->Unit(benchmark::kMicrosecond);

// One iteration: v1::Block::SerializeToString of the whole block (header, certificate, events)
// into a fresh string. Bytes = encoded size.
void BM_BlockEncode(benchmark::State& state) {
  const BenchNetwork net;
  const v1::Block block = MakeBlock(net, static_cast<int>(state.range(0)));
  for (auto _ : state) {
    std::string bytes;
    SHIPLEDGER_CHECK(block.SerializeToString(&bytes));
    benchmark::DoNotOptimize(bytes);
  }
  const auto size = static_cast<int64_t>(block.ByteSizeLong());
  state.SetBytesProcessed(state.iterations() * size);
  state.counters["block_bytes"] = static_cast<double>(size);
}
BENCHMARK(BM_BlockEncode)->Arg(kBlockEvents)->Unit(benchmark::kMicrosecond);

// One iteration: v1::Block::ParseFromString of the encoded block into a fresh message (the
// events stay serialized Event bytes inside their SignedEvent: nothing parses them here).
void BM_BlockDecode(benchmark::State& state) {
  const BenchNetwork net;
  const std::string bytes = MakeBlock(net, static_cast<int>(state.range(0))).SerializeAsString();
  for (auto _ : state) {
    v1::Block block;
    SHIPLEDGER_CHECK(block.ParseFromString(bytes));
    benchmark::DoNotOptimize(block);
  }
  state.SetBytesProcessed(state.iterations() * static_cast<int64_t>(bytes.size()));
}
BENCHMARK(BM_BlockDecode)->Arg(kBlockEvents)->Unit(benchmark::kMicrosecond);

}  // namespace
}  // namespace shipledger::bench
