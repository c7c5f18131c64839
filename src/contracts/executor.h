// Executes a committed block: for each event in order, DUPLICATE if its id is already
// committed (or earlier in the block), else the shipment contract's verdict. Later events of a
// block see the state written by earlier ones. Deterministic on every node.
#pragma once

#include <vector>

#include "model/event.h"
#include "model/execution.h"

namespace shipledger::contracts {

// The reason of every DUPLICATE receipt. The store keeps no DUPLICATE receipt (the first copy
// keeps its own), so whoever needs a block's full receipt list (event proofs) rebuilds them.
inline constexpr std::string_view kDuplicateReason = "event already committed";

model::BlockEffects ExecuteBlock(const std::vector<model::EventPtr>& events,
                                 const model::StateReader& state,
                                 const model::BlockContext& context);

// Separates the contract records from the shipment states in the state-writes digest.
inline constexpr std::string_view kRecordsDomain = "shipledger/records/v1";

// SHA-256 over kStateDomain, then (length-prefixed id, length-prefixed deterministic state bytes)
// in id order; then, only if `records` is not empty, kRecordsDomain and per record in key order
// (length-prefixed key, 0x01 and the length-prefixed value, or 0x00 for a deletion).
Bytes StateWritesDigest(const std::map<std::string, v1::ShipmentState>& writes,
                        const std::map<std::string, std::optional<Bytes>>& records);

}  // namespace shipledger::contracts
