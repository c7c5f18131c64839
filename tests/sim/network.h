// The simulated network between replicas: per-message delay (random in a range, with a tail of
// long delays that reorders messages), loss, duplication and partitions. It only decides the
// fate of each message; the World carries the bytes and delivers them at the chosen times.
// All randomness comes from the Rng passed in (the run's seeded generator).
// Thread-safety: none; owned by one World.
#pragma once

#include <cstdint>
#include <random>
#include <set>
#include <string>
#include <vector>

namespace shipledger::sim {

using Rng = std::mt19937_64;

// Uniform integer in [lo, hi] (inclusive), from `rng`. Portable: unlike
// std::uniform_int_distribution, its output does not depend on the standard library.
int64_t Uniform(Rng& rng, int64_t lo, int64_t hi);
// True with probability `p` (0..1), from `rng`.
bool Chance(Rng& rng, double p);

struct LinkOptions {
  int64_t min_delay_ms = 1;   // Default: 1
  int64_t max_delay_ms = 10;  // Default: 10
  double drop = 0;            // probability a message is lost. Default: 0
  double duplicate = 0;       // probability a message arrives twice. Default: 0
  double slow = 0;            // probability of a delay up to slow_factor * max_delay_ms
  int64_t slow_factor = 10;   // Default: 10

  std::string ToString() const;
};

class NetworkModel {
 public:
  explicit NetworkModel(LinkOptions options) : options_(options) {}

  void set_options(const LinkOptions& options) { options_ = options; }
  const LinkOptions& options() const { return options_; }

  // Cuts `side` (node slots) off from every other slot until Heal(); replaces any partition.
  void Partition(std::set<uint32_t> side) { side_ = std::move(side); }
  void Heal() { side_.clear(); }
  bool partitioned() const { return !side_.empty(); }
  // Whether a message from slot `from` can reach slot `to` now.
  bool Connected(uint32_t from, uint32_t to) const;

  // The fate of one message sent now from `from` to `to`: the delays after which copies arrive
  // (empty: lost; two entries: duplicated). Partitions drop at send time.
  std::vector<int64_t> Deliveries(uint32_t from, uint32_t to, Rng& rng) const;

 private:
  LinkOptions options_;
  std::set<uint32_t> side_;  // empty: no partition
};

}  // namespace shipledger::sim
