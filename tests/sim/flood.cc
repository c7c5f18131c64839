#include "sim/flood.h"

#include <deque>
#include <map>
#include <optional>
#include <set>
#include <utility>

#include "sim/byzantine_base.h"

namespace shipledger::sim {

namespace {

// What the flooders share: the burst to every peer.
class Flooder : public ByzantineBase {
 public:
  using ByzantineBase::ByzantineBase;
  int64_t flood_period_ms() const override { return c_.flood_period_ms; }

 protected:
  // `copies` of `m` to every other replica.
  void ToAll(const v1::PeerMessage& m, uint64_t copies, std::vector<Burst>* out) const {
    for (uint32_t r = 0; r < c_.genesis->n(); ++r) {
      if (r != c_.replica && copies > 0) out->push_back(Burst{r, m, copies});
    }
  }
};

class HeartbeatFlood final : public Flooder {
 public:
  using Flooder::Flooder;
  std::vector<v1::PeerMessage> Outgoing(uint32_t, const v1::PeerMessage& m) override {
    if (m.has_heartbeat()) {
      // Its true height, but view 0: a primary of a later view that answered every such
      // report with its NEW-VIEW would send one per copy (PbftOptions::resend_interval_ms).
      stale_ = m;
      stale_->mutable_heartbeat()->set_view(0);
    }
    return {m};
  }
  std::vector<Burst> Flood() override {
    std::vector<Burst> out;
    if (stale_) ToAll(*stale_, c_.flood_copies, &out);
    return out;
  }

 private:
  std::optional<v1::PeerMessage> stale_;
};

class ViewChangeFlood final : public Flooder {
 public:
  using Flooder::Flooder;
  std::vector<v1::PeerMessage> Outgoing(uint32_t, const v1::PeerMessage& m) override {
    if (m.has_view_change()) {
      sent_[m.view_change().new_view()] = m;
      while (sent_.size() > kKept) sent_.erase(sent_.begin());
    }
    return {m};
  }
  std::vector<Burst> Flood() override {
    std::vector<Burst> out;
    // Its latest VIEW-CHANGEs, old and current, each validly signed by itself.
    for (const auto& [view, m] : sent_) ToAll(m, c_.flood_copies / sent_.size(), &out);
    return out;
  }

 private:
  static constexpr size_t kKept = 4;
  std::map<uint64_t, v1::PeerMessage> sent_;  // new view -> the VIEW-CHANGE for it
};

class ForwardFlood final : public Flooder {
 public:
  using Flooder::Flooder;
  std::vector<v1::PeerMessage> Outgoing(uint32_t, const v1::PeerMessage& m) override {
    if (m.has_forward()) Remember(m.forward().events());
    return {m};
  }
  bool Inbound(consensus::InboundMessage* m) override {
    if (m->message.has_forward()) Remember(m->message.forward().events());
    if (m->message.has_pre_prepare()) Remember(m->message.pre_prepare().events());
    return true;
  }
  std::vector<Burst> Flood() override {
    std::vector<Burst> out;
    if (history_.empty()) return out;
    // The oldest events first (committed long ago), a full forward's worth each time.
    v1::PeerMessage m;
    const size_t per_forward = c_.genesis->limits.max_batch_events;
    for (size_t i = 0; i < per_forward && i < history_.size(); ++i) {
      *m.mutable_forward()->add_events() = history_[(cursor_ + i) % history_.size()];
    }
    cursor_ = (cursor_ + per_forward) % history_.size();
    ToAll(m, c_.flood_copies, &out);
    return out;
  }

 private:
  static constexpr size_t kKept = 256;
  void Remember(const google::protobuf::RepeatedPtrField<v1::SignedEvent>& events) {
    for (const auto& se : events) {
      if (history_.size() >= kKept || !seen_.insert(model::EventLeafHash(se)).second) continue;
      history_.push_back(se);
    }
  }
  std::deque<v1::SignedEvent> history_;  // the first kKept distinct events seen
  std::set<Bytes> seen_;
  size_t cursor_ = 0;
};

class MixedViewTime final : public ByzantineBase {
 public:
  using ByzantineBase::ByzantineBase;
  // How far ahead of its clock a fresh proposal is stamped: below the backups' clock bound
  // (genesis clock_skew_ms, 1000 in the simulator, less the clock skew the plan allows), and
  // longer than a view change takes, so the next view proposes below it in time.
  static constexpr int64_t kAheadMs = 800;

