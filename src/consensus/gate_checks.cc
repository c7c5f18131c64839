// The gate's checks of PBFT protocol messages: votes, pre-prepares, checkpoints, view changes
// and new views (DESIGN §6). Events, forwards and state transfer are in gate_events.cc.
#include "consensus/gate_checks.h"

#include <algorithm>
#include <set>
#include <string>

#include "model/digest.h"
#include "model/votes.h"

namespace shipledger::consensus::gate {

namespace {

Status Invalid(std::string message) { return Status::InvalidArgument(std::move(message)); }

std::string S(uint64_t v) { return std::to_string(v); }

const char* VoteName(model::VoteType type) {
  switch (type) {
    case model::VoteType::kPrePrepare:
      return "pre-prepare";
    case model::VoteType::kPrepare:
      return "prepare";
    case model::VoteType::kCommit:
      return "commit";
    case model::VoteType::kCheckpoint:
      return "checkpoint";
    case model::VoteType::kViewChange:
      return "view-change";
  }
  return "vote";
}

}  // namespace

Checker::Checker(std::shared_ptr<const model::Genesis> genesis,
                 const model::EventValidator* validator, size_t verified_capacity,
                 size_t recent_capacity, model::ParallelRunner* runner, size_t held_capacity,
                 std::function<bool(ByteView)> committed)
    : genesis_(std::move(genesis)),
      validator_(validator),
      runner_(runner),
      verified_(verified_capacity),
      recent_(recent_capacity),
      held_(held_capacity),
      committed_(std::move(committed)) {
  // Each pinned key is parsed once here, not once per vote (DESIGN §10).
  keys_.resize(genesis_->n());
  for (uint32_t id = 0; id < genesis_->n(); ++id) {
    const model::Replica* replica = genesis_->FindReplica(id);
    if (replica == nullptr) continue;
    auto key = replica->node_cert.public_key();
    if (key.ok()) keys_[id] = *key;
  }
}

uint32_t Checker::MaxInFlight() const {
  // A replica holds pre-prepares for at most 2 * checkpoint_interval + window heights above its
  // stable checkpoint (the core's log bound); a window more leaves room for checkpoints that
  // lag, and still bounds what one message may make us verify.
  return 2 * genesis_->consensus.checkpoint_interval +
         2 * std::max<uint32_t>(genesis_->consensus.window, 1);
}

Status Checker::VerifyReplica(uint32_t replica, ByteView message, ByteView signature,
                              std::string_view what) const {
  if (replica >= keys_.size()) {
    return Invalid(std::string(what) + " is by unknown replica " + S(replica) +
                   " (n = " + S(keys_.size()) + ")");
  }
  if (!keys_[replica]) {
    return Invalid(std::string(what) + ": replica " + S(replica) +
                   " has no usable pinned key in the genesis");
  }
  Status s = keys_[replica]->Verify(message, signature);
  if (!s.ok()) {
    return Invalid(std::string(what) + ": bad signature of replica " + S(replica) + ": " +
                   s.message());
  }
  return Status::Ok();
}

Status Checker::CheckProposal(const v1::Proposal& p, std::string_view what) const {
  if (p.chain_id() != genesis_->chain_id) {
    return Invalid(std::string(what) + " proposes for chain '" + p.chain_id() +
                   "', this network is '" + genesis_->chain_id + "'");
  }
  if (p.height() < 1) return Invalid(std::string(what) + " proposes height 0");
  if (p.proposer() >= genesis_->n()) {
    return Invalid(std::string(what) + " names proposer " + S(p.proposer()) +
                   " but n = " + S(genesis_->n()));
  }
  return Status::Ok();
}

Status Checker::CheckVote(uint32_t from, const v1::Vote& vote, model::VoteType type) const {
  const std::string name = VoteName(type);
  if (vote.replica() != from) {
    return Invalid(name + " from replica " + S(from) + " claims replica " + S(vote.replica()));
  }
  if (vote.digest().size() != model::kDigestSize) {
    return Invalid(name + " of replica " + S(from) + " has a digest of " + S(vote.digest().size()) +
                   " bytes, not 32");
  }
  if (vote.height() < 1) return Invalid(name + " of replica " + S(from) + " is for height 0");
  return VerifyReplica(
      vote.replica(),
      model::VoteMessage(genesis_->chain_id, type, vote.view(), vote.height(), vote.digest()),
      vote.signature(), name + " for view " + S(vote.view()) + " height " + S(vote.height()));
}

Status Checker::CheckPrePrepare(uint32_t from, const v1::PrePrepare& pp,
                                std::vector<model::EventPtr>* events, bool allow_stripped) const {
  if (pp.replica() != from) {
    return Invalid("pre-prepare from replica " + S(from) + " claims replica " + S(pp.replica()));
  }
  if (from != primary(pp.view())) {
    return Invalid("pre-prepare for view " + S(pp.view()) + " from replica " + S(from) +
                   ", but the primary of view " + S(pp.view()) + " is " + S(primary(pp.view())));
  }
  const std::string what =
      "pre-prepare for view " + S(pp.view()) + " height " + S(pp.proposal().height());
  SL_RETURN_IF_ERROR(CheckProposal(pp.proposal(), what));
  // The one signature first: a forged pre-prepare costs us one verification, not one per event.
  SL_RETURN_IF_ERROR(VerifyReplica(
      from,
      model::VoteMessage(genesis_->chain_id, model::VoteType::kPrePrepare, pp.view(),
                         pp.proposal().height(), model::ProposalDigest(pp.proposal())),
      pp.signature(), what));
  if (allow_stripped && pp.events_size() == 0) {
    events->clear();
    return Status::Ok();
  }
  Status s = CheckProposalEvents(pp.proposal(), pp.events(), events);
  return s.ok() ? s : s.WithContext(what);
}

Status Checker::CheckCheckpoint(uint32_t from, const v1::Checkpoint& cp) const {
  if (cp.replica() != from) {
    return Invalid("checkpoint from replica " + S(from) + " claims replica " + S(cp.replica()));
  }
  if (cp.height() < 1) return Invalid("checkpoint of replica " + S(from) + " is for height 0");
  if (cp.block_hash().size() != model::kDigestSize || cp.results().size() != model::kDigestSize) {
    return Invalid("checkpoint of replica " + S(from) + " at height " + S(cp.height()) +
                   " has a block hash of " + S(cp.block_hash().size()) + " and results of " +
                   S(cp.results().size()) + " bytes; both must be 32");
  }
  return VerifyReplica(
      from,
      model::CheckpointMessage(genesis_->chain_id, cp.height(), cp.block_hash(), cp.results()),
      cp.signature(), "checkpoint at height " + S(cp.height()));
}

Status Checker::CheckPrepared(const v1::PreparedCertificate& pc, uint64_t new_view,
                              uint64_t stable_height) const {
  const uint64_t height = pc.proposal().height();
  const std::string what = "prepared certificate for view " + S(pc.view()) + " height " + S(height);
  if (pc.view() >= new_view) {
    return Invalid(what + " is not below the new view " + S(new_view));
  }
  if (height <= stable_height) {
    return Invalid(what + " is not above the stable checkpoint " + S(stable_height));
  }
  SL_RETURN_IF_ERROR(CheckProposal(pc.proposal(), what));
  if (static_cast<uint32_t>(pc.prepares_size()) > genesis_->n()) {
    return Invalid(what + " has " + S(pc.prepares_size()) + " prepares; n = " + S(genesis_->n()));
  }
  // Every prepare is for the certificate's (view, height, digest) and signed over it.
  const Bytes digest = model::ProposalDigest(pc.proposal());
  const Bytes message =
      model::VoteMessage(genesis_->chain_id, model::VoteType::kPrepare, pc.view(), height, digest);
  std::set<uint32_t> voters;
  for (const auto& vote : pc.prepares()) {
    if (!voters.insert(vote.replica()).second) {
      return Invalid(what + " has two prepares by replica " + S(vote.replica()));
    }
    if (vote.view() != pc.view() || vote.height() != height || vote.digest() != digest) {
      return Invalid(what + " holds a prepare of replica " + S(vote.replica()) + " for view " +
                     S(vote.view()) + " height " + S(vote.height()) +
                     (vote.digest() == digest ? "" : " and another proposal"));
    }
    SL_RETURN_IF_ERROR(VerifyReplica(vote.replica(), message, vote.signature(), what));
  }
  if (voters.size() < genesis_->quorum()) {
    return Invalid(what + " has " + S(voters.size()) + " prepares; the quorum is " +
                   S(genesis_->quorum()));
  }
  // Events travel with the certificate in a VIEW-CHANGE and are stripped inside a NEW-VIEW; when
  // present they must be the proposal's and valid, as in a pre-prepare.
  if (pc.events_size() > 0) {
    Status s = CheckProposalEvents(pc.proposal(), pc.events(), nullptr);
    if (!s.ok()) return s.WithContext(what);
  }
  return Status::Ok();
}

Status Checker::CheckViewChange(const v1::ViewChange& vc) const {
  const std::string what =
      "view-change to view " + S(vc.new_view()) + " of replica " + S(vc.replica());
  if (vc.new_view() < 1) return Invalid(what + ": there is no view change to view 0");
  if (static_cast<uint32_t>(vc.prepared_size()) > MaxInFlight()) {
    return Invalid(what + " carries " + S(vc.prepared_size()) + " prepared certificates; at most " +
                   S(MaxInFlight()) + " are accepted");
  }
  SL_RETURN_IF_ERROR(VerifyReplica(vc.replica(), model::ViewChangeMessage(genesis_->chain_id, vc),
                                   vc.signature(), what));
  Status stable = model::VerifyCheckpointCertificate(*genesis_, vc.stable());
  if (!stable.ok()) return stable.WithContext(what + ": stable checkpoint");
  if (vc.has_stable_proposal() || !vc.stable_prev_block_hash().empty()) {
    const v1::Proposal& p = vc.stable_proposal();
    if (vc.stable().height() == 0 || p.height() != vc.stable().height() ||
        model::BlockHash(model::ProposalDigest(p), vc.stable_prev_block_hash()) !=
            vc.stable().block_hash()) {
      return Invalid(what +
                     ": the stable block's proposal it carries does not hash to the block "
                     "hash of its stable checkpoint " +
                     S(vc.stable().height()));
    }
  }
  std::set<uint64_t> heights;
  for (const auto& pc : vc.prepared()) {
    if (!heights.insert(pc.proposal().height()).second) {
      return Invalid(what + " has two prepared certificates for height " +
                     S(pc.proposal().height()));
    }
    Status s = CheckPrepared(pc, vc.new_view(), vc.stable().height());
    if (!s.ok()) return s.WithContext(what);
  }
  return Status::Ok();
}

Status Checker::CheckNewView(uint32_t from, const v1::NewView& nv,
                             std::vector<std::vector<model::EventPtr>>* events) const {
  if (nv.replica() != from) {
    return Invalid("new-view from replica " + S(from) + " claims replica " + S(nv.replica()));
  }
  if (nv.view() < 1) return Invalid("new-view from replica " + S(from) + " is for view 0");
  if (from != primary(nv.view())) {
    return Invalid("new-view for view " + S(nv.view()) + " from replica " + S(from) +
                   ", but the primary of view " + S(nv.view()) + " is " + S(primary(nv.view())));
  }
  const std::string what = "new-view for view " + S(nv.view());
  if (static_cast<uint32_t>(nv.view_changes_size()) < genesis_->quorum() ||
      static_cast<uint32_t>(nv.view_changes_size()) > genesis_->n()) {
    return Invalid(what + " carries " + S(nv.view_changes_size()) + " view-changes; it needs " +
                   S(genesis_->quorum()) + " to " + S(genesis_->n()));
  }
  if (static_cast<uint32_t>(nv.pre_prepares_size()) > MaxInFlight()) {
    return Invalid(what + " carries " + S(nv.pre_prepares_size()) + " pre-prepares; at most " +
                   S(MaxInFlight()) + " are accepted");
  }
  std::set<uint32_t> senders;
  for (const auto& vc : nv.view_changes()) {
    if (vc.new_view() != nv.view()) {
      return Invalid(what + " carries a view-change of replica " + S(vc.replica()) + " to view " +
                     S(vc.new_view()));
    }
    if (!senders.insert(vc.replica()).second) {
      return Invalid(what + " carries two view-changes of replica " + S(vc.replica()));
    }
    Status s = CheckViewChange(vc);
    if (!s.ok()) return s.WithContext(what);
  }
  events->clear();
  events->reserve(static_cast<size_t>(nv.pre_prepares_size()));
  for (const auto& pp : nv.pre_prepares()) {
    if (pp.view() != nv.view()) {
      return Invalid(what + " carries a pre-prepare for view " + S(pp.view()));
    }
    std::vector<model::EventPtr> list;
    Status s = CheckPrePrepare(from, pp, &list, /*allow_stripped=*/true);
    if (!s.ok()) return s.WithContext(what);
    events->push_back(std::move(list));
  }
  return Status::Ok();
}

}  // namespace shipledger::consensus::gate
