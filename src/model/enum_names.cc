#include "model/enum_names.h"

namespace shipledger::model {
namespace {

namespace pb = google::protobuf;

// "ShipmentStatus" -> "SHIPMENT_STATUS_": the prefix protobuf style gives the enum's values.
std::string ValuePrefix(const pb::EnumDescriptor* type) {
  std::string out;
  const std::string& camel = type->name();
  for (size_t i = 0; i < camel.size(); ++i) {
    const char c = camel[i];
    if (c >= 'A' && c <= 'Z' && i > 0) out.push_back('_');
    out.push_back(c >= 'a' && c <= 'z' ? static_cast<char>(c - 'a' + 'A') : c);
  }
  out.push_back('_');
  return out;
}

}  // namespace

std::string EnumLabel(const pb::EnumDescriptor* type, int number) {
  const pb::EnumValueDescriptor* value = type->FindValueByNumber(number);
  if (value == nullptr) return std::to_string(number);
  const std::string prefix = ValuePrefix(type);
  const std::string& name = value->name();
  if (name.size() > prefix.size() && name.compare(0, prefix.size(), prefix) == 0) {
    return name.substr(prefix.size());
  }
  return name;
}

std::string EnumSnakeName(const pb::EnumDescriptor* type, int number) {
  if (number == 0 || type->FindValueByNumber(number) == nullptr) return "unspecified";
  std::string out = EnumLabel(type, number);
  for (char& c : out) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  }
  return out;
}

std::string EventTypeName(v1::EventType type) {
  return EnumSnakeName(v1::EventType_descriptor(), type);
}

std::string ShipmentStatusName(v1::ShipmentStatus status) {
  return EnumSnakeName(v1::ShipmentStatus_descriptor(), status);
}

}  // namespace shipledger::model
