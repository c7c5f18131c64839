// Runs one seed: draws the profile (unless given) and the plan from the seed, builds the World
// under deterministic OpenSSL randomness and runs it. The same arguments give the same run. A
// flooding plan is run a second time without the attack and compared with it (attack.h); the
// comparison's failures join the result's.
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
  // Flooding plans: compare with the run without the attack. Default: true
  bool compare = true;
  // Flooding plans: false runs the baseline only (the flooder behaves). Default: true
  bool attack = true;
  std::optional<InboxOptions> inbox;  // Default: the plan's (InboxOptions' defaults)
};

RunResult RunSeed(uint64_t seed, const RunOptions& options);

}  // namespace shipledger::sim
