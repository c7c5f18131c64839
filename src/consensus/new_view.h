// What a NEW-VIEW must contain, computed from 2f+1 VIEW-CHANGEs (DESIGN §6; PBFT §4.4): the new
// primary builds its NEW-VIEW from this plan and every backup recomputes it from the
// VIEW-CHANGEs the NEW-VIEW carries before accepting it.
#pragma once

#include <cstdint>
#include <map>
#include <vector>

#include "shipledger/status.h"
#include "shipledger/v1/peer.pb.h"

namespace shipledger::consensus {

struct NewViewPlan {
  // The highest stable checkpoint among the view changes (min-s).
  v1::CheckpointCertificate stable;
  // The highest height with a prepared certificate above `stable` (max-s); == stable.height
  // when there is none.
  uint64_t max_height = 0;
  // Heights in (stable.height, max_height] with a prepared certificate: the one of the highest
  // view (points into the view changes passed in). Other heights in the range get empty
  // proposals.
  std::map<uint64_t, const v1::PreparedCertificate*> reproposals;
};

// REQUIRES: the view changes passed the gate (signatures, certificates) and are for one view.
// INVALID_ARGUMENT if two prepared certificates of one view and height name different proposals
// (impossible with <= f faults; a sign of a forged certificate).
Result<NewViewPlan> PlanNewView(const std::vector<const v1::ViewChange*>& view_changes);

// OK when `new_view.pre_prepares` are exactly the plan: one per height in
// (stable.height, max_height], in height order, each re-proposal byte-identical (same proposal
// digest) to the plan's, each other height an empty proposal. INVALID_ARGUMENT saying what
// differs otherwise.
Status CheckNewViewAgainstPlan(const v1::NewView& new_view, const NewViewPlan& plan);

}  // namespace shipledger::consensus
