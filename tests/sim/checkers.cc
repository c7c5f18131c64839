#include "sim/checkers.h"

#include <algorithm>
#include <iterator>
#include <limits>

#include "model/block.h"

namespace shipledger::sim {

std::string Short(const Bytes& b) { return ToHex(ByteView(b).substr(0, 8)); }

Checkers::Checkers(std::shared_ptr<const model::Genesis> genesis, std::set<uint32_t> correct)
    : genesis_(std::move(genesis)), validator_(genesis_), correct_(std::move(correct)) {}

void Checkers::Generated(uint32_t origin, const Bytes& id, int64_t at_ms) {
  origin_.emplace(id, origin);
  generated_at_.emplace(id, at_ms);
}

void Checkers::Fail(std::string checker, std::string detail, int64_t at_ms) {
  failures_.push_back(Failure{std::move(checker), std::move(detail), at_ms});
}

void Checkers::DiskWiped(uint32_t slot) {
  stored_ids_[slot].clear();
  stored_at_[slot].clear();
}

void Checkers::CheckBlock(uint32_t slot, const v1::Block& block, int64_t at_ms) {
  const v1::Proposal& p = block.proposal();
  const std::string where =
      "slot " + std::to_string(slot) + " height " + std::to_string(p.height());
  // Structure: the hash, root and count the proposal commits to.
  const Bytes digest = model::ProposalDigest(p);
  if (block.block_hash() != model::BlockHash(digest, block.prev_block_hash())) {
    Fail("validity", where + ": block hash is not SHA-256(block domain, digest, prev)", at_ms);
  }
  if (p.chain_id() != genesis_->chain_id) Fail("validity", where + ": wrong chain id", at_ms);
  if (p.event_count() != static_cast<uint32_t>(block.events_size()) ||
      model::EventsRoot(block.events()) != p.events_root()) {
    Fail("validity", where + ": events do not match the proposal's root/count", at_ms);
  }
  // Certificate, once per distinct (block, certificate).
  const Bytes cert_key = block.block_hash() + block.certificate().SerializeAsString();
  if (!blocks_ok_.contains(cert_key)) {
    Status s = model::VerifyCommitCertificate(*genesis_, p, block.certificate());
    if (!s.ok()) {
      Fail("certificate", where + ": " + s.ToString(), at_ms);
    } else {
      blocks_ok_.insert(cert_key);
    }
  }
  // Events: stateless checks at block time, and submitted by a client.
  for (int i = 0; i < block.events_size(); ++i) {
    const v1::SignedEvent& se = block.events(i);
    const Bytes leaf = model::EventLeafHash(se);
    auto it = event_ok_.find(leaf);
    if (it == event_ok_.end()) {
      model::ValidateOptions o;
      o.cert_time_ms = p.timestamp_ms();
      auto e = validator_.Validate(se, o);
      bool ok = e.ok();
      if (!ok) {
        Fail("validity", where + " event " + std::to_string(i) + ": " + e.status().ToString(),
             at_ms);
      } else if (!origin_.contains((*e)->id)) {
        ok = false;
        Fail("validity",
             where + " event " + std::to_string(i) + " id " + Short((*e)->id) +
                 " was never submitted by a client",
             at_ms);
      }
      it = event_ok_.emplace(leaf, ok).first;
    }
  }
}

void Checkers::CheckBlockTime(const std::string& where, uint64_t height, int64_t time_ms,
                              int64_t at_ms) {
  auto [it, fresh] = block_times_.emplace(height, time_ms);
  if (!fresh) return;  // the same block (agreement checks that)
  if (it != block_times_.begin()) {
    auto below = std::prev(it);
    if (below->first == height - 1 && below->second > time_ms) {
      Fail("block-time",
           where + ": time " + std::to_string(time_ms) + " ms is below height " +
               std::to_string(below->first) + "'s " + std::to_string(below->second) + " ms",
           at_ms);
    }
  }
  if (auto above = std::next(it);
      above != block_times_.end() && above->first == height + 1 && above->second < time_ms) {
    Fail("block-time",
         where + ": time " + std::to_string(time_ms) + " ms is above height " +
             std::to_string(above->first) + "'s " + std::to_string(above->second) + " ms",
         at_ms);
  }
}

void Checkers::Stored(uint32_t slot, const v1::Block& block, const Bytes& results, int64_t at_ms) {
  if (!correct_.contains(slot)) return;
  const uint64_t h = block.proposal().height();
  const std::string where = "slot " + std::to_string(slot) + " height " + std::to_string(h);
  auto& chain = chains_[slot];
  // No fork: links to this node's own block below (the genesis below height 1).
  if (h == 0) {
    Fail("no-fork", where + ": a block at height 0", at_ms);
    return;
  }
  const Bytes* below = nullptr;
  if (h == 1) {
    below = &genesis_->hash;
  } else if (auto it = chain.find(h - 1); it != chain.end()) {
    below = &it->second;
  }
  if (below == nullptr) {
    Fail("no-fork", where + ": stored without height " + std::to_string(h - 1), at_ms);
  } else if (block.prev_block_hash() != *below) {
    Fail("no-fork",
         where + ": prev hash " + Short(block.prev_block_hash()) + " is not the hash below " +
             Short(*below),
         at_ms);
  }
  // Agreement, with every correct node and with this node's own past.
  auto [ag, fresh] = agreed_.emplace(h, Agreed{block.block_hash(), slot, results});
  if (auto it = chain.find(h); it != chain.end() && it->second != block.block_hash()) {
    Fail("agreement",
         where + ": stored " + Short(block.block_hash()) + " after " + Short(it->second) +
             " at the same height",
         at_ms);
  } else if (!fresh && ag->second.block_hash != block.block_hash()) {
    Fail("agreement",
         where + ": hash " + Short(block.block_hash()) + " but slot " +
             std::to_string(ag->second.slot) + " stored " + Short(ag->second.block_hash),
         at_ms);
  }
  // Execution: the same block executed by the real contracts gives every correct replica the
  // same results (DESIGN §5); a difference would also stop the replica at the next checkpoint.
  if (!fresh && ag->second.block_hash == block.block_hash() && ag->second.results != results) {
    Fail("execution",
         where + ": results " + Short(results) + " but slot " + std::to_string(ag->second.slot) +
             " executed the same block to " + Short(ag->second.results),
         at_ms);
  }
  chain[h] = block.block_hash();
  CheckBlockTime(where, h, block.proposal().timestamp_ms(), at_ms);
  CheckBlock(slot, block, at_ms);
  auto& ids = stored_ids_[slot];
  for (const auto& se : block.events()) {
    const Bytes id = model::EventId(se.event());
    if (++ids[id] > 1) ++duplicates_;
    stored_at_[slot].emplace(id, at_ms);
  }
}

bool Checkers::LivenessSatisfied() const {
  for (uint32_t slot : correct_) {
    auto it = stored_ids_.find(slot);
    for (const auto& [id, origin] : origin_) {
      if (!correct_.contains(origin)) continue;
      if (it == stored_ids_.end() || !it->second.contains(id)) return false;
    }
  }
  return true;
}

void Checkers::FailLiveness(int64_t at_ms) {
  std::string detail;
  for (uint32_t slot : correct_) {
    auto it = stored_ids_.find(slot);
    std::vector<std::string> missing;
    for (const auto& [id, origin] : origin_) {
      if (!correct_.contains(origin)) continue;
      if (it == stored_ids_.end() || !it->second.contains(id)) {
        missing.push_back(Short(id) + "(from slot " + std::to_string(origin) + " at " +
                          std::to_string(generated_at_.at(id)) + " ms)");
      }
    }
    if (missing.empty()) continue;
    detail +=
        "slot " + std::to_string(slot) + " lacks " + std::to_string(missing.size()) + " events:";
    for (size_t i = 0; i < missing.size() && i < 4; ++i) detail += " " + missing[i];
    detail += missing.size() > 4 ? " ...; " : "; ";
  }
  Fail("liveness", detail, at_ms);
}

}  // namespace shipledger::sim

