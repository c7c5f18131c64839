// Contract rules v2: sensor readings, per-custody figures, excursions.
#include "contract_v2_fixture.h"

namespace shipledger::contracts {
namespace {

using namespace testutil;  // NOLINT(google-build-using-namespace): test helpers
using Kind = v1::ContractOutput;

constexpr int64_t kT = kT0 + 10 * kMinute;  // reading times

class ColdChainTest : public RulesV2Test {
 protected:
  // 2–8 °C, at most 30 minutes outside in total; one named road leg by carrier-co.
  void BookColdChain() {
    v1::BookingTerms terms;
    terms.mutable_cold_chain()->set_min_milli_c(2000);
    terms.mutable_cold_chain()->set_max_milli_c(8000);
    terms.mutable_cold_chain()->set_tolerance_ms(30 * kMinute);
    ExpectValid(BookedWith({Leg("DEHAM", "DEBER", v1::TRANSPORT_MODE_ROAD, kCarrier)}, terms));
  }
};

TEST_F(ColdChainTest, ReadingsInRangeRecordFiguresPerCustodyStretch) {
  BookColdChain();
  ExpectValid(Readings(kExporter, {{kT, 4000}, {kT + kMinute, 5500}}));
  ExpectValid(HandoverOf(kExporter, kCarrier));
  ExpectValid(Readings(kCarrier, {{kT + 2 * kMinute, 3000}}));
  const v1::ShipmentState& s = Shipment();
  ASSERT_EQ(s.segments_size(), 2);
  EXPECT_EQ(s.segments(0).custodian(), kExporter);
  EXPECT_EQ(s.segments(0).leg(), 0u);
  EXPECT_EQ(s.segments(0).min_milli_c(), 4000);
  EXPECT_EQ(s.segments(0).max_milli_c(), 5500);
  EXPECT_EQ(s.segments(0).readings(), 2u);
  EXPECT_EQ(s.segments(1).custodian(), kCarrier);
  EXPECT_EQ(s.segments(1).leg(), 1u);
  EXPECT_FALSE(s.excursion());
  EXPECT_EQ(s.out_of_range_ms(), 0);
}

TEST_F(ColdChainTest, TimeOutOfRangeBeyondToleranceIsAnExcursionFlaggedOnce) {
  BookColdChain();
  ExpectValid(HandoverOf(kExporter, kCarrier));
  // 9.5 °C from kT: held until the next reading 20 min later (within tolerance so far).
  EXPECT_TRUE(
      ExpectValid(Readings(kCarrier, {{kT, 9500}, {kT + 20 * kMinute, 9000}})).outputs().empty());
  EXPECT_EQ(Shipment().out_of_range_ms(), 20 * kMinute);
  EXPECT_FALSE(Shipment().excursion());
  // 15 more minutes outside: 35 min > 30 min tolerance.
  const v1::Receipt r = ExpectValid(Readings(kCarrier, {{kT + 35 * kMinute, 5000}}));
  ASSERT_EQ(r.outputs_size(), 1);
  EXPECT_EQ(r.outputs(0).kind(), Kind::KIND_EXCURSION);
  EXPECT_EQ(r.outputs(0).out_of_range_ms(), 35 * kMinute);
  EXPECT_EQ(r.outputs(0).carrier(), kCarrier);
  EXPECT_EQ(r.outputs(0).leg(), 1u);
  EXPECT_EQ(r.outputs(0).reason(),
            "35 min outside 2.000 °C to 8.000 °C (tolerance 30 min); in custody of 'carrier-co', "
            "leg 1");
  EXPECT_TRUE(Shipment().excursion());
  EXPECT_EQ(Shipment().segments(0).out_of_range_ms(), 35 * kMinute);
  EXPECT_EQ(Shipment().segments(0).max_milli_c(), 9500);
  // Already flagged: later excursions add time but no second alert.
  EXPECT_TRUE(
      ExpectValid(Readings(kCarrier, {{kT + 40 * kMinute, -1000}, {kT + 50 * kMinute, 4000}}))
          .outputs()
          .empty());
  EXPECT_EQ(Shipment().out_of_range_ms(), 45 * kMinute);
}

TEST_F(ColdChainTest, FahrenheitReadingsAreConvertedBeforeTheRangeCheck) {
  BookColdChain();
  // 50 °F = 10 °C (out of range); 41 °F = 5 °C.
  ExpectValid(Readings(kExporter, {{kT, 50000}, {kT + 31 * kMinute, 41000}}, "F"));
  EXPECT_EQ(Shipment().segments(0).max_milli_c(), 10000);
  EXPECT_EQ(Shipment().segments(0).min_milli_c(), 5000);
  EXPECT_TRUE(Shipment().excursion());
}

TEST_F(ColdChainTest, ReadingsRejections) {
  BookColdChain();
  ExpectRejected(Readings(kCarrier, {{kT, 4000}}),
                 "custody event 'sensor_readings' signed by 'carrier-co' but custodian is "
                 "'exporter-co'");
  ExpectValid(Readings(kExporter, {{kT, 4000}}));
  ExpectRejected(Readings(kExporter, {{kT, 4000}}),
                 "readings must be newer than the shipment's last reading");
}

TEST_F(ColdChainTest, WithoutTermsReadingsAreRecordedButNeverAnExcursion) {
  ExpectValid(BookedWith({}));
  ExpectValid(Readings(kExporter, {{kT, 30000}, {kT + 600 * kMinute, 30000}}));
  EXPECT_FALSE(Shipment().excursion());
  EXPECT_EQ(Shipment().segments(0).max_milli_c(), 30000);
}

}  // namespace
}  // namespace shipledger::contracts
