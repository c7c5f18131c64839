// sim_runner: runs simulator seeds from the command line, for searches longer than ctest's.
//   sim_runner --seed S [--count N] [--profile P] [--n 4|7] [--verbose]
//   sim_runner --regression tests/sim/regression_seeds.txt
//   sim_runner --seed S --profile flood-viewchange [--no-attack | --no-compare]
// Prints one line per failing seed (checker, details, how to reproduce) and a summary per
// profile; exits 1 if any seed failed. Wall-clock time is measured here only, never in a run.
#include <CLI/CLI.hpp>
#include <chrono>
#include <fstream>
#include <iostream>
#include <map>
#include <sstream>

#include "sim/runner.h"

using namespace shipledger::sim;  // NOLINT: a small main

int main(int argc, char** argv) {
  CLI::App app{"shipledger deterministic PBFT simulator"};
  uint64_t seed = 0;
  uint64_t count = 1;
  std::string profile_name;
  uint32_t n = 0;
  bool verbose = false;
  bool quiet = false;
  bool no_attack = false;
  bool no_compare = false;
  bool shared_inbox = false;
  std::string regression;
  app.add_option("--seed", seed, "first seed");
  app.add_option("--count", count, "number of consecutive seeds");
  app.add_option("--profile", profile_name, "force a fault profile (default: from the seed)");
  app.add_option("--n", n, "replicas: 4 or 7 (default: from the seed)");
  app.add_option("--regression", regression, "run the seeds listed in this file");
  app.add_flag("--verbose,-v", verbose, "trace every step to stderr");
  app.add_flag("--quiet,-q", quiet, "print failures and the summary only");
  app.add_flag("--no-attack", no_attack, "flood profiles: run the plan without the flood only");
  app.add_flag("--no-compare", no_compare,
               "flood profiles: run the attack only, without the comparison run");
  app.add_flag("--shared-inbox", shared_inbox,
               "one inbound queue for all peers (what the runtime must not do), not one each");
  CLI11_PARSE(app, argc, argv);

  struct Job {
    uint64_t seed;
    RunOptions options;
  };
  std::vector<Job> jobs;
  RunOptions base;
  base.verbose = verbose;
  base.n = n;
  base.attack = !no_attack;
  base.compare = !no_compare;
  if (shared_inbox) {
    base.inbox = InboxOptions{};
    base.inbox->per_peer = false;
  }
  if (!profile_name.empty()) {
    base.profile = ParseProfile(profile_name);
    if (!base.profile) {
      std::cerr << "unknown profile '" << profile_name << "'; one of:";
      for (Profile p : AllProfiles()) std::cerr << " " << ProfileName(p);
      for (Profile p : FloodProfiles()) std::cerr << " " << ProfileName(p);
      std::cerr << "\n";
      return 2;
    }
  }
  if (!regression.empty()) {
    std::ifstream in(regression);
    if (!in) {
      std::cerr << "cannot read " << regression << "\n";
      return 2;
    }
    std::stringstream text;
    text << in.rdbuf();
    std::string error;
    for (const auto& r : ParseRegressionSeeds(text.str(), &error)) {
      RunOptions o = base;
      if (r.profile) o.profile = r.profile;
      if (r.n != 0) o.n = r.n;
      jobs.push_back(Job{r.seed, o});
    }
    if (!error.empty()) {
      std::cerr << error;
      return 2;
    }
  } else {
    for (uint64_t i = 0; i < count; ++i) jobs.push_back(Job{seed + i, base});
  }

  std::map<std::string, std::pair<int, int>> per_profile;  // name -> (runs, failures)
  int failed = 0;
  const auto t0 = std::chrono::steady_clock::now();
  for (const auto& job : jobs) {
    const auto s0 = std::chrono::steady_clock::now();
    RunResult r = RunSeed(job.seed, job.options);
    const auto ms =
        std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - s0)
            .count();
    auto& pp = per_profile[ProfileName(r.plan.profile)];
    ++pp.first;
    if (!r.ok()) {
      ++pp.second;
      ++failed;
      std::cout << r.Summary() << "\n";
    } else if (!quiet) {
      std::cout << r.Summary() << " [" << ms << " ms]\n";
    }
    std::cout.flush();
  }
  const auto total =
      std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - t0)
          .count();
  std::cout << jobs.size() << " seeds, " << failed << " failed, " << total << " ms\n";
  for (const auto& [name, rf] : per_profile) {
    std::cout << "  " << name << ": " << rf.first << " runs, " << rf.second << " failed\n";
  }
  return failed == 0 ? 0 : 1;
}
