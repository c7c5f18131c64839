#include "interop/json_fields.h"

#include <array>
#include <charconv>

namespace shipledger::interop {

namespace pb = google::protobuf;

const pb::Value* FieldOf(const pb::Struct& object, std::string_view key) {
  const auto it = object.fields().find(std::string(key));
  return it == object.fields().end() ? nullptr : &it->second;
}

std::string TextOf(const pb::Struct& object, std::string_view key) {
  const pb::Value* v = FieldOf(object, key);
  return v != nullptr && v->has_string_value() ? v->string_value() : "";
}

std::optional<std::string> ScalarText(const pb::Value& v) {
  switch (v.kind_case()) {
    case pb::Value::kStringValue:
      return v.string_value();
    case pb::Value::kBoolValue:
      return v.bool_value() ? "true" : "false";
    case pb::Value::kNumberValue: {
      // A JSON zero's sign depends on how the number was spelled (-0 reads as an integer, -0.0
      // as a double), so it carries nothing: every zero is 0.
      const double number = v.number_value() == 0 ? 0.0 : v.number_value();
      std::array<char, 64> buf{};
      const auto [end, ec] = std::to_chars(buf.data(), buf.data() + buf.size(), number);
      if (ec != std::errc()) return std::nullopt;
      return std::string(buf.data(), end);
    }
    default:
      return std::nullopt;
  }
}

void AddDetail(v1::Event* event, std::string key, std::string value) {
  auto* d = event->add_details();
  d->set_key(std::move(key));
  d->set_value(std::move(value));
}

void AddReference(v1::Event* event, std::string kind, std::string value) {
  auto* r = event->add_references();
  r->set_kind(std::move(kind));
  r->set_value(std::move(value));
}

}  // namespace shipledger::interop
