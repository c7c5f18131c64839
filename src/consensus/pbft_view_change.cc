// PBFT view change (Castro & Liskov §4.4, with signatures): VIEW-CHANGE with the stable
// checkpoint and prepared certificates, NEW-VIEW built by the new primary and recomputed by
// every backup (new_view.h), joining a higher view reported by f+1, back-off.
#include <algorithm>
#include <set>

#include "consensus/new_view.h"
#include "consensus/pbft_impl.h"
#include "crypto/merkle.h"
#include "model/votes.h"

namespace shipledger::consensus {
namespace {
constexpr uint32_t kMaxViewTimeoutMs = 60000;
}  // namespace

void PbftReplica::Impl::StartViewChange(uint64_t new_view, Actions* out, int64_t now_ms) {
  if (new_view <= view && (view_changing || new_view < view)) return;
  if (!MayVote()) return;  // diverged: we no longer take part
  view = new_view;
  view_changing = true;
  last_new_view.reset();
  vc_deadline_ms = now_ms + vc_timeout_ms;
  vc_timeout_ms = std::min<uint32_t>(vc_timeout_ms * 2, kMaxViewTimeoutMs);

  v1::ViewChange vc;
  if (auto it = my_view_changes.find(view); it != my_view_changes.end()) {
    vc = it->second;  // journalled before a restart: send exactly that one again
  } else {
    vc.set_new_view(view);
    *vc.mutable_stable() = stable;
    for (const auto& [h, slot] : slots) {
      if (h <= stable.height() || !slot.prepared_cert) continue;
      auto* cert = vc.add_prepared();
      *cert = *slot.prepared_cert;
      // Heights we ordered are committed: whoever lacks them fetches the certified block, so
      // their events need not travel (and a VIEW-CHANGE stays far below the frame limit).
      if (h <= ordered) cert->clear_events();
    }
    vc.set_replica(self);
    vc.set_signature(SignOrDie(model::ViewChangeMessage(genesis->chain_id, vc)));
    v1::JournalEntry entry;
    auto* journalled = entry.mutable_sent()->mutable_view_change();
    *journalled = vc;
    for (auto& p : *journalled->mutable_prepared()) p.clear_events();
    // Height 0: never pruned, since a stable checkpoint may come while we wait for NEW-VIEW.
    Journal(out, 0, std::move(entry));
  }
  AttachStableHeader(&vc);
  my_view_changes[view] = vc;
  view_changes[view][self] = vc;
  auto msg = std::make_shared<v1::PeerMessage>();
  *msg->mutable_view_change() = vc;
  Emit(out, std::move(msg));
  MaybeSendNewView(out, now_ms);
}

void PbftReplica::Impl::AttachStableHeader(v1::ViewChange* vc) const {
  if (vc->has_stable_proposal()) return;
  auto it = headers.find(vc->stable().height());
  if (it == headers.end() || vc->stable().height() == 0) return;
  // Only what hashes to the certified block (a header of a block we ordered on a divergent
  // chain would not; the gate would refuse the VIEW-CHANGE).
  if (model::BlockHash(model::ProposalDigest(it->second.proposal), it->second.prev_block_hash) !=
      vc->stable().block_hash()) {
    return;
  }
  *vc->mutable_stable_proposal() = it->second.proposal;
  vc->set_stable_prev_block_hash(it->second.prev_block_hash);
}

void PbftReplica::Impl::OnViewChange(const v1::ViewChange& vc, Actions* out, int64_t now_ms) {
  const uint64_t w = vc.new_view();
  const uint32_t r = vc.replica();
  NoteTarget(vc.stable().height());
  if (w < view) return;
  if (w == view && !view_changing) {
    // It missed our NEW-VIEW.
    if (PrimaryOf(view) == self && last_new_view) ResendNewView(r, out, now_ms);
    return;
  }
  // Events of prepared proposals we lack (the gate checked them): a new primary needs them.
  for (const auto& cert : vc.prepared()) {
    const uint64_t h = cert.proposal().height();
    if (cert.events_size() == 0 || h <= stable.height() || h > LogLimit()) continue;
    const Bytes digest = model::ProposalDigest(cert.proposal());
    auto& known = slots[h].known;
    auto it = known.find(digest);
    if (it != known.end() && it->second.has_events) continue;
    auto events = ParseEvents(cert.events());
    if (events.size() == cert.proposal().event_count()) {
      known[digest] = KnownProposal{cert.proposal(), std::move(events), true};
    }
  }
  // Keep only each replica's highest VIEW-CHANGE: bounded memory whatever a peer sends.
  bool newer_held = false;
  for (auto& [v, by_replica] : view_changes) {
    auto it = by_replica.find(r);
    if (it == by_replica.end()) continue;
    if (v >= w) {
      newer_held = true;
      break;
    }
    by_replica.erase(it);
  }
  if (newer_held) {
    MaybeSendNewView(out, now_ms);  // a retransmission: perhaps we can build it now
    return;
  }
  view_changes[w][r] = vc;
  // PBFT §4.5.2: f+1 replicas in views above ours -> move to the smallest of them.
  std::set<uint32_t> above;
  uint64_t smallest = UINT64_MAX;
  for (const auto& [v, by_replica] : view_changes) {
    if (v <= view || by_replica.empty()) continue;
    for (const auto& [replica, unused] : by_replica) above.insert(replica);
    smallest = std::min(smallest, v);
  }
  if (above.size() >= f + 1) StartViewChange(smallest, out, now_ms);
  MaybeSendNewView(out, now_ms);
}

void PbftReplica::Impl::MaybeSendNewView(Actions* out, int64_t now_ms) {
  if (!view_changing || PrimaryOf(view) != self) return;
  auto vit = view_changes.find(view);
  if (vit == view_changes.end() || vit->second.size() < quorum) return;
  std::vector<const v1::ViewChange*> vcs;
  for (auto& [replica, vc] : vit->second) {
    AttachStableHeader(&vc);  // we may hold a stable block whose proposal its sender lacks
    vcs.push_back(&vc);
  }
  auto plan = PlanNewView(vcs);
  if (!plan.ok()) return;

  auto msg = std::make_shared<v1::PeerMessage>();
  v1::NewView* nv = msg->mutable_new_view();
  nv->set_view(view);
  nv->set_replica(self);
  for (const auto* vc : vcs) {
    auto* copy = nv->add_view_changes();
    *copy = *vc;
    for (auto& p : *copy->mutable_prepared()) p.clear_events();
  }
  std::vector<std::vector<model::EventPtr>> events;
  for (uint64_t h = plan->stable.height() + 1; h <= plan->max_height; ++h) {
    v1::PrePrepare* pp = nv->add_pre_prepares();
    pp->set_view(view);
    pp->set_replica(self);
    std::vector<model::EventPtr> evs;
    if (auto it = plan->reproposals.find(h); it != plan->reproposals.end()) {
      *pp->mutable_proposal() = it->second->proposal();
      // Heights we ordered go without events (backups lacking them fetch the certified
      // block); others need the events, from our log or from a VIEW-CHANGE that carried them.
      if (h > ordered) {
        const Bytes digest = model::ProposalDigest(pp->proposal());
        auto sit = slots.find(h);
        if (sit == slots.end()) return;
        auto kit = sit->second.known.find(digest);
        if (kit == sit->second.known.end() || !kit->second.has_events) {
          return;  // we cannot re-propose what we do not hold; wait for more or time out
        }
        evs = kit->second.events;
      }
    } else {
      // An empty proposal; its time is its neighbour's (FillerTimeMs), so block time does not
      // go backwards across the re-proposed heights (DESIGN §5).
      v1::Proposal* p = pp->mutable_proposal();
      p->set_chain_id(genesis->chain_id);
      p->set_height(h);
      p->set_events_root(crypto::MerkleRoot({}));
      p->set_proposer(self);
      p->set_timestamp_ms(FillerTimeMs(*plan, h));
      p->set_event_count(0);
    }
    const Bytes digest = model::ProposalDigest(pp->proposal());
    if (auto sp = sent_pp.find({view, h});
        sp != sent_pp.end() && model::ProposalDigest(sp->second.proposal()) != digest) {
      return;  // journalled a different one before a restart: never sign two
    }
    for (const auto& e : evs) *pp->add_events() = e->signed_event;
    pp->set_signature(SignOrDie(
        model::VoteMessage(genesis->chain_id, model::VoteType::kPrePrepare, view, h, digest)));
    events.push_back(std::move(evs));
  }
  // DESIGN §6: journal the pre-prepares before sending them.
  for (const auto& pp : nv->pre_prepares()) {
    v1::JournalEntry entry;
    auto* j = entry.mutable_sent()->mutable_pre_prepare();
    *j = pp;
    j->clear_events();
    Journal(out, pp.proposal().height(), std::move(entry));
    sent_pp[{view, pp.proposal().height()}] = pp;
  }
  last_new_view = msg;
  Emit(out, msg);
  std::vector<const v1::PrePrepare*> pps;
  std::vector<const std::vector<model::EventPtr>*> evp;
  for (int i = 0; i < nv->pre_prepares_size(); ++i) {
    pps.push_back(&nv->pre_prepares(i));
    evp.push_back(&events[static_cast<size_t>(i)]);
  }
  EnterView(view, plan->stable, pps, evp, out, now_ms);
}

void PbftReplica::Impl::OnNewView(const InboundMessage& in, Actions* out, int64_t now_ms) {
  const v1::NewView& nv = in.message.new_view();
  const uint64_t w = nv.view();
  if (w < view || (w == view && !view_changing)) return;
  if (static_cast<size_t>(nv.pre_prepares_size()) != in.events.size()) return;
  std::vector<const v1::ViewChange*> vcs;
  for (const auto& vc : nv.view_changes()) vcs.push_back(&vc);
  auto plan = PlanNewView(vcs);
  Status s = plan.ok() ? CheckNewViewAgainstPlan(nv, *plan) : plan.status();
  if (!s.ok()) {
    StartViewChange(w + 1, out, now_ms);  // the new primary lied
    return;
  }
  if (const v1::ViewChange* proof = plan->stable_proof;
      proof != nullptr && proof->stable().height() >= stable.height()) {
    headers.try_emplace(
        proof->stable().height(),
        BlockHeaderProof{proof->stable_proposal(), proof->stable_prev_block_hash()});
  }
  std::vector<const v1::PrePrepare*> pps;
  std::vector<const std::vector<model::EventPtr>*> evp;
  for (int i = 0; i < nv.pre_prepares_size(); ++i) {
    pps.push_back(&nv.pre_prepares(i));
    evp.push_back(&in.events[static_cast<size_t>(i)]);
  }
  EnterView(w, plan->stable, pps, evp, out, now_ms);
}

void PbftReplica::Impl::EnterView(uint64_t new_view, const v1::CheckpointCertificate& nv_stable,
                                  const std::vector<const v1::PrePrepare*>& pps,
                                  const std::vector<const std::vector<model::EventPtr>*>& events,
                                  Actions* out, int64_t now_ms) {
  view = new_view;
  view_changing = false;
  vc_deadline_ms = 0;
  v1::JournalEntry entry;
  entry.set_view(view);
  Journal(out, 0, std::move(entry));
  if (nv_stable.height() > stable.height()) AdoptStable(nv_stable, out, now_ms);
  for (auto it = view_changes.begin(); it != view_changes.end() && it->first <= view;) {
    it = view_changes.erase(it);
  }
  mempool.ResetInFlight(now_ms);
  for (auto& [h, slot] : slots) {
    slot.has_pp = false;
    slot.prepared = false;
  }
  proposed_height = ordered;
  for (size_t i = 0; i < pps.size(); ++i) {
    const uint64_t h = pps[i]->proposal().height();
    proposed_height = std::max(proposed_height, h);
    if (h <= stable.height()) continue;
    // Re-proposals skip the clock check (DESIGN §6); they were checked when first proposed.
    buffered.erase(h);
    AcceptPrePrepare(*pps[i], *events[i], /*fresh=*/false, out, now_ms);
  }
  last_activity_ms = now_ms;
  RelayPendingToPrimary(out);
  RetryBuffered(out, now_ms);  // fresh pre-prepares of this view that came before the NEW-VIEW
}

}  // namespace shipledger::consensus
