// contracts::CommitBlock, the one path from an ordered block to a stored one: the rules the
// genesis names for the block's height, the results chain, the chain's refusal.
#include "contracts/commit.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "model/block.h"
#include "test_events.h"
#include "testing/memory_chain.h"

namespace shipledger::contracts {
namespace {

using namespace testutil;  // NOLINT(google-build-using-namespace): test helpers

v1::Block BlockAt(uint64_t height, const std::vector<model::EventPtr>& events) {
  v1::Block block;
  v1::Proposal* p = block.mutable_proposal();
  p->set_height(height);
  p->set_timestamp_ms(1'700'000'000'000 + static_cast<int64_t>(height) * 1000);
  p->set_event_count(static_cast<uint32_t>(events.size()));
  p->set_events_root(model::EventsRoot(events));
  return block;
}

model::Genesis RulesFrom(std::vector<model::ContractRulesFrom> rules) {
  model::Genesis g;
  g.contract_rules = std::move(rules);
  g.limits.max_open_legs_per_shipment = 7;
  return g;
}

TEST(ContextOf, TakesTheRulesInForceAtTheHeightAndTheGenesisLimits) {
  const model::Genesis g = RulesFrom({{1, 1}, {5, 3}});
  for (const auto& [height, rules] :
       std::vector<std::pair<uint64_t, uint32_t>>{{1, 1}, {4, 1}, {5, 3}, {9, 3}}) {
    v1::Proposal p;
    p.set_height(height);
    p.set_timestamp_ms(1234);
    const model::BlockContext c = ContextOf(g, p);
    EXPECT_EQ(c.height, height);
    EXPECT_EQ(c.block_time_ms, 1234);
    EXPECT_EQ(c.rules_version, rules) << "height " << height;
    ASSERT_NE(c.limits, nullptr);
    EXPECT_EQ(c.limits->max_open_legs_per_shipment, 7u);
  }
}

// The copies this replaced built the context without the rules version, so they ran rules v1
// whatever the genesis said: an event type that v2 introduced is refused at a v1 height and
// judged by its contract at a v2 height of the same chain.
TEST(CommitBlock, ExecutesEachBlockUnderTheRulesOfItsHeight) {
  const model::Genesis g = RulesFrom({{1, 1}, {3, 2}});
  shipledger::testing::MemoryChain chain;
  ASSERT_TRUE(CommitBlock(g, BlockAt(1, {Share(Booked())}), {Share(Booked())}, chain).ok());
  auto declare = [] { return Share(MakeEvent(v1::EVENT_TYPE_ERROR_DECLARATION, kExporter)); };
  const auto at2 = CommitBlock(g, BlockAt(2, {declare()}), {declare()}, chain);
  ASSERT_TRUE(at2.ok()) << at2.status().ToString();
  EXPECT_THAT(at2->effects.receipts[0].reason(),
              ::testing::HasSubstr("is not supported by contract rules v1"));
  const auto at3 = CommitBlock(g, BlockAt(3, {declare()}), {declare()}, chain);
  ASSERT_TRUE(at3.ok()) << at3.status().ToString();
  EXPECT_THAT(at3->effects.receipts[0].reason(),
              ::testing::Not(::testing::HasSubstr("is not supported")));
  EXPECT_EQ(chain.height(), 3u);
}

TEST(CommitBlock, ChainsTheResultsDigestOnTheHeadAndWritesIt) {
  const model::Genesis g = RulesFrom({});
  shipledger::testing::MemoryChain chain;
  Bytes prev = chain.HeadResults();
  for (uint64_t h = 1; h <= 3; ++h) {
    const std::vector<model::EventPtr> events = {
        Share(h == 1 ? Booked() : MakeEvent(v1::EVENT_TYPE_PICKUP, kExporter))};
    const auto executed = CommitBlock(g, BlockAt(h, events), events, chain);
    ASSERT_TRUE(executed.ok()) << executed.status().ToString();
    EXPECT_EQ(executed->results, model::ResultsDigest(prev, executed->effects.receipts_root,
                                                      executed->effects.state_writes_digest));
    EXPECT_EQ(chain.HeadResults(), executed->results);
    prev = executed->results;
  }
  EXPECT_EQ(chain.states().at(kShipment).status(), v1::SHIPMENT_STATUS_PICKED_UP);
}

TEST(CommitBlock, ReturnsTheChainsRefusalAndWritesNothing) {
  const model::Genesis g = RulesFrom({});
  shipledger::testing::MemoryChain chain;
  const std::vector<model::EventPtr> events = {Share(Booked())};
  const auto refused = CommitBlock(g, BlockAt(2, events), events, chain);  // height 1 is next
  EXPECT_EQ(refused.status().code(), Code::kFailedPrecondition);
  EXPECT_EQ(chain.height(), 0u);
  EXPECT_TRUE(chain.states().empty());
  EXPECT_EQ(chain.HeadResults(), Bytes(32, '\0'));
}

}  // namespace
}  // namespace shipledger::contracts
