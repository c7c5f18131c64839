// Property test of contract rules v2 (issue 7): random event sequences (many seeds) applied on
// two independent state instances give identical receipts and state digests, and no sequence
// breaks the custody invariant (exactly one custodian at any time) or the route, open-leg and
// cold-chain invariants. SHIPLEDGER_PROPERTY_SEEDS overrides the seed count and
// SHIPLEDGER_PROPERTY_FIRST_SEED the first seed, for longer searches; a failure names its seed.
#include <google/protobuf/io/coded_stream.h>
#include <google/protobuf/io/zero_copy_stream_impl_lite.h>
#include <gtest/gtest.h>

#include <cstdio>
#include <cstdlib>
#include <map>
#include <set>
#include <string>
#include <vector>

#include "contracts/executor.h"
#include "random_events.h"
#include "testing/memory_chain.h"

namespace shipledger::contracts {
namespace {

using shipledger::testing::MemoryChain;
using testutil::RandomEvents;

constexpr int kBlocksPerSeed = 60;

uint64_t EnvOr(const char* name, uint64_t fallback) {
  const char* value = std::getenv(name);
  return value != nullptr && *value != '\0' ? std::strtoull(value, nullptr, 10) : fallback;
}

Bytes Deterministic(const google::protobuf::MessageLite& message) {
  Bytes out;
  {
    google::protobuf::io::StringOutputStream stream(&out);
    google::protobuf::io::CodedOutputStream coded(&stream);
    coded.SetSerializationDeterministic(true);
    EXPECT_TRUE(message.SerializeToCodedStream(&coded));
  }
  return out;
}

// A copy of `admitted` that shares nothing with it: the event is re-parsed from its bytes.
model::EventPtr FreshCopy(const model::AdmittedEvent& admitted) {
  auto copy = std::make_shared<model::AdmittedEvent>();
  copy->id = Bytes(admitted.id.data(), admitted.id.size());
  const Bytes bytes = Deterministic(admitted.event);
  EXPECT_TRUE(copy->event.ParseFromString(bytes));
  copy->signer_role = admitted.signer_role;
  for (const std::string& org : admitted.cosigned_by) copy->cosigned_by.emplace_back(org);
  return copy;
}

std::string OpenKey(const std::string& shipment_id, bool reverse, int leg) {
  char suffix[16];
  std::snprintf(suffix, sizeof suffix, "/%c/%04d", reverse ? 'r' : 'f', leg);
  return "open/" + shipment_id + suffix;
}

// Who holds custody after the block, replaying only the custody rules: the custodian changes
// only through a VALID booked (the booker), handover (the co-signer), delivered (the consignee,
// when named) or returned (the booker, when a consignee is named) event of the shipment.
std::string ExpectedCustodian(const std::string& id, const std::optional<v1::ShipmentState>& before,
                              const v1::ShipmentState& after,
                              const std::vector<model::EventPtr>& events,
                              const model::BlockEffects& effects) {
  std::string custodian = before.has_value() ? before->custodian() : std::string();
  for (size_t i = 0; i < events.size(); ++i) {
    const v1::Event& e = events[i]->event;
    if (e.shipment_id() != id || effects.receipts[i].code() != v1::RESULT_CODE_VALID) continue;
    switch (e.type()) {
      case v1::EVENT_TYPE_BOOKED:
        custodian = e.signer_org();
        break;
      case v1::EVENT_TYPE_HANDOVER:
        custodian = e.cosigner_orgs(0);
        break;
      case v1::EVENT_TYPE_DELIVERED:
        if (!after.consignee().empty()) custodian = after.consignee();
        break;
      case v1::EVENT_TYPE_RETURNED:
        if (!after.consignee().empty()) custodian = after.booked_by();
        break;
      default:
        break;
    }
  }
  return custodian;
}

int CountActive(const google::protobuf::RepeatedPtrField<v1::Leg>& legs) {
  int active = 0;
  for (const v1::Leg& leg : legs) active += leg.status() == v1::LEG_STATUS_ACTIVE ? 1 : 0;
  return active;
}

// The invariants every committed state must keep; `before` is each written shipment's state
// before the block.
void CheckInvariants(const shipledger::testing::MemoryChain& state,
                     const std::map<std::string, std::optional<v1::ShipmentState>>& before,
                     const std::vector<model::EventPtr>& events,
                     const model::BlockEffects& effects) {
  std::set<std::string> open_legs;
  for (const auto& [id, s] : state.states()) {
    SCOPED_TRACE("shipment " + id);
    EXPECT_FALSE(s.custodian().empty()) << "no custodian";
    EXPECT_LE(CountActive(s.legs()), 1) << "more than one ACTIVE leg";
    EXPECT_LE(CountActive(s.return_legs()), 1) << "more than one ACTIVE return leg";
    for (bool reverse : {false, true}) {
      const auto& legs = reverse ? s.return_legs() : s.legs();
      for (int i = 0; i < legs.size(); ++i) {
        if (legs[i].status() == v1::LEG_STATUS_OPEN) open_legs.insert(OpenKey(id, reverse, i + 1));
      }
    }
    if (s.excursion()) {
      EXPECT_TRUE(s.has_cold_chain()) << "excursion without cold-chain terms";
      EXPECT_GT(s.out_of_range_ms(), s.cold_chain().tolerance_ms())
          << "excursion within the tolerance";
    }
    EXPECT_GE(s.out_of_range_ms(), 0) << "negative time out of range";
  }
  std::set<std::string> open_records;
  for (const auto& [key, value] : state.records()) {
    if (key.rfind("open/", 0) == 0) open_records.insert(key);
  }
  EXPECT_EQ(open_records, open_legs) << "open-leg records and OPEN legs differ";

  for (const auto& [id, written] : effects.state_writes) {
    SCOPED_TRACE("shipment " + id);
    auto it = before.find(id);
    ASSERT_NE(it, before.end());
    EXPECT_EQ(written.custodian(), ExpectedCustodian(id, it->second, written, events, effects))
        << "custodian changed without a VALID custody transfer";
  }
}

// Runs one seed; returns false after the first failing block.
bool RunSeed(uint64_t seed, size_t* events_run, size_t* valid_run, std::map<int, size_t>* outputs) {
  SCOPED_TRACE("seed " + std::to_string(seed));
  RandomEvents generator(seed);
  shipledger::testing::MemoryChain a;
  shipledger::testing::MemoryChain b;
  int64_t block_time_ms = 1'700'000'000'000;
  for (uint64_t height = 1; height <= kBlocksPerSeed; ++height) {
    SCOPED_TRACE("height " + std::to_string(height));
    block_time_ms += static_cast<int64_t>((seed * 7919 + height * 104729) % 7'200'000) + 1000;
    const model::BlockContext context{height, block_time_ms, 2};
    std::vector<model::EventPtr> events_a;
    std::vector<model::EventPtr> events_b;
    for (model::AdmittedEvent& e : generator.NextBlock(a, block_time_ms)) {
      events_b.push_back(FreshCopy(e));
      events_a.push_back(std::make_shared<const model::AdmittedEvent>(std::move(e)));
    }
    const model::BlockEffects fx_a = ExecuteBlock(events_a, a, context);
    const model::BlockEffects fx_b = ExecuteBlock(events_b, b, context);

    EXPECT_EQ(fx_a.receipts.size(), events_a.size());
    EXPECT_EQ(fx_a.receipts.size(), fx_b.receipts.size());
    for (size_t i = 0; i < std::min(fx_a.receipts.size(), fx_b.receipts.size()); ++i) {
      EXPECT_EQ(Deterministic(fx_a.receipts[i]), Deterministic(fx_b.receipts[i]))
          << "receipt " << i;
      if (fx_a.receipts[i].code() == v1::RESULT_CODE_VALID) ++*valid_run;
      for (const v1::ContractOutput& o : fx_a.receipts[i].outputs()) ++(*outputs)[o.kind()];
    }
    EXPECT_EQ(fx_a.receipts_root, fx_b.receipts_root);
    EXPECT_EQ(fx_a.state_writes_digest, fx_b.state_writes_digest);
    *events_run += events_a.size();

    std::map<std::string, std::optional<v1::ShipmentState>> before;
    for (const auto& [id, unused] : fx_a.state_writes) before[id] = a.GetShipmentState(id);
    a.Commit(events_a, fx_a);
    b.Commit(events_b, fx_b);
    CheckInvariants(a, before, events_a, fx_a);
    if (::testing::Test::HasFailure()) return false;
  }

  EXPECT_EQ(a.states().size(), b.states().size());
  for (const auto& [id, s] : a.states()) {
    auto it = b.states().find(id);
    if (it == b.states().end()) {
      ADD_FAILURE() << "instance B lacks shipment " << id;
      continue;
    }
    EXPECT_EQ(Deterministic(s), Deterministic(it->second)) << "state of " << id;
  }
  EXPECT_EQ(a.records(), b.records());
  return !::testing::Test::HasFailure();
}

TEST(ContractRulesV2Property, RandomChainsAgreeOnTwoInstancesAndKeepTheInvariants) {
  const uint64_t seeds = EnvOr("SHIPLEDGER_PROPERTY_SEEDS", 200);
  const uint64_t first = EnvOr("SHIPLEDGER_PROPERTY_FIRST_SEED", 1);
  size_t events = 0;
  size_t valid = 0;
  std::map<int, size_t> outputs;  // contract decisions by kind
  for (uint64_t seed = first; seed < first + seeds; ++seed) {
    if (!RunSeed(seed, &events, &valid, &outputs)) {
      ADD_FAILURE() << "reproduce with SHIPLEDGER_PROPERTY_FIRST_SEED=" << seed
                    << " SHIPLEDGER_PROPERTY_SEEDS=1";
      return;
    }
  }
  // The generator must keep exercising the contract, not only its rejections.
  EXPECT_GT(valid * 4, events) << valid << " of " << events << " events VALID";
  // Every kind of contract decision was taken somewhere (a single seed may miss one).
  for (int kind = seeds >= 50 ? v1::ContractOutput::KIND_LEG_ASSIGNED : 99;
       kind <= v1::ContractOutput::KIND_EVENT_ERRONEOUS; ++kind) {
    EXPECT_GT(outputs[kind], 0u) << "no output of kind " << kind;
  }
  std::printf("property: %llu seeds x %d blocks, %zu events, %zu VALID; outputs",
              static_cast<unsigned long long>(seeds), kBlocksPerSeed, events, valid);
  for (const auto& [kind, count] : outputs) std::printf(" %d:%zu", kind, count);
  std::printf("\n");
}

}  // namespace
}  // namespace shipledger::contracts
