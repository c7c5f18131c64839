// Writes a replay fixture (replay_format.h) to stdout: a seeded random chain of admitted events
// over many shipments, executed by this build's contracts::ExecuteBlock under the contract rules
// version given as the argument (default 1). `make_replay_fixture 1` recorded
// tests/data/contracts_v1_replay.txt (scripted journeys interleaved with random events of every
// type, signers, details, co-signers and duplicates) before rules v2 existed;
// `make_replay_fixture 2` recorded tests/data/contracts_v2_replay.txt (random_events.h: bookings
// with routes, cold-chain and return terms, offers, journeys, readings, returns, reassignments,
// error declarations, duplicates and garbage) before rules v3 existed; `make_replay_fixture 3`
// recorded tests/data/contracts_v3_replay.txt (the same generator, plus certificates on every
// event, admins' revocations and party_added; RulesV3Extras below) before the contracts were
// restructured into one execution path per rules version (issue 20). replay_test.cc checks
// that later code, told which rules the chain was recorded under, reproduces every receipt,
// digest, shipment state and contract record.
#include <cstdio>
#include <iostream>
#include <map>
#include <random>
#include <string>
#include <vector>

#include "contracts/commit.h"
#include "crypto/sha256.h"
#include "model/block.h"
#include "random_events.h"
#include "test_events.h"
#include "testing/memory_chain.h"

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

std::string HexList(const std::vector<Bytes>& items) {
  std::string out;
  for (const Bytes& item : items) out += (out.empty() ? "" : ",") + ToHex(item);
  return out.empty() ? "-" : out;
}

// Rules v3 and later also record each event's certificates (replay_format.h).
void PrintBlock(const model::BlockContext& context, const std::vector<model::EventPtr>& events,
                const model::BlockEffects& effects, const Bytes& results) {
  std::cout << "block " << context.height << ' ' << context.block_time_ms << '\n';
  for (const model::EventPtr& e : events) {
    std::string cosigners;
    for (const std::string& org : e->cosigned_by) {
      cosigners += (cosigners.empty() ? "" : ",") + org;
    }
    std::cout << "event " << ToHex(e->id) << ' ' << model::RoleName(e->signer_role) << ' '
              << (cosigners.empty() ? "-" : cosigners) << ' '
              << ToHex(e->event.SerializeAsString());
    if (context.rules_version >= 3) {
      std::cout << ' ' << HexList({e->signer_fingerprint}) << ' '
                << HexList(e->cosigner_fingerprints) << ' ' << (e->signer_admin ? 1 : 0);
    }
    std::cout << '\n';
  }
  for (const v1::Receipt& r : effects.receipts) Print("receipt", ToHex(r.SerializeAsString()));
  std::cout << "digest " << ToHex(effects.receipts_root) << ' '
            << ToHex(effects.state_writes_digest) << ' ' << ToHex(results) << '\n';
}

void PrintFinal(const shipledger::testing::MemoryChain& state) {
  for (const auto& [id, s] : state.states()) {
    std::cout << "state " << id << ' ' << ToHex(s.SerializeAsString()) << '\n';
  }
  for (const auto& [key, value] : state.records()) {
    std::cout << "record " << ToHex(key) << ' ' << ToHex(value) << '\n';
  }
}

// What rules v3 add to a block of random_events.h: every event signed by one of eight
// certificates of its organisation (co-signers by theirs); now and then an admin's (or a
// non-admin's) revocation of a certificate of its own or another organisation, and party_added
// by parties and outsiders, at random positions.
class RulesV3Extras {
 public:
  explicit RulesV3Extras(uint64_t seed) : rng_(seed) {}

  void Extend(std::vector<model::AdmittedEvent>* block) {
    for (model::AdmittedEvent& e : *block) {
      if (!e.event.shipment_id().empty() && e.event.type() == v1::EVENT_TYPE_BOOKED) {
        shipments_.push_back(e.event.shipment_id());
      }
      e.signer_fingerprint = Clerk(e.event.signer_org(), Below(8));
      e.cosigner_fingerprints.clear();
      for (const std::string& org : e.cosigned_by) {
        e.cosigner_fingerprints.push_back(Clerk(org, Below(8)));
      }
    }
    for (uint64_t i = Below(3); i > 0; --i) {
      model::AdmittedEvent extra = Below(5) < 4 ? PartyAdded() : Revocation();
      const auto at = static_cast<std::ptrdiff_t>(Below(block->size() + 1));
      block->insert(block->begin() + at, std::move(extra));
    }
  }

 private:
  static constexpr const char* kOrgs[] = {"exporter-co", "forwarder-co", "carrier-co",
                                          "carrier-b",   "customs-de",   "importer-co"};
  static constexpr model::Role kRoles[] = {model::Role::kExporter, model::Role::kForwarder,
                                           model::Role::kCarrier,  model::Role::kCarrier,
                                           model::Role::kCustoms,  model::Role::kImporter};

