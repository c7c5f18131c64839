#include "contracts/executor.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <map>
#include <set>
#include <string>
#include <vector>

#include "contracts/rules.h"
#include "crypto/sha256.h"
#include "model/block.h"
#include "model/genesis.h"
#include "test_events.h"
#include "testing/memory_chain.h"

namespace shipledger::contracts {
namespace {

using namespace testutil;  // NOLINT(google-build-using-namespace): test helpers

using FakeState = shipledger::testing::MemoryChain;

model::BlockContext Context(uint64_t height) {
  return model::BlockContext{height, static_cast<int64_t>(1'700'000'000'000 + height * 1000)};
}

TEST(ContractRules, EveryVersionTheGenesisAdmitsHasItsOwnRules) {
  std::set<const ContractRules*> rules;
  for (uint32_t v = model::kOldestContractRules; v <= model::kLatestContractRules; ++v) {
    rules.insert(&RulesFor(v));
  }
  EXPECT_EQ(rules.size(), model::kLatestContractRules - model::kOldestContractRules + 1);
  EXPECT_EQ(&RulesFor(2), &RulesFor(2));  // looked up, not built per block
}

TEST(ContractRulesDeathTest, AVersionNoGenesisAdmitsStopsTheProcess) {
  EXPECT_DEATH(RulesFor(model::kLatestContractRules + 1), "unknown contract rules version");
  EXPECT_DEATH(RulesFor(0), "unknown contract rules version");
}

TEST(ExecuteBlock, BookedAndPickupInOneBlockAreBothValid) {
  FakeState state;
  const std::vector<model::EventPtr> events = {Share(Booked()),
                                               Share(MakeEvent(v1::EVENT_TYPE_PICKUP, kExporter))};
  const model::BlockEffects effects = ExecuteBlock(events, state, Context(1));
  ASSERT_EQ(effects.receipts.size(), 2u);
  EXPECT_EQ(effects.receipts[0].code(), v1::RESULT_CODE_VALID);
  EXPECT_EQ(effects.receipts[1].code(), v1::RESULT_CODE_VALID) << effects.receipts[1].reason();
  ASSERT_EQ(effects.state_writes.count(kShipment), 1u);
  const v1::ShipmentState& written = effects.state_writes.at(kShipment);
  EXPECT_EQ(written.status(), v1::SHIPMENT_STATUS_PICKED_UP);
  EXPECT_EQ(written.event_count(), 2u);
  EXPECT_EQ(written.booked_height(), 1u);
}

TEST(ExecuteBlock, ReceiptsCarryIdHeightIndexCodeAndReason) {
  FakeState state;
  const std::vector<model::EventPtr> events = {
      Share(Booked()), Share(MakeEvent(v1::EVENT_TYPE_DELIVERED, kExporter))};
  const model::BlockEffects effects = ExecuteBlock(events, state, Context(7));
  ASSERT_EQ(effects.receipts.size(), 2u);
  for (uint32_t i = 0; i < 2; ++i) {
    EXPECT_EQ(effects.receipts[i].event_id(), events[i]->id);
    EXPECT_EQ(effects.receipts[i].height(), 7u);
    EXPECT_EQ(effects.receipts[i].index(), i);
  }
  EXPECT_EQ(effects.receipts[0].code(), v1::RESULT_CODE_VALID);
  EXPECT_TRUE(effects.receipts[0].reason().empty());
  EXPECT_EQ(effects.receipts[1].code(), v1::RESULT_CODE_REJECTED);
  EXPECT_THAT(effects.receipts[1].reason(), ::testing::HasSubstr("'delivered' is not allowed"));
  // The rejected event left the state as the booking wrote it.
  EXPECT_EQ(effects.state_writes.at(kShipment).status(), v1::SHIPMENT_STATUS_BOOKED);
  EXPECT_EQ(effects.state_writes.at(kShipment).event_count(), 1u);
}

TEST(ExecuteBlock, RejectedEventsWriteNoState) {
  FakeState state;
  const std::vector<model::EventPtr> events = {Share(MakeEvent(v1::EVENT_TYPE_PICKUP, kExporter))};
  const model::BlockEffects effects = ExecuteBlock(events, state, Context(1));
  ASSERT_EQ(effects.receipts.size(), 1u);
  EXPECT_EQ(effects.receipts[0].code(), v1::RESULT_CODE_REJECTED);
  EXPECT_THAT(effects.receipts[0].reason(), ::testing::HasSubstr("is not booked"));
  EXPECT_TRUE(effects.state_writes.empty());
}

TEST(ExecuteBlock, DuplicateWithinABlockIsNotApplied) {
  FakeState state;
  const model::EventPtr booked = Share(Booked());
  const model::EventPtr pickup = Share(MakeEvent(v1::EVENT_TYPE_PICKUP, kExporter));
  const std::vector<model::EventPtr> events = {booked, pickup, booked, pickup};
  const model::BlockEffects effects = ExecuteBlock(events, state, Context(1));
  ASSERT_EQ(effects.receipts.size(), 4u);
  EXPECT_EQ(effects.receipts[0].code(), v1::RESULT_CODE_VALID);
  EXPECT_EQ(effects.receipts[1].code(), v1::RESULT_CODE_VALID);
  for (size_t i : {2u, 3u}) {
    EXPECT_EQ(effects.receipts[i].code(), v1::RESULT_CODE_DUPLICATE);
    EXPECT_EQ(effects.receipts[i].reason(), "event already committed");
    EXPECT_EQ(effects.receipts[i].index(), i);
  }
  EXPECT_EQ(effects.state_writes.at(kShipment).event_count(), 2u);
}

TEST(ExecuteBlock, DuplicateAcrossBlocksIsNotApplied) {
  FakeState state;
  const std::vector<model::EventPtr> block1 = {Share(Booked())};
  const model::BlockEffects effects1 = ExecuteBlock(block1, state, Context(1));
  state.Commit(block1, effects1);

  const std::vector<model::EventPtr> block2 = {block1[0]};
  const model::BlockEffects effects2 = ExecuteBlock(block2, state, Context(2));
  ASSERT_EQ(effects2.receipts.size(), 1u);
  EXPECT_EQ(effects2.receipts[0].code(), v1::RESULT_CODE_DUPLICATE);
  EXPECT_EQ(effects2.receipts[0].reason(), "event already committed");
  EXPECT_TRUE(effects2.state_writes.empty());
  // What the APIs rebuild for this copy is byte for byte what execution wrote.
  EXPECT_EQ(DuplicateReceipt(block1[0]->id, 2, 0).SerializeAsString(),
            effects2.receipts[0].SerializeAsString());
  EXPECT_EQ(ReceiptOfCopy(effects1.receipts[0], block1[0]->id, 2, 0).SerializeAsString(),
            effects2.receipts[0].SerializeAsString());
  EXPECT_EQ(ReceiptOfCopy(effects1.receipts[0], block1[0]->id, 1, 0).SerializeAsString(),
            effects1.receipts[0].SerializeAsString());
  EXPECT_EQ(ReceiptOfCopy(std::nullopt, block1[0]->id, 2, 0).code(), v1::RESULT_CODE_DUPLICATE);
}

TEST(ExecuteBlock, ReadsCommittedStateOfEarlierBlocks) {
  FakeState state;
  const std::vector<model::EventPtr> block1 = {Share(Booked())};
  state.Commit(block1, ExecuteBlock(block1, state, Context(1)));

  const std::vector<model::EventPtr> block2 = {
      Share(MakeEvent(v1::EVENT_TYPE_PICKUP, kExporter)),
      Share(Booked(kImporter, {})),  // the shipment exists already
  };
  const model::BlockEffects effects = ExecuteBlock(block2, state, Context(2));
  EXPECT_EQ(effects.receipts[0].code(), v1::RESULT_CODE_VALID);
  EXPECT_EQ(effects.receipts[1].code(), v1::RESULT_CODE_REJECTED);
  EXPECT_THAT(effects.receipts[1].reason(),
              ::testing::HasSubstr("shipment SHP-1 already booked at height 1"));
  const v1::ShipmentState& written = effects.state_writes.at(kShipment);
  EXPECT_EQ(written.status(), v1::SHIPMENT_STATUS_PICKED_UP);
  EXPECT_EQ(written.last_height(), 2u);
  EXPECT_EQ(written.last_event_ms(), Context(2).block_time_ms);
}

TEST(ExecuteBlock, WritesOneFinalStatePerShipment) {
  FakeState state;
  const std::vector<model::EventPtr> events = {
      Share(Booked(kExporter, {}, "SHP-B")), Share(Booked()),
      Share(MakeEvent(v1::EVENT_TYPE_PICKUP, kExporter)),
      Share(MakeEvent(v1::EVENT_TYPE_PICKUP, kExporter, {}, "SHP-C")),  // not booked
  };
  const model::BlockEffects effects = ExecuteBlock(events, state, Context(1));
  ASSERT_EQ(effects.state_writes.size(), 2u);
  EXPECT_EQ(effects.state_writes.at(kShipment).status(), v1::SHIPMENT_STATUS_PICKED_UP);
  EXPECT_EQ(effects.state_writes.at("SHP-B").status(), v1::SHIPMENT_STATUS_BOOKED);
  EXPECT_EQ(effects.receipts[3].code(), v1::RESULT_CODE_REJECTED);
}

TEST(ExecuteBlock, IsDeterministic) {
  const std::vector<model::EventPtr> events = {
      Share(Booked(kExporter, {kImporter}, "SHP-B")),
      Share(Booked()),
      Share(MakeEvent(v1::EVENT_TYPE_PICKUP, kExporter)),
      Share(MakeEvent(v1::EVENT_TYPE_LOADED, kImporter)),  // rejected: not the custodian
      Share(MakeEvent(v1::EVENT_TYPE_PICKUP, kExporter, {}, "SHP-B")),
  };
  FakeState state1;
  FakeState state2;
  const model::BlockEffects a = ExecuteBlock(events, state1, Context(3));
  const model::BlockEffects b = ExecuteBlock(events, state2, Context(3));
  ASSERT_EQ(a.receipts.size(), b.receipts.size());
  for (size_t i = 0; i < a.receipts.size(); ++i) {
    EXPECT_EQ(a.receipts[i].SerializeAsString(), b.receipts[i].SerializeAsString());
  }
  EXPECT_EQ(a.receipts_root, b.receipts_root);
  EXPECT_EQ(a.state_writes_digest, b.state_writes_digest);
  EXPECT_EQ(a.receipts_root, model::ReceiptsRoot(a.receipts, Context(3).rules_version));
  EXPECT_EQ(a.state_writes_digest, model::StateWritesDigest(a.state_writes, {}));
  EXPECT_EQ(a.receipts_root.size(), 32u);
  EXPECT_EQ(a.state_writes.size(), 2u);
}

TEST(StateWritesDigest, IsDomainTaggedSha256OverLengthPrefixedIdsAndStatesInIdOrder) {
  std::map<std::string, v1::ShipmentState> writes;
  writes["b"].set_shipment_id("b");
  writes["a"].set_shipment_id("a");
  writes["a"].set_status(v1::SHIPMENT_STATUS_BOOKED);
  Bytes expected(model::kStateDomain);
  for (const char* id : {"a", "b"}) {
    PutLengthPrefixed(&expected, id);
    PutLengthPrefixed(&expected, writes.at(id).SerializeAsString());
  }
  EXPECT_EQ(model::StateWritesDigest(writes, {}), crypto::Sha256(expected));
  EXPECT_EQ(model::StateWritesDigest({}, {}), crypto::Sha256(model::kStateDomain));
}

TEST(StateWritesDigest, ChangesWithAnyStateField) {
  std::map<std::string, v1::ShipmentState> writes;
  writes["a"].set_custodian("x");
  const Bytes before = model::StateWritesDigest(writes, {});
  writes["a"].set_custodian("y");
  EXPECT_NE(model::StateWritesDigest(writes, {}), before);
}

}  // namespace
}  // namespace shipledger::contracts
