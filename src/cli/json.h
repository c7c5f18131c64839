// JSON documents of the operator CLI, built as google::protobuf::Value (Struct for objects) and
// rendered with object keys sorted, so output is stable across runs. Byte fields are printed as
// lower-case hex, never base64; times as Unix ms plus an ISO-8601 sibling.
// Thread-safety: free functions and value types.
#pragma once

#include <google/protobuf/descriptor.h>
#include <google/protobuf/message.h>
#include <google/protobuf/struct.pb.h>

#include <cstdint>
#include <ostream>
#include <string>
#include <string_view>
#include <vector>

namespace shipledger::cli {

// An enum value's name as the CLI prints it: without its type prefix ("VALID" for
// RESULT_CODE_VALID), event types in snake_case as on the command line ("handover"); the
// number for a value the descriptor does not know.
std::string EnumName(const google::protobuf::EnumDescriptor* type, int number);

// A JSON object under construction (keys print sorted, not in insertion order).
class JsonObject {
 public:
  JsonObject& Set(const std::string& key, std::string_view value);
  JsonObject& Set(const std::string& key, const char* value) {
    return Set(key, std::string_view(value));
  }
  JsonObject& Set(const std::string& key, double value);
  JsonObject& Set(const std::string& key, int64_t value) {
    return Set(key, static_cast<double>(value));
  }
  JsonObject& Set(const std::string& key, uint64_t value) {
    return Set(key, static_cast<double>(value));
  }
  JsonObject& Set(const std::string& key, uint32_t value) {
    return Set(key, static_cast<double>(value));
  }
  JsonObject& Set(const std::string& key, int value) {
    return Set(key, static_cast<double>(value));
  }
  JsonObject& SetBool(const std::string& key, bool value);
  JsonObject& SetHex(const std::string& key, std::string_view bytes);
  JsonObject& SetNull(const std::string& key);
  JsonObject& Set(const std::string& key, google::protobuf::Value value);
  JsonObject& Set(const std::string& key, const JsonObject& value);
  JsonObject& SetStrings(const std::string& key, const std::vector<std::string>& values);

  google::protobuf::Value ToValue() const;
  const google::protobuf::Struct& fields() const { return struct_; }

 private:
  google::protobuf::Struct struct_;
};

google::protobuf::Value JsonList(const std::vector<google::protobuf::Value>& items);

// A protobuf message as a JSON value: field names as in the .proto, bytes as hex, enums by name
// without their type prefix (event types in snake_case, as on the command line), scalar fields
// always present, messages only when set. Known Unix-ms timestamp fields (occurred_at_ms,
// block_time_ms, timestamp_ms, ...) get an ISO-8601 sibling without the "_ms" suffix. A
// SignedEvent also shows its event id and its event decoded.
google::protobuf::Value MessageToJsonValue(const google::protobuf::Message& message);

// Renders a JSON value, keys sorted: indented by two spaces (one document) or on one line
// (streams, `watch`).
std::string RenderJson(const google::protobuf::Value& value, bool one_line = false);
// Prints `document` followed by a newline.
void PrintJson(std::ostream& out, const JsonObject& document, bool one_line = false);

}  // namespace shipledger::cli
