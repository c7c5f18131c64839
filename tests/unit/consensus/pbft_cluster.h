// A small in-process cluster of PbftReplica cores for unit tests: FIFO delivery, a manual clock,
// links that can be cut, and a runtime per node that stores ordered blocks and answers
// FetchBlocks. Messages skip the validation gate (message_gate_test.cc covers it); events are
// looked up by leaf hash among those the test created. The seeded fault-injecting simulator is
// tests/sim/.
#pragma once

#include <deque>
#include <functional>
#include <map>
#include <memory>
#include <set>
#include <vector>

#include "consensus/key_signer.h"
#include "consensus/pbft_replica.h"
#include "consensus/runtime.h"
#include "crypto/sha256.h"
#include "model/block.h"
#include "model/journal.h"
#include "model/validation.h"
#include "testing/test_network.h"

namespace shipledger::consensus::testing {

class Cluster {
 public:
  explicit Cluster(uint32_t n = 4) : n_(n) {
    net_ = shipledger::testing::TestNetwork::Create(Orgs(n), static_cast<int>(n));
    validator_ = std::make_unique<model::EventValidator>(net_->genesis());
    now_ = net_->now_ms();
    opts_.batch_max_events = 4;
    opts_.batch_timeout_ms = 10;
    opts_.window = 4;
    opts_.checkpoint_interval = 4;
    opts_.view_timeout_ms = 500;
    opts_.heartbeat_ms = 100;
    opts_.checkpoint_idle_ms = 200;
    opts_.fetch_max_blocks = 3;
    nodes_.resize(n);
    for (uint32_t i = 0; i < n; ++i) {
      nodes_[i].signer = std::make_unique<KeySigner>(net_->node(i).key);
      Restart(i, /*keep_disk=*/true);
    }
  }

  static std::vector<std::pair<std::string, model::Role>> Orgs(uint32_t n) {
    std::vector<std::pair<std::string, model::Role>> orgs;
    const model::Role roles[] = {model::Role::kExporter, model::Role::kForwarder,
                                 model::Role::kCustoms, model::Role::kImporter};
    for (uint32_t i = 0; i < n; ++i) orgs.emplace_back("org" + std::to_string(i), roles[i % 4]);
    return orgs;
  }

  struct Node {
    std::unique_ptr<KeySigner> signer;
    std::unique_ptr<PbftReplica> core;
    // "disk"
    std::vector<v1::Block> chain;  // with events
    std::vector<Bytes> results;
    std::vector<v1::JournalEntry> journal;
    std::vector<uint64_t> journal_heights;
    v1::CheckpointCertificate stable;
    bool down = false;
    std::vector<int64_t> timers;
  };

  // Rebuilds node i's core from its disk (keep_disk) or from nothing (a new disk).
  void Restart(uint32_t i, bool keep_disk) {
    Node& node = nodes_[i];
    if (!keep_disk) {
      node.chain.clear();
      node.results.clear();
      node.journal.clear();
      node.journal_heights.clear();
      node.stable = v1::CheckpointCertificate();
    }
    Restored r;
    r.tip.height = node.chain.size();
    r.tip.block_hash = node.chain.empty() ? net_->genesis()->hash : node.chain.back().block_hash();
    r.tip.block_time_ms = node.chain.empty() ? 0 : node.chain.back().proposal().timestamp_ms();
    r.tip.results = node.results.empty() ? Bytes(32, '\0') : node.results.back();
    r.journal = node.journal;
    r.stable = node.stable;
    for (const auto& b : node.chain) {
      if (b.proposal().height() > node.stable.height()) {
        r.ordered_digests[b.proposal().height()] = model::ProposalDigest(b.proposal());
      }
      if (b.proposal().height() >= node.stable.height()) {
        r.headers[b.proposal().height()] = {b.proposal(), b.prev_block_hash()};
      }
    }
    PbftOptions o = opts_;
    o.replica_id = i;
    node.core = std::make_unique<PbftReplica>(net_->genesis(), o, node.signer.get(), r);
    node.down = false;
    node.timers.clear();
    Apply(i, node.core->Start(now_));
  }

  model::EventPtr NewEvent(const std::string& shipment) {
    auto se = net_->SignedBy("org0", v1::EVENT_TYPE_BOOKED, shipment);
    model::ValidateOptions vo;
    vo.cert_time_ms = now_;
    auto e = *validator_->Validate(se, vo);
    by_leaf_[e->leaf_hash] = e;
    submitted_.insert(e->id);
    return e;
  }

