#include "sim/network.h"

namespace shipledger::sim {

int64_t Uniform(Rng& rng, int64_t lo, int64_t hi) {
  if (hi <= lo) return lo;
  const auto span = static_cast<uint64_t>(hi - lo) + 1;
  return lo + static_cast<int64_t>(rng() % span);
}

bool Chance(Rng& rng, double p) {
  if (p <= 0) return false;
  // 53 random bits -> [0, 1), as std::generate_canonical would but portably.
  const double u = static_cast<double>(rng() >> 11) * (1.0 / 9007199254740992.0);
  return u < p;
}

std::string LinkOptions::ToString() const {
  return "delay " + std::to_string(min_delay_ms) + ".." + std::to_string(max_delay_ms) +
         " ms, drop " + std::to_string(drop) + ", dup " + std::to_string(duplicate) + ", slow " +
         std::to_string(slow);
}

bool NetworkModel::Connected(uint32_t from, uint32_t to) const {
  if (side_.empty()) return true;
  return side_.contains(from) == side_.contains(to);
}

std::vector<int64_t> NetworkModel::Deliveries(uint32_t from, uint32_t to, Rng& rng) const {
  std::vector<int64_t> out;
  if (!Connected(from, to)) return out;
  // Every draw is made whatever the outcome, so one message consumes a fixed number of random
  // values and a change of probabilities does not shift the rest of the run's stream.
  const bool lost = Chance(rng, options_.drop);
  const bool dup = Chance(rng, options_.duplicate);
  const bool slow1 = Chance(rng, options_.slow);
  const bool slow2 = Chance(rng, options_.slow);
  const int64_t max_slow = options_.max_delay_ms * options_.slow_factor;
  const int64_t d1 = Uniform(rng, options_.min_delay_ms, slow1 ? max_slow : options_.max_delay_ms);
  const int64_t d2 = Uniform(rng, options_.min_delay_ms, slow2 ? max_slow : options_.max_delay_ms);
  if (lost) return out;
  out.push_back(d1);
  if (dup) out.push_back(d2);
  return out;
}

}  // namespace shipledger::sim
