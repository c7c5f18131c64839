#include "rpc/watch_quota.h"

namespace shipledger::rpc {

WatchQuota::Ticket::~Ticket() {
  std::lock_guard<std::mutex> lock(owner_->mu_);
  if (!evicted_) owner_->Remove(this);
}

void WatchQuota::Ticket::BeginWrite() {
  std::lock_guard<std::mutex> lock(owner_->mu_);
  writing_ = true;
}

void WatchQuota::Ticket::EndWrite() {
  std::lock_guard<std::mutex> lock(owner_->mu_);
  writing_ = false;
  last_active_ = ++owner_->next_stamp_;
}

bool WatchQuota::Ticket::evicted() const {
  std::lock_guard<std::mutex> lock(owner_->mu_);
  return evicted_;
}

std::string WatchQuota::Ticket::evicted_message() const {
  std::lock_guard<std::mutex> lock(owner_->mu_);
  return "dropped to make room for a stream of organisation '" + evicted_by_ +
         "': this node's limit of " + std::to_string(owner_->options_.max_streams) +
         " Watch streams (max_watchers) is reached and '" + org_ +
         "' holds the most; this was its least recently active one";
}

void WatchQuota::Remove(Ticket* ticket) {
  auto it = by_org_.find(ticket->org_);
  if (it == by_org_.end()) return;
  it->second.erase(ticket);
  if (it->second.empty()) by_org_.erase(it);
  --total_;
}

WatchQuota::Ticket* WatchQuota::EvictionCandidate(const std::string& org, uint32_t own) const {
  // Of the organisations holding the most streams (and more than own + 1) that have an idle
  // one, that idle stream which was active least recently.
  Ticket* best = nullptr;
  size_t best_holds = 0;
  for (const auto& [holder, tickets] : by_org_) {
    if (holder == org || tickets.size() <= static_cast<size_t>(own) + 1) continue;
    for (Ticket* t : tickets) {
      if (t->writing_) continue;
      if (best == nullptr || tickets.size() > best_holds ||
          (tickets.size() == best_holds && t->last_active_ < best->last_active_)) {
        best = t;
        best_holds = tickets.size();
      }
    }
  }
  return best;
}

Result<std::unique_ptr<WatchQuota::Ticket>> WatchQuota::Admit(const std::string& org) {
  std::lock_guard<std::mutex> lock(mu_);
  const auto it = by_org_.find(org);
  const uint32_t own = it == by_org_.end() ? 0 : static_cast<uint32_t>(it->second.size());
  if (!org.empty() && own >= options_.max_streams_per_org) {
    return Status::ResourceExhausted(
        "organisation '" + org + "' already holds its limit of " +
        std::to_string(options_.max_streams_per_org) +
        " Watch streams on this node (max_watchers_per_org); end one of them first");
  }
  if (total_ >= options_.max_streams) {
    Ticket* victim = EvictionCandidate(org, own);
    if (victim == nullptr) {
      return Status::ResourceExhausted("too many Watch streams on this node (" +
                                       std::to_string(options_.max_streams) +
                                       ", max_watchers); retry later");
    }
    Remove(victim);
    victim->evicted_ = true;
    victim->evicted_by_ = org;
    ++evicted_total_;
  }
  std::unique_ptr<Ticket> ticket(new Ticket(this, org, ++next_stamp_));
  by_org_[org].insert(ticket.get());
  ++total_;
  return ticket;
}

uint32_t WatchQuota::streams() const {
  std::lock_guard<std::mutex> lock(mu_);
  return total_;
}

std::vector<std::pair<std::string, uint32_t>> WatchQuota::StreamsByOrg() const {
  std::lock_guard<std::mutex> lock(mu_);
  std::vector<std::pair<std::string, uint32_t>> out;
  out.reserve(by_org_.size());
  for (const auto& [org, tickets] : by_org_) {
    out.emplace_back(org, static_cast<uint32_t>(tickets.size()));
  }
  return out;
}

uint64_t WatchQuota::evicted_total() const {
  std::lock_guard<std::mutex> lock(mu_);
  return evicted_total_;
}

}  // namespace shipledger::rpc
