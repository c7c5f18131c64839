// Micro-benchmarks of the per-event hot path: signature verification and Merkle roots.
#include <benchmark/benchmark.h>

#include "crypto/ecdsa.h"
#include "crypto/merkle.h"
#include "crypto/sha256.h"

namespace shipledger {
namespace {

void BM_EcdsaSign(benchmark::State& state) {
  auto key = *crypto::PrivateKey::Generate();
  const std::string message(600, 'e');
  for (auto _ : state) benchmark::DoNotOptimize(key.Sign(message));
}
BENCHMARK(BM_EcdsaSign);

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

void BM_MerkleRoot(benchmark::State& state) {
  std::vector<Bytes> leaves;
  for (int64_t i = 0; i < state.range(0); ++i) {
    leaves.push_back(crypto::MerkleLeafHash(std::to_string(i)));
  }
  for (auto _ : state) benchmark::DoNotOptimize(crypto::MerkleRoot(leaves));
  state.SetItemsProcessed(state.iterations() * state.range(0));
}
BENCHMARK(BM_MerkleRoot)->Arg(500);

}  // namespace
}  // namespace shipledger

BENCHMARK_MAIN();