namespace shipledger::sim {

std::string Latency::ToString() const {
  return std::to_string(complete) + "/" + std::to_string(events) +
         " events committed, latency mean " + std::to_string(mean_ms) + " ms max " +
         std::to_string(max_ms) + " ms, all by " + std::to_string(completion_ms) + " ms";
}

Latency Checkers::CommitLatency() const {
  Latency l;
  int64_t sum = 0;
  for (const auto& [id, origin] : origin_) {
    if (!correct_.contains(origin)) continue;
    ++l.events;
    int64_t everywhere = 0;
    bool complete = true;
    for (uint32_t slot : correct_) {
      auto s = stored_at_.find(slot);
      if (s == stored_at_.end() || !s->second.contains(id)) {
        complete = false;
        break;
      }
      everywhere = std::max(everywhere, s->second.at(id));
    }
    if (!complete) continue;
    ++l.complete;
    const int64_t latency = everywhere - generated_at_.at(id);
    sum += latency;
    l.max_ms = std::max(l.max_ms, latency);
    l.completion_ms = std::max(l.completion_ms, everywhere);
  }
  if (l.complete > 0) l.mean_ms = sum / static_cast<int64_t>(l.complete);
  return l;
}

bool CertificatesGoBackInTime(const v1::NewView& new_view) {
  uint64_t stable = 0;
  for (const auto& vc : new_view.view_changes()) stable = std::max(stable, vc.stable().height());
  std::map<uint64_t, const v1::PreparedCertificate*> chosen;
  for (const auto& vc : new_view.view_changes()) {
    for (const auto& cert : vc.prepared()) {
      const uint64_t h = cert.proposal().height();
      if (h <= stable) continue;
      auto [it, fresh] = chosen.emplace(h, &cert);
      if (!fresh && cert.view() > it->second->view()) it->second = &cert;
    }
  }
  int64_t latest = std::numeric_limits<int64_t>::min();
  for (const auto& [h, cert] : chosen) {
    if (cert->proposal().timestamp_ms() < latest) return true;
    latest = std::max(latest, cert->proposal().timestamp_ms());
  }
  return false;
}

}  // namespace shipledger::sim
