// Internal to config/: writing the files of identities and networks. Keys must never be readable
// by others, not even for a moment, so files are created with their final mode; a reader never
// sees a half-written file, so each file is written beside its target and renamed into place.
// Thread-safety: free functions; callers do not write the same path concurrently.
#pragma once

#include <sys/types.h>

#include <string>
#include <string_view>

#include "shipledger/status.h"

namespace shipledger::config::internal {

inline constexpr mode_t kPrivateFileMode = 0600;  // private keys
inline constexpr mode_t kPublicFileMode = 0644;   // certificates, genesis, node.yaml

// Writes `contents` to PATH.tmp (mode `mode`), flushes it to disk and renames it to PATH,
// replacing any existing file. Creates missing parent folders. INTERNAL naming the path on error.
Status WriteFileAtomic(const std::string& path, std::string_view contents, mode_t mode);

// Reads a whole file: NOT_FOUND when missing, INTERNAL on other errors (path in the message).
Result<std::string> ReadWholeFile(const std::string& path);

// True when `path` exists (any type). Errors count as "exists" so that callers refuse rather
// than overwrite.
bool PathExists(const std::string& path);

}  // namespace shipledger::config::internal
