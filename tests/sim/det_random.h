// Deterministic OpenSSL randomness for the simulator. While a ScopedDeterministicRandom is alive,
// every random byte OpenSSL hands out (key generation, certificate serials, ECDSA nonces, the
// test network's event nonces) comes from a PRNG seeded with the run's seed, so one seed gives
// byte-identical keys, signatures, event ids and block hashes on every run: `sim_runner --seed S`
// reproduces a failure exactly. Never use this outside tests: the stream is predictable.
// Thread-safety: process-global; one instance at a time, on one thread.
#pragma once

#include <cstdint>

namespace shipledger::sim {

class ScopedDeterministicRandom {
 public:
  explicit ScopedDeterministicRandom(uint64_t seed);
  ~ScopedDeterministicRandom();  // restores OpenSSL's own generator
  ScopedDeterministicRandom(const ScopedDeterministicRandom&) = delete;
  ScopedDeterministicRandom& operator=(const ScopedDeterministicRandom&) = delete;
};

}  // namespace shipledger::sim
