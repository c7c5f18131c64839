#include "sim/byzantine.h"

#include "model/block.h"
#include "model/votes.h"
#include "sim/byzantine_base.h"
#include "sim/flood.h"

namespace shipledger::sim {

std::string ByzantineName(ByzantineKind kind) {
  switch (kind) {
    case ByzantineKind::kNone:
      return "none";
    case ByzantineKind::kEquivocate:
      return "equivocate";
    case ByzantineKind::kCensor:
      return "censor";
    case ByzantineKind::kInvalidBlocks:
      return "invalid-blocks";
    case ByzantineKind::kBadBackup:
      return "bad-backup";
    case ByzantineKind::kTwin:
      return "twin";
    case ByzantineKind::kFloodHeartbeat:
      return "flood-heartbeat";
    case ByzantineKind::kFloodViewChange:
      return "flood-viewchange";
    case ByzantineKind::kFloodForward:
      return "flood-forward";
    case ByzantineKind::kMixedViewTime:
      return "mixed-view-time";
  }
  return "?";
}

bool IsFlood(ByzantineKind kind) {
  return kind == ByzantineKind::kFloodHeartbeat || kind == ByzantineKind::kFloodViewChange ||
         kind == ByzantineKind::kFloodForward;
}

namespace {

using Base = ByzantineBase;

class Equivocate final : public Base {
 public:
  using Base::Base;
  std::vector<v1::PeerMessage> Outgoing(uint32_t to, const v1::PeerMessage& m) override {
    if (m.has_view_change()) return {};  // never helps to depose itself
    if (!m.has_pre_prepare() || (to + m.pre_prepare().view()) % 2 == 0) return {m};
    const auto key = std::make_pair(m.pre_prepare().view(), m.pre_prepare().proposal().height());
    auto it = alternates_.find(key);
    if (it == alternates_.end()) {
      // The other half of the backups gets a different, validly signed proposal: one event
      // fewer, or (empty block) a later timestamp. Cached, so retransmissions agree.
      v1::PeerMessage alt = m;
      v1::PrePrepare* pp = alt.mutable_pre_prepare();
      if (pp->events_size() > 0) {
        pp->mutable_events()->RemoveLast();
        pp->mutable_proposal()->set_events_root(model::EventsRoot(pp->events()));
        pp->mutable_proposal()->set_event_count(static_cast<uint32_t>(pp->events_size()));
      } else {
        pp->mutable_proposal()->set_timestamp_ms(pp->proposal().timestamp_ms() + 1);
      }
      SignPrePrepare(pp);
      it = alternates_.emplace(key, std::move(alt)).first;
    }
    return {it->second};
  }

