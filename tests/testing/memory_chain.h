// A chain held in memory, playing the store's role where no disk is wanted (contract tests, the
// simulator's replicas): as a model::ChainWriter it takes whole blocks from
// contracts::CommitBlock as the store does, and Commit() applies one block's effects (state
// writes, record writes, event facts) for tests that execute without blocks. Copyable: a copy
// is a snapshot.
#pragma once

#include <map>
#include <optional>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "model/event.h"
#include "model/execution.h"

namespace shipledger::testing {

class MemoryChain final : public model::ChainWriter {
 public:
  std::optional<v1::ShipmentState> GetShipmentState(std::string_view shipment_id) const override {
    auto it = states_.find(std::string(shipment_id));
    if (it == states_.end()) return std::nullopt;
    return it->second;
  }
  bool HasEvent(ByteView event_id) const override { return facts_.count(Bytes(event_id)) != 0; }
  std::optional<model::EventFacts> GetEventFacts(ByteView event_id) const override {
    auto it = facts_.find(Bytes(event_id));
    if (it == facts_.end()) return std::nullopt;
    return it->second;
  }
  std::optional<Bytes> GetRecord(std::string_view key) const override {
    auto it = records_.find(std::string(key));
    if (it == records_.end()) return std::nullopt;
    return it->second;
  }
  std::vector<std::pair<std::string, Bytes>> ScanRecords(std::string_view prefix) const override {
    std::vector<std::pair<std::string, Bytes>> out;
    for (auto it = records_.lower_bound(std::string(prefix));
         it != records_.end() && it->first.compare(0, prefix.size(), prefix) == 0; ++it) {
      out.emplace_back(it->first, it->second);
    }
    return out;
  }
  std::vector<std::pair<std::string, Bytes>> ScanRecordRange(std::string_view begin,
                                                             std::string_view end) const override {
    std::vector<std::pair<std::string, Bytes>> out;
    for (auto it = records_.lower_bound(std::string(begin));
         it != records_.end() && it->first < end; ++it) {
      out.emplace_back(it->first, it->second);
    }
    return out;
  }

  // What the store does at commit: the first copy of each event id keeps its facts.
  void Commit(const std::vector<model::EventPtr>& events, const model::BlockEffects& effects) {
    for (size_t i = 0; i < events.size(); ++i) {
      const model::AdmittedEvent& e = *events[i];
      const v1::Receipt& r = effects.receipts[i];
      if (r.code() == v1::RESULT_CODE_DUPLICATE) continue;
      facts_.try_emplace(e.id, model::EventFacts{e.event.shipment_id(), e.event.signer_org(),
                                                 e.event.type(), r.code(), r.height()});
    }
    for (const auto& [id, state] : effects.state_writes) states_[id] = state;
    for (const auto& [key, value] : effects.record_writes) {
      if (value.has_value()) {
        records_[key] = *value;
      } else {
        records_.erase(key);
      }
    }
  }

  Bytes HeadResults() const override { return results_; }
  // As Store::CommitBlock: the next height only (FAILED_PRECONDITION, nothing written,
  // otherwise).
  Status CommitBlock(const v1::Block& block, const std::vector<model::EventPtr>& events,
                     const model::BlockEffects& effects, ByteView results_digest) override {
    if (block.proposal().height() != height_ + 1) {
      return Status::FailedPrecondition("block " + std::to_string(block.proposal().height()) +
                                        " does not follow height " + std::to_string(height_));
    }
    Commit(events, effects);
    height_ = block.proposal().height();
    results_ = Bytes(results_digest);
    return Status::Ok();
  }
  uint64_t height() const { return height_; }

  const std::map<std::string, v1::ShipmentState>& states() const { return states_; }
  const std::map<std::string, Bytes>& records() const { return records_; }

 private:
  std::map<std::string, v1::ShipmentState> states_;
  std::map<std::string, Bytes> records_;
  std::map<Bytes, model::EventFacts> facts_;
  uint64_t height_ = 0;
  Bytes results_ = Bytes(32, '\0');
};

}  // namespace shipledger::testing
