// AES-256-GCM authenticated encryption with associated data (OpenSSL EVP), and random bytes.
// Used for private fields (DESIGN §4): ciphertexts carry their 16-byte tag at the end.
// Thread-safety: free functions.
#pragma once

#include <cstddef>

#include "crypto/secret.h"
#include "shipledger/bytes.h"
#include "shipledger/status.h"

namespace shipledger::crypto {

inline constexpr size_t kAes256KeySize = 32;
inline constexpr size_t kGcmIvSize = 12;
inline constexpr size_t kGcmTagSize = 16;

// `n` bytes from OpenSSL's CSPRNG. INTERNAL if it fails.
Result<Bytes> RandomBytes(size_t n);
// A fresh random AES-256 key.
Result<SecretBytes> RandomKey();

// AES-256-GCM of `plaintext` under `key` (32 bytes) and `iv` (12 bytes), authenticating `aad`.
// Returns ciphertext ‖ tag (plaintext.size() + 16 bytes). INVALID_ARGUMENT on a bad key or IV
// size; INTERNAL on an OpenSSL failure.
Result<Bytes> AesGcmSeal(ByteView key, ByteView iv, ByteView aad, ByteView plaintext);

// Inverse of AesGcmSeal. The plaintext is returned as a SecretBytes. INVALID_ARGUMENT
// ("authentication failed") when the key, IV, AAD, ciphertext or tag do not match, or on bad
// sizes (key 32, IV 12, ciphertext at least the 16-byte tag).
Result<SecretBytes> AesGcmOpen(ByteView key, ByteView iv, ByteView aad, ByteView sealed);

}  // namespace shipledger::crypto
