// The replicas' peer transport (DESIGN §6, issue 4): one authenticated link per replica pair,
// carrying both directions. The lower replica id dials; the higher one dials only while no
// link from the lower one is up, and closes its own once one is (outbound_peer.h), so after
// simultaneous dials one link remains, and an anonymous client flooding one replica's listener
// cannot cut two replicas apart: the other side's dial still connects them. Inbound handshakes are
// bounded in all and per source address, silent connections give up their slots first and are
// closed at a deadline (pending_handshakes.h); refusals are logged as one summary line per
// interval. All over mutual TLS 1.3 where each side must present the node certificate the genesis
// pins for that replica (tls.h). Messages are length-prefixed frames (frame.h); each peer has a
// bounded send queue, so a slow or absent peer costs only its own dropped frames; broken links
// are redialled with exponential backoff until Stop(). Delivery is at most once, in order per
// sender and connection: frames in flight when a connection breaks may be lost, and frames sent
// just before and just after the link of a pair changes (both replicas dialled at once, or a
// link broke) may arrive out of order. PBFT retransmits what matters and takes messages in any
// order (the simulator drops and reorders them).
//
// Thread-safety: owned by ONE thread running the io_context (run it from exactly one thread);
// on_message is called on it. Send(), Broadcast(), stats(), SetPeerEndpoint() and port() may be
// called from any thread. Listen() before Start(). Stop() see below.
#pragma once

#include <boost/asio/io_context.hpp>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>

#include "crypto/ecdsa.h"
#include "crypto/x509.h"
#include "model/genesis.h"
#include "net/options.h"
#include "shipledger/status.h"

namespace shipledger::net {

class Transport {
 public:
  using MessageHandler = std::function<void(uint32_t from, std::string payload)>;

  // `node_cert`/`node_key`: this replica's identity (pinned in the genesis as
  // `self_replica_id`). A construction problem (bad key, unknown self id) is reported by
  // Listen() and Start() does nothing.
  Transport(boost::asio::io_context& io, std::shared_ptr<const model::Genesis> genesis,
            uint32_t self_replica_id, crypto::Certificate node_cert, crypto::PrivateKey node_key,
            TransportOptions options, MessageHandler on_message);
  // Calls Stop().
  ~Transport();
  Transport(const Transport&) = delete;
  Transport& operator=(const Transport&) = delete;

  // Binds and listens on `host_port` ("127.0.0.1:0" picks a free port, see port()).
  // INVALID_ARGUMENT for a malformed address or a bad identity, UNAVAILABLE when the address
  // cannot be bound (e.g. in use). REQUIRES: before Start().
  Status Listen(const std::string& host_port);
  // The bound port after a successful Listen(), else 0.
  uint16_t port() const;

  // Starts accepting (if listening) and dialling every other replica.
  void Start();
  // Closes every connection and the listener and cancels all timers; on_message is not called
  // after Stop() returns. From another thread it waits until the io thread has done it, so the
  // io_context must be running (or stopped). Idempotent.
  void Stop();

  // Queues `payload` for replica `to`. Dropped and counted in frames_dropped when `to`'s queue
  // is full, both its links have been down longer than stale_after_ms, or the payload exceeds
  // max_frame_bytes; ignored for self and unknown replicas.
  void Send(uint32_t to, std::string payload);
  // Send() to every other replica.
  void Broadcast(std::string payload);

  struct PeerStats {
    bool connected_out = false;  // the connection we dialled is up (TLS established)
    bool connected_in = false;   // its connection to us is up (either one is the link)
    uint64_t frames_sent = 0;
    uint64_t frames_received = 0;
    uint64_t frames_dropped = 0;   // full queue, stale link or over max_frame_bytes
    uint64_t protocol_errors = 0;  // oversize frames, wrong certificate when dialled
    uint64_t reconnects = 0;       // redials scheduled after a failed attempt or a lost link
    size_t queued_bytes = 0;
  };
  // A snapshot; all zero for self and unknown ids.
  PeerStats stats(uint32_t replica) const;
  // Inbound connections refused: over the handshake limits, silent ones replaced, handshakes
  // failed (unknown certificate, client certificate) or timed out.
  uint64_t handshake_failures() const;

  // Dial `replica` at `host_port` instead of its genesis peer_endpoint, from the next attempt.
  void SetPeerEndpoint(uint32_t replica, std::string host_port);

  class Impl;

 private:
  std::shared_ptr<Impl> impl_;
};

}  // namespace shipledger::net
