// What a replica's consensus journal must keep (DESIGN §6 "persistence before sending"). The
// rule lives here, beside the types, so the store and every runtime that models one (the
// simulator's disk, the test cluster) prune exactly alike.
// Thread-safety: pure functions.
#pragma once

#include <cstdint>
#include <vector>

#include "shipledger/v1/peer.pb.h"

namespace shipledger::model {

// Which of the journal's height-0 entries (views entered and VIEW-CHANGEs sent, given in append
// order) a stable checkpoint at `through_height` makes unnecessary; entries at heights
// 1..through_height all are. Kept:
//   - the latest view entry (a restart resumes in that view);
//   - each VIEW-CHANGE for a view above the latest view entered (we may still be waiting for
//     its NEW-VIEW, and must send that same VIEW-CHANGE again after a restart), or carrying a
//     prepared certificate above `through_height`;
//   - entries of any other kind.
// A VIEW-CHANGE for a view at or below one we entered is never sent again (views only grow),
// so it has nothing left to guard. Returns one flag per entry: true = prune.
std::vector<bool> PrunableHeightZeroEntries(const std::vector<const v1::JournalEntry*>& entries,
                                            uint64_t through_height);

}  // namespace shipledger::model
