// The state one event executes against under contract rules v2 (docs/contracts.md): committed
// state, overlaid by the writes of earlier events of the block, overlaid by the event's own
// writes. An event's writes become part of the block only if it is VALID (Commit); a rejected
// event changes nothing (Discard). Rules v2 may change several shipments and contract records
// for one event (an offer assigns legs of other shipments), hence this transactional view.
// Thread-safety: one block's execution, one thread.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "model/execution.h"

namespace shipledger::contracts {

class Workspace {
 public:
  // `effects` receives the committed writes (state_writes, record_writes); it outlives this.
  Workspace(const model::StateReader& committed, model::BlockEffects* effects)
      : committed_(committed), effects_(effects) {}

  // The shipment's state as this event sees it, or nullptr. Valid until the next Put/Commit/
  // Discard.
  const v1::ShipmentState* Shipment(const std::string& shipment_id);
  void PutShipment(v1::ShipmentState state);

  std::optional<Bytes> Record(const std::string& key);
  void PutRecord(const std::string& key, Bytes value);
  void DeleteRecord(const std::string& key);
  // Every live record whose key starts with `prefix`, in key order.
  std::vector<std::pair<std::string, Bytes>> Scan(const std::string& prefix);
  // Every live record with `begin` <= key < `end`, in key order.
  std::vector<std::pair<std::string, Bytes>> ScanRange(const std::string& begin,
                                                       const std::string& end);

  // Facts of an event committed earlier, or of an earlier event of this block.
  std::optional<model::EventFacts> Event(const Bytes& event_id);
  // Records an executed event of this block (every receipt, VALID or not).
  void NoteExecuted(const Bytes& event_id, model::EventFacts facts);

  // The pending writes of the current event become the block's; or are dropped.
  void Commit();
  void Discard();

 private:
  // `committed` (the committed records in the range), overlaid by the block's and the event's
  // writes to keys that `in_range` accepts from `begin` on, in key order.
  template <typename InRange>
  std::vector<std::pair<std::string, Bytes>> Overlay(
      std::vector<std::pair<std::string, Bytes>> committed, const std::string& begin,
      InRange in_range);

  const model::StateReader& committed_;
  model::BlockEffects* effects_;
  std::map<std::string, std::optional<v1::ShipmentState>> committed_states_;  // read cache
  std::map<std::string, v1::ShipmentState> pending_states_;
  std::map<std::string, std::optional<Bytes>> pending_records_;
  std::map<Bytes, model::EventFacts> block_events_;
};

}  // namespace shipledger::contracts