  // Submits events at node i; returns the admission statuses.
  std::vector<Status> Submit(uint32_t i, const std::vector<model::EventPtr>& events) {
    std::vector<Status> results;
    Apply(i, nodes_[i].core->OnEvents(events, now_, &results));
    return results;
  }

  void Cut(uint32_t a, uint32_t b) { cut_.insert({std::min(a, b), std::max(a, b)}); }
  void Isolate(uint32_t a) {
    for (uint32_t b = 0; b < n_; ++b) {
      if (b != a) Cut(a, b);
    }
  }
  void HealAll() { cut_.clear(); }
  void Crash(uint32_t i) {
    nodes_[i].down = true;
    nodes_[i].timers.clear();
  }
  bool Linked(uint32_t a, uint32_t b) const {
    return !cut_.contains({std::min(a, b), std::max(a, b)}) && !nodes_[a].down && !nodes_[b].down;
  }

  // Delivers messages and fires timers until `until_ms` (simulated).
  void RunFor(int64_t ms) {
    const int64_t until = now_ + ms;
    for (;;) {
      while (!queue_.empty()) {
        Msg m = std::move(queue_.front());
        queue_.pop_front();
        Deliver(m);
      }
      int64_t next = until + 1;
      for (const auto& node : nodes_) {
        for (int64_t t : node.timers) next = std::min(next, t);
      }
      if (next > until) break;
      now_ = std::max(now_, next);
      for (uint32_t i = 0; i < n_; ++i) {
        auto& t = nodes_[i].timers;
        if (nodes_[i].down || t.empty() || *std::min_element(t.begin(), t.end()) > now_) continue;
        t.clear();
        Apply(i, nodes_[i].core->OnTick(now_));
      }
    }
    now_ = until;
  }

  // Sees every message before delivery: may rewrite it; returns false to drop it.
  using Filter = std::function<bool(uint32_t from, uint32_t to, v1::PeerMessage* message)>;
  void SetFilter(Filter f) { filter_ = std::move(f); }
  // Node i's "execution" yields different results from everyone else's (a divergent node).
  void CorruptResults(uint32_t i) { corrupt_.insert(i); }
  const crypto::PrivateKey& node_key(uint32_t i) const { return net_->node(i).key; }

  Node& node(uint32_t i) { return nodes_[i]; }
  const std::set<Bytes>& submitted() const { return submitted_; }
  const model::Genesis& genesis() const { return *net_->genesis(); }
  int64_t now() const { return now_; }
  uint64_t messages_dropped() const { return dropped_; }

 private:
  struct Msg {
    uint32_t from;
    uint32_t to;
    std::shared_ptr<const v1::PeerMessage> message;
  };

  std::vector<model::EventPtr> Lookup(
      const google::protobuf::RepeatedPtrField<v1::SignedEvent>& es) {
    std::vector<model::EventPtr> out;
    for (const auto& se : es) out.push_back(by_leaf_.at(model::EventLeafHash(se)));
    return out;
  }

  // As the store does with a stable checkpoint's certificate (Store::PutCheckpoint).
  static void PruneJournal(Node& node, uint64_t through_height) {
    std::vector<const v1::JournalEntry*> height0;
    for (size_t k = 0; k < node.journal.size(); ++k) {
      if (node.journal_heights[k] == 0) height0.push_back(&node.journal[k]);
    }
    const std::vector<bool> prune = model::PrunableHeightZeroEntries(height0, through_height);
    std::vector<v1::JournalEntry> kept;
    std::vector<uint64_t> heights;
    size_t z = 0;  // index among the height-0 entries
    for (size_t k = 0; k < node.journal.size(); ++k) {
      const uint64_t h = node.journal_heights[k];
      if (h == 0 ? prune[z++] : h <= through_height) continue;
      kept.push_back(std::move(node.journal[k]));
      heights.push_back(h);
    }
    node.journal = std::move(kept);
    node.journal_heights = std::move(heights);
  }

