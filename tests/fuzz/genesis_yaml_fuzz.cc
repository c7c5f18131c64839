// Fuzz target: genesis.yaml, which an operator receives from whoever sets a network up and every
// offline verifier reads (config::ParseGenesis: YAML, certificates, keys, parameters, policy).
// Input: the file's text. Seed: the fuzz network's genesis.yaml (shipledger_fuzz_seeds).
// What must hold: no crash or sanitizer report; a refusal says why, and a genesis accepted
// parses again from what it accepted the same way (its hash is stable).
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string_view>

#include "config/genesis_file.h"
#include "fuzz/fuzz_network.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  auto genesis = shipledger::config::ParseGenesis(text);
  if (genesis.ok()) {
    auto again = shipledger::config::ParseGenesis(text);
    if (!again.ok() || (*again)->hash != (*genesis)->hash) {
      std::fprintf(stderr, "an accepted genesis does not parse again to the same hash\n");
      std::abort();
    }
  } else if (genesis.status().message().empty()) {
    std::fprintf(stderr, "a refused genesis without a reason\n");
    std::abort();
  }
  return 0;
}
