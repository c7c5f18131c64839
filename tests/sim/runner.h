// Runs one seed: draws the profile (unless given) and the plan from the seed, builds the World
// under deterministic OpenSSL randomness and runs it. The same arguments give the same run.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "sim/profiles.h"
#include "sim/regression.h"
#include "sim/world.h"

namespace shipledger::sim {

struct RunOptions {
  std::optional<Profile> profile;  // Default: drawn from the seed
  uint32_t n = 0;                  // Default (0): drawn from the seed (4, sometimes 7)
  bool verbose = false;            // trace every step to stderr
};

RunResult RunSeed(uint64_t seed, const RunOptions& options);

}  // namespace shipledger::sim
