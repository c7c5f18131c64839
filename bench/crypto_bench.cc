// Micro-benchmarks of the crypto primitives under the per-event hot path: raw ECDSA P-256
// signatures and RFC 6962 Merkle trees (roots and inclusion proofs).
#include <benchmark/benchmark.h>

#include <string>
#include <vector>

#include "crypto/ecdsa.h"
#include "crypto/merkle.h"
#include "shipledger/check.h"

namespace shipledger {
namespace {

// Leaf hashes of `n` distinct leaves.
std::vector<Bytes> Leaves(int64_t n) {
  std::vector<Bytes> leaves;
  for (int64_t i = 0; i < n; ++i) leaves.push_back(crypto::MerkleLeafHash(std::to_string(i)));
  return leaves;
}

// One iteration: one ECDSA P-256 signature (SHA-256 of a 600-byte message, low-S DER).
void BM_EcdsaSign(benchmark::State& state) {
  auto key = *crypto::PrivateKey::Generate();
  const std::string message(600, 'e');
  for (auto _ : state) benchmark::DoNotOptimize(key.Sign(message));
}
BENCHMARK(BM_EcdsaSign);

// One iteration: one ECDSA P-256 verification of a 600-byte message.
void BM_EcdsaVerify(benchmark::State& state) {
  auto key = *crypto::PrivateKey::Generate();
  const std::string message(600, 'e');
  const Bytes sig = *key.Sign(message);
  const crypto::PublicKey pub = key.public_key();
  for (auto _ : state) {
    Status s = pub.Verify(message, sig);
    benchmark::DoNotOptimize(s);
  }
}
BENCHMARK(BM_EcdsaVerify);

// One iteration: the Merkle root over `range(0)` leaf hashes (interior nodes only; hashing the
// events into leaves is in BM_EventsRoot).
void BM_MerkleRoot(benchmark::State& state) {
  const std::vector<Bytes> leaves = Leaves(state.range(0));
  for (auto _ : state) benchmark::DoNotOptimize(crypto::MerkleRoot(leaves));
  state.SetItemsProcessed(state.iterations() * state.range(0));
}
BENCHMARK(BM_MerkleRoot)->Arg(500);

// One iteration: build the inclusion proof of one leaf of a `range(0)`-leaf tree from the leaf
// hashes, as a node serving a proof does (it rehashes the subtrees beside the path). The leaf
// index cycles over the tree.
void BM_MerkleProofBuild(benchmark::State& state) {
  const std::vector<Bytes> leaves = Leaves(state.range(0));
  uint64_t index = 0;
  for (auto _ : state) {
    benchmark::DoNotOptimize(crypto::MakeInclusionProof(leaves, index));
    index = (index + 1) % leaves.size();
  }
}
BENCHMARK(BM_MerkleProofBuild)->Arg(500);

// One iteration: verify one inclusion proof of a `range(0)`-leaf tree against the root, as a
// client checking a proof does. Proofs of every leaf are built beforehand and cycled through.
void BM_MerkleProofVerify(benchmark::State& state) {
  const std::vector<Bytes> leaves = Leaves(state.range(0));
  const Bytes root = crypto::MerkleRoot(leaves);
  std::vector<crypto::InclusionProof> proofs;
  for (uint64_t i = 0; i < leaves.size(); ++i)
    proofs.push_back(*crypto::MakeInclusionProof(leaves, i));
  size_t index = 0;
  for (auto _ : state) {
    const Status verified = crypto::VerifyInclusion(leaves[index], proofs[index], root);
    SHIPLEDGER_CHECK(verified.ok());
    index = (index + 1) % leaves.size();
  }
}
BENCHMARK(BM_MerkleProofVerify)->Arg(500);

}  // namespace
}  // namespace shipledger
