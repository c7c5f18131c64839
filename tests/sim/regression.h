// The regression list (tests/sim/regression_seeds.txt): seeds that once found a bug, each with
// an optional profile, run by ctest and by `sim_runner --regression FILE`.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "sim/profiles.h"

namespace shipledger::sim {

// One line of a regression list: "SEED [PROFILE] [n=4|n=7] [# comment]".
struct RegressionSeed {
  uint64_t seed = 0;
  std::optional<Profile> profile;
  uint32_t n = 0;  // 0: the seed draws the cluster size
  std::string line;
};
// Parses a regression list (blank lines and lines starting with '#' ignored); an unknown
// profile name or a bad seed is reported in *error.
std::vector<RegressionSeed> ParseRegressionSeeds(const std::string& text, std::string* error);

}  // namespace shipledger::sim
