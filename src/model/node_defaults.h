// Defaults of the node.yaml settings that other modules' options carry too (the node copies
// node.yaml into consensus and rpc options): one home each, so a default is changed once.
// The genesis consensus parameters have theirs in model::ConsensusParams (model/genesis.h).
#pragma once

#include <cstdint>

namespace shipledger::model {

inline constexpr uint32_t kDefaultMempoolCapacity = 100000;  // pending events
inline constexpr uint32_t kDefaultMaxWatchers = 256;         // Watch streams on the node
inline constexpr uint32_t kDefaultMaxWatchersPerOrg = 16;    // of which one organisation's
inline constexpr uint32_t kDefaultWatchStallMs = 10000;      // a reader stalled longer is dropped

}  // namespace shipledger::model
