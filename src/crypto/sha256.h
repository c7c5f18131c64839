// SHA-256 (OpenSSL). Thread-safe: free functions; a Sha256Hasher is used by one thread.
#pragma once

#include <initializer_list>
#include <memory>

#include "shipledger/bytes.h"

namespace shipledger::crypto {

inline constexpr size_t kSha256Size = 32;

// SHA-256 of `data`; 32 raw bytes.
Bytes Sha256(ByteView data);
// SHA-256 of the concatenation of `parts` (no separators: callers length-prefix variable parts).
Bytes Sha256(std::initializer_list<ByteView> parts);

// Incremental SHA-256.
class Sha256Hasher {
 public:
  Sha256Hasher();
  ~Sha256Hasher();
  Sha256Hasher(const Sha256Hasher&) = delete;
  Sha256Hasher& operator=(const Sha256Hasher&) = delete;

  void Update(ByteView data);
  // Returns the digest; the hasher must not be used afterwards.
  Bytes Finish();

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace shipledger::crypto
