#include "net/pending_handshakes.h"

#include <algorithm>

namespace shipledger::net {

PendingHandshakes::PendingHandshakes(size_t max_total, size_t max_per_address)
    : max_total_(std::max<size_t>(max_total, 1)),
      max_per_address_(std::max<size_t>(max_per_address, 1)) {}

std::optional<uint64_t> PendingHandshakes::OldestSilent(const std::string* address) const {
  // Linear in the pending connections, which are bounded by max_total_ (tens).
  for (const auto& [id, entry] : entries_) {
    if (!entry.speaking && (address == nullptr || entry.address == *address)) return id;
  }
  return std::nullopt;
}

PendingHandshakes::Admission PendingHandshakes::Admit(uint64_t id, const std::string& address) {
  Admission out;
  if (CountFrom(address) >= max_per_address_) {
    out.evicted = OldestSilent(&address);
    if (!out.evicted) return out;  // every slot of this address is speaking: refused
  } else if (entries_.size() >= max_total_) {
    out.evicted = OldestSilent(nullptr);
    if (!out.evicted) return out;
  }
  if (out.evicted) Remove(*out.evicted);
  entries_[id] = Entry{address, false};
  ++per_address_[address];
  out.admitted = true;
  return out;
}

void PendingHandshakes::Speaking(uint64_t id) {
  auto it = entries_.find(id);
  if (it != entries_.end()) it->second.speaking = true;
}

void PendingHandshakes::Remove(uint64_t id) {
  auto it = entries_.find(id);
  if (it == entries_.end()) return;
  auto count = per_address_.find(it->second.address);
  if (count != per_address_.end() && --count->second == 0) per_address_.erase(count);
  entries_.erase(it);
}

size_t PendingHandshakes::CountFrom(const std::string& address) const {
  auto it = per_address_.find(address);
  return it == per_address_.end() ? 0 : it->second;
}

}  // namespace shipledger::net
