// Key agreement for private fields (DESIGN §4): ECDH on P-256, HKDF-SHA256 (RFC 5869), and the
// uncompressed SEC1 encoding of P-256 public keys (0x04 ‖ X ‖ Y, 65 bytes).
// Thread-safety: free functions.
#pragma once

#include <cstddef>

#include "crypto/ecdsa.h"
#include "crypto/secret.h"
#include "shipledger/bytes.h"
#include "shipledger/status.h"

namespace shipledger::crypto {

inline constexpr size_t kP256PointSize = 65;

// The uncompressed point of a P-256 public key (65 bytes). INTERNAL on an OpenSSL failure.
Result<Bytes> EncodePoint(const PublicKey& key);

// A P-256 public key from an uncompressed point. INVALID_ARGUMENT unless `point` is 65 bytes
// starting with 0x04 and lies on the curve (P-256 has cofactor 1, so every such point is in
// the prime-order group; the point at infinity has no 65-byte encoding).
Result<PublicKey> DecodePoint(ByteView point);

// The ECDH shared secret (the 32-byte X coordinate of mine·theirs). INVALID_ARGUMENT when
// `theirs` is not a valid P-256 key; INTERNAL on an OpenSSL failure.
Result<SecretBytes> Ecdh(const PrivateKey& mine, const PublicKey& theirs);

// HKDF-SHA256 (RFC 5869) extract-and-expand of `ikm` into `length` bytes (1..8160). An empty
// `salt` means HashLen zero bytes, as the RFC says. INTERNAL on an OpenSSL failure.
Result<SecretBytes> HkdfSha256(ByteView ikm, ByteView salt, ByteView info, size_t length);

}  // namespace shipledger::crypto