  uint64_t Below(uint64_t n) { return rng_() % n; }
  static Bytes Cert(const std::string& name) { return crypto::Sha256("cert " + name); }
  static Bytes Clerk(const std::string& org, uint64_t k) {
    return Cert(org + "-clerk-" + std::to_string(k));
  }

  model::AdmittedEvent Make(v1::EventType type, std::string shipment) {
    const size_t org = Below(std::size(kOrgs));
    model::AdmittedEvent e;
    e.id = Bytes(32, 'q');
    for (int i = 0; i < 8; ++i)
      e.id[static_cast<size_t>(i)] = static_cast<char>(next_id_ >> (8 * i));
    ++next_id_;
    e.event.set_chain_id("prop-chain");
    e.event.set_shipment_id(std::move(shipment));
    e.event.set_type(type);
    e.event.set_signer_org(kOrgs[org]);
    e.signer_role = kRoles[org];
    e.signer_fingerprint = Clerk(kOrgs[org], Below(8));
    return e;
  }

  model::AdmittedEvent PartyAdded() {
    std::string shipment = shipments_.empty() || Below(10) == 0
                               ? "S-unknown-" + std::to_string(Below(3))
                               : shipments_[Below(shipments_.size())];
    model::AdmittedEvent e = Make(v1::EVENT_TYPE_PARTY_ADDED, std::move(shipment));
    for (uint64_t i = Below(3); i > 0; --i) e.event.add_parties(kOrgs[Below(std::size(kOrgs))]);
    if (Below(6) == 0) e.event.add_parties("outsider-" + std::to_string(Below(2)));
    return e;
  }

  model::AdmittedEvent Revocation() {
    model::AdmittedEvent e = Make(v1::EVENT_TYPE_CERTIFICATE_REVOCATION, {});
    const std::string& org = e.event.signer_org();
    e.signer_admin = Below(4) != 0;
    if (e.signer_admin) e.signer_fingerprint = Cert(org + "-admin-" + std::to_string(Below(2)));
    const std::string target = Below(5) == 0 ? kOrgs[Below(std::size(kOrgs))] : org;
    const Bytes revoked = Below(6) == 0 ? Cert(target + "-admin-" + std::to_string(Below(2)))
                                        : Clerk(target, Below(8));
    e.event.set_shipment_id("revocation-" + ToHex(revoked));
    if (Below(10) != 0) e.event.mutable_revocation()->set_fingerprint(revoked);
    e.event.mutable_revocation()->set_reason("key lost");
    return e;
  }

  std::mt19937_64 rng_;
  std::vector<std::string> shipments_;
  uint64_t next_id_ = 1;
};

// Rules v2 and later: 150 blocks of random_events.h, seed 20261206 (v3: seed 20261207, with
// RulesV3Extras).
int RunRandomEvents(uint32_t rules) {
  RandomEvents gen(rules >= 3 ? 20261207 : 20261206);
  RulesV3Extras extras(/*seed=*/7);
  shipledger::testing::MemoryChain state;
  Bytes results(32, '\0');
  int64_t block_time = 1800000000000;
  std::cout << "# contract rules v" << rules
            << " replay fixture: tests/unit/contracts/replay/make_replay_fixture.cc " << rules
            << ", random_events.h seed "
            << (rules >= 3 ? "20261207 with RulesV3Extras" : "20261206") << "\n";
  for (int b = 1; b <= 150; ++b) {
    block_time += 1000 + static_cast<int64_t>(b % 7) * 45000;
    model::BlockContext context{static_cast<uint64_t>(b), block_time};
    context.rules_version = rules;
    std::vector<model::AdmittedEvent> block = gen.NextBlock(state, block_time);
    if (rules >= 3) extras.Extend(&block);
    std::vector<model::EventPtr> events;
    for (model::AdmittedEvent& e : block) events.push_back(Share(std::move(e)));
    const Executed executed = Execute(events, state, context, results);
    const model::BlockEffects& effects = executed.effects;
    results = executed.results;
    PrintBlock(context, events, effects, results);
    state.Commit(events, effects);
  }
  PrintFinal(state);
  return 0;
}

int Run() {
  Generator gen(20261204);
  shipledger::testing::MemoryChain state;
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
    const Executed executed = Execute(events, state, context, results);
    const model::BlockEffects& effects = executed.effects;
    results = executed.results;
    PrintBlock(context, events, effects, results);
    history.insert(history.end(), events.begin(), events.end());
    state.Commit(events, effects);
  }
  PrintFinal(state);  // rules v1 write no records
  return 0;
}

}  // namespace
}  // namespace shipledger::contracts::testutil

int main(int argc, char** argv) {
  const std::string rules = argc > 1 ? argv[1] : "1";
  if (rules == "1") return shipledger::contracts::testutil::Run();
  if (rules == "2") return shipledger::contracts::testutil::RunRandomEvents(2);
  if (rules == "3") return shipledger::contracts::testutil::RunRandomEvents(3);
  std::cerr << "usage: make_replay_fixture [1|2|3]   (the contract rules version to record)\n";
  return 2;
}
