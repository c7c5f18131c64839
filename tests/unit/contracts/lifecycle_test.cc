#include "contracts/lifecycle.h"

#include <gtest/gtest.h>

namespace shipledger::contracts {
namespace {

TEST(Lifecycle, NamesAreSnakeCaseWithoutPrefix) {
  EXPECT_EQ(TypeName(v1::EVENT_TYPE_EXPORT_CUSTOMS_DECLARED), "export_customs_declared");
  EXPECT_EQ(TypeName(v1::EVENT_TYPE_UNSPECIFIED), "unspecified");
  EXPECT_EQ(TypeName(static_cast<v1::EventType>(999)), "unspecified");
  EXPECT_EQ(StatusName(v1::SHIPMENT_STATUS_AT_IMPORT_CUSTOMS), "at_import_customs");
  EXPECT_EQ(SideName(v1::CUSTOMS_SIDE_EXPORT), "export");
}

TEST(Lifecycle, SupportedTypesAreExactlyThoseWithRules) {
  for (int t = v1::EventType_MIN; t <= v1::EventType_MAX; ++t) {
    const auto type = static_cast<v1::EventType>(t);
    const bool unsupported =
        type == v1::EVENT_TYPE_UNSPECIFIED || type >= v1::EVENT_TYPE_CARRIER_OFFER;
    EXPECT_EQ(IsSupportedType(type), !unsupported) << TypeName(type);
    if (!unsupported && type != v1::EVENT_TYPE_BOOKED) {
      EXPECT_NE(TransitionRule(type), "the event type has no lifecycle transition")
          << TypeName(type);
    }
  }
}

TEST(Lifecycle, NothingLeavesReturned) {
  for (int t = v1::EventType_MIN; t <= v1::EventType_MAX; ++t) {
    EXPECT_FALSE(
        NextStatus(static_cast<v1::EventType>(t), v1::SHIPMENT_STATUS_RETURNED).has_value());
  }
}

TEST(Lifecycle, HoldsAndReleasesKeepProgressExceptAtCustoms) {
  EXPECT_EQ(NextStatus(v1::EVENT_TYPE_IMPORT_CUSTOMS_HELD, v1::SHIPMENT_STATUS_ARRIVED),
            v1::SHIPMENT_STATUS_AT_IMPORT_CUSTOMS);
  EXPECT_EQ(NextStatus(v1::EVENT_TYPE_IMPORT_CUSTOMS_HELD, v1::SHIPMENT_STATUS_IMPORT_CLEARED),
            v1::SHIPMENT_STATUS_IMPORT_CLEARED);
  EXPECT_EQ(
      NextStatus(v1::EVENT_TYPE_IMPORT_CUSTOMS_RELEASED, v1::SHIPMENT_STATUS_AT_IMPORT_CUSTOMS),
      v1::SHIPMENT_STATUS_IMPORT_CLEARED);
  EXPECT_EQ(NextStatus(v1::EVENT_TYPE_EXPORT_CUSTOMS_RELEASED, v1::SHIPMENT_STATUS_LOADED),
            v1::SHIPMENT_STATUS_LOADED);
  EXPECT_FALSE(
      NextStatus(v1::EVENT_TYPE_EXPORT_CUSTOMS_HELD, v1::SHIPMENT_STATUS_IN_TRANSIT).has_value());
}

TEST(Lifecycle, OutOfRangeStatusIsNeverAllowed) {
  EXPECT_FALSE(NextStatus(v1::EVENT_TYPE_HANDOVER, static_cast<v1::ShipmentStatus>(40)));
  EXPECT_FALSE(NextStatus(v1::EVENT_TYPE_HANDOVER, static_cast<v1::ShipmentStatus>(-1)));
}

}  // namespace
}  // namespace shipledger::contracts
