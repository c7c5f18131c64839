// Checkpoints and garbage collection (PBFT §4.3, DESIGN §5), state transfer (DESIGN §6) and
// restoring from the journal.
#include <algorithm>

#include "consensus/pbft_impl.h"
#include "model/votes.h"

namespace shipledger::consensus {

void PbftReplica::Impl::RestoreJournal(const std::vector<v1::JournalEntry>& journal) {
  uint64_t entered = 0;
  uint64_t changing_to = 0;
  for (const auto& e : journal) {
    switch (e.entry_case()) {
      case v1::JournalEntry::kView:
        entered = std::max(entered, e.view());
        break;
      case v1::JournalEntry::kPrepared: {
        // Every height above the stable checkpoint, ordered or not: the next VIEW-CHANGE must
        // carry them all (a stored block is not yet certified by a stable checkpoint).
        const v1::PreparedCertificate& cert = e.prepared();
        const uint64_t h = cert.proposal().height();
        if (h <= stable.height()) break;
        Slot& slot = slots[h];
        if (!slot.prepared_cert || slot.prepared_cert->view() < cert.view()) {
          slot.prepared_cert = cert;
        }
        auto events = ParseEvents(cert.events());
        if (events.size() == cert.proposal().event_count()) {
          slot.known[model::ProposalDigest(cert.proposal())] =
              KnownProposal{cert.proposal(), std::move(events), true};
        }
        break;
      }
      case v1::JournalEntry::kSent: {
        const v1::PeerMessage& m = e.sent();
        if (m.has_pre_prepare()) {
          sent_pp[{m.pre_prepare().view(), m.pre_prepare().proposal().height()}] = m.pre_prepare();
        } else if (m.has_prepare()) {
          sent[{SentKind::kPrepare, m.prepare().view(), m.prepare().height()}] = m.prepare();
        } else if (m.has_commit()) {
          sent[{SentKind::kCommit, m.commit().view(), m.commit().height()}] = m.commit();
        } else if (m.has_view_change()) {
          my_view_changes[m.view_change().new_view()] = m.view_change();
          changing_to = std::max(changing_to, m.view_change().new_view());
        }
        break;
      }
      default:
        break;
    }
  }
  // A VIEW-CHANGE newer than the last view entered: we were waiting for its NEW-VIEW.
  view = std::max(entered, changing_to);
  view_changing = changing_to > entered;
  if (view_changing) view_changes[view][self] = my_view_changes[view];
}

void PbftReplica::Impl::TakeCheckpoint(const Committed& c, Actions* out) {
  const uint64_t h = c.height;
  my_results[h] = c.results;
  my_hashes[h] = c.block_hash;
  if (h == stable.height() && stable.results() != c.results) diverged_height = h;
  bool empty = false;
  if (auto it = ordered_empty.find(h); it != ordered_empty.end()) {
    empty = it->second;
    ordered_empty.erase(ordered_empty.begin(), std::next(it));
  }
  if (h % opt.checkpoint_interval != 0 && !empty) return;
  SignCheckpoint(c, out);
}

void PbftReplica::Impl::SignCheckpoint(const Committed& c, Actions* out) {
  const uint64_t h = c.height;
  v1::Checkpoint cp;
  cp.set_height(h);
  cp.set_block_hash(c.block_hash);
  cp.set_results(c.results);
  cp.set_replica(self);
  cp.set_signature(
      SignOrDie(model::CheckpointMessage(genesis->chain_id, h, c.block_hash, c.results)));
  my_checkpoints[h] = cp;
  last_checkpointed = std::max(last_checkpointed, h);
  auto msg = std::make_shared<v1::PeerMessage>();
  *msg->mutable_checkpoint() = cp;
  Emit(out, std::move(msg));
  if (h > stable.height()) {
    checkpoints[h][self] = cp;
    OnCheckpoint(cp, out, last_activity_ms);
  }
}

void PbftReplica::Impl::OnCheckpoint(const v1::Checkpoint& cp, Actions* out, int64_t now_ms) {
  const uint64_t h = cp.height();
  if (h <= stable.height()) return;
  // Keep only each replica's latest checkpoint: bounded memory whatever a peer sends.
  for (auto it = checkpoints.begin(); it != checkpoints.end();) {
    if (it->first != h) it->second.erase(cp.replica());
    it = it->second.empty() && it->first != h ? checkpoints.erase(it) : std::next(it);
  }
  auto& at = checkpoints[h];
  at[cp.replica()] = cp;
  if (at.size() >= f + 1) NoteTarget(h);
  // 2f+1 matching (block hash, results) make it stable.
  std::map<std::pair<Bytes, Bytes>, std::vector<const v1::Checkpoint*>> groups;
  for (const auto& [replica, c] : at) groups[{c.block_hash(), c.results()}].push_back(&c);
  for (const auto& [key, list] : groups) {
    if (list.size() < quorum) continue;
    v1::CheckpointCertificate cert;
    cert.set_height(h);
    cert.set_block_hash(key.first);
    cert.set_results(key.second);
    for (size_t i = 0; i < quorum; ++i) {
      auto* vote = cert.add_votes();
      vote->set_replica(list[i]->replica());
      vote->set_signature(list[i]->signature());
    }
    AdoptStable(cert, out, now_ms);
    return;
  }
}

void PbftReplica::Impl::AdoptStable(const v1::CheckpointCertificate& cert, Actions* out,
                                    int64_t now_ms) {
  (void)now_ms;
  const uint64_t h = cert.height();
  if (h <= stable.height()) return;
  stable = cert;
  out->emplace_back(StoreCheckpoint{cert});
  // DESIGN §6: results that differ from a stable checkpoint stop our voting.
  if (auto it = my_results.find(h); it != my_results.end() && it->second != cert.results()) {
    diverged_height = h;
  }
  NoteTarget(h);
  const uint64_t gc = std::min(h, ordered);
  slots.erase(slots.begin(), slots.upper_bound(gc));
  checkpoints.erase(checkpoints.begin(), checkpoints.upper_bound(h));
  my_checkpoints.erase(my_checkpoints.begin(), my_checkpoints.upper_bound(h));
  my_results.erase(my_results.begin(), my_results.lower_bound(std::min(h, committed)));
  my_hashes.erase(my_hashes.begin(), my_hashes.lower_bound(std::min(h, committed)));
  headers.erase(headers.begin(), headers.lower_bound(h));
  ordered_digests.erase(ordered_digests.begin(), ordered_digests.upper_bound(gc));
  for (auto it = sent.begin(); it != sent.end();) {
    it = std::get<2>(it->first) <= gc ? sent.erase(it) : std::next(it);
  }
  for (auto it = sent_pp.begin(); it != sent_pp.end();) {
    it = it->first.second <= gc ? sent_pp.erase(it) : std::next(it);
  }
  for (auto it = my_view_changes.begin(); it != my_view_changes.end() && it->first < view;) {
    it = my_view_changes.erase(it);
  }
}

void PbftReplica::Impl::NoteTarget(uint64_t height) { target = std::max(target, height); }

void PbftReplica::Impl::MaybeFetch(Actions* out, int64_t now_ms, bool force) {
  // f+1 peers have a stable checkpoint we never saw become stable: a Blocks answer carries it.
  const bool stable_behind = stable_target > stable.height() && stable_target <= ordered;
  if (target <= ordered && !stable_behind) {
    fetching = false;
    return;
  }
  if (fetching && now_ms < fetch_deadline_ms && !force) return;
  const bool far = target > ordered + opt.window || stable_behind;
  const bool stuck = now_ms - last_progress_ms >= 2 * static_cast<int64_t>(opt.heartbeat_ms);
  if (!far && !stuck && !fetching && !force) return;
  // Ask the next peer (after the last one asked) that reports blocks we lack; any peer if none
  // does (the target came from certificates).
  uint32_t peer = self;
  for (uint32_t k = 1; k <= n; ++k) {
    const uint32_t p = (fetch_peer + k) % n;
    if (p != self && peers[p].committed_height > ordered) {
      peer = p;
      break;
    }
  }
  if (peer == self) peer = (fetch_peer + 1) % n == self ? (self + 1) % n : (fetch_peer + 1) % n;
  auto msg = std::make_shared<v1::PeerMessage>();
  msg->mutable_fetch_blocks()->set_from_height(ordered + 1);
  msg->mutable_fetch_blocks()->set_max_blocks(opt.fetch_max_blocks);
  out->emplace_back(Send{peer, std::move(msg)});
  fetching = true;
  fetch_peer = peer;
  fetch_deadline_ms = now_ms + opt.fetch_timeout_ms;
}

void PbftReplica::Impl::OnBlocks(const InboundMessage& in, Actions* out, int64_t now_ms) {
  const v1::Blocks& blocks = in.message.blocks();
  if (static_cast<size_t>(blocks.blocks_size()) != in.events.size()) return;
  bool progress = false;
  for (int i = 0; i < blocks.blocks_size(); ++i) {
    const v1::Block& b = blocks.blocks(i);
    const uint64_t h = b.proposal().height();
    if (h <= ordered) continue;
    // Certified (the gate checked the commit certificate), and it must extend our chain.
    if (h != ordered + 1 || b.prev_block_hash() != ordered_hash) break;
    OrderBlock(b.proposal(), b.certificate(), in.events[static_cast<size_t>(i)], out, now_ms);
    ++blocks_transferred;
    progress = true;
  }
  if (blocks.has_stable() && blocks.stable().height() > stable.height() &&
      blocks.stable().height() <= ordered) {
    AdoptStable(blocks.stable(), out, now_ms);
  } else if (blocks.has_stable()) {
    NoteTarget(blocks.stable().height());
  }
  TryOrder(out, now_ms);
  if (in.from == fetch_peer) fetching = false;
  if (progress && view_changing) MaybeSendNewView(out, now_ms);  // it may lack a stable block
  if (progress && target > ordered) MaybeFetch(out, now_ms, true);
}

}  // namespace shipledger::consensus
