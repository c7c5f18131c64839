// SecretBytes: key material that is wiped (OPENSSL_cleanse) when it is destroyed or replaced.
// Moves swap buffers, so a moved-from object holds nothing of the secret.
// Thread-safety: a value type; one thread at a time.
#pragma once

#include <openssl/crypto.h>

#include <utility>

#include "shipledger/bytes.h"

namespace shipledger::crypto {

class SecretBytes {
 public:
  SecretBytes() = default;
  explicit SecretBytes(Bytes bytes) : bytes_(std::move(bytes)) {}
  SecretBytes(const SecretBytes&) = delete;
  SecretBytes& operator=(const SecretBytes&) = delete;
  SecretBytes(SecretBytes&& other) noexcept { bytes_.swap(other.bytes_); }
  SecretBytes& operator=(SecretBytes&& other) noexcept {
    if (this != &other) {
      Wipe();
      bytes_.swap(other.bytes_);
    }
    return *this;
  }
  ~SecretBytes() { Wipe(); }

  ByteView view() const { return bytes_; }
  size_t size() const { return bytes_.size(); }
  // Writable storage of size() bytes, for OpenSSL to fill.
  unsigned char* data() { return reinterpret_cast<unsigned char*>(bytes_.data()); }

 private:
  void Wipe() {
    if (!bytes_.empty()) OPENSSL_cleanse(bytes_.data(), bytes_.size());
    bytes_.clear();
  }
  Bytes bytes_;
};

}  // namespace shipledger::crypto
