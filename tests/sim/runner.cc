#include "sim/runner.h"

#include "sim/det_random.h"

namespace shipledger::sim {

RunResult RunSeed(uint64_t seed, const RunOptions& options) {
  ScopedDeterministicRandom random(seed);
  Rng rng(seed);
  // Drawn even when overridden, so `--profile P` with the seed's own profile is the same run.
  const Profile drawn = AllProfiles()[rng() % AllProfiles().size()];
  Plan plan = MakePlan(options.profile.value_or(drawn), options.n, rng);
  World world(seed, std::move(plan), options.verbose);
  return world.Run();
}

}  // namespace shipledger::sim