 private:
  std::map<std::pair<uint64_t, uint64_t>, v1::PeerMessage> alternates_;  // (view, height)
};

class Censor final : public Base {
 public:
  using Base::Base;
  bool Inbound(consensus::InboundMessage* m) override {
    if (!m->message.has_forward() || m->events.empty()) return true;
    // Keeps message and parsed events index-aligned while dropping the censored origin.
    v1::ForwardEvents kept;
    std::vector<model::EventPtr> kept_events;
    const auto& evs = m->events[0];
    for (size_t i = 0; i < evs.size(); ++i) {
      if (evs[i]->event.signer_org() == c_.censored_org) continue;
      *kept.add_events() = evs[i]->signed_event;
      kept_events.push_back(evs[i]);
    }
    if (kept_events.empty()) return false;
    *m->message.mutable_forward() = std::move(kept);
    m->events[0] = std::move(kept_events);
    return true;
  }
};

class InvalidBlocks final : public Base {
 public:
  using Base::Base;
  std::vector<v1::PeerMessage> Outgoing(uint32_t to, const v1::PeerMessage& m) override {
    if (m.has_view_change()) return {};  // never helps to depose itself
    if (!m.has_pre_prepare()) return {m};
    const uint64_t h = m.pre_prepare().proposal().height();
    if ((to + h) % 3 == 0) return {m};  // a third of the backups get the real one
    v1::PeerMessage bad = m;
    v1::PrePrepare* pp = bad.mutable_pre_prepare();
    v1::Proposal* p = pp->mutable_proposal();
    switch (h % 3) {
      case 0:
        if (pp->events_size() > 0) {
          // A tampered event: other bytes under the client's old signature. The root and the
          // primary's signature are recomputed, so only the event's signature is wrong.
          v1::Event e;
          (void)e.ParseFromString(pp->events(0).event());
          e.set_shipment_id(e.shipment_id() + "-forged");
          pp->mutable_events(0)->set_event(e.SerializeAsString());
          p->set_events_root(model::EventsRoot(pp->events()));
          break;
        }
        [[fallthrough]];
      case 1:
        p->set_events_root(RandomBytes(32));  // a root the events do not have
        break;
      default:
        p->set_event_count(p->event_count() + 1);  // a count the events do not have
        break;
    }
    SignPrePrepare(pp);
    return {bad};
  }
};

class BadBackup final : public Base {
 public:
  using Base::Base;
  std::vector<v1::PeerMessage> Outgoing(uint32_t, const v1::PeerMessage& m) override {
    Rng& rng = *c_.rng;
    std::vector<v1::PeerMessage> out;
    if (m.has_prepare() || m.has_commit()) {
      const bool prepare = m.has_prepare();
      const auto type = prepare ? model::VoteType::kPrepare : model::VoteType::kCommit;
      const v1::Vote& v = prepare ? m.prepare() : m.commit();
      const bool badly_signed = Chance(rng, 0.3);
      const bool conflicting = Chance(rng, 0.4);
      const bool substitute = Chance(rng, 0.3);
      if (badly_signed) {
        v1::PeerMessage b = m;
        v1::Vote* bv = prepare ? b.mutable_prepare() : b.mutable_commit();
        Bytes sig = bv->signature();
        if (!sig.empty()) sig[sig.size() / 2] = static_cast<char>(sig[sig.size() / 2] ^ 0x5a);
        bv->set_signature(sig);
        out.push_back(std::move(b));
      }
      if (conflicting) {
        v1::PeerMessage c;
        *(prepare ? c.mutable_prepare() : c.mutable_commit()) = ConflictingVote(type, v);
        out.push_back(std::move(c));
      }
      if (!substitute) out.push_back(m);
      return out;
    }
    if (m.has_checkpoint() && Chance(rng, 0.3)) {
      // A checkpoint with other results, validly signed.
      v1::PeerMessage c = m;
      v1::Checkpoint* cp = c.mutable_checkpoint();
      cp->set_results(RandomBytes(32));
      cp->set_signature(Sign(model::CheckpointMessage(c_.genesis->chain_id, cp->height(),
                                                      cp->block_hash(), cp->results())));
      return {c};
    }
    if (m.has_blocks() && m.blocks().blocks_size() > 0 && Chance(rng, 0.7)) {
      return {TamperedBlocks(m, static_cast<int>(Uniform(rng, 0, 3)))};
    }
    if (m.has_heartbeat() && Chance(rng, 0.5)) {
      // Claims to be far ahead, in view and height: only f+1 reports may move anybody.
      v1::PeerMessage h = m;
      h.mutable_heartbeat()->set_view(m.heartbeat().view() + 50);
      h.mutable_heartbeat()->set_committed_height(m.heartbeat().committed_height() + 1000);
      return {h};
    }
    return {m};
  }

 private:
  // State transfer from a Byzantine peer: certified proposals under a forged chain (another
  // prev hash, with the block hash recomputed to match), swapped events, or the certificate of
  // one block on another.
  v1::PeerMessage TamperedBlocks(const v1::PeerMessage& m, int how) const {
    v1::PeerMessage out = m;
    v1::Blocks* bs = out.mutable_blocks();
    v1::Block* b = bs->mutable_blocks(0);
    switch (how) {
      case 0:
        b->set_prev_block_hash(RandomBytes(32));
        b->set_block_hash(
            model::BlockHash(model::ProposalDigest(b->proposal()), b->prev_block_hash()));
        break;
      case 1:
        if (b->events_size() > 0) {
          v1::Event e;
          (void)e.ParseFromString(b->events(0).event());
          e.set_shipment_id(e.shipment_id() + "-forged");
          b->mutable_events(0)->set_event(e.SerializeAsString());
        } else {
          b->mutable_proposal()->set_timestamp_ms(b->proposal().timestamp_ms() + 1);
        }
        break;
      case 2:
        if (bs->blocks_size() > 1) {
          *b->mutable_certificate() = bs->blocks(1).certificate();
        } else {
          b->mutable_certificate()->set_view(b->certificate().view() + 1);
        }
        break;
      default:
        b->set_block_hash(RandomBytes(32));
        break;
    }
    return out;
  }
};

}  // namespace

std::unique_ptr<Byzantine> MakeByzantine(ByzantineKind kind, const ByzantineContext& context) {
  switch (kind) {
    case ByzantineKind::kEquivocate:
      return std::make_unique<Equivocate>(context);
    case ByzantineKind::kCensor:
      return std::make_unique<Censor>(context);
    case ByzantineKind::kInvalidBlocks:
      return std::make_unique<InvalidBlocks>(context);
    case ByzantineKind::kBadBackup:
      return std::make_unique<BadBackup>(context);
    case ByzantineKind::kFloodHeartbeat:
    case ByzantineKind::kFloodViewChange:
    case ByzantineKind::kFloodForward:
    case ByzantineKind::kMixedViewTime:
      return MakeFloodOrMixed(kind, context);
    case ByzantineKind::kNone:
    case ByzantineKind::kTwin:
      return nullptr;
  }
  return nullptr;
}

}  // namespace shipledger::sim
