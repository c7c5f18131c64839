#include "sim/det_random.h"

// RAND_set_rand_method is deprecated in OpenSSL 3 but still honoured by RAND_bytes and
// RAND_priv_bytes (and so by key generation and ECDSA nonces in the default provider); it is
// the one hook that reaches all of them without a custom provider.
#define OPENSSL_SUPPRESS_DEPRECATED
#include <openssl/rand.h>

#include <random>

#include "shipledger/check.h"

namespace shipledger::sim {

namespace {

std::mt19937_64 g_rng;  // the stream; reseeded by each ScopedDeterministicRandom
bool g_active = false;

int Bytes(unsigned char* buf, int num) {
  for (int i = 0; i < num; ++i) buf[i] = static_cast<unsigned char>(g_rng() >> 56);
  return 1;
}
int Seed(const void*, int) { return 1; }
int Add(const void*, int, double) { return 1; }
int Status() { return 1; }
void Cleanup() {}

const RAND_METHOD kMethod = {Seed, Bytes, Cleanup, Add, Bytes, Status};

}  // namespace

ScopedDeterministicRandom::ScopedDeterministicRandom(uint64_t seed) {
  SHIPLEDGER_CHECK(!g_active);
  g_active = true;
  g_rng.seed(seed ^ 0x5eed0f55ae11ULL);
  SHIPLEDGER_CHECK(RAND_set_rand_method(&kMethod) == 1);
}

ScopedDeterministicRandom::~ScopedDeterministicRandom() {
  RAND_set_rand_method(nullptr);  // back to the default (OpenSSL's DRBG)
  g_active = false;
}

}  // namespace shipledger::sim
