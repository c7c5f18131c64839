// Small readers and writers the interop mappings share: the fields of a JSON object (held as a
// protobuf Struct) and the entries of a ledger event.
// Thread-safety: pure functions.
#pragma once

#include <google/protobuf/struct.pb.h>

#include <optional>
#include <string>
#include <string_view>

#include "shipledger/v1/types.pb.h"

namespace shipledger::interop {

// The member `key` of `object`, or nullptr.
const google::protobuf::Value* FieldOf(const google::protobuf::Struct& object,
                                       std::string_view key);
// The member `key` of `object` when it is a string, else "".
std::string TextOf(const google::protobuf::Struct& object, std::string_view key);
// A JSON scalar as text: strings as they are, numbers in their shortest round-trip form (every
// zero as 0), booleans as true/false; nullopt for objects, lists and null.
std::optional<std::string> ScalarText(const google::protobuf::Value& value);

void AddDetail(v1::Event* event, std::string key, std::string value);
void AddReference(v1::Event* event, std::string kind, std::string value);

}  // namespace shipledger::interop
