#include "contracts/lifecycle.h"

#include <gtest/gtest.h>

namespace shipledger::contracts {
namespace {

TEST(Lifecycle, NamesAreSnakeCaseWithoutPrefix) {
  EXPECT_EQ(model::EventTypeName(v1::EVENT_TYPE_EXPORT_CUSTOMS_DECLARED),
            "export_customs_declared");
  EXPECT_EQ(model::EventTypeName(v1::EVENT_TYPE_UNSPECIFIED), "unspecified");
  EXPECT_EQ(model::EventTypeName(static_cast<v1::EventType>(999)), "unspecified");
  EXPECT_EQ(model::ShipmentStatusName(v1::SHIPMENT_STATUS_AT_IMPORT_CUSTOMS), "at_import_customs");
  EXPECT_EQ(SideName(v1::CUSTOMS_SIDE_EXPORT), "export");
}

TEST(Lifecycle, SupportedTypesAreExactlyThoseWithRules) {
  for (int t = v1::EventType_MIN; t <= v1::EventType_MAX; ++t) {
    const auto type = static_cast<v1::EventType>(t);
    const bool unsupported =
        type == v1::EVENT_TYPE_UNSPECIFIED || type >= v1::EVENT_TYPE_CARRIER_OFFER;
    EXPECT_EQ(IsSupportedType(type, 1), !unsupported) << model::EventTypeName(type);
    if (!unsupported && type != v1::EVENT_TYPE_BOOKED) {
      EXPECT_NE(TransitionRule(type), "the event type has no lifecycle transition")
          << model::EventTypeName(type);
    }
  }
}

TEST(Lifecycle, NothingLeavesReturned) {
  for (int t = v1::EventType_MIN; t <= v1::EventType_MAX; ++t) {
    EXPECT_FALSE(
        NextStatus(static_cast<v1::EventType>(t), v1::SHIPMENT_STATUS_RETURNED, 1).has_value());
  }
}

TEST(Lifecycle, HoldsAndReleasesKeepProgressExceptAtCustoms) {
  EXPECT_EQ(NextStatus(v1::EVENT_TYPE_IMPORT_CUSTOMS_HELD, v1::SHIPMENT_STATUS_ARRIVED, 1),
            v1::SHIPMENT_STATUS_AT_IMPORT_CUSTOMS);
  EXPECT_EQ(NextStatus(v1::EVENT_TYPE_IMPORT_CUSTOMS_HELD, v1::SHIPMENT_STATUS_IMPORT_CLEARED, 1),
            v1::SHIPMENT_STATUS_IMPORT_CLEARED);
  EXPECT_EQ(
      NextStatus(v1::EVENT_TYPE_IMPORT_CUSTOMS_RELEASED, v1::SHIPMENT_STATUS_AT_IMPORT_CUSTOMS, 1),
      v1::SHIPMENT_STATUS_IMPORT_CLEARED);
  EXPECT_EQ(NextStatus(v1::EVENT_TYPE_EXPORT_CUSTOMS_RELEASED, v1::SHIPMENT_STATUS_LOADED, 1),
            v1::SHIPMENT_STATUS_LOADED);
  EXPECT_FALSE(NextStatus(v1::EVENT_TYPE_EXPORT_CUSTOMS_HELD, v1::SHIPMENT_STATUS_IN_TRANSIT, 1)
                   .has_value());
}

TEST(Lifecycle, OutOfRangeStatusIsNeverAllowed) {
  EXPECT_FALSE(NextStatus(v1::EVENT_TYPE_HANDOVER, static_cast<v1::ShipmentStatus>(40), 1));
  EXPECT_FALSE(NextStatus(v1::EVENT_TYPE_HANDOVER, static_cast<v1::ShipmentStatus>(-1), 1));
}

TEST(Lifecycle, RulesV2SupportOffersReassignmentAndErrorDeclarations) {
  for (auto type : {v1::EVENT_TYPE_CARRIER_OFFER, v1::EVENT_TYPE_CARRIER_WITHDRAWAL,
                    v1::EVENT_TYPE_LEG_REASSIGNMENT, v1::EVENT_TYPE_ERROR_DECLARATION}) {
    EXPECT_FALSE(IsSupportedType(type, 1)) << model::EventTypeName(type);
    EXPECT_TRUE(IsSupportedType(type, 2)) << model::EventTypeName(type);
  }
  EXPECT_FALSE(IsSupportedType(v1::EVENT_TYPE_CERTIFICATE_REVOCATION, 2));
}

TEST(Lifecycle, RulesV2LoadAgainAfterArrivalForTheNextLegButV1DoNot) {
  EXPECT_FALSE(NextStatus(v1::EVENT_TYPE_LOADED, v1::SHIPMENT_STATUS_ARRIVED, 1).has_value());
  EXPECT_EQ(NextStatus(v1::EVENT_TYPE_LOADED, v1::SHIPMENT_STATUS_ARRIVED, 2),
            v1::SHIPMENT_STATUS_LOADED);
  EXPECT_EQ(NextStatus(v1::EVENT_TYPE_LOADED, v1::SHIPMENT_STATUS_IMPORT_CLEARED, 2),
            v1::SHIPMENT_STATUS_LOADED);
  EXPECT_EQ(NextStatus(v1::EVENT_TYPE_EXPORT_CUSTOMS_DECLARED, v1::SHIPMENT_STATUS_ARRIVED, 2),
            v1::SHIPMENT_STATUS_AT_EXPORT_CUSTOMS);
}

TEST(Lifecycle, RulesV2RecordCustomsAndReadingsDuringAReturn) {
  const auto in_transit = v1::SHIPMENT_STATUS_RETURN_IN_TRANSIT;
  for (auto type : {v1::EVENT_TYPE_EXPORT_CUSTOMS_DECLARED, v1::EVENT_TYPE_IMPORT_CUSTOMS_HELD,
                    v1::EVENT_TYPE_SENSOR_READINGS}) {
    EXPECT_FALSE(NextStatus(type, in_transit, 1).has_value()) << model::EventTypeName(type);
    EXPECT_EQ(NextStatus(type, in_transit, 2), in_transit) << model::EventTypeName(type);
    EXPECT_FALSE(AllowedAfterDelivery(type, in_transit, 1)) << model::EventTypeName(type);
    EXPECT_TRUE(AllowedAfterDelivery(type, in_transit, 2)) << model::EventTypeName(type);
    EXPECT_FALSE(AllowedAfterDelivery(type, v1::SHIPMENT_STATUS_DELIVERED, 2))
        << model::EventTypeName(type);
  }
}

}  // namespace
}  // namespace shipledger::contracts
