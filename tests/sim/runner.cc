#include "sim/runner.h"

#include "sim/attack.h"
#include "sim/det_random.h"

namespace shipledger::sim {

namespace {

RunResult RunPlan(uint64_t seed, Plan plan, bool verbose) {
  ScopedDeterministicRandom random(seed);
  World world(seed, std::move(plan), verbose);
  return world.Run();
}

}  // namespace

RunResult RunSeed(uint64_t seed, const RunOptions& options) {
  Plan plan;
  {
    Rng rng(seed);
    // Drawn even when overridden, so `--profile P` with the seed's own profile is the same run.
    const Profile drawn = AllProfiles()[rng() % AllProfiles().size()];
    plan = MakePlan(options.profile.value_or(drawn), options.n, rng);
  }
  if (options.inbox) plan.inbox = *options.inbox;
  plan.attack = options.attack;
  const bool flood = IsFlood(plan.byzantine);
  RunResult r = RunPlan(seed, plan, options.verbose);
  if (!flood || !options.compare || !options.attack) return r;
  plan.attack = false;
  RunResult baseline = RunPlan(seed, plan, options.verbose);
  for (auto& f : CompareWithBaseline(r, baseline)) r.failures.push_back(std::move(f));
  r.baseline = baseline.stats;
  return r;
}

}  // namespace shipledger::sim
