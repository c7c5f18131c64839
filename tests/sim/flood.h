// Byzantine behaviours that exhaust resources (DESIGN §6 "fairness under floods") and the
// mixed-view block-time attacker. Each wraps an honest core, like those of byzantine.h:
//   kFloodHeartbeat   floods every peer with copies of its heartbeat claiming view 0, which a
//                     naive primary in a later view would answer with a full NEW-VIEW each;
//   kFloodViewChange  replays its own (validly signed) VIEW-CHANGEs to every peer en masse;
//   kFloodForward     re-forwards events it has seen (mostly committed long ago) en masse;
//   kMixedViewTime    as primary, stamps each fresh proposal 800 ms in the future (within the
//                     backups' clock bound), sends it to the same quorum - 1 backups all view
//                     long and its PREPARE to one of them (by height), and never COMMITs: each
//                     proposal is prepared at one replica and never committed. Its VIEW-CHANGEs
//                     claim nothing prepared, so a NEW-VIEW may leave such a certificate out and
//                     a later view proposes other heights at other times; the certificates of
//                     those views can then meet in a NEW-VIEW with time going backwards (what
//                     new_view.h's DropCertificatesThatGoBackInTime resolves).
// The flooders send their bursts only when the plan's attack is on (SimNode); otherwise they
// behave exactly as a correct replica, which is what the no-attack comparison run needs.
// Thread-safety: none; owned by one SimNode.
#pragma once

#include <memory>

#include "sim/byzantine.h"

namespace shipledger::sim {

// REQUIRES: kind is kFloodHeartbeat, kFloodViewChange, kFloodForward or kMixedViewTime.
std::unique_ptr<Byzantine> MakeFloodOrMixed(ByzantineKind kind, const ByzantineContext& context);

}  // namespace shipledger::sim
