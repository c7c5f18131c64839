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
  // view (points into the view changes passed in), less those that would make block time go
  // backwards (see PlanNewView). Other heights in the range get empty proposals.
  std::map<uint64_t, const v1::PreparedCertificate*> reproposals;
  // The view change whose stable_proposal proves the time of the block at stable.height (its
  // stable checkpoint is `stable`); null at height 0 and when no re-proposal needed it.
  const v1::ViewChange* stable_proof = nullptr;
};

// The time of the empty proposal at `height` (DESIGN §5: never below its parent's): that of the
// re-proposal below it when there is one, else that of the next re-proposal above it.
// REQUIRES: stable.height < height < max_height and `height` is not a re-proposal.
int64_t FillerTimeMs(const NewViewPlan& plan, uint64_t height);

// REQUIRES: the view changes passed the gate (signatures, certificates, stable proposals) and
// are for one view.
// INVALID_ARGUMENT if two prepared certificates of one view and height name different proposals
// (impossible with <= f faults; a sign of a forged certificate). FAILED_PRECONDITION if
// certificates above a stable checkpoint at height > 0 are to be re-proposed but no view change
// carries that stable block's proposal: its time is the floor below which nothing is
// re-proposed, so the new primary first obtains it (a relayed VIEW-CHANGE may gain it, or the
// primary fetches the block and adds it).
//
// The floor: a certificate whose time is below the stable block's is dropped. Had it
// committed, in view v, the stable block (committed in some view w) would have been proposed
// below it in a sequence whose times do not decrease: if w > v, every NEW-VIEW after v
// re-proposes it and plans heights below it by this very rule; if w <= v, it was proposed in
// view v or earlier on the chain it extends.
//
// Block time never decreases (DESIGN §5). Certificates of different views can pair a lower
// height with a later time: when the chosen certificates at g < h have time_g > time_h, the
// one of the lower view is dropped (its height gets an empty proposal). Dropping is safe: had
// it committed, every later NEW-VIEW would have re-proposed it, so the other certificate, of a
// higher view, would have been proposed below or above it in a sequence whose times do not
// decrease (fresh proposals are checked against their parent, NEW-VIEW plans are monotone by
// this very rule) — a contradiction. Two such certificates of one view cannot both exist with
// <= f faults (a correct replica accepts one proposal per view and height, each not before
// its parent); should they, the higher height is dropped so the plan stays monotone.
Result<NewViewPlan> PlanNewView(const std::vector<const v1::ViewChange*>& view_changes);

// OK when `new_view.pre_prepares` are exactly the plan: one per height in
// (stable.height, max_height], in height order, each re-proposal byte-identical (same proposal
// digest) to the plan's, each other height an empty proposal. INVALID_ARGUMENT saying what
// differs otherwise.
Status CheckNewViewAgainstPlan(const v1::NewView& new_view, const NewViewPlan& plan);

}  // namespace shipledger::consensus
