#include "sim/sim_node.h"

#include <algorithm>

#include "consensus/key_signer.h"
#include "crypto/sha256.h"
#include "model/enum_names.h"
#include "model/journal.h"
#include "sim/describe.h"

namespace shipledger::sim {

namespace {

constexpr uint32_t kMaxBlocksPerAnswer = 64;

}  // namespace

std::unique_ptr<consensus::Signer> MakeKeySigner(const crypto::PrivateKey& key) {
  return std::make_unique<consensus::KeySigner>(key);
}

v1::CheckpointCertificate GenesisCheckpoint(const model::Genesis& genesis) {
  v1::CheckpointCertificate c;
  c.set_height(0);
  c.set_block_hash(genesis.hash);
  c.set_results(Bytes(32, '\0'));
  return c;
}

SimNode::SimNode(NodeHost* host, NodeConfig config, std::shared_ptr<const model::Genesis> genesis,
                 const config::Identity& identity, std::unique_ptr<Byzantine> byzantine)
    : host_(host),
      config_(std::move(config)),
      genesis_(std::move(genesis)),
      signer_(MakeKeySigner(identity.key)),
      byzantine_(std::move(byzantine)) {
  disk_.stable = GenesisCheckpoint(*genesis_);
}

SimNode::~SimNode() = default;

void SimNode::Trace(const std::string& what) const {
  if (!host_->verbose()) return;
  host_->Trace("s" + std::to_string(config_.slot) + "/r" + std::to_string(config_.replica) + " " +
               what);
}

void SimNode::Boot() {
  validator_ = std::make_unique<model::EventValidator>(genesis_);
  // As the runtime's gate looks up the store: forwarded copies of stored events are dropped.
  gate_ = std::make_unique<consensus::MessageGate>(
      genesis_, validator_.get(), config_.replica, nullptr,
      [this](ByteView id) { return stored_ids_.contains(Bytes(id)); });
  inbox_ = std::make_unique<SimInbox>(genesis_->n(), config_.inbox);
  budget_ms_ = -1;
  budget_used_ = 0;
  consensus::Restored restored;
  restored.tip.height = disk_.chain.size();
  restored.tip.block_hash = disk_.chain.empty() ? genesis_->hash : disk_.chain.back().block_hash();
  restored.tip.block_time_ms =
      disk_.chain.empty() ? 0 : disk_.chain.back().proposal().timestamp_ms();
  restored.tip.results = disk_.results.empty() ? Bytes(32, '\0') : disk_.results.back();
  for (const auto& [height, entry] : disk_.journal) restored.journal.push_back(entry);
  restored.stable = disk_.stable;
  for (uint64_t h = std::max<uint64_t>(disk_.stable.height(), 1); h <= disk_.chain.size(); ++h) {
    const v1::Block& b = disk_.chain[h - 1];
    restored.headers[h] = {b.proposal(), b.prev_block_hash()};
  }
  exec_height_ = restored.tip.height;
  exec_hash_ = restored.tip.block_hash;
  exec_state_ = disk_.state;
  last_store_at_ = host_->now();
  Trace("boot at h" + std::to_string(exec_height_) + " journal " +
        std::to_string(restored.journal.size()) + " stable h" +
        std::to_string(disk_.stable.height()));
  core_ =
      std::make_unique<consensus::PbftReplica>(genesis_, config_.options, signer_.get(), restored);
  Carry(core_->Start(NodeNow()));
  if (byzantine_ && config_.attack && byzantine_->flood_period_ms() > 0) {
    ScheduleFlood(host_->now() + byzantine_->flood_period_ms());
  }
}

void SimNode::Crash() {
  Trace("crash");
  core_.reset();
  gate_.reset();
  validator_.reset();
  inbox_.reset();
  burst_admitted_.clear();
  armed_.clear();
  executing_.clear();
  ++incarnation_;
}

void SimNode::WipeDisk() {
  Trace("new disk");
  disk_ = Disk();
  disk_.stable = GenesisCheckpoint(*genesis_);
  stored_ids_.clear();
}

std::optional<consensus::ReplicaStatus> SimNode::status() const {
  if (!core_) return std::nullopt;
  return core_->status();
}

Status SimNode::Submit(const v1::SignedEvent& event) {
  if (!up()) return Status::Unavailable("node is down");
  model::ValidateOptions o;
  o.cert_time_ms = NodeNow();
  o.clock_now_ms = NodeNow();
  auto e = validator_->Validate(event, o);
  if (!e.ok()) return e.status();
  gate_->NoteVerified({*e});
  std::vector<Status> results;
  consensus::Actions actions = core_->OnEvents({*e}, NodeNow(), &results);
  Carry(std::move(actions));
  if (up()) NoteHeld({*e});
  return results.empty() ? Status::Internal("OnEvents returned no result") : results[0];
}

void SimNode::Deliver(uint32_t from, const std::string& frame, bool from_correct, uint64_t copies) {
  if (!up()) return;
  auto in = Admit(from, frame, copies);
  if (!in.ok()) {
    gate_rejections_ += copies;
    if (from_correct && config_.correct) {
      v1::PeerMessage m;
      const std::string what = m.ParseFromString(frame) ? Describe(m) : "unparsable frame";
      host_->checkers().Fail("gate",
                             "slot " + std::to_string(config_.slot) + " rejected " + what +
                                 " from correct replica " + std::to_string(from) + ": " +
                                 in.status().ToString(),
                             host_->elapsed());
    }
    Trace("gate drops from r" + std::to_string(from) + ": " + in.status().ToString());
    return;
  }
  if (byzantine_ && !byzantine_->Inbound(&*in)) return;
  if (in->message.has_fetch_blocks()) {
    AnswerFetch(from, in->message.fetch_blocks());
    return;
  }
  // As the runtime: a forward whose every event the gate dropped as held changes nothing.
  if (in->message.has_forward() && (in->events.empty() || in->events[0].empty())) return;
  if (in->message.has_new_view() && config_.correct &&
      CertificatesGoBackInTime(in->message.new_view())) {
    ++mixed_view_new_views_;
  }
  bool schedule = false;
  inbox_->Push(*in, copies, &schedule);
  if (schedule) ScheduleDrain(host_->now());
}

Result<consensus::InboundMessage> SimNode::Admit(uint32_t from, const std::string& frame,
                                                 uint64_t copies) {
  if (copies <= 1) return gate_->Admit(from, frame, NodeNow());
  const auto key = std::make_pair(from, frame);
  if (auto it = burst_admitted_.find(key); it != burst_admitted_.end()) return it->second;
  auto in = gate_->Admit(from, frame, NodeNow());
  if (in.ok() && !in->message.has_forward()) {
    if (burst_admitted_.size() >= 16) burst_admitted_.clear();
    burst_admitted_.emplace(key, *in);
  }
  return in;
}

void SimNode::ScheduleDrain(int64_t at_ms) {
  const uint64_t inc = incarnation_;
  host_->At(at_ms, [this, inc] {
    if (inc == incarnation_ && up()) DrainInbox();
  });
}

void SimNode::DrainInbox() {
  const int64_t now = host_->now();
  if (now != budget_ms_) {
    budget_ms_ = now;
    budget_used_ = 0;
  }
  const size_t budget = inbox_->options().budget_per_ms;
  if (budget_used_ >= budget) {
    ScheduleDrain(now + 1);
    return;
  }
  std::vector<consensus::InboundMessage> batch;
  const bool more = inbox_->Drain(budget - budget_used_, &batch);
  budget_used_ += batch.size();
  for (const auto& m : batch) {
    if (!up()) return;
    if (host_->verbose()) Trace("<- r" + std::to_string(m.from) + " " + Describe(m.message));
    Carry(core_->OnPeerMessage(m, NodeNow()));
    if (up() && m.message.has_forward() && !m.events.empty()) NoteHeld(m.events[0]);
  }
  if (more) ScheduleDrain(now + 1);
}

void SimNode::NoteHeld(const std::vector<model::EventPtr>& events) {
  std::vector<Bytes> held;
  for (const auto& e : events) {
    if (core_->HoldsEvent(e->id)) held.push_back(e->id);
  }
  gate_->NoteHeld(held);
}

void SimNode::ScheduleFlood(int64_t at_ms) {
  const uint64_t inc = incarnation_;
  host_->At(at_ms, [this, inc] {
    if (inc != incarnation_ || !up()) return;
    for (auto& b : byzantine_->Flood()) {
      host_->Send(config_.slot, b.to,
                  std::make_shared<const std::string>(b.message.SerializeAsString()), b.copies);
    }
    ScheduleFlood(host_->now() + byzantine_->flood_period_ms());
  });
}

SimInbox::Counts SimNode::inbox_counts(uint32_t replica) const {
  return inbox_ ? inbox_->counts(replica) : SimInbox::Counts{};
}

void SimNode::AnswerFetch(uint32_t from, const v1::FetchBlocks& fetch) {
  const uint64_t head = disk_.chain.size();
  const uint64_t first = std::max<uint64_t>(fetch.from_height(), 1);
  if (first > head) return;  // nothing to give; the fetcher asks another peer after a timeout
  const uint64_t count = std::min<uint64_t>(
      {head - first + 1, std::max<uint32_t>(fetch.max_blocks(), 1), kMaxBlocksPerAnswer});
  v1::PeerMessage reply;
  v1::Blocks* blocks = reply.mutable_blocks();
  for (uint64_t h = first; h < first + count; ++h) *blocks->add_blocks() = disk_.chain[h - 1];
  *blocks->mutable_stable() = disk_.stable;
  SendTo(from, reply);
}

void SimNode::SendTo(uint32_t to, const v1::PeerMessage& message) {
  if (byzantine_) {
    for (const auto& m : byzantine_->Outgoing(to, message)) {
      Trace("-> r" + std::to_string(to) + " " + Describe(m));
      if (m.has_new_view()) ++new_views_sent_;
      host_->Send(config_.slot, to, std::make_shared<const std::string>(m.SerializeAsString()), 1);
    }
    return;
  }
  Trace("-> r" + std::to_string(to) + " " + Describe(message));
  if (message.has_new_view()) ++new_views_sent_;
  host_->Send(config_.slot, to, std::make_shared<const std::string>(message.SerializeAsString()),
              1);
}

void SimNode::Broadcast(const v1::PeerMessage& message) {
  if (byzantine_) {
    for (uint32_t r = 0; r < genesis_->n(); ++r) {
      if (r != config_.replica) SendTo(r, message);
    }
    return;
  }
  Trace("-> all " + Describe(message));
  auto frame = std::make_shared<const std::string>(message.SerializeAsString());
  for (uint32_t r = 0; r < genesis_->n(); ++r) {
    if (r == config_.replica) continue;
    if (message.has_new_view()) ++new_views_sent_;
    host_->Send(config_.slot, r, frame, 1);
  }
}

void SimNode::ArmTimer(int64_t at_node_ms) {
  if (!armed_.insert(at_node_ms).second) return;  // already armed for that time
  const uint64_t inc = incarnation_;
  host_->At(at_node_ms - config_.clock_offset_ms, [this, inc, at_node_ms] {
    if (inc != incarnation_ || !up()) return;
    armed_.erase(at_node_ms);
    Carry(core_->OnTick(NodeNow()));
  });
}

void SimNode::Execute(consensus::CommitBlock commit) {
  const v1::Block& b = commit.block;
  const uint64_t h = b.proposal().height();
  if (h != exec_height_ + 1 || b.prev_block_hash() != exec_hash_) {
    host_->checkers().Fail("runtime",
                           "slot " + std::to_string(config_.slot) + ": CommitBlock h" +
                               std::to_string(h) + " prev " + Short(b.prev_block_hash()) +
                               " does not extend head h" + std::to_string(exec_height_) + " " +
                               Short(exec_hash_),
                           host_->elapsed());
    return;
  }
  if (commit.events.size() != b.proposal().event_count()) {
    host_->checkers().Fail("runtime",
                           "slot " + std::to_string(config_.slot) + ": CommitBlock h" +
                               std::to_string(h) + " carries " +
                               std::to_string(commit.events.size()) + " events, " +
                               std::to_string(b.proposal().event_count()) + " proposed",
                           host_->elapsed());
  }
  // The node's commit path on an in-memory chain: the contracts the genesis names, the results
  // chained on the state's head.
  auto executed = contracts::CommitBlock(*genesis_, b, commit.events, exec_state_);
  if (!executed.ok()) {
    host_->checkers().Fail("runtime",
                           "slot " + std::to_string(config_.slot) + ": executing h" +
                               std::to_string(h) + ": " + executed.status().ToString(),
                           host_->elapsed());
    return;
  }
  Executed ex;
  ex.block = b;
  for (const auto& e : commit.events) *ex.block.add_events() = e->signed_event;
  ex.events = std::move(commit.events);
  ex.executed = std::move(executed).value();
  exec_height_ = h;
  exec_hash_ = b.block_hash();
  if (host_->verbose()) {
    std::string receipts;
    for (const v1::Receipt& r : ex.executed.effects.receipts) {
      receipts += std::string(receipts.empty() ? "" : ", ") +
                  model::EnumLabel(v1::ResultCode_descriptor(), r.code()) +
                  (r.reason().empty() ? "" : " (" + r.reason() + ")");
    }
    Trace("execute h" + std::to_string(h) + " " + Short(b.block_hash()) + " events " +
          std::to_string(ex.events.size()) + ": " + receipts);
  }
  executing_.push_back(std::move(ex));
  // Stores complete in height order.
  last_store_at_ = std::max(last_store_at_, host_->now()) +
                   Uniform(host_->rng(), config_.disk_delay_min_ms, config_.disk_delay_max_ms);
  const uint64_t inc = incarnation_;
  host_->At(last_store_at_, [this, inc] { StoreNext(inc); });
}

void SimNode::StoreNext(uint64_t inc) {
  if (inc != incarnation_ || !up() || executing_.empty()) return;
  Executed ex = std::move(executing_.front());
  executing_.erase(executing_.begin());
  const uint64_t h = ex.block.proposal().height();
  if (h != disk_.chain.size() + 1) return;  // cannot happen: Execute checked the order
  const Bytes& results = ex.executed.results;
  const Status written = disk_.state.CommitBlock(ex.block, ex.events, ex.executed.effects, results);
  if (!written.ok()) {
    host_->checkers().Fail("runtime",
                           "slot " + std::to_string(config_.slot) + ": storing h" +
                               std::to_string(h) + ": " + written.ToString(),
                           host_->elapsed());
    return;
  }
  for (const auto& se : ex.block.events()) stored_ids_.insert(model::EventId(se.event()));
  host_->checkers().Stored(config_.slot, ex.block, results, host_->elapsed());
  consensus::Committed c{h, ex.block.block_hash(), results};
  disk_.chain.push_back(std::move(ex.block));
  disk_.results.push_back(results);
  Carry(core_->OnCommitted(c, NodeNow()));
}

void SimNode::PruneJournal(uint64_t through_height) {
  std::vector<const v1::JournalEntry*> height0;
  for (const auto& [h, e] : disk_.journal) {
    if (h == 0) height0.push_back(&e);
  }
  const std::vector<bool> prune = model::PrunableHeightZeroEntries(height0, through_height);
  std::vector<std::pair<uint64_t, v1::JournalEntry>> kept;
  size_t k = 0;  // index among the height-0 entries
  for (auto& [h, e] : disk_.journal) {
    if (h == 0 ? prune[k++] : h <= through_height) continue;
    kept.emplace_back(h, std::move(e));
  }
  disk_.journal = std::move(kept);
}

void SimNode::Carry(consensus::Actions actions) {
  if (!up()) return;  // a crashed node carries out nothing
  consensus::CarryOut(std::move(actions), *this);
}

Status SimNode::AppendJournal(uint64_t height, const v1::JournalEntry& entry) {
  disk_.journal.emplace_back(height, entry);
  return Status::Ok();
}

void SimNode::StoreStable(const v1::CheckpointCertificate& certificate) {
  Trace("stable checkpoint h" + std::to_string(certificate.height()));
  if (certificate.height() > disk_.stable.height()) disk_.stable = certificate;
  PruneJournal(certificate.height());
}

}  // namespace shipledger::sim
