#include "contracts/executor.h"

#include <optional>
#include <set>

#include "contracts/contract_v2.h"
#include "contracts/routing.h"
#include "contracts/shipment_contract.h"
#include "contracts/workspace.h"
#include "model/block.h"
#include "shipledger/check.h"

namespace shipledger::contracts {
namespace {}  // namespace

model::BlockEffects ExecuteBlock(const std::vector<model::EventPtr>& events,
                                 const model::StateReader& state,
                                 const model::BlockContext& context) {
  model::BlockEffects effects;
  effects.receipts.reserve(events.size());
  std::set<Bytes> seen;  // ids earlier in this block
  Workspace workspace(state, &effects);
  if (context.rules_version >= 3) {
    BeginBlockV3(workspace, context);  // offer expiry (docs/contracts.md)
    workspace.Commit();
  }
  for (size_t i = 0; i < events.size(); ++i) {
    SHIPLEDGER_CHECK(events[i] != nullptr);
    const model::AdmittedEvent& admitted = *events[i];
    v1::Receipt& receipt = effects.receipts.emplace_back();
    receipt.set_event_id(admitted.id);
    receipt.set_height(context.height);
    receipt.set_index(static_cast<uint32_t>(i));

    const bool first_in_block = seen.insert(admitted.id).second;
    if (!first_in_block || state.HasEvent(admitted.id)) {
      receipt = DuplicateReceipt(admitted.id, context.height, static_cast<uint32_t>(i));
      continue;
    }

    if (context.rules_version >= 2) {
      Verdict verdict = ApplyEventV2(workspace, admitted, context, static_cast<uint32_t>(i));
      receipt.set_code(verdict.code);
      receipt.set_reason(verdict.reason);
      if (verdict.code == v1::RESULT_CODE_VALID) {
        workspace.Commit();
        for (v1::ContractOutput& output : verdict.outputs) {
          *receipt.add_outputs() = std::move(output);
        }
      } else {
        workspace.Discard();
      }
      workspace.NoteExecuted(
          admitted.id, model::EventFacts{admitted.event.shipment_id(), admitted.event.signer_org(),
                                         admitted.event.type(), verdict.code, context.height});
      continue;
    }

    // Rules v1: one shipment per event. Overlay: this block's writes first, then committed.
    const std::string& shipment_id = admitted.event.shipment_id();
    const v1::ShipmentState* current = nullptr;
    std::optional<v1::ShipmentState> committed;
    if (auto it = effects.state_writes.find(shipment_id); it != effects.state_writes.end()) {
      current = &it->second;
    } else {
      committed = state.GetShipmentState(shipment_id);
      if (committed.has_value()) current = &*committed;
    }

    Outcome outcome = ApplyShipmentEvent(current, admitted, context);
    receipt.set_code(outcome.code);
    receipt.set_reason(outcome.reason);
    if (outcome.code == v1::RESULT_CODE_VALID) {
      SHIPLEDGER_CHECK(outcome.new_state.has_value());
      effects.state_writes[shipment_id] = std::move(*outcome.new_state);
    }
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
