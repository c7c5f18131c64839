// Options of the peer transport (RocksDB style: one struct, every field with its default).
#pragma once

#include <cstddef>
#include <cstdint>

#include "shipledger/clock.h"

namespace shipledger::net {

struct TransportOptions {
  // Largest frame payload sent or accepted. A peer announcing more is closed and counted as a
  // protocol error; Send() of a larger payload drops it. Default: 16 MiB.
  uint32_t max_frame_bytes = 16u << 20;
  // Per-peer send queue bounds (encoded frames waiting for the connection). A frame that would
  // pass either bound is dropped and counted in frames_dropped. Default: 64 MiB, 100000 frames.
  size_t max_queue_bytes_per_peer = size_t{64} << 20;
  size_t max_queue_frames_per_peer = 100000;
  // A peer whose outbound link has been down this long gets nothing queued, and what was queued
  // for it is dropped when the link comes back: it would arrive stale, and a restarted peer
  // would check every event of every PRE-PREPARE it missed before catching up by state
  // transfer. Frames sent during a shorter blip wait in the queue. PBFT retransmits what
  // matters (DESIGN §6), as for any lost frame. Default: 3000 ms.
  int stale_after_ms = 3000;
  // Deadline for resolve + TCP connect, and separately for the TLS handshake, of the links this
  // replica dials. Default: 2000 ms.
  int connect_timeout_ms = 2000;
  // An accepted connection that has not completed its TLS handshake this long after it was
  // accepted is closed, silent ones included (DESIGN §6 fairness). Default: 3000 ms.
  int inbound_handshake_timeout_ms = 3000;

  // Rarely tuned.
  // Reconnect backoff: first delay, doubled after each failure up to the cap, plus up to 20%
  // random jitter; reset once a connection is established. Default: 100 ms, 5000 ms.
  int backoff_initial_ms = 100;
  int backoff_max_ms = 5000;
  // At most this many bytes of queued frames go into one TLS write. Default: 256 KiB.
  size_t max_write_batch_bytes = 256 * 1024;
  // Inbound connections still in their TLS handshake, in all and per source address. At either
  // limit a new connection takes the slot of the oldest one that has sent nothing yet; when
  // every one has spoken, the new one is closed at once (pending_handshakes.h).
  // Default: 64, 8.
  size_t max_pending_handshakes = 64;
  size_t max_pending_handshakes_per_address = 8;
  // Refused inbound connections are logged as one summary line per this interval, with counts;
  // the first one after a quiet interval is logged at once. Default: 10000 ms.
  int refusal_log_interval_ms = 10000;
  // Time source for certificate validity checks. Default (nullptr): SystemClock.
  const Clock* clock = nullptr;
  // The local address outbound connections are made from (an IP address of this host), so
  // peers see them come from the address the node listens on. Default: empty = any.
  std::string bind_address;
};

}  // namespace shipledger::net
