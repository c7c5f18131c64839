// PbftReplica inputs, timers, heartbeats, retransmission and status. The protocol steps live in
// pbft_normal.cc, pbft_view_change.cc and pbft_checkpoint.cc.
#include "consensus/pbft_replica.h"

#include <algorithm>
#include <limits>
#include <set>

#include "consensus/pbft_impl.h"
#include "model/digest.h"
#include "shipledger/check.h"

namespace shipledger::consensus {

PbftOptions PbftOptions::FromGenesis(const model::Genesis& genesis, uint32_t replica_id,
                                     uint32_t mempool_capacity) {
  PbftOptions o;
  o.replica_id = replica_id;
  o.batch_max_events = genesis.consensus.batch_max_events;
  o.batch_timeout_ms = genesis.consensus.batch_timeout_ms;
  o.window = genesis.consensus.window;
  o.checkpoint_interval = genesis.consensus.checkpoint_interval;
  o.view_timeout_ms = genesis.consensus.view_timeout_ms;
  o.clock_skew_ms = genesis.consensus.clock_skew_ms;
  o.mempool_capacity = mempool_capacity;
  return o;
}

PbftReplica::Impl::Impl(std::shared_ptr<const model::Genesis> g, const PbftOptions& options,
                        const Signer* s, const Restored& restored)
    : genesis(std::move(g)),
      opt(options),
      signer(s),
      n(genesis->n()),
      f(genesis->f()),
      quorum(genesis->quorum()),
      self(options.replica_id),
      vc_timeout_ms(options.view_timeout_ms),
      ordered(restored.tip.height),
      ordered_hash(restored.tip.block_hash),
      ordered_time_ms(restored.tip.block_time_ms),
      committed(restored.tip.height),
      ordered_digests(restored.ordered_digests),
      stable(restored.stable),
      last_checkpointed(restored.tip.height),
      peers(genesis->n()),
      last_resend_ms(genesis->n(), std::numeric_limits<int64_t>::min()),
      // Alone, no copy is ever forwarded; the ids to refuse are those ordered and not yet in
      // the store, which admission checks: at most `window` blocks of them (MaybePropose).
      mempool(options.mempool_capacity, genesis->n(),
              genesis->n() == 1 ? size_t{options.window} * options.batch_max_events
                                : PbftMempool::kDefaultCommittedMemory) {
  SHIPLEDGER_CHECK(self < n && opt.window > 0 && opt.batch_max_events > 0);
  SHIPLEDGER_CHECK(opt.checkpoint_interval > 0 && opt.view_timeout_ms > 0);
  for (uint32_t i = 0; i < n; ++i) peers[i].replica = i;
  if (stable.height() == 0 && stable.block_hash().empty()) {
    stable.set_block_hash(genesis->hash);
    stable.set_results(model::ZeroDigest());
  }
  my_hashes[ordered] = ordered_hash;
  headers.insert(restored.headers.lower_bound(stable.height()), restored.headers.end());
  my_results[ordered] = restored.tip.results.empty() ? model::ZeroDigest() : restored.tip.results;
  target = ordered;
  parser = std::make_unique<model::EventValidator>(genesis);
  RestoreJournal(restored.journal);
}

uint64_t PbftReplica::Impl::LogLimit() const {
  return stable.height() + 2ull * opt.checkpoint_interval + opt.window;
}

Bytes PbftReplica::Impl::SignOrDie(ByteView message) const {
  auto sig = signer->Sign(message);
  SHIPLEDGER_CHECK_MSG(sig.ok(), "node key cannot sign");
  return std::move(sig).value();
}

void PbftReplica::Impl::Emit(Actions* out, std::shared_ptr<v1::PeerMessage> msg) {
  if (Alone()) return;  // no one to send to
  out->emplace_back(Broadcast{std::move(msg)});
}

void PbftReplica::Impl::Journal(Actions* out, uint64_t height, v1::JournalEntry entry) {
  // DESIGN §6 journals what is about to be sent, so that a restart never shows peers two
  // different signed messages for one (view, height). With n = 1 nothing is sent: a vote
  // leaves the core only in the certificate of a block the runtime stores, and a block not
  // stored before a crash was never seen by anyone (receipts are published after the store).
  if (Alone()) return;
  out->emplace_back(Persist{height, std::move(entry)});
}

void PbftReplica::Impl::ArmTimer(Actions* out, int64_t now_ms) {
  // Deadlines already passed were acted on (or are deliberately waiting, e.g. while fetching):
  // the heartbeat tick looks at them again.
  int64_t at = next_heartbeat_ms;
  auto consider = [&](int64_t t) {
    if (t > now_ms) at = std::min(at, t);
  };
  if (IsPrimary()) {
    if (auto oldest = mempool.OldestPending()) consider(*oldest + opt.batch_timeout_ms);
    if (last_checkpointed < ordered || proposed_height > ordered) {
      consider(last_activity_ms + opt.checkpoint_idle_ms);
    }
  } else if (!view_changing) {
    if (auto oldest = mempool.OldestPending()) {
      consider(*oldest + opt.view_timeout_ms / 2);  // relay, then the timeout
      consider(*oldest + opt.view_timeout_ms);
    }
  }
  if (!view_changing) {
    for (const auto& [h, slot] : slots) {
      if (h > ordered && slot.has_pp && slot.pp_view == view) {
        consider(slot.accepted_ms + opt.view_timeout_ms);
        break;
      }
    }
  } else {
    consider(vc_deadline_ms);
  }
  if (fetching) consider(fetch_deadline_ms);
  at = std::max(at, now_ms);
  if (at != armed_ms) {
    armed_ms = at;
    out->emplace_back(SetTimer{at});
  }
}

std::vector<model::EventPtr> PbftReplica::Impl::ParseEvents(
    const google::protobuf::RepeatedPtrField<v1::SignedEvent>& events) const {
  std::vector<model::EventPtr> out;
  out.reserve(static_cast<size_t>(events.size()));
  for (const auto& se : events) {
    auto e = parser->Parse(se);
    if (!e.ok()) return {};
    out.push_back(std::move(e).value());
  }
  return out;
}

// After a view change every pending event goes to the new primary again (DESIGN §6: an event
// is timed only after we sent it to the primary ourselves).
void PbftReplica::Impl::RelayPendingToPrimary(Actions* out) {
  if (PrimaryOf(view) == self) return;
  SendForwards(mempool.AllPending(), PrimaryOf(view), out);
}

void PbftReplica::Impl::SendForwards(const std::vector<model::EventPtr>& events,
                                     std::optional<uint32_t> to, Actions* out) {
  if (Alone()) return;  // no one to forward to (and no copies of the events to make)
  // The gate admits at most max_batch_events per ForwardEvents.
  const size_t per_message = std::max<size_t>(1, genesis->limits.max_batch_events);
  for (size_t i = 0; i < events.size(); i += per_message) {
    auto msg = std::make_shared<v1::PeerMessage>();
    for (size_t j = i; j < std::min(events.size(), i + per_message); ++j) {
      *msg->mutable_forward()->add_events() = events[j]->signed_event;
    }
    if (to) {
      out->emplace_back(Send{*to, std::move(msg)});
    } else {
      Emit(out, std::move(msg));
    }
  }
}

void PbftReplica::Impl::Heartbeat(Actions* out, int64_t now_ms) {
  auto msg = std::make_shared<v1::PeerMessage>();
  auto* hb = msg->mutable_heartbeat();
  hb->set_view(view);
  hb->set_committed_height(ordered);
  hb->set_stable_height(stable.height());
  Emit(out, std::move(msg));
  mempool.DropExpired(now_ms);  // certificates are judged at block time (DESIGN §3)
  Retransmit(out, now_ms);
  next_heartbeat_ms = now_ms + opt.heartbeat_ms;
}

// Frames may be lost (the transport is best effort): what this replica signed for heights not
// yet ordered is sent again once per heartbeat, as PBFT's retransmission.
void PbftReplica::Impl::Retransmit(Actions* out, int64_t now_ms) {
  if (view_changing) {
    auto it = my_view_changes.find(view);
    if (it != my_view_changes.end()) {
      auto msg = std::make_shared<v1::PeerMessage>();
      AttachStableHeader(&it->second);  // the block may have been fetched since
      view_changes[view][self] = it->second;
      *msg->mutable_view_change() = it->second;
      Emit(out, std::move(msg));
    }
    // Our events must not wait for a view change only we want: the others may be fine in the
    // old view, and a backup there relays them to its primary. In-flight ones too: the proposal
    // that carried them may never commit (issue 18: a replica alone in a higher view kept them
    // in flight for a proposal the others replaced, and they never committed).
    SendForwards(mempool.AllOf(self), std::nullopt, out);
    return;
  }
  for (const auto& [h, slot] : slots) {
    if (h <= ordered || !slot.has_pp || slot.pp_view != view) continue;
    if (now_ms - slot.accepted_ms < static_cast<int64_t>(opt.heartbeat_ms)) continue;
    auto pp = sent_pp.find({view, h});
    // After a restart the journalled copy has no events: it cannot be sent again.
    if (pp != sent_pp.end() &&
        static_cast<uint32_t>(pp->second.events_size()) == pp->second.proposal().event_count()) {
      auto msg = std::make_shared<v1::PeerMessage>();
      *msg->mutable_pre_prepare() = pp->second;
      Emit(out, std::move(msg));
    }
    for (SentKind kind : {SentKind::kPrepare, SentKind::kCommit}) {
      auto v = sent.find({kind, view, h});
      if (v == sent.end()) continue;
      auto msg = std::make_shared<v1::PeerMessage>();
      *(kind == SentKind::kPrepare ? msg->mutable_prepare() : msg->mutable_commit()) = v->second;
      Emit(out, std::move(msg));
    }
  }
  // The latest checkpoint of ours that is not stable yet.
  if (!my_checkpoints.empty() && my_checkpoints.rbegin()->first > stable.height()) {
    auto msg = std::make_shared<v1::PeerMessage>();
    *msg->mutable_checkpoint() = my_checkpoints.rbegin()->second;
    Emit(out, std::move(msg));
  }
}

void PbftReplica::Impl::CheckTimeouts(Actions* out, int64_t now_ms) {
  if (view_changing) {
    if (now_ms < vc_deadline_ms) return;
    // PBFT §4.4: the next view only once 2f+1 replicas are in this view or beyond and its
    // NEW-VIEW did not come; alone, keep asking (the VIEW-CHANGE goes out with the heartbeat).
    // Replicas already past this view count: we keep only each replica's latest VIEW-CHANGE.
    std::set<uint32_t> here_or_beyond;
    for (auto it = view_changes.lower_bound(view); it != view_changes.end(); ++it) {
      for (const auto& [replica, unused] : it->second) here_or_beyond.insert(replica);
    }
    if (here_or_beyond.size() >= quorum) {
      StartViewChange(view + 1, out, now_ms);
    } else {
      vc_deadline_ms = now_ms + vc_timeout_ms;
    }
    return;
  }
  bool expired = false;
  // DESIGN §6 censorship: an event not ordered within the timeout. Events forwarded by peers
  // are relayed to the primary by us (half-way through their timeout) before they count:
  // a peer that hid them from the primary cannot make an honest primary look guilty.
  if (IsPrimary()) {
    (void)mempool.TakeUnrelayed(now_ms);  // the primary relays to no one
    // A lone replica has no one to suspect but itself: a view change would elect it again.
    if (Alone()) return;
  } else {
    SendForwards(mempool.TakeUnrelayed(now_ms - opt.view_timeout_ms / 2), PrimaryOf(view), out);
  }
  // A primary times out on its own pending events too, when it has nothing in flight: one that
  // cannot propose them (after a restart it may hold a journalled pre-prepare without events,
  // which it can neither send again nor replace) must step down, or the replicas waiting on it
  // wait forever (sim seed 600918: nobody else was in a state that times out). With proposals
  // in flight the slot timeout below judges it: events waiting for the window are not its
  // fault (sim seed 820627, n = 7, livelocked when they counted).
  if (auto oldest = mempool.OldestPending();
      oldest && (!IsPrimary() || proposed_height <= ordered)) {
    expired = now_ms >= *oldest + opt.view_timeout_ms;
  }
  // A proposal accepted in this view but not ordered within the timeout.
  for (const auto& [h, slot] : slots) {
    if (h > ordered && slot.has_pp && slot.pp_view == view) {
      expired = expired || now_ms >= slot.accepted_ms + opt.view_timeout_ms;
      break;
    }
  }
  // While we are fetching blocks we are behind: our own view of progress is not the primary's.
  // Unless the fetch brings nothing for a whole timeout: a commit quorum seen for a block that
  // nobody stored (its primary moved on before ordering it) is a target no peer can serve, and
  // waiting on it forever kept a replica from ever suspecting its primary (sim seed 820069).
  if (target <= ordered) behind_since_ms = now_ms;
  const bool catching_up = fetching && target > ordered &&
                           now_ms - std::max(behind_since_ms, last_progress_ms) <
                               static_cast<int64_t>(opt.view_timeout_ms);
  if (expired && !catching_up) StartViewChange(view + 1, out, now_ms);
}

void PbftReplica::Impl::OnHeartbeat(uint32_t from, const v1::Heartbeat& hb, Actions* out,
                                    int64_t now_ms) {
  PeerState& p = peers[from];
  // Admitted means forwarded (DESIGN §6): a peer heard again after missing a heartbeat (its
  // link was down, or it restarted with an empty mempool) gets our clients' pending events,
  // which the runtime skipped or it lost meanwhile. Once per silence, so never a flood.
  const bool returned =
      p.last_heard_ms == 0 ||
      now_ms - p.last_heard_ms > static_cast<int64_t>(opt.heartbeat_ms + opt.heartbeat_ms / 2);
  if (returned) SendForwards(mempool.AllPending(self), from, out);
  p.view = hb.view();
  p.committed_height = hb.committed_height();
  p.last_heard_ms = now_ms;
  // The (f+1)-th highest report is vouched for by at least one correct replica.
  std::vector<uint64_t> heights;
  for (uint32_t i = 0; i < n; ++i) {
    if (i != self) heights.push_back(peers[i].committed_height);
  }
  std::sort(heights.rbegin(), heights.rend());
  if (heights.size() >= f + 1) NoteTarget(heights[f]);
  std::vector<uint64_t> stables;
  for (uint32_t i = 0; i < n; ++i) {
    if (i == self) continue;
    stables.push_back(i == from ? hb.stable_height() : peers[i].stable_height);
  }
  peers[from].stable_height = hb.stable_height();
  std::sort(stables.rbegin(), stables.rend());
  if (stables.size() >= f + 1) stable_target = std::max(stable_target, stables[f]);
  // A peer left behind in an older view gets the NEW-VIEW again.
  if (!view_changing && PrimaryOf(view) == self && hb.view() < view && last_new_view) {
    ResendNewView(from, out, now_ms);
  }
  MaybeFetch(out, now_ms, false);
}

void PbftReplica::Impl::ResendNewView(uint32_t to, Actions* out, int64_t now_ms) {
  // DESIGN §6 fairness: a NEW-VIEW is large (every re-proposal with its events), and a faulty
  // replica could ask for it with every frame it sends.
  int64_t& last = last_resend_ms[to];
  if (last != std::numeric_limits<int64_t>::min() &&
      now_ms - last < static_cast<int64_t>(opt.resend_interval_ms)) {
    ++peers[to].resends_suppressed;
    return;
  }
  last = now_ms;
  out->emplace_back(Send{to, last_new_view});
}

// ---- PbftReplica

PbftReplica::PbftReplica(std::shared_ptr<const model::Genesis> genesis, const PbftOptions& options,
                         const Signer* signer, const Restored& restored)
    : impl_(std::make_unique<Impl>(std::move(genesis), options, signer, restored)) {}

PbftReplica::~PbftReplica() = default;

Actions PbftReplica::Start(int64_t now_ms) {
  Actions out;
  impl_->last_activity_ms = now_ms;
  impl_->last_progress_ms = now_ms;
  if (impl_->view_changing) impl_->vc_deadline_ms = now_ms + impl_->vc_timeout_ms;
  impl_->Heartbeat(&out, now_ms);
  // A lone replica certifies its stored tip at once: its checkpoint alone is stable. A chain
  // that has none above its last checkpoint interval (one stored before n = 1 ran this core,
  // or a crash between a block and its checkpoint) would otherwise be held below the log limit.
  Impl& m = *impl_;
  if (m.Alone() && m.stable.height() < m.committed) {
    m.SignCheckpoint(Committed{m.committed, m.ordered_hash, m.my_results.at(m.committed)}, &out);
  }
  impl_->ArmTimer(&out, now_ms);
  return out;
}

Actions PbftReplica::OnEvents(const std::vector<model::EventPtr>& events, int64_t now_ms,
                              std::vector<Status>* results) {
  Actions out;
  results->clear();
  results->reserve(events.size());
  for (const auto& e : events) results->push_back(impl_->mempool.Add(e, impl_->self, now_ms));
  // DESIGN §6: every node forwards the events it admits to the primary and its peers.
  std::vector<model::EventPtr> admitted;
  for (size_t i = 0; i < events.size(); ++i) {
    if ((*results)[i].ok()) admitted.push_back(events[i]);
  }
  impl_->SendForwards(admitted, std::nullopt, &out);
  impl_->MaybePropose(&out, now_ms);
  impl_->ArmTimer(&out, now_ms);
  return out;
}

Actions PbftReplica::OnTick(int64_t now_ms) {
  Actions out;
  impl_->armed_ms = 0;
  if (now_ms >= impl_->next_heartbeat_ms) impl_->Heartbeat(&out, now_ms);
  impl_->CheckTimeouts(&out, now_ms);
  impl_->MaybeFetch(&out, now_ms, false);
  impl_->MaybePropose(&out, now_ms);
  impl_->ArmTimer(&out, now_ms);
  return out;
}

Actions PbftReplica::OnCommitted(const Committed& c, int64_t now_ms) {
  Actions out;
  SHIPLEDGER_CHECK(c.height == impl_->committed + 1 && c.height <= impl_->ordered);
  impl_->committed = c.height;
  impl_->TakeCheckpoint(c, &out);
  impl_->MaybePropose(&out, now_ms);
  impl_->ArmTimer(&out, now_ms);
  return out;
}

Actions PbftReplica::OnPeerMessage(const InboundMessage& in, int64_t now_ms) {
  Actions out;
  Impl& m = *impl_;
  if (in.from >= m.n || in.from == m.self) return out;
  const v1::PeerMessage& msg = in.message;
  static const std::vector<model::EventPtr> kNone;
  switch (msg.body_case()) {
    case v1::PeerMessage::kPrePrepare:
      m.OnPrePrepare(msg.pre_prepare(), in.events.empty() ? kNone : in.events[0], &out, now_ms);
      break;
    case v1::PeerMessage::kPrepare:
      m.OnPrepare(msg.prepare(), &out, now_ms);
      break;
    case v1::PeerMessage::kCommit:
      m.OnCommit(msg.commit(), &out, now_ms);
      break;
    case v1::PeerMessage::kCheckpoint:
      m.OnCheckpoint(msg.checkpoint(), &out, now_ms);
      break;
    case v1::PeerMessage::kViewChange:
      m.OnViewChange(msg.view_change(), &out, now_ms);
      break;
    case v1::PeerMessage::kNewView:
      m.OnNewView(in, &out, now_ms);
      break;
    case v1::PeerMessage::kForward:
      if (!in.events.empty()) {
        for (const auto& e : in.events[0]) (void)m.mempool.Add(e, in.from, now_ms);
      }
      break;
    case v1::PeerMessage::kBlocks:
      m.OnBlocks(in, &out, now_ms);
      break;
    case v1::PeerMessage::kHeartbeat:
      m.OnHeartbeat(in.from, msg.heartbeat(), &out, now_ms);
      break;
    default:
      break;  // fetch_blocks: answered by the runtime
  }
  m.MaybePropose(&out, now_ms);
  m.ArmTimer(&out, now_ms);
  return out;
}

Actions PbftReplica::Flush(int64_t now_ms) {
  Actions out;
  impl_->flushing = true;
  impl_->MaybePropose(&out, now_ms);
  impl_->ArmTimer(&out, now_ms);
  return out;
}

bool PbftReplica::HoldsEvent(const Bytes& event_id) const { return impl_->mempool.Holds(event_id); }

ReplicaStatus PbftReplica::status() const {
  const Impl& m = *impl_;
  ReplicaStatus s;
  s.view = m.view;
  s.primary = m.PrimaryOf(m.view);
  s.is_primary = m.IsPrimary();
  s.ordered_height = m.ordered;
  s.committed_height = m.committed;
  s.mempool_events = m.mempool.size();
  s.mempool_capacity = m.mempool.capacity();
  s.stable_checkpoint = m.stable.height();
  s.view_changing = m.view_changing;
  s.highest_known_height = std::max(m.target, m.ordered);
  s.diverged_height = m.diverged_height;
  s.mempool_by_origin = m.mempool.per_origin();
  s.fetching = m.fetching;
  s.blocks_transferred = m.blocks_transferred;
  for (const auto& p : m.peers) {
    if (p.replica != m.self) s.peers.push_back(p);
  }
  return s;
}

}  // namespace shipledger::consensus
