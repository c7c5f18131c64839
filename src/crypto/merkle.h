// Merkle tree of RFC 6962 (Certificate Transparency) §2.1: leaves hashed as SHA-256(0x00 ‖ d),
// interior nodes as SHA-256(0x01 ‖ left ‖ right), split at the largest power of two < n, so a
// leaf can never be passed off as a node. Inclusion proofs per RFC 6962 §2.1.1.
// Thread-safety: free functions over values.
#pragma once

#include <cstdint>
#include <vector>

#include "shipledger/bytes.h"
#include "shipledger/status.h"

namespace shipledger::crypto {

// SHA-256(0x00 ‖ data).
Bytes MerkleLeafHash(ByteView data);
// SHA-256(0x01 ‖ left ‖ right).
Bytes MerkleNodeHash(ByteView left, ByteView right);
// Root over leaf hashes (already MerkleLeafHash'ed). The empty tree's root is SHA-256("").
Bytes MerkleRoot(const std::vector<Bytes>& leaf_hashes);

struct InclusionProof {
  uint64_t index = 0;
  uint64_t tree_size = 0;
  std::vector<Bytes> path;  // sibling hashes, leaf level first
};

// OUT_OF_RANGE if index >= leaf_hashes.size().
Result<InclusionProof> MakeInclusionProof(const std::vector<Bytes>& leaf_hashes, uint64_t index);
// OK if `leaf_hash` at proof.index of a tree of proof.tree_size has root `root`;
// INVALID_ARGUMENT saying what did not match otherwise.
Status VerifyInclusion(ByteView leaf_hash, const InclusionProof& proof, ByteView root);

}  // namespace shipledger::crypto
