// The sending side of the link to one replica: dials it (resolve, TCP connect, TLS as client,
// the server must present exactly the replica's pinned certificate), owns its bounded send
// queue, writes queued frames in batches, and redials with exponential backoff until Stop().
// DESIGN §6: one authenticated link per replica pair, dialled by either side, carries both
// directions. The lower replica id always dials; the higher one dials only while no
// authenticated connection from the lower one is up (`yields_to_inbound`), and closes its own
// (or stops dialling) as soon as one is: after simultaneous dials, one link remains. Frames go
// over whichever link is up, so a replica whose listener is flooded can still be reached over
// the link it dialled itself.
// Thread-safety: Enqueue(), SetEndpoint() and queued_bytes() from any thread; everything else
// on the io thread.
#pragma once

#include <atomic>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/ssl/context.hpp>
#include <boost/asio/steady_timer.hpp>
#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <random>
#include <string>

#include "model/genesis.h"
#include "net/connection.h"
#include "net/options.h"
#include "net/send_queue.h"

namespace shipledger::net {

// Counters of one peer, read by Transport::stats() from any thread.
struct PeerCounters {
  std::atomic<bool> connected_out{false};
  std::atomic<bool> connected_in{false};
  std::atomic<uint64_t> frames_sent{0};
  std::atomic<uint64_t> frames_received{0};
  std::atomic<uint64_t> frames_dropped{0};
  std::atomic<uint64_t> protocol_errors{0};
  std::atomic<uint64_t> reconnects{0};
};

// What every connection of one transport shares. Immutable after construction.
struct PeerEnv {
  boost::asio::io_context* io = nullptr;
  std::shared_ptr<boost::asio::ssl::context> ssl;
  std::shared_ptr<const model::Genesis> genesis;
  const Clock* clock = nullptr;
  TransportOptions options;
  // Hands a received payload to the transport (io thread).
  std::function<void(uint32_t from, std::string payload)> deliver;
};

class OutboundPeer : public std::enable_shared_from_this<OutboundPeer> {
 public:
  // `yields_to_inbound`: this side has the higher replica id (see above).
  OutboundPeer(std::shared_ptr<const PeerEnv> env, uint32_t replica, std::string endpoint,
               std::shared_ptr<PeerCounters> counters, bool yields_to_inbound);

  // Overrides the endpoint ("host:port") used from the next dial on.
  void SetEndpoint(std::string host_port);
  // Begins dialling. REQUIRES: io thread.
  void Start();
  // Closes the connection, cancels timers and drops the queue; no dial afterwards.
  // REQUIRES: io thread.
  void Stop();
  // The peer just connected to us, so it is up: when waiting to redial, dial now with the
  // backoff reset (it may have grown to backoff_max_ms while the peer was down, and our
  // answers to it, e.g. blocks for its catch-up, would wait that long). REQUIRES: io thread.
  void PeerIsUp();
  // `conn` is the replica's authenticated connection to us (started): frames are written over
  // it whenever our own connection is not up. Replaces any earlier one. When yielding to
  // inbound links, our own connection is closed and no dial made while `conn` is up.
  // REQUIRES: io thread.
  void SetInbound(std::shared_ptr<Connection> conn);
  // `conn` ended or was replaced: no longer written to (and a yielding side dials again).
  // Ignored unless it is the current inbound connection. REQUIRES: io thread.
  void ClearInbound(const Connection* conn);
  // Queues an encoded frame; when the queue is full, or the link has been down longer than
  // stale_after_ms, it is dropped and counted. Any thread.
  void Enqueue(std::string frame);
  size_t queued_bytes() const { return queue_.bytes(); }

 private:
  // kStandby: yielding to the replica's authenticated connection to us; no dial meanwhile.
  enum class Phase { kIdle, kConnecting, kConnected, kBackoff, kStandby, kStopped };

  void Dial();
  void OnTcpConnected(uint64_t attempt);
  void OnHandshake(uint64_t attempt, std::shared_ptr<Connection> conn, const Status& status);
  void OnClosed(uint64_t attempt, const Status& reason, bool protocol_error);
  // Counts and delivers the frames read on our connection.
  Connection::FrameHandler DeliverFrames() const;
  void Retry(const Status& reason);
  // Closes the socket / TLS connection in any phase and marks the peer disconnected.
  void CloseConnection();
  // The replica's link to us is up and we have the higher id: stop dialling, and retire our
  // connection, or the one still handshaking (no more writes; closed after a grace period).
  // Enters kStandby.
  void Yield();
  void CloseRetiring();
  void Flush();
  // The connection frames go over now, or null when no link is up: the one used last while it
  // is up (so frames keep their order), else ours when connected, else the replica's to us.
  Connection* Link();
  // Forgets an outstanding write on `conn` (it is closing): its completion is ignored.
  void AbandonWriteOn(const Connection* conn);
  // Keeps down_since_ns_ in step with whether any link is up; a link coming up after the stale
  // limit drops what was queued meanwhile (old news by now).
  void NoteLinkState();
  // True when the link has been down longer than stale_after_ms.
  bool Stale() const;

  std::shared_ptr<const PeerEnv> env_;
  const uint32_t replica_;
  const bool yields_to_inbound_;
  std::shared_ptr<PeerCounters> counters_;
  SendQueue queue_;
  std::atomic<bool> flush_posted_{false};
  // Steady-clock ns since the outbound link went down (construction: never up yet); 0 while up.
  std::atomic<int64_t> down_since_ns_;

  mutable std::mutex endpoint_mu_;
  std::string endpoint_;  // GUARDED_BY(endpoint_mu_)

  // io thread only.
  Phase phase_ = Phase::kIdle;
  uint64_t attempt_ = 0;  // bumped on every state change; stale handlers compare and return
  int backoff_ms_;
  std::mt19937 rng_;
  boost::asio::ip::tcp::resolver resolver_;
  boost::asio::ip::tcp::socket socket_;
  boost::asio::steady_timer timer_;       // connect deadline, then backoff delay
  std::shared_ptr<Connection> conn_;      // handshaking or connected
  std::shared_ptr<Connection> inbound_;   // the replica's authenticated connection to us
  std::shared_ptr<Connection> retiring_;  // our connection after Yield(), until the grace ends
  bool writing_ = false;
  const Connection* writing_on_ = nullptr;  // the connection of the outstanding write
  Connection* active_ = nullptr;  // the link Link() chose last; returned only while still up
  uint64_t write_gen_ = 0;        // bumped when a write is abandoned; its completion then returns
};

}  // namespace shipledger::net