  std::vector<v1::PeerMessage> Outgoing(uint32_t to, const v1::PeerMessage& m) override {
    if (m.has_commit()) return {};  // nothing it leads commits
    if (m.has_view_change()) {
      // Claims to have prepared nothing (its own signature, so valid).
      v1::PeerMessage vc = m;
      vc.mutable_view_change()->clear_prepared();
      vc.mutable_view_change()->set_signature(
          Sign(model::ViewChangeMessage(c_.genesis->chain_id, vc.view_change())));
      return {vc};
    }
    if (m.has_pre_prepare()) {
      const v1::PrePrepare& pp = m.pre_prepare();
      const auto key = std::make_pair(pp.view(), pp.proposal().height());
      auto it = ahead_.find(key);
      if (it == ahead_.end()) {
        Ahead a;
        a.message = m;
        v1::PrePrepare* edited = a.message.mutable_pre_prepare();
        edited->mutable_proposal()->set_timestamp_ms(pp.proposal().timestamp_ms() + kAheadMs);
        SignPrePrepare(edited);
        a.digest = model::ProposalDigest(edited->proposal());
        // The same quorum - 1 backups get every proposal of a view (so each knows the parent of
        // the next) and one of them, by height, its PREPARE too: that holder gathers a quorum of
        // PREPAREs, the others one fewer; nobody gathers COMMITs.
        std::vector<uint32_t> backups;
        for (uint32_t r = 0; r < c_.genesis->n(); ++r) {
          if (r != c_.replica) backups.push_back(r);
        }
        const size_t first = pp.view() % backups.size();
        const size_t count = c_.genesis->quorum() - 1;
        for (size_t i = 0; i < count; ++i) a.to.insert(backups[(first + i) % backups.size()]);
        a.holder = backups[(first + pp.proposal().height() % count) % backups.size()];
        it = ahead_.emplace(key, std::move(a)).first;
        while (ahead_.size() > 64) ahead_.erase(ahead_.begin());
      }
      if (!it->second.to.contains(to)) return {};
      return {it->second.message};
    }
    if (m.has_prepare()) {
      auto it = ahead_.find(std::make_pair(m.prepare().view(), m.prepare().height()));
      if (it == ahead_.end()) return {m};
      if (to != it->second.holder) return {};
      v1::PeerMessage p = m;
      v1::Vote* v = p.mutable_prepare();
      v->set_digest(it->second.digest);
      v->set_signature(Sign(model::VoteMessage(c_.genesis->chain_id, model::VoteType::kPrepare,
                                               v->view(), v->height(), v->digest())));
      return {p};
    }
    return {m};
  }

 private:
  struct Ahead {
    v1::PeerMessage message;  // the PRE-PREPARE stamped ahead
    Bytes digest;
    std::set<uint32_t> to;  // get the PRE-PREPARE
    uint32_t holder = 0;    // gets its PREPARE too
  };
  std::map<std::pair<uint64_t, uint64_t>, Ahead> ahead_;  // (view, height)
};

}  // namespace

std::unique_ptr<Byzantine> MakeFloodOrMixed(ByzantineKind kind, const ByzantineContext& context) {
  switch (kind) {
    case ByzantineKind::kFloodHeartbeat:
      return std::make_unique<HeartbeatFlood>(context);
    case ByzantineKind::kFloodViewChange:
      return std::make_unique<ViewChangeFlood>(context);
    case ByzantineKind::kFloodForward:
      return std::make_unique<ForwardFlood>(context);
    case ByzantineKind::kMixedViewTime:
      return std::make_unique<MixedViewTime>(context);
    default:
      return nullptr;
  }
}

}  // namespace shipledger::sim
