// The seeded simulation runs registered with ctest (label `sim`): kBatches batches of
// kSeedsPerBatch consecutive seeds, one ctest entry each so that `ctest -j` spreads them, and
// every seed of regression_seeds.txt. A failure prints the seed, profile, failing checker and
// the command that reproduces it.
#include <gtest/gtest.h>

#include <fstream>
#include <sstream>

#include "sim/runner.h"

namespace shipledger::sim {
namespace {

constexpr uint64_t kSeedsPerBatch = 50;
constexpr int kBatches = 10;

class SimSeeds : public ::testing::TestWithParam<int> {};

TEST_P(SimSeeds, AllCheckersPass) {
  const uint64_t first = static_cast<uint64_t>(GetParam()) * kSeedsPerBatch;
  int failed = 0;
  for (uint64_t seed = first; seed < first + kSeedsPerBatch; ++seed) {
    RunResult r = RunSeed(seed, RunOptions{});
    if (!r.ok()) {
      ++failed;
      ADD_FAILURE() << r.Summary();
    }
  }
  EXPECT_EQ(failed, 0) << "seeds " << first << ".." << first + kSeedsPerBatch - 1;
}

INSTANTIATE_TEST_SUITE_P(Batch, SimSeeds, ::testing::Range(0, kBatches));

// The resource-exhaustion profiles (not drawn by the batches above): kFloodSeeds seeds each,
// every flood run compared with its run without the attack (attack.h).
constexpr uint64_t kFloodSeeds = 8;

class SimFloodSeeds : public ::testing::TestWithParam<Profile> {};

TEST_P(SimFloodSeeds, AllCheckersAndTheComparisonPass) {
  RunOptions o;
  o.profile = GetParam();
  int failed = 0;
  for (uint64_t seed = 0; seed < kFloodSeeds; ++seed) {
    RunResult r = RunSeed(seed, o);
    if (!r.ok()) {
      ++failed;
      ADD_FAILURE() << r.Summary();
    }
  }
  EXPECT_EQ(failed, 0) << ProfileName(GetParam()) << " seeds 0.." << kFloodSeeds - 1;
}

INSTANTIATE_TEST_SUITE_P(Profile, SimFloodSeeds, ::testing::ValuesIn(FloodProfiles()),
                         [](const ::testing::TestParamInfo<Profile>& param) {
                           std::string name = ProfileName(param.param);
                           std::erase(name, '-');
                           return name;
                         });

// A seed replays exactly: the same queue events, frames, heights and views.
TEST(SimDeterminism, SameSeedSameRun) {
  RunOptions o;
  o.profile = Profile::kCombined;
  RunResult a = RunSeed(7, o);
  RunResult b = RunSeed(7, o);
  EXPECT_EQ(a.stats.ToString(), b.stats.ToString());
  EXPECT_EQ(a.Summary(), b.Summary());
  EXPECT_GT(a.stats.events, 0u);
}

// The replicas execute with the real contracts: bookings make shipments, and exceptions ordered
// after a booking are recorded on it (before it they are REJECTED). Under crashes, partitions
// and view changes every correct replica executes to the same results (the execution checker).
TEST(SimExecution, RealContractsBuildStateThatEveryCorrectReplicaAgreesOn) {
  for (const Profile profile : {Profile::kNone, Profile::kCombined}) {
    RunOptions o;
    o.profile = profile;
    const RunResult r = RunSeed(11, o);
    EXPECT_TRUE(r.ok()) << r.Summary();
    EXPECT_GT(r.stats.shipments, 0u) << r.Summary();
    EXPECT_GT(r.stats.recorded_after_booking, 0u) << r.Summary();
  }
}

TEST(SimRegressionSeeds, AllPass) {
  std::ifstream in(SHIPLEDGER_SIM_REGRESSION_FILE);
  ASSERT_TRUE(in) << "cannot read " << SHIPLEDGER_SIM_REGRESSION_FILE;
  std::stringstream text;
  text << in.rdbuf();
  std::string error;
  auto seeds = ParseRegressionSeeds(text.str(), &error);
  EXPECT_TRUE(error.empty()) << error;
  for (const auto& s : seeds) {
    RunOptions o;
    o.profile = s.profile;
    o.n = s.n;
    RunResult r = RunSeed(s.seed, o);
    EXPECT_TRUE(r.ok()) << "regression seed line '" << s.line << "':\n" << r.Summary();
  }
}

}  // namespace
}  // namespace shipledger::sim
