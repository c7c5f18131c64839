// HMAC-SHA256 (RFC 2104, OpenSSL) and Base64 (RFC 4648 §4) for shared secrets: the EPCIS
// gateway signs DCSA notifications with HMAC-SHA256 under a subscription's Base64 secret.
// Thread-safety: free functions.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "shipledger/bytes.h"

namespace shipledger::crypto {

// HMAC-SHA256 of `data` under `key`; 32 raw bytes.
Bytes HmacSha256(ByteView key, ByteView data);

// Standard Base64 with padding.
std::string Base64Encode(ByteView data);
// The bytes of standard Base64 text (padding required, no whitespace); nullopt when it is not.
std::optional<Bytes> Base64Decode(std::string_view text);

}  // namespace shipledger::crypto
