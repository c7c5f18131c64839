// Micro-benchmarks of carrier-offer matching (issue 19, docs/performance.md): one carrier_offer
// event executed as the node's commit thread executes it — contracts::ExecuteBlock of a one-event
// block, block-start expiry included — against a RocksDB store holding many open legs and live
// offers, under contract rules v3 (the (mode, lane) index) and, scaled down, under v2 (every
// offer against every open leg).
#include <benchmark/benchmark.h>

#include <chrono>
#include <cstdio>
#include <map>
#include <memory>
#include <random>
#include <string>
#include <tuple>
#include <vector>

#include "bench_fixture.h"
#include "contracts/executor.h"
#include "testing/temp_dir.h"

namespace shipledger::bench {
namespace {

using Clock = std::chrono::steady_clock;

constexpr int kCountries = 50;
constexpr int kPortsPerCountry = 4;
constexpr int kLegsPerBooking = 16;
constexpr int64_t kDayMs = 24 * 3600 * 1000;

std::string Country(int c) {
  return {static_cast<char>('A' + c / 26), static_cast<char>('A' + c % 26)};
}
// A UN/LOCODE-shaped port: country, then "P" and two letters.
std::string Port(int c, int p) { return Country(c) + "P" + static_cast<char>('A' + p) + "A"; }

// A store after `offers` sea offers (valid for 30 days, no cold chain; each on one random lane,
// half between countries, half between ports, all by the forwarder) and then `bookings` bookings
// of 16 sea legs between random ports of 50 countries (200 ports), each leg temperature
// controlled: no offer qualifies, so all 16 × `bookings` legs are open. Executed and committed
// block by block (500 events) under contract rules `rules`, as a node does.
class Market {
 public:
  // One market per configuration and process.
  static const Market& Get(uint32_t rules, int bookings, int offers) {
    const std::tuple<uint32_t, int, int> key{rules, bookings, offers};
    // A static constructed after the first market opened its store, so that it is destroyed
    // (closing the stores) before RocksDB's own statics, which that first open constructed.
    std::unique_ptr<Market> fresh;
    static bool any = false;
    if (!any) fresh.reset(new Market(rules, bookings, offers));
    any = true;
    static std::map<std::tuple<uint32_t, int, int>, std::unique_ptr<Market>> markets;
    auto& market = markets[key];
    if (fresh != nullptr) market = std::move(fresh);
    if (market == nullptr) market.reset(new Market(rules, bookings, offers));
    return *market;
  }

  const storage::Store& store() const { return *store_; }
  const BenchNetwork& net() const { return net_; }
  // The sea offer the benchmark registers, between the countries of the first booking's first
  // leg: without cold chain (`match` false) it qualifies for none of the open legs; with it, for
  // every open leg between those countries.
  model::EventPtr MeasuredOffer(bool match) const {
    v1::Event event = net_.NewEvent("forwarder", v1::EVENT_TYPE_CARRIER_OFFER,
                                    match ? "OFFER-MEASURED-FIT" : "OFFER-MEASURED");
    *event.mutable_offer() = SeaOffer(first_lane_.first, first_lane_.second);
    event.mutable_offer()->set_cold_chain(match);
    return net_.Admitted(net_.Sign(event));
  }

 private:
  // The genesis of a market: contract rules `rules`, limits that admit `offers` open offers.
  static BenchNetwork::Options NetworkOptions(uint32_t rules, int offers) {
    BenchNetwork::Options o;
    o.rules = rules;
    o.limits.max_open_offers_per_org = static_cast<uint32_t>(offers) + 10;
    o.limits.max_open_legs_per_shipment = kLegsPerBooking;
    return o;
  }

