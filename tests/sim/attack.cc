#include "sim/attack.h"

#include <string>

namespace shipledger::sim {

namespace {

int64_t Allowed(int64_t baseline, const AttackBound& bound) {
  return static_cast<int64_t>(bound.factor * static_cast<double>(baseline)) + bound.slack_ms;
}

}  // namespace

std::vector<Failure> CompareWithBaseline(const RunResult& attack, const RunResult& baseline,
                                         const AttackBound& bound) {
  std::vector<Failure> out;
  const int64_t at = attack.stats.sim_ms;
  const Latency& a = attack.stats.latency;
  const Latency& b = baseline.stats.latency;
  if (!baseline.ok() || b.complete == 0) {
    out.push_back(Failure{"baseline",
                          "the run without the attack " +
                              (baseline.ok() ? std::string("committed nothing")
                                             : "failed: " + baseline.failures.front().checker +
                                                   ": " + baseline.failures.front().detail),
                          baseline.stats.sim_ms});
    return out;
  }
  if (a.complete < a.events) {
    out.push_back(Failure{"attack",
                          "committed " + std::to_string(a.complete) + " of " +
                              std::to_string(a.events) + " correct events; without the attack " +
                              std::to_string(b.complete) + " of " + std::to_string(b.events),
                          at});
  }
  const auto latency = [&](const char* what, int64_t attack_ms, int64_t baseline_ms) {
    if (attack_ms <= Allowed(baseline_ms, bound)) return;
    out.push_back(Failure{"attack",
                          std::string(what) + " commit latency " + std::to_string(attack_ms) +
                              " ms under attack > " + std::to_string(bound.factor) + " x " +
                              std::to_string(baseline_ms) + " ms without + " +
                              std::to_string(bound.slack_ms) + " ms",
                          at});
  };
  latency("mean", a.mean_ms, b.mean_ms);
  latency("max", a.max_ms, b.max_ms);
  const uint64_t peers = attack.plan.n - 1;
  const uint64_t new_views =
      baseline.stats.new_views_sent +
      peers * (static_cast<uint64_t>(attack.stats.sim_ms / bound.resend_interval_ms) + 1);
  if (attack.stats.new_views_sent > new_views) {
    out.push_back(Failure{"attack",
                          "correct nodes sent " + std::to_string(attack.stats.new_views_sent) +
                              " NEW-VIEWs under attack, " +
                              std::to_string(baseline.stats.new_views_sent) + " without; at most " +
                              std::to_string(new_views) + " allowed",
                          at});
  }
  const auto frames =
      static_cast<uint64_t>(bound.factor * static_cast<double>(baseline.stats.correct_frames)) +
      bound.slack_frames;
  if (attack.stats.correct_frames > frames) {
    out.push_back(Failure{"attack",
                          "correct nodes sent " + std::to_string(attack.stats.correct_frames) +
                              " frames under attack, " +
                              std::to_string(baseline.stats.correct_frames) +
                              " without: amplified beyond " + std::to_string(frames),
                          at});
  }
  return out;
}

}  // namespace shipledger::sim
