#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <vector>

#include "contracts/cold_chain.h"
#include "contracts/executor.h"
#include "test_events.h"
#include "testing/memory_chain.h"

namespace shipledger::contracts {
namespace {

using namespace testutil;  // NOLINT(google-build-using-namespace): test helpers

constexpr int64_t kT0 = 1'700'000'000'000;

model::AdmittedEvent Readings(std::vector<std::pair<int64_t, int64_t>> time_and_milli_c) {
  model::AdmittedEvent admitted = MakeEvent(v1::EVENT_TYPE_SENSOR_READINGS, kExporter);
  for (const auto& [time_ms, milli_c] : time_and_milli_c) {
    v1::SensorReading* r = admitted.event.add_readings();
    r->set_time_ms(time_ms);
    r->set_value_milli(milli_c);
    r->set_unit("C");
  }
  return admitted;
}

v1::ResultCode Execute(shipledger::testing::MemoryChain& state, uint64_t height,
                       model::AdmittedEvent admitted) {
  const std::vector<model::EventPtr> events = {Share(std::move(admitted))};
  const model::BlockEffects effects =
      ExecuteBlock(events, state, model::BlockContext{height, kT0 + 1000 * int64_t(height), 2});
  state.Commit(events, effects);
  return effects.receipts[0].code();
}

// Found by property_test.cc (seed 5): a batch out of time order made ApplyReadings add a
// negative stretch, so out_of_range_ms went negative, and after an excursion it could fall back
// under the tolerance. Admission checks the order too; the contract does not rely on it and
// rejects the batch itself.
TEST(ColdChain, OutOfOrderBatchIsRejectedInsteadOfSubtractingTimeOutOfRange) {
  shipledger::testing::MemoryChain state;
  model::AdmittedEvent booked = Booked();
  v1::ColdChainTerms* terms = booked.event.mutable_booking()->mutable_cold_chain();
  terms->set_min_milli_c(2000);
  terms->set_max_milli_c(8000);
  terms->set_tolerance_ms(60'000);
  ASSERT_EQ(Execute(state, 1, std::move(booked)), v1::RESULT_CODE_VALID);

  // 20 C at T0+10 min, then a reading "earlier" at T0: -10 min out of range before the fix.
  EXPECT_EQ(Execute(state, 2, Readings({{kT0 + 600'000, 20'000}, {kT0, 5'000}})),
            v1::RESULT_CODE_REJECTED);
  const v1::ShipmentState s = *state.GetShipmentState(kShipment);
  EXPECT_EQ(s.out_of_range_ms(), 0);
  EXPECT_EQ(s.last_reading_ms(), 0);

  // The same readings in order are applied: 10 min out of range, an excursion.
  EXPECT_EQ(Execute(state, 3, Readings({{kT0, 20'000}, {kT0 + 600'000, 5'000}})),
            v1::RESULT_CODE_VALID);
  EXPECT_EQ(state.GetShipmentState(kShipment)->out_of_range_ms(), 600'000);
  EXPECT_TRUE(state.GetShipmentState(kShipment)->excursion());
}

TEST(ColdChain, EqualTimesWithinABatchAreInOrder) {
  v1::ShipmentState state;
  model::AdmittedEvent admitted = Readings({{kT0, 5'000}, {kT0, 6'000}});
  EXPECT_FALSE(CheckReadings(state, admitted.event).has_value());
}

}  // namespace
}  // namespace shipledger::contracts
