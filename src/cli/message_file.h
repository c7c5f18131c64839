// Protobuf messages as files (proofs, disclosures): the binary encoding, exactly; and text
// files the CLI writes (exported documents).
// Thread-safety: free functions.
#pragma once

#include <google/protobuf/message.h>

#include <string>
#include <string_view>

#include "shipledger/status.h"

namespace shipledger::cli {

// Writes `message` to `path` (replacing it). INTERNAL when it cannot be written.
Status WriteMessageFile(const std::string& path, const google::protobuf::Message& message);

// Writes `text` to `path` (replacing it). INTERNAL when it cannot be written.
Status WriteTextFile(const std::string& path, std::string_view text);

// Reads `path` into `message`. NOT_FOUND when it cannot be opened; INVALID_ARGUMENT "… is not
// <what>" when it is larger than `max_bytes` or does not parse.
Status ReadMessageFile(const std::string& path, size_t max_bytes, const std::string& what,
                       google::protobuf::Message* message);

}  // namespace shipledger::cli
