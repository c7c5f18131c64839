#include "consensus/solo_replica.h"

#include <algorithm>

#include "model/block.h"

namespace shipledger::consensus {

SoloReplica::SoloReplica(std::shared_ptr<const model::Genesis> genesis, const SoloOptions& options,
                         const Signer* signer, const ChainTip& tip)
    : genesis_(std::move(genesis)),
      options_(options),
      signer_(signer),
      mempool_(options.mempool_capacity),
      ordered_height_(tip.height),
      committed_height_(tip.height),
      last_hash_(tip.block_hash),
      last_time_ms_(tip.block_time_ms) {
  SHIPLEDGER_CHECK(genesis_->n() == 1 && options_.replica_id == 0);
  SHIPLEDGER_CHECK(options_.batch_max_events > 0 && options_.window > 0);
}

Actions SoloReplica::OnEvents(const std::vector<model::EventPtr>& events, int64_t now_ms,
                              std::vector<Status>* results) {
  results->clear();
  results->reserve(events.size());
  for (const auto& e : events) results->push_back(mempool_.Add(e, now_ms));
  return MaybePropose(now_ms);
}

Actions SoloReplica::OnTick(int64_t now_ms) {
  // The runtime's timer fired: it is no longer armed, even if it fired a little before the
  // deadline by this clock, so MaybePropose re-arms it when events still wait.
  timer_at_ms_ = 0;
  return MaybePropose(now_ms);
}

Actions SoloReplica::OnCommitted(const Committed& committed, int64_t now_ms) {
  const uint64_t height = committed.height;
  SHIPLEDGER_CHECK(height == committed_height_ + 1 && height <= ordered_height_);
  committed_height_ = height;
  mempool_.Committed(height);
  return MaybePropose(now_ms);
}

Actions SoloReplica::Flush(int64_t now_ms) {
  flushing_ = true;
  return MaybePropose(now_ms);
}

Actions SoloReplica::MaybePropose(int64_t now_ms) {
  Actions actions;
  while (mempool_.pending() > 0 && ordered_height_ - committed_height_ < options_.window) {
    const bool full = mempool_.pending() >= options_.batch_max_events;
    const bool due =
        flushing_ || now_ms - mempool_.oldest_arrival_ms() >= options_.batch_timeout_ms;
    if (!full && !due) break;
    if (auto block = Propose(now_ms)) actions.emplace_back(std::move(*block));
  }
  // Arm a timer for the batch deadline when events wait and the window has room; when the
  // window is full, OnCommitted will call back in.
  if (mempool_.pending() > 0 && ordered_height_ - committed_height_ < options_.window) {
    const int64_t deadline = mempool_.oldest_arrival_ms() + options_.batch_timeout_ms;
    if (timer_at_ms_ == 0 || deadline < timer_at_ms_) {
      timer_at_ms_ = deadline;
      actions.emplace_back(SetTimer{deadline});
    }
  }
  return actions;
}

std::optional<CommitBlock> SoloReplica::Propose(int64_t now_ms) {
  CommitBlock out;
  const uint64_t height = ordered_height_ + 1;
  // Block time strictly increases (DESIGN §6), even if the clock steps back.
  const int64_t time_ms = std::max(now_ms, last_time_ms_ + 1);
  // Certificates are judged at block time (DESIGN §3): an event whose certificate expired
  // while it waited is dropped here, so no block carries it and `verify` agrees.
  for (auto& e : mempool_.Take(options_.batch_max_events, height)) {
    if (e->valid_from_ms <= time_ms && time_ms <= e->valid_until_ms) {
      out.events.push_back(std::move(e));
    } else {
      mempool_.Drop(e->id);
    }
  }
  if (out.events.empty()) return std::nullopt;

  v1::Proposal* p = out.block.mutable_proposal();
  p->set_chain_id(genesis_->chain_id);
  p->set_height(height);
  p->set_events_root(model::EventsRoot(out.events));
  p->set_proposer(options_.replica_id);
  p->set_timestamp_ms(time_ms);
  p->set_event_count(static_cast<uint32_t>(out.events.size()));
  const Bytes digest = model::ProposalDigest(*p);

  // PBFT with n = 1: this replica's COMMIT is the whole quorum (DESIGN §5 certificate).
  auto signature = signer_->Sign(
      model::VoteMessage(genesis_->chain_id, model::VoteType::kCommit, 0, height, digest));
  SHIPLEDGER_CHECK_MSG(signature.ok(), "node key cannot sign");
  v1::CommitCertificate* cert = out.block.mutable_certificate();
  cert->set_view(0);
  auto* vote = cert->add_votes();
  vote->set_replica(options_.replica_id);
  vote->set_signature(std::move(signature).value());

  out.block.set_prev_block_hash(last_hash_);
  last_hash_ = model::BlockHash(digest, last_hash_);
  out.block.set_block_hash(last_hash_);
  last_time_ms_ = time_ms;
  ordered_height_ = height;
  return out;
}

ReplicaStatus SoloReplica::status() const {
  ReplicaStatus s;
  s.view = 0;
  s.primary = options_.replica_id;
  s.is_primary = true;
  s.ordered_height = ordered_height_;
  s.committed_height = committed_height_;
  s.mempool_events = mempool_.pending();
  s.mempool_capacity = mempool_.capacity();
  s.stable_checkpoint = committed_height_;
  return s;
}

}  // namespace shipledger::consensus
