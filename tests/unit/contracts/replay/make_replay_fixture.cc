// Writes the replay fixture (replay_format.h) to stdout: a seeded random chain of admitted events
// over many shipments — scripted journeys interleaved with random events of every type, signers,
// details, co-signers and duplicates — executed by this build's contracts::ExecuteBlock. Run once
// under contract rules v1 to record tests/data/contracts_v1_replay.txt; replay_test.cc checks
// that later code, told the chain was recorded under v1, reproduces every receipt and digest.
#include <cstdio>
#include <iostream>
#include <map>
#include <random>
#include <string>
#include <vector>

#include "contracts/executor.h"
#include "memory_state.h"
#include "model/block.h"
#include "test_events.h"

namespace shipledger::contracts::testutil {
namespace {

const std::vector<std::string>& Orgs() {
  static const std::vector<std::string> orgs = {kExporter, kForwarder, kCarrier,
                                                kCustoms,  kImporter,  kInspector};
  return orgs;
}

class Generator {
 public:
  explicit Generator(uint64_t seed) : rng_(seed) {}

  uint64_t Below(uint64_t n) { return rng_() % n; }
  const std::string& AnyOrg() { return Orgs()[Below(Orgs().size())]; }

  model::AdmittedEvent Scripted(const std::string& shipment, size_t step) {
    using T = v1::EventType;
    struct Step {
      T type;
      const char* signer;
      const char* cosigner;
    };
    static const Step kScript[] = {
        {v1::EVENT_TYPE_BOOKED, kExporter, nullptr},
        {v1::EVENT_TYPE_SENSOR_READINGS, kExporter, nullptr},
        {v1::EVENT_TYPE_PICKUP, kExporter, nullptr},
        {v1::EVENT_TYPE_EXPORT_CUSTOMS_DECLARED, kExporter, nullptr},
        {v1::EVENT_TYPE_EXPORT_CUSTOMS_CLEARED, kCustoms, nullptr},
        {v1::EVENT_TYPE_HANDOVER, kExporter, kForwarder},
        {v1::EVENT_TYPE_LOADED, kForwarder, nullptr},
        {v1::EVENT_TYPE_DEPARTED, kForwarder, nullptr},
        {v1::EVENT_TYPE_ARRIVED, kForwarder, nullptr},
        {v1::EVENT_TYPE_IMPORT_CUSTOMS_HELD, kCustoms, nullptr},
        {v1::EVENT_TYPE_IMPORT_CUSTOMS_RELEASED, kCustoms, nullptr},
        {v1::EVENT_TYPE_HANDOVER, kForwarder, kCarrier},
        {v1::EVENT_TYPE_OUT_FOR_DELIVERY, kCarrier, nullptr},
        {v1::EVENT_TYPE_DELIVERED, kCarrier, nullptr},
        {v1::EVENT_TYPE_RETURN_REQUESTED, kImporter, nullptr},
        {v1::EVENT_TYPE_RETURN_PICKED_UP, kCarrier, nullptr},
        {v1::EVENT_TYPE_HANDOVER, kCarrier, kForwarder},
        {v1::EVENT_TYPE_RETURNED, kForwarder, nullptr},
    };
    const Step& s = kScript[step % std::size(kScript)];
    std::vector<std::string> cosigners;
    if (s.cosigner != nullptr) cosigners.emplace_back(s.cosigner);
    model::AdmittedEvent e = MakeEvent(s.type, s.signer, cosigners, shipment);
    if (s.type == v1::EVENT_TYPE_BOOKED) {
      e.event.add_parties(kImporter);
      if (Below(2) == 0) e.event.add_parties(kCarrier);
    }
    Decorate(&e);
    return e;
  }

  model::AdmittedEvent Random(const std::string& shipment) {
    // Every type, including those rules v1 do not support, and an unknown number.
    const auto type = static_cast<v1::EventType>(Below(31));
    std::vector<std::string> cosigners;
    const uint64_t k = Below(10);
    if (k < 3) cosigners.push_back(AnyOrg());
    if (k == 3) cosigners = {AnyOrg(), AnyOrg()};
    model::AdmittedEvent e = MakeEvent(type, AnyOrg(), cosigners, shipment);
    if (Below(4) == 0 && !e.cosigned_by.empty()) e.cosigned_by.pop_back();  // missing co-sign
    if (type == v1::EVENT_TYPE_BOOKED) {
      for (uint64_t i = Below(3); i > 0; --i) e.event.add_parties(AnyOrg());
    }
    Decorate(&e);
    return e;
  }