  Market(uint32_t rules, int bookings, int offers)
      : net_(NetworkOptions(rules, offers)),
        dir_("shipledger-bench-offers"),
        rng_(rules * 7919 + bookings) {
    storage::StoreOptions fill;
    fill.sync_writes = false;
    store_ = Must(storage::Store::Open(dir_.path(), *net_.genesis(), fill));
    const auto start = Clock::now();
    std::vector<v1::SignedEvent> block;
    auto add = [&](const v1::Event& event) {
      block.push_back(net_.Sign(event));
      if (block.size() == kBlockEvents) Flush(&block);
    };
    for (int i = 0; i < offers; ++i) {
      v1::Event event =
          net_.NewEvent("forwarder", v1::EVENT_TYPE_CARRIER_OFFER, "OFFER-" + std::to_string(i));
      const bool countries = Pick(2) == 0;
      const int from = Pick(kCountries);
      const int to = Pick(kCountries);
      const int from_port = Pick(kPortsPerCountry);
      const int to_port = Pick(kPortsPerCountry);
      *event.mutable_offer() = countries ? SeaOffer(Country(from), Country(to))
                                         : SeaOffer(Port(from, from_port), Port(to, to_port));
      add(event);
    }
    for (int i = 0; i < bookings; ++i) {
      v1::Event event =
          net_.NewEvent("exporter", v1::EVENT_TYPE_BOOKED, "SHP-" + std::to_string(i));
      v1::BookingTerms* terms = event.mutable_booking();
      terms->set_consignee("importer");
      for (int k = 0; k < kLegsPerBooking; ++k) {
        const int from = Pick(kCountries);
        const int to = (from + 1 + Pick(kCountries - 1)) % kCountries;
        const int from_port = Pick(kPortsPerCountry);
        const int to_port = Pick(kPortsPerCountry);
        v1::LegPlan* leg = terms->add_legs();
        leg->set_origin(Port(from, from_port));
        leg->set_destination(Port(to, to_port));
        leg->set_mode(v1::TRANSPORT_MODE_SEA);
        leg->set_temperature_controlled(true);
        if (i == 0 && k == 0) first_lane_ = {Country(from), Country(to)};
      }
      add(event);
    }
    Flush(&block);
    std::fprintf(stderr, "offer market (rules v%u): %d offers, %d open legs, %llu blocks, %.1f s\n",
                 rules, offers, bookings * kLegsPerBooking,
                 static_cast<unsigned long long>(store_->head().height),
                 std::chrono::duration<double>(Clock::now() - start).count());
  }

  int Pick(int n) { return std::uniform_int_distribution<int>(0, n - 1)(rng_); }

  v1::CarrierOffer SeaOffer(const std::string& origin, const std::string& destination) const {
    v1::CarrierOffer offer;
    offer.add_modes(v1::TRANSPORT_MODE_SEA);
    v1::Lane* lane = offer.add_lanes();
    lane->set_origin(origin);
    lane->set_destination(destination);
    offer.set_price_minor(150'000);
    offer.set_currency("EUR");
    offer.set_valid_from_ms(net_.now_ms() - kDayMs);
    offer.set_valid_until_ms(net_.now_ms() + 30 * kDayMs);
    return offer;
  }

  void Flush(std::vector<v1::SignedEvent>* block) {
    if (block->empty()) return;
    CommitNextBlock(net_, *store_, *block);
    block->clear();
  }

  BenchNetwork net_;
  testing::TempDir dir_;  // outlives store_
  std::unique_ptr<storage::Store> store_;
  std::mt19937 rng_;
  std::pair<std::string, std::string> first_lane_;
};

// One iteration: contracts::ExecuteBlock of a block holding one carrier_offer, at the height
// after the market's last block, against the committed store (nothing is committed, so every
// iteration finds the same state). Args: rules version, bookings (× 16 open legs), live offers,
// and whether the offer qualifies for the open legs of its lane (1: it takes them all).
void BM_OfferEvent(benchmark::State& state) {
  const Market& market =
      Market::Get(static_cast<uint32_t>(state.range(0)), static_cast<int>(state.range(1)),
                  static_cast<int>(state.range(2)));
  const std::vector<model::EventPtr> events = {market.MeasuredOffer(state.range(3) != 0)};
  const storage::ChainHead head = market.store().head();
  v1::Proposal next;
  next.set_height(head.height + 1);
  next.set_timestamp_ms(head.block_time_ms + 1);
  const model::BlockContext context = contracts::ContextOf(*market.net().genesis(), next);
  int assigned = 0;
  for (auto _ : state) {
    const model::BlockEffects effects = contracts::ExecuteBlock(events, market.store(), context);
    SHIPLEDGER_CHECK_MSG(effects.receipts[0].code() == v1::RESULT_CODE_VALID,
                         effects.receipts[0].reason().c_str());
    assigned = effects.receipts[0].outputs_size();
    benchmark::DoNotOptimize(effects);
  }
  state.counters["open_legs"] = static_cast<double>(state.range(1) * kLegsPerBooking);
  state.counters["offers"] = static_cast<double>(state.range(2));
  state.counters["legs_assigned"] = assigned;
}
// Rules v3 at the scale of issue 19: 3,125 bookings (50,000 open legs), 10,000 live offers.
BENCHMARK(BM_OfferEvent)
    ->Args({3, 3125, 10'000, 0})
    ->Args({3, 3125, 10'000, 1})
    ->Unit(benchmark::kMicrosecond);
// The contrast, scaled down (v2 at 50,000 legs × 10,000 offers would take minutes per event):
// 100 bookings (1,600 open legs) and 1,000 offers, under v2 and under v3.
BENCHMARK(BM_OfferEvent)
    ->Args({2, 100, 1'000, 0})
    ->Args({2, 100, 1'000, 1})
    ->Args({3, 100, 1'000, 0})
    ->Args({3, 100, 1'000, 1})
    ->Unit(benchmark::kMicrosecond);

}  // namespace
}  // namespace shipledger::bench
