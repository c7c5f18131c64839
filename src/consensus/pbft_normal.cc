// PBFT normal case (Castro & Liskov §4.2): PRE-PREPARE, PREPARE, COMMIT, ordering in height
// order, and the primary's batching.
#include <algorithm>

#include "consensus/pbft_impl.h"
#include "crypto/merkle.h"
#include "shipledger/check.h"

namespace shipledger::consensus {
namespace {

// `pp` without its events (what the journal keeps), built without copying them.
v1::PrePrepare Stripped(const v1::PrePrepare& pp) {
  v1::PrePrepare out;
  out.set_view(pp.view());
  *out.mutable_proposal() = pp.proposal();
  out.set_replica(pp.replica());
  out.set_signature(pp.signature());
  return out;
}

template <typename Votes>
void AddFirstQuorum(const Votes& votes, uint32_t quorum, auto add) {
  uint32_t k = 0;
  for (const auto& [replica, vote] : votes) {
    if (k++ == quorum) break;
    add(replica, vote);
  }
}

}  // namespace

std::optional<int64_t> PbftReplica::Impl::ParentTime(uint64_t height) const {
  if (height == ordered + 1) return ordered_time_ms;
  auto it = slots.find(height - 1);
  if (it == slots.end() || !it->second.has_pp || it->second.pp_view != view) return std::nullopt;
  return it->second.known.at(it->second.pp_digest).proposal.timestamp_ms();
}

void PbftReplica::Impl::MaybePropose(Actions* out, int64_t now_ms) {
  if (!IsPrimary() || !MayVote()) return;
  proposed_height = std::max(proposed_height, ordered);
  while (mempool.pending() > 0) {
    const uint64_t h = proposed_height + 1;
    if (h > ordered + opt.window || h > LogLimit()) break;
    // With peers, blocks ordered but not yet stored are bounded by the log limit (a checkpoint
    // needs stored blocks). Alone, a block is ordered in the call that proposes it: the window
    // counts blocks the runtime has not stored yet.
    if (Alone() && h > committed + opt.window) break;
    const bool full = mempool.pending() >= opt.batch_max_events;
    const auto oldest = mempool.OldestPending();
    const bool due = flushing || (oldest && now_ms - *oldest >= opt.batch_timeout_ms);
    if (!full && !due) break;
    if (!ParentTime(h) || sent_pp.contains({view, h})) break;
    ProposeOne(out, now_ms, false);  // false: every event taken was dropped; go on
  }
  // DESIGN §5: after checkpoint_idle_ms of quiet with heights not checkpointed, an empty block
  // makes the receipts certified.
  if (mempool.pending() == 0 && proposed_height == ordered && committed == ordered &&
      last_checkpointed < ordered && now_ms - last_activity_ms >= opt.checkpoint_idle_ms &&
      ordered + 1 <= LogLimit()) {
    ProposeOne(out, now_ms, true);
  }
}

bool PbftReplica::Impl::ProposeOne(Actions* out, int64_t now_ms, bool allow_empty) {
  const uint64_t h = proposed_height + 1;
  const auto parent = ParentTime(h);
  if (!parent) return false;
  if (sent_pp.contains({view, h})) return false;  // journalled before a restart: never another
  // DESIGN §6: block time is after the parent's, even when the clock has not moved or stepped
  // back. (Backups accept an equal time: a NEW-VIEW's filler blocks carry their parent's.)
  const int64_t time_ms = std::max(now_ms, *parent + 1);
  std::vector<model::EventPtr> events;
  if (!allow_empty) {
    // Certificates are judged at block time (DESIGN §3).
    for (auto& e : mempool.Take(opt.batch_max_events)) {
      if (e->valid_from_ms <= time_ms && time_ms <= e->valid_until_ms) {
        events.push_back(std::move(e));
      } else {
        mempool.Drop(e->id);
      }
    }
    if (events.empty()) return false;
  }
  auto msg = std::make_shared<v1::PeerMessage>();
  v1::PrePrepare* pp = msg->mutable_pre_prepare();
  pp->set_view(view);
  v1::Proposal* p = pp->mutable_proposal();
  p->set_chain_id(genesis->chain_id);
  p->set_height(h);
  p->set_events_root(model::EventsRoot(events));
  p->set_proposer(self);
  p->set_timestamp_ms(time_ms);
  p->set_event_count(static_cast<uint32_t>(events.size()));
  const Bytes digest = model::ProposalDigest(*p);
  // The events travel with the PRE-PREPARE (and its retransmissions); a lone replica sends it
  // to no one, so its copy stays without them.
  if (n > 1) {
    for (const auto& e : events) *pp->add_events() = e->signed_event;
  }
  pp->set_replica(self);
  pp->set_signature(SignOrDie(
      model::VoteMessage(genesis->chain_id, model::VoteType::kPrePrepare, view, h, digest)));
  v1::JournalEntry entry;
  *entry.mutable_sent()->mutable_pre_prepare() = Stripped(*pp);
  Journal(out, h, std::move(entry));
  sent_pp[{view, h}] = *pp;

  Slot& slot = slots[h];
  slot.known[digest] = KnownProposal{*p, events};
  slot.has_pp = true;
  slot.pp_view = view;
  slot.pp_digest = digest;
  slot.accepted_ms = now_ms;
  slot.prepared = false;
  Emit(out, std::move(msg));
  proposed_height = h;
  last_activity_ms = now_ms;
  SendVote(SentKind::kPrepare, h, digest, out);
  CheckPrepared(h, out, now_ms);
  return true;
}

void PbftReplica::Impl::OnPrePrepare(const v1::PrePrepare& pp,
                                     const std::vector<model::EventPtr>& events, Actions* out,
                                     int64_t now_ms, bool retry) {
  const uint64_t h = pp.proposal().height();
  if (h <= ordered || h <= stable.height() || h > LogLimit()) return;
  const Bytes digest = model::ProposalDigest(pp.proposal());
  Slot& slot = slots[h];
  // Only what we accept or hold is kept: a faulty replica is primary of infinitely many views
  // and could otherwise make us store any number of proposals.
  if (pp.view() > view || (pp.view() == view && view_changing)) {
    // Ahead of its NEW-VIEW (or of our view): hold it until we enter that view. One per
    // height, nearby views only, a lower view preferred: a faulty replica that is primary of
    // some future view cannot push out what the current primary sent.
    if (pp.view() > view + n) return;
    if (auto it = buffered.find(h); it != buffered.end()) {
      const uint64_t held_view = it->second.message.pre_prepare().view();
      if (held_view >= view && held_view < pp.view()) return;
    }
    InboundMessage held;
    held.from = PrimaryOf(pp.view());
    *held.message.mutable_pre_prepare() = pp;
    held.events.push_back(events);
    buffered[h] = std::move(held);
    CheckCommitted(h, out, now_ms);
    return;
  }
  if (pp.view() < view) {
    CheckCommitted(h, out, now_ms);
    return;
  }
  if (slot.has_pp && slot.pp_view == view) {
    // Two different proposals for one (view, height) signed by the primary: evidence.
    if (slot.pp_digest != digest) StartViewChange(view + 1, out, now_ms);
    return;
  }
  if (!ParentTime(h)) {
    InboundMessage held;
    held.from = PrimaryOf(view);
    *held.message.mutable_pre_prepare() = pp;
    held.events.push_back(events);
    buffered[h] = std::move(held);
    return;
  }
  AcceptPrePrepare(pp, events, /*fresh=*/true, out, now_ms);
  if (retry) RetryBuffered(out, now_ms);
}

void PbftReplica::Impl::AcceptPrePrepare(const v1::PrePrepare& pp,
                                         const std::vector<model::EventPtr>& events, bool fresh,
                                         Actions* out, int64_t now_ms) {
  const uint64_t h = pp.proposal().height();
  const int64_t t = pp.proposal().timestamp_ms();
  if (fresh) {
    // DESIGN §6: block time not before the parent's; within Δ of our clock.
    const auto parent = ParentTime(h);
    if (!parent || t < *parent) {
      StartViewChange(view + 1, out, now_ms);  // the primary's fault
      return;
    }
    if (t > now_ms + opt.clock_skew_ms || t < now_ms - opt.clock_skew_ms) return;
  }
  const Bytes digest = model::ProposalDigest(pp.proposal());
  if (h <= ordered) {
    // A re-proposal of a height we ordered: vote only for exactly what we ordered (never
    // prepare a different block at a height we hold; a restarted replica that does not know
    // the digest stays silent).
    auto od = ordered_digests.find(h);
    if (od == ordered_digests.end() || od->second != digest) return;
  }
  Slot& slot = slots[h];
  const bool stripped = events.size() != pp.proposal().event_count();
  auto known = slot.known.find(digest);
  if (known == slot.known.end()) {
    slot.known[digest] = KnownProposal{pp.proposal(), events, !stripped};
  } else if (!known->second.has_events && !stripped) {
    known->second = KnownProposal{pp.proposal(), events, true};
  }
  slot.has_pp = true;
  slot.pp_view = view;
  slot.pp_digest = digest;
  slot.accepted_ms = now_ms;
  slot.prepared = false;
  mempool.MarkInFlight(events);
  if (MayVote()) SendVote(SentKind::kPrepare, h, digest, out);
  // A re-proposal of a block we ordered: it is decided at this height, so our COMMIT can only
  // help the replicas that lack it finish it (we collect no PREPAREs for heights we ordered).
  // Without it, when only f correct replicas had ordered it, the others could never gather
  // 2f+1 COMMITs, nor f+1 reports to fetch it by (sim seed 2001312, n = 7: views burned until
  // the back-off outgrew the liveness bound).
  if (h <= ordered && MayVote()) SendVote(SentKind::kCommit, h, digest, out);
  CheckPrepared(h, out, now_ms);
  CheckCommitted(h, out, now_ms);
}

void PbftReplica::Impl::RetryBuffered(Actions* out, int64_t now_ms) {
  for (auto it = buffered.begin(); it != buffered.end();) {
    const uint64_t h = it->first;
    const uint64_t v = it->second.message.pre_prepare().view();
    if (h <= ordered || v < view) {
      it = buffered.erase(it);
      continue;
    }
    if (v > view || view_changing) {
      ++it;  // for a view we have not entered yet
      continue;
    }
    if (!ParentTime(h)) break;  // heights are in order: the rest wait too
    InboundMessage held = std::move(it->second);
    buffered.erase(it);
    OnPrePrepare(held.message.pre_prepare(), held.events[0], out, now_ms, /*retry=*/false);
    it = buffered.begin();
  }
}

void PbftReplica::Impl::SendVote(SentKind kind, uint64_t height, const Bytes& digest,
                                 Actions* out) {
  const auto key = std::make_tuple(kind, view, height);
  if (auto it = sent.find(key); it != sent.end()) {
    // One vote per (view, height), ever. Journalled before a restart: it still counts.
    if (it->second.digest() == digest) {
      Slot& slot = slots[height];
      auto& votes = kind == SentKind::kPrepare ? slot.prepares : slot.commits;
      votes[{view, digest}][self] = it->second;
    }
    return;
  }
  v1::Vote vote;
  vote.set_view(view);
  vote.set_height(height);
  vote.set_digest(digest);
  vote.set_replica(self);
  const auto type =
      kind == SentKind::kPrepare ? model::VoteType::kPrepare : model::VoteType::kCommit;
  vote.set_signature(SignOrDie(model::VoteMessage(genesis->chain_id, type, view, height, digest)));
  auto msg = std::make_shared<v1::PeerMessage>();
  *(kind == SentKind::kPrepare ? msg->mutable_prepare() : msg->mutable_commit()) = vote;
  v1::JournalEntry entry;
  *entry.mutable_sent() = *msg;
  Journal(out, height, std::move(entry));  // DESIGN §6: journalled before it is sent
  sent[key] = vote;
  Slot& slot = slots[height];
  auto& votes = kind == SentKind::kPrepare ? slot.prepares : slot.commits;
  votes[{view, digest}][self] = vote;
  Emit(out, std::move(msg));
}

void PbftReplica::Impl::OnPrepare(const v1::Vote& v, Actions* out, int64_t now_ms) {
  const uint64_t h = v.height();
  // Only the current view's PREPAREs can make a proposal prepared.
  if (v.view() != view || h <= ordered || h <= stable.height() || h > LogLimit()) return;
  Slot& slot = slots[h];
  for (const auto& [key, votes] : slot.prepares) {
    if (key.first == v.view() && votes.contains(v.replica())) {
      // A second, different PREPARE for one (view, height): evidence against its sender.
      if (key.second != v.digest() && v.replica() == PrimaryOf(view)) {
        StartViewChange(view + 1, out, now_ms);
      }
      return;
    }
  }
  slot.prepares[{v.view(), v.digest()}][v.replica()] = v;
  CheckPrepared(h, out, now_ms);
}

void PbftReplica::Impl::OnCommit(const v1::Vote& v, Actions* out, int64_t now_ms) {
  const uint64_t h = v.height();
  if (h <= ordered || h <= stable.height() || h > LogLimit()) return;
  // Bound what a faulty replica can make us keep: nearby views only, one COMMIT per view.
  if (v.view() + 8 < view || v.view() > view + 8) return;
  Slot& slot = slots[h];
  for (const auto& [key, votes] : slot.commits) {
    if (key.first == v.view() && votes.contains(v.replica())) return;
  }
  slot.commits[{v.view(), v.digest()}][v.replica()] = v;
  CheckCommitted(h, out, now_ms);
}

void PbftReplica::Impl::CheckPrepared(uint64_t height, Actions* out, int64_t now_ms) {
  auto sit = slots.find(height);
  if (sit == slots.end()) return;
  Slot& slot = sit->second;
  if (!slot.has_pp || slot.pp_view != view || slot.prepared || view_changing) return;
  auto it = slot.prepares.find({view, slot.pp_digest});
  if (it == slot.prepares.end() || it->second.size() < quorum) return;
  slot.prepared = true;
  const KnownProposal& kp = slot.known.at(slot.pp_digest);
  v1::PreparedCertificate cert;
  cert.set_view(view);
  *cert.mutable_proposal() = kp.proposal;
  AddFirstQuorum(it->second, quorum,
                 [&](uint32_t, const v1::Vote& vote) { *cert.add_prepares() = vote; });
  // With its events: after a restart of every replica, a prepared proposal can still be
  // re-proposed by whoever becomes primary. A lone replica neither journals it nor sends a
  // VIEW-CHANGE, so it keeps the certificate without them.
  if (n > 1) {
    for (const auto& e : kp.events) *cert.add_events() = e->signed_event;
  }
  v1::JournalEntry entry;
  *entry.mutable_prepared() = cert;
  Journal(out, height, std::move(entry));
  slot.prepared_cert = std::move(cert);
  if (MayVote()) SendVote(SentKind::kCommit, height, slot.pp_digest, out);
  CheckCommitted(height, out, now_ms);
}

void PbftReplica::Impl::CheckCommitted(uint64_t height, Actions* out, int64_t now_ms) {
  auto sit = slots.find(height);
  if (sit == slots.end()) return;
  Slot& slot = sit->second;
  if (slot.commit_cert) return;
  for (const auto& [key, votes] : slot.commits) {
    if (votes.size() < quorum) continue;
    auto known = slot.known.find(key.second);
    if (known == slot.known.end() || !known->second.has_events) {
      NoteTarget(height);  // committed elsewhere; state transfer brings the block
      continue;
    }
    v1::CommitCertificate cert;
    cert.set_view(key.first);
    AddFirstQuorum(votes, quorum, [&](uint32_t replica, const v1::Vote& vote) {
      auto* cv = cert.add_votes();
      cv->set_replica(replica);
      cv->set_signature(vote.signature());
    });
    slot.commit_cert = std::move(cert);
    slot.commit_digest = key.second;
    break;
  }
  if (slot.commit_cert) TryOrder(out, now_ms);
}

void PbftReplica::Impl::TryOrder(Actions* out, int64_t now_ms) {
  for (;;) {
    auto it = slots.find(ordered + 1);
    if (it == slots.end() || !it->second.commit_cert) break;
    Slot& slot = it->second;
    const KnownProposal& kp = slot.known.at(slot.commit_digest);
    OrderBlock(kp.proposal, *slot.commit_cert, kp.events, out, now_ms);
    // With peers an ordered height's log stays until a stable checkpoint covers it (a VIEW-CHANGE
    // or a re-proposal may need it). A lone replica never changes views: its log of the height,
    // which holds the block's events, goes now rather than a checkpoint interval later.
    if (Alone()) slots.erase(it);
  }
}

void PbftReplica::Impl::OrderBlock(const v1::Proposal& proposal, const v1::CommitCertificate& cert,
                                   std::vector<model::EventPtr> events, Actions* out,
                                   int64_t now_ms) {
  SHIPLEDGER_CHECK(proposal.height() == ordered + 1);
  CommitBlock cb;
  *cb.block.mutable_proposal() = proposal;
  *cb.block.mutable_certificate() = cert;
  cb.block.set_prev_block_hash(ordered_hash);
  const Bytes digest = model::ProposalDigest(proposal);
  ordered_digests[proposal.height()] = digest;
  headers[proposal.height()] = BlockHeaderProof{proposal, ordered_hash};
  ordered_hash = model::BlockHash(digest, ordered_hash);
  cb.block.set_block_hash(ordered_hash);
  mempool.Committed(events);
  ordered = proposal.height();
  ordered_time_ms = proposal.timestamp_ms();
  ordered_empty[ordered] = events.empty();
  my_hashes[ordered] = ordered_hash;
  cb.events = std::move(events);
  buffered.erase(ordered);
  last_activity_ms = now_ms;
  last_progress_ms = now_ms;
  if (!view_changing) vc_timeout_ms = opt.view_timeout_ms;  // progress: the back-off ends
  proposed_height = std::max(proposed_height, ordered);
  out->emplace_back(std::move(cb));
}

}  // namespace shipledger::consensus