  // Details, locations, readers and documents that later rules may read.
  void Decorate(model::AdmittedEvent* e) {
    static const char* kKeys[] = {"reason", "leg",   "carrier", "condition",   "offer",
                                  "min_c",  "max_c", "value",   "error_event", "mode"};
    static const char* kLocations[] = {"DEHAM", "CNSHA", "NLRTM", "USNYC", ""};
    e->event.set_occurred_at_ms(1795000000000 + static_cast<int64_t>(Below(1000000)));
    e->event.set_location(kLocations[Below(std::size(kLocations))]);
    for (uint64_t i = Below(3); i > 0; --i) {
      v1::Detail* d = e->event.add_details();
      d->set_key(kKeys[Below(std::size(kKeys))]);
      d->set_value(std::to_string(Below(100)));
    }
    if (Below(8) == 0) {
      e->event.mutable_private_envelope()->add_readers()->set_reader_org(AnyOrg());
    }
    if (Below(6) == 0) {
      v1::DocumentHash* doc = e->event.add_documents();
      doc->set_kind("commercial_invoice");
      doc->set_sha256(Bytes(32, static_cast<char>(Below(256))));
    }
  }

 private:
  std::mt19937_64 rng_;
};

void Print(const char* tag, const std::string& a) { std::cout << tag << ' ' << a << '\n'; }

int Run() {
  Generator gen(20261204);
  MemoryState state;
  std::map<std::string, size_t> script_step;
  std::vector<model::EventPtr> history;
  Bytes results(32, '\0');
  int64_t block_time = 1795000000000;
  constexpr int kBlocks = 120;
  constexpr int kShipments = 24;
  std::cout << "# contract rules v1 replay fixture: tests/unit/contracts/replay/"
               "make_replay_fixture.cc, seed 20261204\n";
  for (int b = 1; b <= kBlocks; ++b) {
    block_time += static_cast<int64_t>(100 + gen.Below(5000));
    const model::BlockContext context{static_cast<uint64_t>(b), block_time};
    std::vector<model::EventPtr> events;
    for (uint64_t i = 1 + gen.Below(10); i > 0; --i) {
      const std::string shipment = "SHP-" + std::to_string(gen.Below(kShipments));
      const uint64_t pick = gen.Below(100);
      if (pick < 4 && !history.empty()) {
        events.push_back(history[gen.Below(history.size())]);  // a duplicate
      } else if (pick < 60) {
        events.push_back(Share(gen.Scripted(shipment, script_step[shipment]++)));
      } else {
        events.push_back(Share(gen.Random(shipment)));
      }
    }
    const model::BlockEffects effects = ExecuteBlock(events, state, context);
    results = model::ResultsDigest(results, effects.receipts_root, effects.state_writes_digest);
    std::cout << "block " << context.height << ' ' << context.block_time_ms << '\n';
    for (const model::EventPtr& e : events) {
      std::string cosigners;
      for (const std::string& org : e->cosigned_by) {
        cosigners += (cosigners.empty() ? "" : ",") + org;
      }
      std::cout << "event " << ToHex(e->id) << ' ' << model::RoleName(e->signer_role) << ' '
                << (cosigners.empty() ? "-" : cosigners) << ' '
                << ToHex(e->event.SerializeAsString()) << '\n';
      history.push_back(e);
    }
    for (const v1::Receipt& r : effects.receipts) Print("receipt", ToHex(r.SerializeAsString()));
    std::cout << "digest " << ToHex(effects.receipts_root) << ' '
              << ToHex(effects.state_writes_digest) << ' ' << ToHex(results) << '\n';
    state.Commit(events, effects);
  }
  for (const auto& [id, s] : state.states()) {
    std::cout << "state " << id << ' ' << ToHex(s.SerializeAsString()) << '\n';
  }
  return 0;
}

}  // namespace
}  // namespace shipledger::contracts::testutil

int main() { return shipledger::contracts::testutil::Run(); }
