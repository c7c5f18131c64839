#include "contracts/workspace.h"

namespace shipledger::contracts {

const v1::ShipmentState* Workspace::Shipment(const std::string& shipment_id) {
  if (auto it = pending_states_.find(shipment_id); it != pending_states_.end()) {
    return &it->second;
  }
  if (auto it = effects_->state_writes.find(shipment_id); it != effects_->state_writes.end()) {
    return &it->second;
  }
  auto [it, inserted] = committed_states_.try_emplace(shipment_id);
  if (inserted) it->second = committed_.GetShipmentState(shipment_id);
  return it->second.has_value() ? &*it->second : nullptr;
}

void Workspace::PutShipment(v1::ShipmentState state) {
  std::string id = state.shipment_id();
  pending_states_[std::move(id)] = std::move(state);
}

std::optional<Bytes> Workspace::Record(const std::string& key) {
  if (auto it = pending_records_.find(key); it != pending_records_.end()) return it->second;
  if (auto it = effects_->record_writes.find(key); it != effects_->record_writes.end()) {
    return it->second;
  }
  return committed_.GetRecord(key);
}

void Workspace::PutRecord(const std::string& key, Bytes value) {
  pending_records_[key] = std::move(value);
}

void Workspace::DeleteRecord(const std::string& key) { pending_records_[key] = std::nullopt; }

template <typename InRange>
std::vector<std::pair<std::string, Bytes>> Workspace::Overlay(
    std::vector<std::pair<std::string, Bytes>> committed, const std::string& begin,
    InRange in_range) {
  std::map<std::string, std::optional<Bytes>> merged;
  for (auto& [key, value] : committed) merged[key] = std::move(value);
  auto overlay = [&](const std::map<std::string, std::optional<Bytes>>& writes) {
    for (auto it = writes.lower_bound(begin); it != writes.end() && in_range(it->first); ++it) {
      merged[it->first] = it->second;
    }
  };
  overlay(effects_->record_writes);
  overlay(pending_records_);
  std::vector<std::pair<std::string, Bytes>> out;
  for (auto& [key, value] : merged) {
    if (value.has_value()) out.emplace_back(key, std::move(*value));
  }
  return out;
}

std::vector<std::pair<std::string, Bytes>> Workspace::Scan(const std::string& prefix) {
  return Overlay(committed_.ScanRecords(prefix), prefix, [&](const std::string& key) {
    return key.compare(0, prefix.size(), prefix) == 0;
  });
}

std::vector<std::pair<std::string, Bytes>> Workspace::ScanRange(const std::string& begin,
                                                                const std::string& end) {
  if (begin >= end) return {};
  return Overlay(committed_.ScanRecordRange(begin, end), begin,
                 [&](const std::string& key) { return key < end; });
}

std::optional<model::EventFacts> Workspace::Event(const Bytes& event_id) {
  if (auto it = block_events_.find(event_id); it != block_events_.end()) return it->second;
  return committed_.GetEventFacts(event_id);
}

void Workspace::NoteExecuted(const Bytes& event_id, model::EventFacts facts) {
  // The first copy's facts win, as in the store (a later copy is a DUPLICATE).
  block_events_.try_emplace(event_id, std::move(facts));
}

void Workspace::Commit() {
  for (auto& [id, state] : pending_states_) effects_->state_writes[id] = std::move(state);
  for (auto& [key, value] : pending_records_) effects_->record_writes[key] = std::move(value);
  pending_states_.clear();
  pending_records_.clear();
}

void Workspace::Discard() {
  pending_states_.clear();
  pending_records_.clear();
}

}  // namespace shipledger::contracts