  void Deliver(const Msg& m) {
    if (!Linked(m.from, m.to)) {
      ++dropped_;
      return;
    }
    Node& node = nodes_[m.to];
    if (filter_) {
      v1::PeerMessage copy = *m.message;
      if (!filter_(m.from, m.to, &copy)) return;
      Msg rewritten{m.from, m.to, std::make_shared<v1::PeerMessage>(std::move(copy))};
      Filter keep = std::move(filter_);
      filter_ = nullptr;
      Deliver(rewritten);
      filter_ = std::move(keep);
      return;
    }
    if (m.message->has_fetch_blocks()) {
      auto reply = std::make_shared<v1::PeerMessage>();
      auto* blocks = reply->mutable_blocks();
      const auto& fb = m.message->fetch_blocks();
      for (uint64_t h = fb.from_height();
           h <= node.chain.size() && h < fb.from_height() + fb.max_blocks(); ++h) {
        *blocks->add_blocks() = node.chain[h - 1];
      }
      *blocks->mutable_stable() = node.stable;
      queue_.push_back(Msg{m.to, m.from, reply});
      return;
    }
    InboundMessage in;
    in.from = m.from;
    in.message = *m.message;
    if (in.message.has_pre_prepare())
      in.events.push_back(Lookup(in.message.pre_prepare().events()));
    if (in.message.has_forward()) in.events.push_back(Lookup(in.message.forward().events()));
    if (in.message.has_new_view()) {
      for (const auto& pp : in.message.new_view().pre_prepares())
        in.events.push_back(Lookup(pp.events()));
    }
    if (in.message.has_blocks()) {
      for (const auto& b : in.message.blocks().blocks()) in.events.push_back(Lookup(b.events()));
    }
    Apply(m.to, node.core->OnPeerMessage(in, now_));
  }

  // Node i's runtime: its "disk", its timers, the cluster's message queue.
  class NodeRuntime final : public Runtime {
   public:
    NodeRuntime(Cluster* cluster, uint32_t i) : cluster_(cluster), i_(i) {}
    void Execute(CommitBlock cb) override {
      Node& node = cluster_->nodes_[i_];
      v1::Block block = cb.block;
      for (const auto& e : cb.events) *block.add_events() = e->signed_event;
      EXPECT_EQ(block.proposal().height(), node.chain.size() + 1);
      const Bytes prev = node.results.empty() ? Bytes(32, '\0') : node.results.back();
      node.chain.push_back(block);
      node.results.push_back(
          crypto::Sha256({prev, block.block_hash(), cluster_->corrupt_.contains(i_) ? "x" : ""}));
      cluster_->Apply(i_, node.core->OnCommitted(Committed{block.proposal().height(),
                                                           block.block_hash(), node.results.back()},
                                                 cluster_->now_));
    }
    void ArmTimer(int64_t at_ms) override { cluster_->nodes_[i_].timers.push_back(at_ms); }
    void SendTo(uint32_t to, std::shared_ptr<const v1::PeerMessage> message) override {
      cluster_->queue_.push_back(Msg{i_, to, std::move(message)});
    }
    void SendToAll(std::shared_ptr<const v1::PeerMessage> message) override {
      for (uint32_t j = 0; j < cluster_->n_; ++j) {
        if (j != i_) cluster_->queue_.push_back(Msg{i_, j, message});
      }
    }
    Status AppendJournal(uint64_t height, const v1::JournalEntry& entry) override {
      Node& node = cluster_->nodes_[i_];
      node.journal.push_back(entry);
      node.journal_heights.push_back(height);
      return Status::Ok();
    }
    void StoreStable(const v1::CheckpointCertificate& certificate) override {
      Node& node = cluster_->nodes_[i_];
      node.stable = certificate;
      PruneJournal(node, certificate.height());
    }

   private:
    Cluster* cluster_;
    uint32_t i_;
  };

  void Apply(uint32_t i, Actions actions) {
    NodeRuntime runtime(this, i);
    CarryOut(std::move(actions), runtime);
  }

  uint32_t n_;
  std::unique_ptr<shipledger::testing::TestNetwork> net_;
  std::unique_ptr<model::EventValidator> validator_;
  PbftOptions opts_;
  int64_t now_;
  std::vector<Node> nodes_;
  std::deque<Msg> queue_;
  std::set<std::pair<uint32_t, uint32_t>> cut_;
  std::map<Bytes, model::EventPtr> by_leaf_;
  std::set<Bytes> submitted_;
  uint64_t dropped_ = 0;
  Filter filter_;
  std::set<uint32_t> corrupt_;
};

}  // namespace shipledger::consensus::testing
