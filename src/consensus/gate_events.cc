// The gate's event checks (DESIGN §6, §10): events of proposals, forwarded events, the verified
// set that lets a node verify each envelope once, and state transfer (certified blocks).
#include <algorithm>
#include <atomic>
#include <cstring>
#include <functional>
#include <optional>
#include <set>
#include <string>

#include "consensus/gate_checks.h"
#include "crypto/merkle.h"
#include "model/digest.h"
#include "model/votes.h"
#include "shipledger/check.h"

namespace shipledger::consensus::gate {

namespace {

Status Invalid(std::string message) { return Status::InvalidArgument(std::move(message)); }

std::string S(uint64_t v) { return std::to_string(v); }

// check(i) for every position on the runner, side by side. Once a position fails, positions
// after it are skipped (their slot stays empty): only the first failure is reported, and a
// faulty sender cannot make us verify a whole batch behind a bad first event.
std::vector<std::optional<Result<model::EventPtr>>> CheckAll(
    model::ParallelRunner& runner, size_t n,
    const std::function<Result<model::EventPtr>(size_t)>& check) {
  std::vector<std::optional<Result<model::EventPtr>>> out(n);
  std::atomic<size_t> first_bad{n};
  runner.ForEach(n, [&](size_t i) {
    if (i > first_bad.load()) return;
    out[i] = check(i);
    if (out[i]->ok()) return;
    size_t seen = first_bad.load();
    while (i < seen && !first_bad.compare_exchange_weak(seen, i)) {
    }
  });
  return out;
}

}  // namespace

// --- events ------------------------------------------------------------------------------------

Result<model::EventPtr> Checker::ValidateEvent(const v1::SignedEvent& se, const Bytes& leaf_hash,
                                               const model::ValidateOptions& options) const {
  if (verified_.Contains(leaf_hash)) {
    // This exact envelope (the leaf hash covers event, certificates and every signature)
    // passed Validate here before; only the time rules depend on the options. While the node
    // still holds its parsed event, that immutable object is shared rather than parsed again.
    model::EventPtr event = recent_.Find(leaf_hash);
    if (event == nullptr) {
      SL_ASSIGN_OR_RETURN(event, validator_->Parse(se));
      recent_.Add(event);
    }
    SL_RETURN_IF_ERROR(validator_->CheckTimes(*event, options));
    return event;
  }
  SL_ASSIGN_OR_RETURN(model::EventPtr event, validator_->Validate(se, options));
  verified_.Add(event->leaf_hash);
  recent_.Add(event);
  return event;
}

void Checker::NoteVerified(const model::EventPtr& event) const {
  if (event == nullptr) return;
  verified_.Add(event->leaf_hash);
  recent_.Add(event);
}

Status Checker::CheckProposalEvents(
    const v1::Proposal& proposal, const google::protobuf::RepeatedPtrField<v1::SignedEvent>& events,
    std::vector<model::EventPtr>* out) const {
  const auto count = static_cast<uint32_t>(events.size());
  if (proposal.event_count() != count) {
    return Invalid("the proposal counts " + S(proposal.event_count()) + " events but " + S(count) +
                   " are attached");
  }
  if (count > genesis_->consensus.batch_max_events) {
    return Invalid("the proposal has " + S(count) + " events; a block holds at most " +
                   S(genesis_->consensus.batch_max_events));
  }
  // The Merkle root first: it is cheap, and a mismatch makes every signature check moot.
  std::vector<Bytes> leaves;
  leaves.reserve(count);
  for (const auto& se : events) leaves.push_back(model::EventLeafHash(se));
  if (crypto::MerkleRoot(leaves) != proposal.events_root()) {
    return Invalid("the events do not match the proposal's events root");
  }
  model::ValidateOptions options;
  // DESIGN §3: certificates are judged at block time. The clock check against the proposal's
  // time is the core's (it knows whether this is a fresh proposal or a re-proposal).
  options.cert_time_ms = proposal.timestamp_ms();
  std::set<Bytes> ids;
  for (uint32_t i = 0; i < count; ++i) {
    const Bytes id = model::EventId(events[static_cast<int>(i)].event());
    if (!ids.insert(id).second) {
      return Invalid("event " + S(i) + " repeats event " + ToHex(id) + " of the same proposal");
    }
  }
  // The signatures, on all cores; the first failing event (by position) is reported.
  auto checked = CheckAll(*runner_, count, [&](size_t i) {
    return ValidateEvent(events[static_cast<int>(i)], leaves[i], options);
  });
  if (out != nullptr) {
    out->clear();
    out->reserve(count);
  }
  for (uint32_t i = 0; i < count; ++i) {
    // Positions are skipped only after an earlier failure, which returns first.
    SHIPLEDGER_CHECK(checked[i].has_value());
    Result<model::EventPtr>& event = *checked[i];
    if (!event.ok()) return event.status().WithContext("event " + S(i));
    if (out != nullptr) out->push_back(std::move(event).value());
  }
  return Status::Ok();
}

Status Checker::CheckForward(const v1::ForwardEvents& forward, int64_t now_ms,
                             std::vector<model::EventPtr>* events) const {
  const auto count = static_cast<uint32_t>(forward.events_size());
  if (count > genesis_->limits.max_batch_events) {
    return Invalid("forward carries " + S(count) + " events; at most " +
                   S(genesis_->limits.max_batch_events) + " are accepted");
  }
  // DESIGN §6 fairness: an event this node already holds or has committed is dropped before its
  // signatures are looked at. A hash is cheap; a replica replaying old envelopes must not
  // make us verify them again (the verified set forgets, the store does not).
  std::vector<int> fresh;
  fresh.reserve(count);
  for (uint32_t i = 0; i < count; ++i) {
    const Bytes id = model::EventId(forward.events(static_cast<int>(i)).event());
    if (held_.Find(id).has_value() || (committed_ && committed_(id))) continue;
    fresh.push_back(static_cast<int>(i));
  }
  // The admission rules (rpc/): certificates valid now, occurred_at within the clock window.
  model::ValidateOptions options;
  options.cert_time_ms = now_ms;
  options.clock_now_ms = now_ms;
  auto checked = CheckAll(*runner_, fresh.size(), [&](size_t k) {
    const v1::SignedEvent& se = forward.events(fresh[k]);
    return ValidateEvent(se, model::EventLeafHash(se), options);
  });
  events->clear();
  events->reserve(fresh.size());
  for (size_t k = 0; k < fresh.size(); ++k) {
    SHIPLEDGER_CHECK(checked[k].has_value());
    Result<model::EventPtr>& event = *checked[k];
    if (!event.ok()) return event.status().WithContext("forwarded event " + S(fresh[k]));
    events->push_back(std::move(event).value());
  }
  return Status::Ok();
}

// --- state transfer ----------------------------------------------------------------------------

Status Checker::CheckFetchBlocks(const v1::FetchBlocks& fetch) const {
  if (fetch.from_height() < 1) return Invalid("fetch-blocks from height 0");
  if (fetch.max_blocks() < 1 || fetch.max_blocks() > kMaxBlocksPerMessage) {
    return Invalid("fetch-blocks asks for " + S(fetch.max_blocks()) + " blocks; 1 to " +
                   S(kMaxBlocksPerMessage) + " may be asked for");
  }
  return Status::Ok();
}

Status Checker::CheckBlock(const v1::Block& block, std::vector<model::EventPtr>* events) const {
  const v1::Proposal& proposal = block.proposal();
  SL_RETURN_IF_ERROR(CheckProposal(proposal, "block"));
  const auto count = static_cast<uint32_t>(block.events_size());
  if (proposal.event_count() != count) {
    return Invalid("block counts " + S(proposal.event_count()) + " events but carries " + S(count));
  }
  // Hashes before the 2f+1 commit signatures: they are cheaper.
  if (model::EventsRoot(block.events()) != proposal.events_root()) {
    return Invalid("block's events do not match its events root");
  }
  if (block.prev_block_hash().size() != model::kDigestSize) {
    return Invalid("block's previous block hash is " + S(block.prev_block_hash().size()) +
                   " bytes, not 32");
  }
  const Bytes digest = model::ProposalDigest(proposal);
  if (model::BlockHash(digest, block.prev_block_hash()) != block.block_hash()) {
    return Invalid("block hash is not SHA-256(domain ‖ proposal digest ‖ previous block hash)");
  }
  SL_RETURN_IF_ERROR(model::VerifyCommitCertificate(*genesis_, proposal, block.certificate()));
  // The commit certificate vouches for the events: 2f+1 replicas, at least f+1 of them honest,
  // checked every signature before committing. Verifying them again would make state transfer
  // as slow as ordering (DESIGN §10); they are only parsed.
  events->clear();
  events->reserve(count);
  for (uint32_t i = 0; i < count; ++i) {
    auto event = validator_->Parse(block.events(static_cast<int>(i)));
    if (!event.ok()) return event.status().WithContext("event " + S(i));
    events->push_back(std::move(event).value());
  }
  return Status::Ok();
}

Status Checker::CheckBlocks(const v1::Blocks& blocks,
                            std::vector<std::vector<model::EventPtr>>* events) const {
  if (static_cast<uint32_t>(blocks.blocks_size()) > kMaxBlocksPerMessage) {
    return Invalid("blocks message carries " + S(blocks.blocks_size()) + " blocks; at most " +
                   S(kMaxBlocksPerMessage) + " are accepted");
  }
  // A default (absent) stable certificate says nothing; anything else must verify.
  const v1::CheckpointCertificate& stable = blocks.stable();
  if (stable.height() != 0 || !stable.block_hash().empty() || !stable.results().empty() ||
      stable.votes_size() != 0) {
    Status s = model::VerifyCheckpointCertificate(*genesis_, stable);
    if (!s.ok()) return s.WithContext("blocks message: stable checkpoint");
  }
  events->clear();
  events->reserve(static_cast<size_t>(blocks.blocks_size()));
  for (int i = 0; i < blocks.blocks_size(); ++i) {
    const v1::Block& block = blocks.blocks(i);
    const uint64_t height = block.proposal().height();
    if (i > 0) {
      const v1::Block& prev = blocks.blocks(i - 1);
      if (height != prev.proposal().height() + 1) {
        return Invalid("blocks message: block " + S(static_cast<uint64_t>(i)) + " has height " +
                       S(height) + " after height " + S(prev.proposal().height()) +
                       "; heights must be consecutive");
      }
      if (block.prev_block_hash() != prev.block_hash()) {
        return Invalid("blocks message: block at height " + S(height) +
                       " does not chain to the block before it");
      }
    }
    std::vector<model::EventPtr> list;
    Status s = CheckBlock(block, &list);
    if (!s.ok()) return s.WithContext("blocks message: block at height " + S(height));
    events->push_back(std::move(list));
  }
  return Status::Ok();
}

}  // namespace shipledger::consensus::gate
