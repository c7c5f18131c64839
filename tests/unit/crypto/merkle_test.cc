#include "crypto/merkle.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "crypto/sha256.h"

namespace shipledger::crypto {
namespace {

using ::testing::HasSubstr;

// --- An independent, deliberately naive RFC 6962 §2.1 reference -------------------------

Bytes RefLeaf(const Bytes& data) { return Sha256(std::string(1, '\x00') + data); }
Bytes RefNode(const Bytes& l, const Bytes& r) { return Sha256(std::string(1, '\x01') + l + r); }

size_t RefSplit(size_t n) {  // largest power of two < n
  size_t k = 1;
  while (k * 2 < n) k *= 2;
  return k;
}

std::vector<Bytes> Slice(const std::vector<Bytes>& v, size_t from, size_t to) {
  return std::vector<Bytes>(v.begin() + static_cast<std::ptrdiff_t>(from),
                            v.begin() + static_cast<std::ptrdiff_t>(to));
}

// MTH over leaf hashes.
Bytes RefRoot(const std::vector<Bytes>& hashes) {
  if (hashes.empty()) return Sha256(std::string());
  if (hashes.size() == 1) return hashes[0];
  const size_t k = RefSplit(hashes.size());
  return RefNode(RefRoot(Slice(hashes, 0, k)), RefRoot(Slice(hashes, k, hashes.size())));
}

// PATH(m, D[n]).
std::vector<Bytes> RefPath(size_t m, const std::vector<Bytes>& hashes) {
  if (hashes.size() <= 1) return {};
  const size_t k = RefSplit(hashes.size());
  std::vector<Bytes> path;
  if (m < k) {
    path = RefPath(m, Slice(hashes, 0, k));
    path.push_back(RefRoot(Slice(hashes, k, hashes.size())));
  } else {
    path = RefPath(m - k, Slice(hashes, k, hashes.size()));
    path.push_back(RefRoot(Slice(hashes, 0, k)));
  }
  return path;
}

std::vector<Bytes> Leaves(size_t n) {
  std::vector<Bytes> out;
  for (size_t i = 0; i < n; ++i) out.push_back(MerkleLeafHash("event-" + std::to_string(i)));
  return out;
}

Bytes H(std::string_view hex) { return FromHex(hex).value(); }

// Certificate Transparency's reference inputs and roots (certificate-transparency
// merkle_tree_test; also used by Trillian and RFC 9162 implementations).
const std::vector<std::string> kCtInputsHex = {"",
                                               "00",
                                               "10",
                                               "2021",
                                               "3031",
                                               "40414243",
                                               "5051525354555657",
                                               "606162636465666768696a6b6c6d6e6f"};
const std::vector<std::string> kCtRootsHex = {
    "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
    "6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d",
    "fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125",
    "aeb6bcfe274b70a14fb067a5e5578264db0fa9b51af5e0ba159158f329e06e77",
    "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7",
    "4e3bbb1f7b478dcfe71fb631631519a3bca12c9aefca1612bfce4c13a86264d4",
    "76e67dadbcdf1e10e1b74ddc608abd2f98dfb16fbce75277b5232a127f2087ef",
    "ddb89be403809e325750d3d263cd78929c2942b7942a34b77e122c9594a74c8c",
    "5dc9da79a70659a9ad559cb701ded9a2ab9d823aad2f4960cfe370eff4604328"};

std::vector<Bytes> CtLeaves() {
  std::vector<Bytes> out;
  for (const auto& hex : kCtInputsHex) out.push_back(MerkleLeafHash(H(hex)));
  return out;
}

// --- Hashing and roots -------------------------------------------------------------------

TEST(MerkleTree, LeafAndNodeHashesUseRfc6962Prefixes) {
  EXPECT_EQ(MerkleLeafHash("abc"), Sha256(std::string("\x00"
                                                      "abc",
                                                      4)));
  EXPECT_EQ(MerkleNodeHash("L", "R"), Sha256("\x01LR"));
  EXPECT_EQ(MerkleLeafHash("abc"), RefLeaf("abc"));
  EXPECT_EQ(MerkleNodeHash("L", "R"), RefNode("L", "R"));
}

TEST(MerkleTree, EmptyTreeRootIsSha256OfEmptyString) {
  EXPECT_EQ(ToHex(MerkleRoot({})),
            "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
}

TEST(MerkleTree, RootsMatchCertificateTransparencyVectors) {
  const std::vector<Bytes> leaves = CtLeaves();
  for (size_t n = 0; n <= leaves.size(); ++n) {
    EXPECT_EQ(ToHex(MerkleRoot(Slice(leaves, 0, n))), kCtRootsHex[n]) << "size " << n;
  }
}

TEST(MerkleTree, RootsMatchReferenceForSizes0To10) {
  const std::vector<Bytes> leaves = Leaves(10);
  for (size_t n = 0; n <= 10; ++n) {
    const auto prefix = Slice(leaves, 0, n);
    EXPECT_EQ(MerkleRoot(prefix), RefRoot(prefix)) << "size " << n;
  }
}

TEST(MerkleTree, LeafEqualToNodeConcatenationDoesNotCollide) {
  const std::vector<Bytes> two = Leaves(2);
  // A one-leaf tree whose data is the two children's concatenation (the second-preimage
  // attack RFC 6962's prefixes prevent).
  const Bytes fake_leaf = MerkleLeafHash(two[0] + two[1]);
  EXPECT_NE(fake_leaf, MerkleNodeHash(two[0], two[1]));
  EXPECT_NE(MerkleRoot({fake_leaf}), MerkleRoot(two));
  // And a node built over leaf data never equals a leaf hash of the same bytes.
  EXPECT_NE(MerkleNodeHash("", ""), MerkleLeafHash(""));
}

TEST(MerkleTree, RootDependsOnLeafOrder) {
  std::vector<Bytes> leaves = Leaves(4);
  const Bytes root = MerkleRoot(leaves);
  std::swap(leaves[1], leaves[2]);
  EXPECT_NE(MerkleRoot(leaves), root);
}

// --- Inclusion proofs --------------------------------------------------------------------

TEST(MerkleTree, CtInclusionVectors) {
  const std::vector<Bytes> leaves = CtLeaves();
  const Bytes root8 = H(kCtRootsHex[8]);
  auto p0 = MakeInclusionProof(leaves, 0);
  ASSERT_TRUE(p0.ok());
  EXPECT_EQ(p0->path, (std::vector<Bytes>{
                          H("96a296d224f285c67bee93c30f8a309157f0daa35dc5b87e410b78630a09cfc7"),
                          H("5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e"),
                          H("6b47aaf29ee3c2af9af889bc1fb9254dabd31177f16232dd6aab035ca39bf6e4")}));
  EXPECT_TRUE(VerifyInclusion(leaves[0], *p0, root8).ok());
  auto p5 = MakeInclusionProof(leaves, 5);
  ASSERT_TRUE(p5.ok());
  EXPECT_EQ(p5->path, (std::vector<Bytes>{
                          H("bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b"),
                          H("ca854ea128ed050b41b35ffc1b87b8eb2bde461e9e3b5596ece6b9d5975a0ae0"),
                          H("d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7")}));
  EXPECT_TRUE(VerifyInclusion(leaves[5], *p5, root8).ok());
}

TEST(MerkleTree, ProofForEveryIndexOfSizes1To33Verifies) {
  const std::vector<Bytes> all = Leaves(33);
  for (size_t n = 1; n <= 33; ++n) {
    const auto leaves = Slice(all, 0, n);
    const Bytes root = MerkleRoot(leaves);
    for (size_t i = 0; i < n; ++i) {
      auto proof = MakeInclusionProof(leaves, i);
      ASSERT_TRUE(proof.ok()) << proof.status().ToString();
      EXPECT_EQ(proof->index, i);
      EXPECT_EQ(proof->tree_size, n);
      EXPECT_EQ(proof->path, RefPath(i, leaves)) << "size " << n << " index " << i;
      const Status st = VerifyInclusion(leaves[i], *proof, root);
      EXPECT_TRUE(st.ok()) << "size " << n << " index " << i << ": " << st.ToString();
    }
  }
}

TEST(MerkleTree, SingleLeafTreeHasEmptyPath) {
  const std::vector<Bytes> leaves = Leaves(1);
  auto proof = MakeInclusionProof(leaves, 0);
  ASSERT_TRUE(proof.ok());
  EXPECT_TRUE(proof->path.empty());
  EXPECT_TRUE(VerifyInclusion(leaves[0], *proof, MerkleRoot(leaves)).ok());
}

TEST(MerkleTree, MakeProofRejectsIndexOutOfRange) {
  EXPECT_EQ(MakeInclusionProof(Leaves(3), 3).status().code(), Code::kOutOfRange);
  EXPECT_EQ(MakeInclusionProof({}, 0).status().code(), Code::kOutOfRange);
}

TEST(MerkleTree, ProofFailsForTamperedPathElementOrLeafOrRoot) {
  const std::vector<Bytes> all = Leaves(33);
  for (size_t n = 1; n <= 33; ++n) {
    const auto leaves = Slice(all, 0, n);
    const Bytes root = MerkleRoot(leaves);
    for (size_t i = 0; i < n; ++i) {
      const InclusionProof good = MakeInclusionProof(leaves, i).value();
      for (size_t e = 0; e < good.path.size(); ++e) {
        InclusionProof bad = good;
        bad.path[e][e % kSha256Size] ^= 0x01;
        EXPECT_EQ(VerifyInclusion(leaves[i], bad, root).code(), Code::kInvalidArgument)
            << "size " << n << " index " << i << " element " << e;
      }
      Bytes bad_leaf = leaves[i];
      bad_leaf[0] ^= 0x01;
      EXPECT_FALSE(VerifyInclusion(bad_leaf, good, root).ok());
      Bytes bad_root = root;
      bad_root[31] ^= 0x80;
      EXPECT_FALSE(VerifyInclusion(leaves[i], good, bad_root).ok());
    }
  }
}

TEST(MerkleTree, ProofFailsForWrongIndex) {
  const std::vector<Bytes> all = Leaves(33);
  for (size_t n = 2; n <= 33; ++n) {
    const auto leaves = Slice(all, 0, n);
    const Bytes root = MerkleRoot(leaves);
    for (size_t i = 0; i < n; ++i) {
      const InclusionProof good = MakeInclusionProof(leaves, i).value();
      for (size_t j = 0; j < n; ++j) {
        if (j == i) continue;
        InclusionProof bad = good;
        bad.index = j;
        EXPECT_FALSE(VerifyInclusion(leaves[i], bad, root).ok())
            << "size " << n << " index " << i << " claimed " << j;
      }
    }
  }
}

TEST(MerkleTree, ProofFailsForWrongTreeSize) {
  // A tree head is (size, root): a proof for one size must not verify against another head.
  const std::vector<Bytes> all = Leaves(34);
  for (size_t n = 1; n <= 33; ++n) {
    const auto leaves = Slice(all, 0, n);
    for (size_t i = 0; i < n; ++i) {
      const InclusionProof good = MakeInclusionProof(leaves, i).value();
      for (size_t m : {n - 1, n + 1, 2 * n}) {
        if (m <= i || m > all.size()) continue;
        InclusionProof bad = good;
        bad.tree_size = m;
        EXPECT_FALSE(VerifyInclusion(leaves[i], bad, MerkleRoot(Slice(all, 0, m))).ok())
            << "size " << n << " index " << i << " claimed size " << m;
      }
    }
  }
}

TEST(MerkleTree, VerifyRejectsIndexNotBelowTreeSize) {
  const std::vector<Bytes> leaves = Leaves(4);
  InclusionProof proof = MakeInclusionProof(leaves, 3).value();
  proof.index = 4;
  const Status st = VerifyInclusion(leaves[3], proof, MerkleRoot(leaves));
  EXPECT_EQ(st.code(), Code::kInvalidArgument);
  EXPECT_THAT(st.message(), HasSubstr("leaf index 4 is not below tree size 4"));
  proof.index = 0;
  proof.tree_size = 0;
  EXPECT_EQ(VerifyInclusion(leaves[0], proof, MerkleRoot({})).code(), Code::kInvalidArgument);
}

TEST(MerkleTree, VerifyRejectsWrongPathLength) {
  const std::vector<Bytes> leaves = Leaves(5);
  const Bytes root = MerkleRoot(leaves);
  InclusionProof longer = MakeInclusionProof(leaves, 1).value();
  longer.path.push_back(leaves[0]);
  Status st = VerifyInclusion(leaves[1], longer, root);
  EXPECT_EQ(st.code(), Code::kInvalidArgument);
  EXPECT_THAT(st.message(), HasSubstr("inclusion path has 4 hashes"));
  EXPECT_THAT(st.message(), HasSubstr("needs 3"));
  InclusionProof shorter = MakeInclusionProof(leaves, 1).value();
  shorter.path.pop_back();
  st = VerifyInclusion(leaves[1], shorter, root);
  EXPECT_EQ(st.code(), Code::kInvalidArgument);
  EXPECT_THAT(st.message(), HasSubstr("inclusion path has 2 hashes"));
}

TEST(MerkleTree, VerifyRejectsWrongHashSizes) {
  const std::vector<Bytes> leaves = Leaves(4);
  const Bytes root = MerkleRoot(leaves);
  const InclusionProof good = MakeInclusionProof(leaves, 2).value();
  Status st = VerifyInclusion(leaves[2].substr(0, 31), good, root);
  EXPECT_EQ(st.code(), Code::kInvalidArgument);
  EXPECT_THAT(st.message(), HasSubstr("leaf hash is 31 bytes"));
  st = VerifyInclusion(leaves[2], good, root + "x");
  EXPECT_EQ(st.code(), Code::kInvalidArgument);
  EXPECT_THAT(st.message(), HasSubstr("root is 33 bytes"));
  InclusionProof bad = good;
  bad.path[1] += "x";
  st = VerifyInclusion(leaves[2], bad, root);
  EXPECT_EQ(st.code(), Code::kInvalidArgument);
  EXPECT_THAT(st.message(), HasSubstr("inclusion path hash 1 is 33 bytes"));
}

TEST(MerkleTree, VerifyReportsRootMismatch) {
  const std::vector<Bytes> leaves = Leaves(3);
  const InclusionProof proof = MakeInclusionProof(leaves, 0).value();
  const Status st = VerifyInclusion(leaves[1], proof, MerkleRoot(leaves));
  EXPECT_EQ(st.code(), Code::kInvalidArgument);
  EXPECT_THAT(st.message(), HasSubstr("want " + ToHex(MerkleRoot(leaves))));
}

}  // namespace
}  // namespace shipledger::crypto
