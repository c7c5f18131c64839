// The names the ledger gives protobuf enum values, one family for every module: receipts'
// reasons (where the words are certified, so they never change), the CLI and its JSON.
// Thread-safety: pure functions.
#pragma once

#include <google/protobuf/descriptor.h>

#include <string>

#include "shipledger/v1/types.pb.h"

namespace shipledger::model {

// The value's name without its enum's prefix ("VALID", "IN_TRANSIT", "LEG_ASSIGNED"), or the
// number when the enum has no such value.
std::string EnumLabel(const google::protobuf::EnumDescriptor* type, int number);
// The same in lower case ("in_transit", "export_customs_declared"); "unspecified" for 0 and
// for a number the enum does not have.
std::string EnumSnakeName(const google::protobuf::EnumDescriptor* type, int number);

// EnumSnakeName of the two enums reasons and the CLI name most.
std::string EventTypeName(v1::EventType type);
std::string ShipmentStatusName(v1::ShipmentStatus status);

}  // namespace shipledger::model
