// Fault profiles: what goes wrong in a run, drawn from the seed. A Plan fixes the cluster size,
// the network's base behaviour, a timeline of faults (link changes, partitions, crashes and
// restarts, new disks), at most f Byzantine replicas and the client load. Every fault except
// the Byzantine replicas is over by `heal_ms`; liveness is judged from then on.
#pragma once

#include <cstdint>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "sim/byzantine.h"
#include "sim/network.h"
#include "sim/sim_inbox.h"

namespace shipledger::sim {

enum class Profile {
  kNone,
  kLossy,
  kPartition,
  kCrashRestart,
  kNewDisk,
  kEquivocate,
  kCensor,
  kInvalidBlocks,
  kByzantineBackup,
  kTwins,
  kCombined,
  // Resource exhaustion (flood.h): drawn only when asked for, so that the seeds of the profiles
  // above keep their runs.
  kFloodHeartbeat,
  kFloodViewChange,
  kFloodForward,
  kMixedViewTime,
};

// The profiles a seed draws from (when none is given).
const std::vector<Profile>& AllProfiles();
// The resource-exhaustion profiles: each run is compared with the same plan without the attack
// (attack.h).
const std::vector<Profile>& FloodProfiles();
std::string ProfileName(Profile profile);
std::optional<Profile> ParseProfile(const std::string& name);

struct FaultStep {
  enum class Kind { kLink, kPartition, kHealPartition, kCrash, kRestart };
  int64_t at_ms = 0;  // since the start of the run
  Kind kind = Kind::kLink;
  LinkOptions link;         // kLink
  std::set<uint32_t> side;  // kPartition: the slots cut off from the rest
  uint32_t slot = 0;        // kCrash, kRestart
  bool new_disk = false;    // kRestart: with an empty disk

  std::string ToString() const;
};

struct Plan {
  Profile profile = Profile::kNone;
  uint32_t n = 4;
  LinkOptions base_link;         // from the start, and again at heal_ms
  std::vector<FaultStep> steps;  // in time order
  int64_t heal_ms = 0;           // every fault but the Byzantine replicas is over
  ByzantineKind byzantine = ByzantineKind::kNone;
  uint32_t byzantine_replica = 0;  // with a twin: the replica that runs twice
  bool twins_split = true;         // twins: each twin hears half the peers (else both hear all)
  uint32_t censored_replica = 0;   // kCensor: the origin whose events are never proposed
  // n = 7 (f = 2) only: a second Byzantine replica (never a twin).
  ByzantineKind byzantine2 = ByzantineKind::kNone;
  uint32_t byzantine2_replica = 0;
  uint32_t events = 30;               // events the clients generate
  int64_t submit_until_ms = 0;        // the last event is generated before this
  int64_t liveness_bound_ms = 30000;  // after heal_ms, every correct event is stored everywhere
  int64_t clock_skew_max_ms = 50;     // node clocks differ from world time by up to this
  int64_t disk_delay_max_ms = 5;      // storing a block takes 1..this ms
  InboxOptions inbox;                 // every node's inbound queues and processing budget
  // Flooding behaviours: a burst of `flood_copies` to each peer every `flood_period_ms`, while
  // `attack` is on (off: the same plan as a baseline, the flooder behaving correctly).
  int64_t flood_period_ms = 10;
  uint64_t flood_copies = 2000;
  bool attack = true;

  // Slot count: n, plus one for a twin.
  uint32_t slots() const { return n + (byzantine == ByzantineKind::kTwin ? 1 : 0); }
  // The behaviour of `replica` (kNone: correct).
  ByzantineKind KindOf(uint32_t replica) const {
    if (byzantine != ByzantineKind::kNone && replica == byzantine_replica) return byzantine;
    if (byzantine2 != ByzantineKind::kNone && replica == byzantine2_replica) return byzantine2;
    return ByzantineKind::kNone;
  }
  std::string ToString() const;
};

// Draws a plan of `profile` from `rng`; `n` = 0 lets the seed pick 4 (mostly) or 7.
Plan MakePlan(Profile profile, uint32_t n, Rng& rng);

}  // namespace shipledger::sim
