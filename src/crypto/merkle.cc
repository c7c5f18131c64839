#include "crypto/merkle.h"

#include <bit>
#include <span>
#include <string>

#include "crypto/sha256.h"

namespace shipledger::crypto {
namespace {

constexpr char kLeafPrefix[] = {'\x00'};
constexpr char kNodePrefix[] = {'\x01'};

using Leaves = std::span<const Bytes>;

// RFC 6962 §2.1: the largest power of two smaller than n. REQUIRES: n > 1.
size_t SplitPoint(size_t n) { return std::bit_floor(n - 1); }

// MTH(D[n]) for n >= 1 (RFC 6962 §2.1).
Bytes SubtreeRoot(Leaves leaves) {
  if (leaves.size() == 1) return leaves[0];
  const size_t k = SplitPoint(leaves.size());
  return MerkleNodeHash(SubtreeRoot(leaves.first(k)), SubtreeRoot(leaves.subspan(k)));
}

// PATH(m, D[n]) (RFC 6962 §2.1.1), appended leaf level first. REQUIRES: m < leaves.size().
void AppendPath(Leaves leaves, size_t m, std::vector<Bytes>* path) {
  if (leaves.size() <= 1) return;
  const size_t k = SplitPoint(leaves.size());
  if (m < k) {
    AppendPath(leaves.first(k), m, path);
    path->push_back(SubtreeRoot(leaves.subspan(k)));
  } else {
    AppendPath(leaves.subspan(k), m - k, path);
    path->push_back(SubtreeRoot(leaves.first(k)));
  }
}

// The number of path hashes RFC 9162 §2.1.3.2 consumes for `index` in a tree of `size`
// (REQUIRES: index < size): one per level below the root on the leaf's side, where a right
// edge whose node has no sibling is skipped.
size_t ExpectedPathLength(uint64_t index, uint64_t size) {
  uint64_t fn = index;
  uint64_t sn = size - 1;
  size_t length = 0;
  while (sn != 0) {
    if (fn == sn) {  // The same walk as VerifyInclusion, without hashing.
      while ((fn & 1) == 0 && fn != 0) {
        fn >>= 1;
        sn >>= 1;
      }
    }
    ++length;
    fn >>= 1;
    sn >>= 1;
  }
  return length;
}

}  // namespace

Bytes MerkleLeafHash(ByteView data) { return Sha256({ByteView(kLeafPrefix, 1), data}); }

Bytes MerkleNodeHash(ByteView left, ByteView right) {
  return Sha256({ByteView(kNodePrefix, 1), left, right});
}

Bytes MerkleRoot(const std::vector<Bytes>& leaf_hashes) {
  if (leaf_hashes.empty()) return Sha256(ByteView());
  return SubtreeRoot(leaf_hashes);
}

Result<InclusionProof> MakeInclusionProof(const std::vector<Bytes>& leaf_hashes, uint64_t index) {
  if (index >= leaf_hashes.size()) {
    return Status::OutOfRange("leaf index " + std::to_string(index) +
                              " is outside a tree of size " + std::to_string(leaf_hashes.size()));
  }
  InclusionProof proof;
  proof.index = index;
  proof.tree_size = leaf_hashes.size();
  AppendPath(leaf_hashes, static_cast<size_t>(index), &proof.path);
  return proof;
}

// RFC 9162 §2.1.3.2 (the verification algorithm for RFC 6962 audit paths).
Status VerifyInclusion(ByteView leaf_hash, const InclusionProof& proof, ByteView root) {
  if (proof.index >= proof.tree_size) {
    return Status::InvalidArgument("leaf index " + std::to_string(proof.index) +
                                   " is not below tree size " + std::to_string(proof.tree_size));
  }
  if (leaf_hash.size() != kSha256Size) {
    return Status::InvalidArgument("leaf hash is " + std::to_string(leaf_hash.size()) +
                                   " bytes, want " + std::to_string(kSha256Size));
  }
  if (root.size() != kSha256Size) {
    return Status::InvalidArgument("root is " + std::to_string(root.size()) + " bytes, want " +
                                   std::to_string(kSha256Size));
  }
  const size_t want_length = ExpectedPathLength(proof.index, proof.tree_size);
  if (proof.path.size() != want_length) {
    return Status::InvalidArgument("inclusion path has " + std::to_string(proof.path.size()) +
                                   " hashes, leaf " + std::to_string(proof.index) +
                                   " of a tree of size " + std::to_string(proof.tree_size) +
                                   " needs " + std::to_string(want_length));
  }
  for (size_t i = 0; i < proof.path.size(); ++i) {
    if (proof.path[i].size() != kSha256Size) {
      return Status::InvalidArgument("inclusion path hash " + std::to_string(i) + " is " +
                                     std::to_string(proof.path[i].size()) + " bytes, want " +
                                     std::to_string(kSha256Size));
    }
  }
  uint64_t fn = proof.index;
  uint64_t sn = proof.tree_size - 1;
  Bytes r(leaf_hash);
  for (const Bytes& p : proof.path) {
    if (sn == 0) {  // Unreachable after the length check; kept as the RFC states it.
      return Status::InvalidArgument("inclusion path is longer than the tree is deep");
    }
    if ((fn & 1) != 0 || fn == sn) {
      r = MerkleNodeHash(p, r);
      while ((fn & 1) == 0 && fn != 0) {
        fn >>= 1;
        sn >>= 1;
      }
    } else {
      r = MerkleNodeHash(r, p);
    }
    fn >>= 1;
    sn >>= 1;
  }
  if (sn != 0) return Status::InvalidArgument("inclusion path is shorter than the tree is deep");
  if (r != root) {
    return Status::InvalidArgument("inclusion path leads to root " + ToHex(r) + ", want " +
                                   ToHex(root));
  }
  return Status::Ok();
}

}  // namespace shipledger::crypto
