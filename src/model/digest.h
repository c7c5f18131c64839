// The size of every digest and id on the chain: each is a SHA-256 (docs/formats.md) — event
// ids, block hashes, proposal digests, receipts roots, results digests, state-writes digests,
// certificate fingerprints, document and tracking-code hashes.
#pragma once

#include <cstddef>

#include "crypto/sha256.h"
#include "shipledger/bytes.h"

namespace shipledger::model {

inline constexpr size_t kDigestSize = crypto::kSha256Size;

// The results digest below height 1 (results_0) and the genesis checkpoint's: all zero bytes.
inline Bytes ZeroDigest() { return Bytes(kDigestSize, '\0'); }

}  // namespace shipledger::model
