#include "cli/json.h"

#include <google/protobuf/descriptor.h>

#include <algorithm>
#include <array>
#include <cctype>
#include <charconv>
#include <cmath>
#include <set>

#include "cli/output.h"
#include "model/enum_names.h"
#include "model/event.h"
#include "shipledger/bytes.h"
#include "shipledger/json_text.h"

namespace shipledger::cli {

namespace pb = google::protobuf;

namespace {

const std::set<std::string, std::less<>>& TimestampFields() {
  static const std::set<std::string, std::less<>> names = {
      "occurred_at_ms", "block_time_ms", "timestamp_ms", "last_event_ms", "delivered_at_ms"};
  return names;
}

pb::Value StringValue(std::string_view s) {
  pb::Value v;
  v.set_string_value(std::string(s));
  return v;
}

pb::Value NumberValue(double d) {
  pb::Value v;
  v.set_number_value(d);
  return v;
}

pb::Value FieldValue(const pb::Message& m, const pb::FieldDescriptor* f, int index) {
  const pb::Reflection* r = m.GetReflection();
  const bool rep = index >= 0;
  using F = pb::FieldDescriptor;
  switch (f->cpp_type()) {
    case F::CPPTYPE_INT32:
      return NumberValue(rep ? r->GetRepeatedInt32(m, f, index) : r->GetInt32(m, f));
    case F::CPPTYPE_INT64:
      return NumberValue(
          static_cast<double>(rep ? r->GetRepeatedInt64(m, f, index) : r->GetInt64(m, f)));
    case F::CPPTYPE_UINT32:
      return NumberValue(rep ? r->GetRepeatedUInt32(m, f, index) : r->GetUInt32(m, f));
    case F::CPPTYPE_UINT64:
      return NumberValue(
          static_cast<double>(rep ? r->GetRepeatedUInt64(m, f, index) : r->GetUInt64(m, f)));
    case F::CPPTYPE_DOUBLE:
      return NumberValue(rep ? r->GetRepeatedDouble(m, f, index) : r->GetDouble(m, f));
    case F::CPPTYPE_FLOAT:
      return NumberValue(rep ? r->GetRepeatedFloat(m, f, index) : r->GetFloat(m, f));
    case F::CPPTYPE_BOOL: {
      pb::Value v;
      v.set_bool_value(rep ? r->GetRepeatedBool(m, f, index) : r->GetBool(m, f));
      return v;
    }
    case F::CPPTYPE_ENUM:
      return StringValue(EnumName(
          f->enum_type(), rep ? r->GetRepeatedEnumValue(m, f, index) : r->GetEnumValue(m, f)));
    case F::CPPTYPE_STRING: {
      const std::string s = rep ? r->GetRepeatedString(m, f, index) : r->GetString(m, f);
      return StringValue(f->type() == F::TYPE_BYTES ? ToHex(s) : s);
    }
    case F::CPPTYPE_MESSAGE:
      return MessageToJsonValue(rep ? r->GetRepeatedMessage(m, f, index) : r->GetMessage(m, f));
  }
  return pb::Value();
}

void AppendQuoted(std::string_view s, std::string* out) {
  out->push_back('"');
  AppendJsonString(s, out);
  out->push_back('"');
}

void AppendJsonNumber(double d, std::string* out) {
  if (!std::isfinite(d)) {
    out->append("null");
    return;
  }
  // Integers (heights, counts, Unix ms) print without a fraction or exponent.
  if (std::trunc(d) == d && std::fabs(d) < 9.2e18) {
    out->append(std::to_string(static_cast<int64_t>(d)));
    return;
  }
  std::array<char, 32> buf{};
  const auto [end, ec] = std::to_chars(buf.data(), buf.data() + buf.size(), d);
  out->append(buf.data(), ec == std::errc() ? static_cast<size_t>(end - buf.data()) : 0);
}

void Newline(bool one_line, int depth, std::string* out) {
  if (one_line) return;
  out->push_back('\n');
  out->append(static_cast<size_t>(depth) * 2, ' ');
}

// Renders `v` with object keys sorted, so documents are stable across runs.
void AppendJson(const pb::Value& v, bool one_line, int depth, std::string* out) {
  switch (v.kind_case()) {
    case pb::Value::kNumberValue:
      AppendJsonNumber(v.number_value(), out);
      return;
    case pb::Value::kStringValue:
      AppendQuoted(v.string_value(), out);
      return;
    case pb::Value::kBoolValue:
      out->append(v.bool_value() ? "true" : "false");
      return;
    case pb::Value::kStructValue: {
      const auto& fields = v.struct_value().fields();
      if (fields.empty()) {
        out->append("{}");
        return;
      }
      std::vector<const std::string*> keys;
      for (const auto& [key, unused] : fields) keys.push_back(&key);
      std::sort(keys.begin(), keys.end(),
                [](const std::string* a, const std::string* b) { return *a < *b; });
      out->push_back('{');
      for (size_t i = 0; i < keys.size(); ++i) {
        if (i > 0) out->push_back(',');
        Newline(one_line, depth + 1, out);
        AppendQuoted(*keys[i], out);
        out->append(one_line ? ":" : ": ");
        AppendJson(fields.at(*keys[i]), one_line, depth + 1, out);
      }
      Newline(one_line, depth, out);
      out->push_back('}');
      return;
    }
    case pb::Value::kListValue: {
      const auto& values = v.list_value().values();
      if (values.empty()) {
        out->append("[]");
        return;
      }
      out->push_back('[');
      for (int i = 0; i < values.size(); ++i) {
        if (i > 0) out->push_back(',');
        Newline(one_line, depth + 1, out);
        AppendJson(values[i], one_line, depth + 1, out);
      }
      Newline(one_line, depth, out);
      out->push_back(']');
      return;
    }
    default:
      out->append("null");
  }
}
}  // namespace

std::string EnumName(const pb::EnumDescriptor* type, int number) {
  if (type == v1::EventType_descriptor() && type->FindValueByNumber(number) != nullptr) {
    return model::EventTypeName(static_cast<v1::EventType>(number));
  }
  return model::EnumLabel(type, number);
}

JsonObject& JsonObject::Set(const std::string& key, std::string_view value) {
  (*struct_.mutable_fields())[key] = StringValue(value);
  return *this;
}

JsonObject& JsonObject::Set(const std::string& key, double value) {
  (*struct_.mutable_fields())[key] = NumberValue(value);
  return *this;
}

JsonObject& JsonObject::SetBool(const std::string& key, bool value) {
  (*struct_.mutable_fields())[key].set_bool_value(value);
  return *this;
}

JsonObject& JsonObject::SetHex(const std::string& key, std::string_view bytes) {
  return Set(key, std::string_view(ToHex(bytes)));
}

JsonObject& JsonObject::SetNull(const std::string& key) {
  (*struct_.mutable_fields())[key].set_null_value(pb::NULL_VALUE);
  return *this;
}

JsonObject& JsonObject::Set(const std::string& key, pb::Value value) {
  (*struct_.mutable_fields())[key] = std::move(value);
  return *this;
}

JsonObject& JsonObject::Set(const std::string& key, const JsonObject& value) {
  return Set(key, value.ToValue());
}

JsonObject& JsonObject::SetStrings(const std::string& key, const std::vector<std::string>& values) {
  std::vector<pb::Value> items;
  items.reserve(values.size());
  for (const auto& v : values) items.push_back(StringValue(v));
  return Set(key, JsonList(items));
}

pb::Value JsonObject::ToValue() const {
  pb::Value v;
  *v.mutable_struct_value() = struct_;
  return v;
}

pb::Value JsonList(const std::vector<pb::Value>& items) {
  pb::Value v;
  auto* list = v.mutable_list_value();
  for (const auto& item : items) *list->add_values() = item;
  return v;
}

pb::Value MessageToJsonValue(const pb::Message& message) {
  JsonObject object;
  const pb::Descriptor* d = message.GetDescriptor();
  const pb::Reflection* r = message.GetReflection();
  for (int i = 0; i < d->field_count(); ++i) {
    const pb::FieldDescriptor* f = d->field(i);
    if (f->is_repeated()) {
      std::vector<pb::Value> items;
      for (int j = 0; j < r->FieldSize(message, f); ++j) items.push_back(FieldValue(message, f, j));
      object.Set(f->name(), JsonList(items));
      continue;
    }
    const bool presence = f->cpp_type() == pb::FieldDescriptor::CPPTYPE_MESSAGE ||
                          f->real_containing_oneof() != nullptr;
    if (presence && !r->HasField(message, f)) continue;
    object.Set(f->name(), FieldValue(message, f, -1));
    if (TimestampFields().contains(f->name()) &&
        f->cpp_type() == pb::FieldDescriptor::CPPTYPE_INT64 && r->GetInt64(message, f) > 0) {
      object.Set(f->name().substr(0, f->name().size() - 3),
                 std::string_view(FormatTimeMs(r->GetInt64(message, f))));
    }
  }
  if (d == v1::SignedEvent::descriptor()) {
    const auto& se = static_cast<const v1::SignedEvent&>(message);
    object.SetHex("event_id", model::EventId(se.event()));
    object.SetHex("event_bytes", se.event());
    v1::Event event;
    if (event.ParseFromString(se.event())) {
      object.Set("event", MessageToJsonValue(event));
    } else {
      object.Set("event", "(undecodable event bytes)");
    }
  }
  return object.ToValue();
}

std::string RenderJson(const pb::Value& value, bool one_line) {
  std::string out;
  AppendJson(value, one_line, 0, &out);
  return out;
}

void PrintJson(std::ostream& out, const JsonObject& document, bool one_line) {
  out << RenderJson(document.ToValue(), one_line) << '\n';
}
}  // namespace shipledger::cli
