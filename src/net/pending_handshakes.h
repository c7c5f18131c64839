// PendingHandshakes: which inbound connections may hold one of the listener's handshake slots
// (DESIGN §6 "fairness under floods": handshakes are bounded per source address, and an
// anonymous client cannot cut two replicas apart). A connection is "silent" until its first
// bytes arrive (a real peer's TLS ClientHello comes at once) and "speaking" afterwards. When a
// new connection finds its address or the whole listener at its limit, the oldest silent
// connection (of that address, or of any address for the total) gives up its slot; only when
// none is silent is the new one refused. So connections that never speak cannot keep a
// speaking peer out, even one from the same address, and connections that do speak hold at
// most max_per_address slots per address until their deadline.
// Connections are named by an id the caller picks; no sockets here.
// Thread-safety: none (the transport's io thread).
#pragma once

#include <cstddef>
#include <cstdint>
#include <map>
#include <optional>
#include <string>

namespace shipledger::net {

class PendingHandshakes {
 public:
  // REQUIRES: max_total >= 1, max_per_address >= 1.
  PendingHandshakes(size_t max_total, size_t max_per_address);

  struct Admission {
    bool admitted = false;
    // An admitted connection may push out a silent one: the caller closes it (and Removes it).
    std::optional<uint64_t> evicted;
  };
  // A new connection `id` (unique, never admitted before) from `address`.
  Admission Admit(uint64_t id, const std::string& address);
  // Its first bytes arrived. Unknown ids are ignored.
  void Speaking(uint64_t id);
  // Its handshake ended (either way) or it was closed. Unknown ids are ignored.
  void Remove(uint64_t id);

  size_t size() const { return entries_.size(); }
  size_t CountFrom(const std::string& address) const;

 private:
  struct Entry {
    std::string address;
    bool speaking = false;
  };
  // The oldest silent connection, of `address` when given; ids grow with arrival.
  std::optional<uint64_t> OldestSilent(const std::string* address) const;

  const size_t max_total_;
  const size_t max_per_address_;
  std::map<uint64_t, Entry> entries_;  // by id, so in arrival order
  std::map<std::string, size_t> per_address_;
};

}  // namespace shipledger::net
