#include "sim/profiles.h"

#include <algorithm>

namespace shipledger::sim {

const std::vector<Profile>& AllProfiles() {
  static const std::vector<Profile> all = {
      Profile::kNone,         Profile::kLossy,         Profile::kPartition,
      Profile::kCrashRestart, Profile::kNewDisk,       Profile::kEquivocate,
      Profile::kCensor,       Profile::kInvalidBlocks, Profile::kByzantineBackup,
      Profile::kTwins,        Profile::kCombined};
  return all;
}

const std::vector<Profile>& FloodProfiles() {
  static const std::vector<Profile> flood = {Profile::kFloodHeartbeat, Profile::kFloodViewChange,
                                             Profile::kFloodForward, Profile::kMixedViewTime};
  return flood;
}

std::string ProfileName(Profile p) {
  switch (p) {
    case Profile::kNone:
      return "none";
    case Profile::kLossy:
      return "lossy";
    case Profile::kPartition:
      return "partition";
    case Profile::kCrashRestart:
      return "crash-restart";
    case Profile::kNewDisk:
      return "new-disk";
    case Profile::kEquivocate:
      return "byzantine-primary-equivocate";
    case Profile::kCensor:
      return "censor";
    case Profile::kInvalidBlocks:
      return "invalid-blocks";
    case Profile::kByzantineBackup:
      return "byzantine-backup";
    case Profile::kTwins:
      return "twins";
    case Profile::kCombined:
      return "combined";
    case Profile::kFloodHeartbeat:
      return "flood-heartbeat";
    case Profile::kFloodViewChange:
      return "flood-viewchange";
    case Profile::kFloodForward:
      return "flood-forward";
    case Profile::kMixedViewTime:
      return "mixed-view-time";
  }
  return "?";
}

std::optional<Profile> ParseProfile(const std::string& name) {
  for (const auto* list : {&AllProfiles(), &FloodProfiles()}) {
    for (Profile p : *list) {
      if (ProfileName(p) == name) return p;
    }
  }
  if (name == "equivocate") return Profile::kEquivocate;
  return std::nullopt;
}

std::string FaultStep::ToString() const {
  std::string s = "t=" + std::to_string(at_ms) + " ";
  switch (kind) {
    case Kind::kLink:
      return s + "link " + link.ToString();
    case Kind::kPartition: {
      s += "partition {";
      for (uint32_t x : side) s += " " + std::to_string(x);
      return s + " }";
    }
    case Kind::kHealPartition:
      return s + "heal partition";
    case Kind::kCrash:
      return s + "crash slot " + std::to_string(slot);
    case Kind::kRestart:
      return s + "restart slot " + std::to_string(slot) + (new_disk ? " with a new disk" : "");
  }
  return s;
}

std::string Plan::ToString() const {
  std::string s = "profile " + ProfileName(profile) + ", n=" + std::to_string(n) + ", " +
                  std::to_string(events) + " events until " + std::to_string(submit_until_ms) +
                  " ms, heal at " + std::to_string(heal_ms) + " ms, base link " +
                  base_link.ToString() + ", clock skew <= " + std::to_string(clock_skew_max_ms) +
                  " ms, disk 1.." + std::to_string(disk_delay_max_ms) + " ms";
  if (byzantine != ByzantineKind::kNone) {
    s +=
        ", byzantine " + ByzantineName(byzantine) + " replica " + std::to_string(byzantine_replica);
    if (byzantine == ByzantineKind::kTwin) s += twins_split ? " (split)" : " (both hear all)";
    if (byzantine == ByzantineKind::kCensor) {
      s += " censoring replica " + std::to_string(censored_replica);
    }
    if (IsFlood(byzantine)) {
      s += " (" + std::to_string(flood_copies) + " copies every " +
           std::to_string(flood_period_ms) + " ms" + (attack ? "" : ", attack OFF") + ")";
    }
  }
  if (byzantine2 != ByzantineKind::kNone) {
    s += ", second byzantine " + ByzantineName(byzantine2) + " replica " +
         std::to_string(byzantine2_replica);
  }
  for (const auto& st : steps) s += "\n  " + st.ToString();
  return s;
}

namespace {

LinkOptions Lossy(Rng& rng) {
  LinkOptions l;
  l.min_delay_ms = 1;
  l.max_delay_ms = Uniform(rng, 5, 40);
  l.drop = static_cast<double>(Uniform(rng, 2, 30)) / 100;
  l.duplicate = static_cast<double>(Uniform(rng, 0, 20)) / 100;
  l.slow = static_cast<double>(Uniform(rng, 0, 20)) / 100;
  return l;
}

void AddLossy(Plan* plan, Rng& rng) {
  FaultStep s;
  s.at_ms = Uniform(rng, 0, plan->heal_ms / 2);
  s.kind = FaultStep::Kind::kLink;
  s.link = Lossy(rng);
  plan->steps.push_back(s);
}

void AddPartitions(Plan* plan, Rng& rng) {
  const int count = static_cast<int>(Uniform(rng, 1, 3));
  int64_t t = Uniform(rng, 100, 1500);
  for (int i = 0; i < count && t < plan->heal_ms - 200; ++i) {
    FaultStep p;
    p.at_ms = t;
    p.kind = FaultStep::Kind::kPartition;
    // One node alone, or a split that leaves no quorum on either side.
    const uint32_t size =
        Chance(rng, 0.5) ? 1 : static_cast<uint32_t>(Uniform(rng, 1, plan->n / 2));
    while (p.side.size() < size) p.side.insert(static_cast<uint32_t>(Uniform(rng, 0, plan->n - 1)));
    plan->steps.push_back(p);
    t = std::min(plan->heal_ms - 100, t + Uniform(rng, 300, 4000));
    FaultStep h;
    h.at_ms = t;
    h.kind = FaultStep::Kind::kHealPartition;
    plan->steps.push_back(h);
    t += Uniform(rng, 100, 2000);
  }
}

// Crashes and restarts; `new_disk` restarts (some of) them empty. Crash windows of different
// slots may overlap unless `one_at_a_time`.
void AddCrashes(Plan* plan, Rng& rng, bool new_disk, bool one_at_a_time) {
  const int count = static_cast<int>(Uniform(rng, 1, 3));
  int64_t t = Uniform(rng, 100, 2000);
  std::vector<int64_t> busy_until(plan->n, 0);
  for (int i = 0; i < count && t < plan->heal_ms - 200; ++i) {
    const auto slot = static_cast<uint32_t>(Uniform(rng, 0, plan->n - 1));
    const int64_t at = std::max(t, busy_until[slot] + 1);
    if (at >= plan->heal_ms - 100) break;
    const int64_t back = std::min(plan->heal_ms, at + Uniform(rng, 100, 5000));
    FaultStep c;
    c.at_ms = at;
    c.kind = FaultStep::Kind::kCrash;
    c.slot = slot;
    FaultStep r;
    r.at_ms = back;
    r.kind = FaultStep::Kind::kRestart;
    r.slot = slot;
    r.new_disk = new_disk && (i == 0 || Chance(rng, 0.5));
    plan->steps.push_back(c);
    plan->steps.push_back(r);
    busy_until[slot] = back;
    t = one_at_a_time ? back + Uniform(rng, 100, 1000) : at + Uniform(rng, 50, 3000);
  }
}

// Cuts replica 0 (the primary of view 0) off for a while early on, so that view 1 begins with a
// NEW-VIEW by replica 1 and every replica has sent a VIEW-CHANGE.
void AddDepose(Plan* plan, Rng& rng) {
  FaultStep cut;
  cut.at_ms = Uniform(rng, 200, 1000);
  cut.kind = FaultStep::Kind::kPartition;
  cut.side = {0};
  FaultStep heal;
  heal.at_ms = std::min(plan->heal_ms, cut.at_ms + Uniform(rng, 1000, 3000));
  heal.kind = FaultStep::Kind::kHealPartition;
  plan->steps.push_back(cut);
  plan->steps.push_back(heal);
}

// A flooder: one of the replicas that are not the primary of view 1, on clean links (so that
// the no-attack run differs by the flood alone), at 100..500 copies per ms to each peer.
void AddFlood(Plan* plan, Rng& rng, ByzantineKind kind, bool depose) {
  plan->byzantine = kind;
  do {
    plan->byzantine_replica = static_cast<uint32_t>(Uniform(rng, 0, plan->n - 1));
  } while (plan->byzantine_replica == 1);
  plan->flood_period_ms = Uniform(rng, 5, 20);
  plan->flood_copies = static_cast<uint64_t>(Uniform(rng, 100, 500) * plan->flood_period_ms);
  if (depose) AddDepose(plan, rng);
}

}  // namespace

Plan MakePlan(Profile profile, uint32_t n, Rng& rng) {
  Plan plan;
  plan.profile = profile;
  const bool seven = Chance(rng, 0.15);  // drawn always, so --n does not shift the stream
  plan.n = n != 0 ? n : (seven ? 7 : 4);
  plan.base_link.min_delay_ms = 1;
  plan.base_link.max_delay_ms = Uniform(rng, 2, 15);
  plan.heal_ms = Uniform(rng, 3000, 10000);
  plan.events = static_cast<uint32_t>(Uniform(rng, 20, 60));
  plan.submit_until_ms = plan.heal_ms + Uniform(rng, 0, 2000);
  plan.clock_skew_max_ms = Uniform(rng, 0, 300);
  plan.disk_delay_max_ms = Chance(rng, 0.3) ? Uniform(rng, 10, 60) : Uniform(rng, 1, 5);
  const auto pick_byzantine = [&](ByzantineKind kind) {
    plan.byzantine = kind;
    // The primary of view 0 (behaviours start at once), the primary of view 1 with replica 0
    // cut off early for a while (so it becomes primary through a view change and must
    // send a NEW-VIEW), or any replica.
    const int64_t choice = Uniform(rng, 0, 9);
    const int64_t depose_at = Uniform(rng, 200, 1000);
    const int64_t depose_for = Uniform(rng, 1000, 3000);
    if (choice < 4) {
      plan.byzantine_replica = 0;
    } else if (choice < 7) {
      plan.byzantine_replica = 1;
      FaultStep cut;
      cut.at_ms = depose_at;
      cut.kind = FaultStep::Kind::kPartition;
      cut.side = {0};
      FaultStep heal;
      heal.at_ms = std::min(plan.heal_ms, depose_at + depose_for);
      heal.kind = FaultStep::Kind::kHealPartition;
      plan.steps.push_back(cut);
      plan.steps.push_back(heal);
    } else {
      plan.byzantine_replica = static_cast<uint32_t>(Uniform(rng, 0, plan.n - 1));
    }
    plan.twins_split = Chance(rng, 0.5);
    do {
      plan.censored_replica = static_cast<uint32_t>(Uniform(rng, 0, plan.n - 1));
    } while (plan.censored_replica == plan.byzantine_replica);
  };
  switch (profile) {
    case Profile::kNone:
      break;
    case Profile::kLossy:
      AddLossy(&plan, rng);
      break;
    case Profile::kPartition:
      AddPartitions(&plan, rng);
      break;
    case Profile::kCrashRestart:
      AddCrashes(&plan, rng, false, false);
      break;
    case Profile::kNewDisk:
      AddCrashes(&plan, rng, true, true);
      break;
    case Profile::kEquivocate:
      pick_byzantine(ByzantineKind::kEquivocate);
      break;
    case Profile::kCensor:
      pick_byzantine(ByzantineKind::kCensor);
      break;
    case Profile::kInvalidBlocks:
      pick_byzantine(ByzantineKind::kInvalidBlocks);
      break;
    case Profile::kByzantineBackup:
      pick_byzantine(ByzantineKind::kBadBackup);
      break;
    case Profile::kTwins:
      pick_byzantine(ByzantineKind::kTwin);
      break;
    case Profile::kCombined: {
      static const ByzantineKind kinds[] = {
          ByzantineKind::kNone,          ByzantineKind::kEquivocate, ByzantineKind::kCensor,
          ByzantineKind::kInvalidBlocks, ByzantineKind::kBadBackup,  ByzantineKind::kTwin};
      pick_byzantine(kinds[Uniform(rng, 0, 5)]);
      if (Chance(rng, 0.7)) AddLossy(&plan, rng);
      if (Chance(rng, 0.5)) AddPartitions(&plan, rng);
      // A new disk counts against f (DESIGN §6): only without another faulty replica, or n = 7.
      const bool wipe = Chance(rng, 0.3) && (plan.byzantine == ByzantineKind::kNone || plan.n >= 7);
      if (Chance(rng, 0.6) || wipe) AddCrashes(&plan, rng, wipe, wipe);
      // n = 7 tolerates two faulty replicas: a second Byzantine one unless a disk is wiped.
      // (Drawn last, so the rest of the plan is what it was before this option existed.)
      const bool has_wipe = std::any_of(plan.steps.begin(), plan.steps.end(),
                                        [](const FaultStep& st) { return st.new_disk; });
      if (plan.n >= 7 && plan.byzantine != ByzantineKind::kNone && !has_wipe && Chance(rng, 0.5)) {
        static const ByzantineKind second[] = {ByzantineKind::kEquivocate, ByzantineKind::kCensor,
                                               ByzantineKind::kInvalidBlocks,
                                               ByzantineKind::kBadBackup};
        plan.byzantine2 = second[Uniform(rng, 0, 3)];
        do {
          plan.byzantine2_replica = static_cast<uint32_t>(Uniform(rng, 0, plan.n - 1));
        } while (plan.byzantine2_replica == plan.byzantine_replica ||
                 plan.byzantine2_replica == plan.censored_replica);
      }
      break;
    }
    case Profile::kFloodHeartbeat:
      AddFlood(&plan, rng, ByzantineKind::kFloodHeartbeat, true);
      break;
    case Profile::kFloodViewChange:
      AddFlood(&plan, rng, ByzantineKind::kFloodViewChange, true);
      break;
    case Profile::kFloodForward:
      AddFlood(&plan, rng, ByzantineKind::kFloodForward, Chance(rng, 0.5));
      break;
    case Profile::kMixedViewTime: {
      // Its proposals run kAheadMs ahead of its clock: clocks close enough that backups take
      // them (genesis clock_skew_ms 1000). With n = 7 (the default here) the primaries of
      // views 0 and 1 both behave so: view 1's NEW-VIEW may leave out a view-0 certificate
      // that view 1 does not propose over, and view 2's NEW-VIEW then meets it below view 1's
      // later certificates. With n = 4, one such replica, lossy links and partitions.
      plan.byzantine = ByzantineKind::kMixedViewTime;
      plan.clock_skew_max_ms = Uniform(rng, 0, 50);
      if (n == 0) plan.n = 7;
      if (plan.n >= 7) {
        plan.byzantine_replica = 0;
        plan.byzantine2 = ByzantineKind::kMixedViewTime;
        plan.byzantine2_replica = 1;
        break;
      }
      plan.byzantine_replica =
          Chance(rng, 0.5) ? 0 : static_cast<uint32_t>(Uniform(rng, 0, plan.n - 1));
      if (Chance(rng, 0.7)) AddLossy(&plan, rng);
      if (Chance(rng, 0.5)) AddPartitions(&plan, rng);
      break;
    }
  }
  // Faults never hit a Byzantine replica's slots (it misbehaves enough), nor a twin.
  if (plan.byzantine != ByzantineKind::kNone) {
    std::erase_if(plan.steps, [&](const FaultStep& s) {
      return (s.kind == FaultStep::Kind::kCrash || s.kind == FaultStep::Kind::kRestart) &&
             plan.KindOf(s.slot) != ByzantineKind::kNone;
    });
  }
  std::stable_sort(plan.steps.begin(), plan.steps.end(),
                   [](const FaultStep& a, const FaultStep& b) { return a.at_ms < b.at_ms; });
  return plan;
}

}  // namespace shipledger::sim
