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
  // Deadline for resolve + TCP connect, and separately for the TLS handshake (both directions).
  // Default: 2000 ms.
  int connect_timeout_ms = 2000;

  // Rarely tuned.
  // Reconnect backoff: first delay, doubled after each failure up to the cap, plus up to 20%
  // random jitter; reset once a connection is established. Default: 100 ms, 5000 ms.
  int backoff_initial_ms = 100;
  int backoff_max_ms = 5000;
  // At most this many bytes of queued frames go into one TLS write. Default: 256 KiB.
  size_t max_write_batch_bytes = 256 * 1024;
  // Inbound connections still in their TLS handshake; more are closed at once. Default: 64.
  size_t max_pending_handshakes = 64;
  // Time source for certificate validity checks. Default (nullptr): SystemClock.
  const Clock* clock = nullptr;
};

}  // namespace shipledger::net
