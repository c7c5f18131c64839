#include "rpc/commit_notifier.h"

namespace shipledger::rpc {

std::shared_ptr<CommitNotifier::Waiter> CommitNotifier::Expect(const std::vector<Bytes>& ids) {
  auto w = std::make_shared<Waiter>();
  w->ids_ = ids;
  w->receipts_.resize(ids.size());
  w->missing_ = ids.size();
  std::lock_guard<std::mutex> lock(mu_);
  for (size_t i = 0; i < ids.size(); ++i) by_id_.emplace(ids[i], std::make_pair(w, i));
  return w;
}

void CommitNotifier::Fill(Waiter& waiter, size_t i, v1::Receipt receipt) {
  std::lock_guard<std::mutex> lock(mu_);
  if (!waiter.receipts_[i]) {
    waiter.receipts_[i] = std::move(receipt);
    --waiter.missing_;
  }
}

bool CommitNotifier::Wait(const std::shared_ptr<Waiter>& waiter, Deadline deadline) {
  std::unique_lock<std::mutex> lock(mu_);
  cv_.wait_until(lock, deadline, [&] { return waiter->missing_ == 0 || shutdown_; });
  for (const auto& id : waiter->ids_) {
    auto range = by_id_.equal_range(id);
    for (auto it = range.first; it != range.second;) {
      it = it->second.first == waiter ? by_id_.erase(it) : std::next(it);
    }
  }
  return waiter->missing_ == 0;
}

CommittedBlock::CommittedBlock(const v1::Block& block, std::vector<model::EventPtr> events,
                               std::vector<v1::Receipt> receipts)
    : height_(block.proposal().height()),
      block_time_ms_(block.proposal().timestamp_ms()),
      block_hash_(block.block_hash()),
      events_(std::move(events)),
      receipts_(std::move(receipts)) {}

CommittedBlock::CommittedBlock(uint64_t height, int64_t block_time_ms, Bytes block_hash,
                               std::vector<v1::TimelineEntry> entries)
    : height_(height), block_time_ms_(block_time_ms), block_hash_(std::move(block_hash)) {
  std::call_once(built_, [&] { entries_ = std::move(entries); });
}

const std::vector<v1::TimelineEntry>& CommittedBlock::entries() const {
  std::call_once(built_, [this] {
    entries_.resize(events_.size());
    for (size_t i = 0; i < events_.size(); ++i) {
      const model::AdmittedEvent& e = *events_[i];
      v1::TimelineEntry& entry = entries_[i];
      entry.set_event_id(e.id);
      entry.set_height(height_);
      entry.set_index(static_cast<uint32_t>(i));
      entry.set_block_time_ms(block_time_ms_);
      *entry.mutable_event() = e.event;
      // Admission (or the gate) checked one co-signature by each organisation named, in order.
      *entry.mutable_cosigner_orgs() = e.event.cosigner_orgs();
      if (i < receipts_.size()) *entry.mutable_receipt() = receipts_[i];
    }
  });
  return entries_;
}

void CommitNotifier::Published(std::shared_ptr<const CommittedBlock> block) {
  {
    std::lock_guard<std::mutex> lock(mu_);
    height_ = block->height();
    if (!by_id_.empty()) {
      for (const v1::Receipt& r : block->receipts()) {
        auto range = by_id_.equal_range(r.event_id());
        for (auto it = range.first; it != range.second; ++it) {
          Waiter& w = *it->second.first;
          auto& slot = w.receipts_[it->second.second];
          // A DUPLICATE receipt of a later copy never replaces the original's receipt.
          if (!slot && r.code() != v1::RESULT_CODE_DUPLICATE) {
            slot = r;
            --w.missing_;
          }
        }
      }
    }
    if (ring_capacity_ > 0) {
      if (ring_.size() == ring_capacity_) ring_.pop_front();
      ring_.push_back(std::move(block));
    }
  }
  cv_.notify_all();
}

std::shared_ptr<const CommittedBlock> CommitNotifier::Recent(uint64_t height) const {
  std::lock_guard<std::mutex> lock(mu_);
  if (ring_.empty() || height < ring_.front()->height() || height > ring_.back()->height()) {
    return nullptr;
  }
  const auto& found = ring_[height - ring_.front()->height()];
  return found->height() == height ? found : nullptr;
}

uint64_t CommitNotifier::height() const {
  std::lock_guard<std::mutex> lock(mu_);
  return height_;
}

uint64_t CommitNotifier::WaitBeyond(uint64_t above, Deadline deadline) {
  std::unique_lock<std::mutex> lock(mu_);
  cv_.wait_until(lock, deadline, [&] { return height_ > above || shutdown_; });
  return height_;
}

void CommitNotifier::Shutdown() {
  {
    std::lock_guard<std::mutex> lock(mu_);
    shutdown_ = true;
  }
  cv_.notify_all();
}

bool CommitNotifier::shutting_down() const {
  std::lock_guard<std::mutex> lock(mu_);
  return shutdown_;
}

}  // namespace shipledger::rpc
