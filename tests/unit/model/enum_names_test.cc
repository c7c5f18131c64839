#include "model/enum_names.h"

#include <gtest/gtest.h>

namespace shipledger::model {
namespace {

TEST(EnumNames, LabelDropsTheTypePrefixAndNamesUnknownNumbers) {
  EXPECT_EQ(EnumLabel(v1::ResultCode_descriptor(), v1::RESULT_CODE_VALID), "VALID");
  EXPECT_EQ(EnumLabel(v1::ShipmentStatus_descriptor(), v1::SHIPMENT_STATUS_IN_TRANSIT),
            "IN_TRANSIT");
  EXPECT_EQ(EnumLabel(v1::ContractOutput::Kind_descriptor(),
                      v1::ContractOutput::KIND_LEG_ASSIGNED),
            "LEG_ASSIGNED");
  EXPECT_EQ(EnumLabel(v1::ResultCode_descriptor(), v1::RESULT_CODE_UNSPECIFIED), "UNSPECIFIED");
  EXPECT_EQ(EnumLabel(v1::ResultCode_descriptor(), 999), "999");
}

// Receipts' reasons carry these words, and chains replay them byte for byte.
TEST(EnumNames, SnakeNamesAreLowerCaseAndUnspecifiedForZeroOrUnknown) {
  EXPECT_EQ(EventTypeName(v1::EVENT_TYPE_EXPORT_CUSTOMS_DECLARED), "export_customs_declared");
  EXPECT_EQ(EventTypeName(v1::EVENT_TYPE_PARTY_ADDED), "party_added");
  EXPECT_EQ(EventTypeName(v1::EVENT_TYPE_UNSPECIFIED), "unspecified");
  EXPECT_EQ(EventTypeName(static_cast<v1::EventType>(999)), "unspecified");
  EXPECT_EQ(ShipmentStatusName(v1::SHIPMENT_STATUS_AT_IMPORT_CUSTOMS), "at_import_customs");
  EXPECT_EQ(ShipmentStatusName(static_cast<v1::ShipmentStatus>(-3)), "unspecified");
  EXPECT_EQ(EnumSnakeName(v1::TransportMode_descriptor(), v1::TRANSPORT_MODE_SEA), "sea");
}

}  // namespace
}  // namespace shipledger::model
