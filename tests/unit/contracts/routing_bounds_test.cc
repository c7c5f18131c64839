#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <vector>

#include "contracts/executor.h"
#include "contracts/routing.h"
#include "test_events.h"
#include "testing/memory_chain.h"

namespace shipledger::contracts {
namespace {

using namespace testutil;  // NOLINT(google-build-using-namespace): test helpers

// Found by property_test.cc (seed 1570): Reassign compared static_cast<int>(leg) with the leg
// count, so a leg >= 2^31 passed as a negative number and indexed outside the legs (SIGSEGV on
// every node executing the block). It is rejected like any other leg beyond the route.
TEST(Routing, ReassignmentOfLegAbove2To31IsRejectedNotOutOfBounds) {
  shipledger::testing::MemoryChain state;
  model::AdmittedEvent booked = Booked();
  v1::LegPlan* leg = booked.event.mutable_booking()->add_legs();
  leg->set_origin("DEHAM");
  leg->set_destination("NLRTM");
  leg->set_mode(v1::TRANSPORT_MODE_ROAD);
  leg->set_carrier(kCarrier);
  model::AdmittedEvent reassign = MakeEvent(v1::EVENT_TYPE_LEG_REASSIGNMENT, kExporter);
  reassign.event.mutable_reassignment()->set_leg(0x80000000u);
  reassign.event.mutable_reassignment()->set_carrier(kForwarder);
  const std::vector<model::EventPtr> events = {Share(std::move(booked)),
                                               Share(std::move(reassign))};
  const model::BlockEffects effects =
      ExecuteBlock(events, state, model::BlockContext{1, 1'700'000'000'000, 2});
  ASSERT_EQ(effects.receipts.size(), 2u);
  EXPECT_EQ(effects.receipts[0].code(), v1::RESULT_CODE_VALID);
  EXPECT_EQ(effects.receipts[1].code(), v1::RESULT_CODE_REJECTED);
  EXPECT_THAT(effects.receipts[1].reason(), ::testing::HasSubstr("there is no leg 2147483648"));
}

}  // namespace
}  // namespace shipledger::contracts
