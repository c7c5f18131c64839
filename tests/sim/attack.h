// The no-attack comparison of a flood run (DESIGN §6 "fairness under floods": what one peer sends
// can only use that peer's share). A flood profile's plan is run twice from one seed: with the
// flooder's bursts (the attack run) and without them (the baseline: the same faults, load and
// correct set, the flooder behaving as a correct replica). The attack run must pass every
// checker, commit every correct event, and stay within AttackBound of the baseline:
//   latency     mean and max commit latency (generation -> stored at every correct node)
//               <= factor * baseline's + slack_ms;
//   new-views   NEW-VIEW frames sent by correct nodes <= baseline's + one per peer per
//               resend interval of simulated time (what PbftOptions::resend_interval_ms allows:
//               a flood of stale heartbeats or replayed VIEW-CHANGEs is not answered per copy);
//   frames      frames sent by correct nodes <= factor * baseline's + slack_frames (the flood is
//               not amplified).
// Thread-safety: pure functions.
#pragma once

#include <cstdint>
#include <vector>

#include "sim/checkers.h"
#include "sim/world.h"

namespace shipledger::sim {

struct AttackBound {
  double factor = 3;                 // Default: 3
  int64_t slack_ms = 500;            // Default: 500 (a view timeout of the simulator's genesis)
  uint64_t slack_frames = 2000;      // Default: 2000
  int64_t resend_interval_ms = 500;  // PbftOptions::resend_interval_ms. Default: 500
};

// Failures (checker "attack") where `attack` exceeds the bound relative to `baseline`, or
// "baseline" when the run without the attack itself failed or committed nothing to compare with.
std::vector<Failure> CompareWithBaseline(const RunResult& attack, const RunResult& baseline,
                                         const AttackBound& bound = AttackBound{});

}  // namespace shipledger::sim
