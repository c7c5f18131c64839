// Executes a committed block under the contract rules of its height (rules.h, looked up once per
// block): for each event in order, DUPLICATE if its id is already committed (or earlier in the
// block), else the rules' verdict. A VALID event's writes join the block's; a rejected event
// changes nothing. Later events of a block see the state written by earlier ones.
// Deterministic on every node.
#pragma once

#include <optional>
#include <vector>

#include "model/event.h"
#include "model/execution.h"

namespace shipledger::contracts {

// The reason of every DUPLICATE receipt. The store keeps no DUPLICATE receipt (the first copy
// keeps its own), so whoever shows one rebuilds it, with ReceiptOfCopy.
inline constexpr std::string_view kDuplicateReason = "event already committed";

// The DUPLICATE receipt execution writes for the copy at (height, index) of an event already
// committed, or earlier in its block.
v1::Receipt DuplicateReceipt(ByteView event_id, uint64_t height, uint32_t index);

// The certified receipt of the copy of event `event_id` at (height, index), given the receipt
// the store keeps under that id (nullopt: none): that receipt when it is this copy's, else this
// copy's DUPLICATE receipt. Every API that shows a receipt builds it here (DESIGN §5), so what
// it shows is what the receipts root certifies.
v1::Receipt ReceiptOfCopy(std::optional<v1::Receipt> stored, ByteView event_id, uint64_t height,
                          uint32_t index);

model::BlockEffects ExecuteBlock(const std::vector<model::EventPtr>& events,
                                 const model::StateReader& state,
                                 const model::BlockContext& context);

}  // namespace shipledger::contracts
