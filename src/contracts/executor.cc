#include "contracts/executor.h"

#include <optional>
#include <set>
#include <utility>

#include "contracts/rules.h"
#include "contracts/workspace.h"
#include "model/block.h"
#include "shipledger/check.h"

namespace shipledger::contracts {

model::BlockEffects ExecuteBlock(const std::vector<model::EventPtr>& events,
                                 const model::StateReader& state,
                                 const model::BlockContext& context) {
  const ContractRules& rules = RulesFor(context.rules_version);
  model::BlockEffects effects;
  effects.receipts.reserve(events.size());
  std::set<Bytes> seen;  // ids earlier in this block
  Workspace workspace(state, &effects);
  rules.BeginBlock(workspace, context);
  workspace.Commit();
  for (size_t i = 0; i < events.size(); ++i) {
    SHIPLEDGER_CHECK(events[i] != nullptr);
    const model::AdmittedEvent& admitted = *events[i];
    const auto index = static_cast<uint32_t>(i);
    const bool first_in_block = seen.insert(admitted.id).second;
    if (!first_in_block || state.HasEvent(admitted.id)) {
      effects.receipts.push_back(DuplicateReceipt(admitted.id, context.height, index));
      continue;
    }
    Verdict verdict = rules.Apply(workspace, admitted, context, index);
    v1::Receipt& receipt = effects.receipts.emplace_back();
    receipt.set_event_id(admitted.id);
    receipt.set_height(context.height);
    receipt.set_index(index);
    if (verdict.rejection.has_value()) {
      workspace.Discard();
      receipt.set_code(v1::RESULT_CODE_REJECTED);
      receipt.set_reason(std::move(verdict.rejection->reason));
    } else {
      workspace.Commit();
      receipt.set_code(v1::RESULT_CODE_VALID);
      for (v1::ContractOutput& output : verdict.outputs) {
        *receipt.add_outputs() = std::move(output);
      }
    }
    workspace.NoteExecuted(
        admitted.id, model::EventFacts{admitted.event.shipment_id(), admitted.event.signer_org(),
                                       admitted.event.type(), receipt.code(), context.height});
  }
  effects.receipts_root = model::ReceiptsRoot(effects.receipts, context.rules_version);
  effects.state_writes_digest =
      model::StateWritesDigest(effects.state_writes, effects.record_writes);
  return effects;
}

v1::Receipt DuplicateReceipt(ByteView event_id, uint64_t height, uint32_t index) {
  v1::Receipt receipt;
  receipt.set_event_id(std::string(event_id));
  receipt.set_height(height);
  receipt.set_index(index);
  receipt.set_code(v1::RESULT_CODE_DUPLICATE);
  receipt.set_reason(std::string(kDuplicateReason));
  return receipt;
}

v1::Receipt ReceiptOfCopy(std::optional<v1::Receipt> stored, ByteView event_id, uint64_t height,
                          uint32_t index) {
  if (stored && stored->height() == height && stored->index() == index) return *std::move(stored);
  return DuplicateReceipt(event_id, height, index);
}

}  // namespace shipledger::contracts
