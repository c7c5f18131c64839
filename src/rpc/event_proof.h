// Reading an event proof (DESIGN §5) out of the store for GetEventProof.
// Thread-safety: free functions; the store is thread-safe.
#pragma once

#include <cstdint>

#include "model/genesis.h"
#include "shipledger/bytes.h"
#include "shipledger/status.h"
#include "shipledger/v1/types.pb.h"
#include "storage/store.h"

namespace shipledger::rpc {

// A proof whose covering checkpoint is further than this many heights away is refused
// (FAILED_PRECONDITION): its results chain would not fit a reasonable message. Checkpoints
// come every checkpoint_interval heights, so only a node that skipped storing them gets here.
inline constexpr uint64_t kMaxProofChainHeights = 16384;

// The proof of the committed event `event_id`: its block, receipts and results chain, and the
// first stable checkpoint at or above its height that this node holds the blocks for (none:
// the proof shows inclusion only). NOT_FOUND, saying only that the event was not found, for an
// id not on the chain. This is the one lookup every proof read goes through (read scoping
// belongs here). DATA_LOSS / INTERNAL when the stored records cannot be read or do not fit.
Result<v1::EventProof> LoadEventProof(const storage::Store& store, const model::Genesis& genesis,
                                      ByteView event_id);

}  // namespace shipledger::rpc
