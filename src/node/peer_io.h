// PeerIo: a node's side of the replica network (n > 1; DESIGN §6, §10). It runs net::Transport on
// its own thread and io_context; every inbound frame passes the MessageGate on that thread (so
// signature checks stay off the consensus thread); a rejected frame is counted against its
// sender and dropped; fetch_blocks is answered right there from the store (state transfer does
// not wait on consensus); every other admitted message goes to `deliver`, which hands it to the
// consensus thread.
//
// Thread-safety: Start/Stop from the node's owning thread. Send, Broadcast and Report are
// thread-safe (called from the consensus thread and the gRPC status handler). `deliver` is
// called on the peer thread.
#pragma once

#include <atomic>
#include <boost/asio/io_context.hpp>
#include <functional>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "config/identity.h"
#include "consensus/message_gate.h"
#include "consensus/replica.h"
#include "model/genesis.h"
#include "net/transport.h"
#include "shipledger/clock.h"
#include "shipledger/status.h"
#include "storage/store.h"

namespace shipledger::node {

// A one-line summary of a peer message for debug logs, e.g. "prepare v=1 h=12 d=ab12cd34".
std::string DescribePeerMessage(const v1::PeerMessage& message);

struct PeerIoOptions {
  // Largest `blocks` answer to a fetch_blocks, in encoded block bytes. Default: 4 MiB.
  size_t max_fetch_bytes = size_t{4} << 20;
  // Most blocks in one answer, whatever the peer asks for. Default: 256.
  uint32_t max_fetch_blocks = 256;
  // A rejected message is logged at most once per peer per this interval; the others are only
  // counted. Default: 5000 ms.
  int64_t bad_message_log_interval_ms = 5000;
  net::TransportOptions transport;
};

class PeerIo {
 public:
  using Deliver = std::function<void(consensus::InboundMessage message)>;

  // `gate`, `store` and `clock` must outlive this object.
  PeerIo(std::shared_ptr<const model::Genesis> genesis, uint32_t self_replica_id,
         const config::Identity& identity, const consensus::MessageGate* gate,
         const storage::Store* store, const Clock& clock, PeerIoOptions options, Deliver deliver);
  // Calls Stop().
  ~PeerIo();
  PeerIo(const PeerIo&) = delete;
  PeerIo& operator=(const PeerIo&) = delete;

  // Listens on `listen` (host:port), starts dialling the other replicas and the peer thread.
  // INVALID_ARGUMENT for a malformed address or identity, UNAVAILABLE when the port is taken.
  Status Start(const std::string& listen);
  // Closes every connection and joins the peer thread: `deliver` is not called after it
  // returns. Idempotent.
  void Stop();

  // Serialises and queues `message` (best effort; see net::Transport::Send). Forwarded events
  // go only to peers with a link up (either direction): queued for a peer that is down they would
  // reach it stale, after the blocks holding them, and cost it a signature check each for nothing
  // (a restarted backup spent its catch-up verifying them). Such a peer gets the events in
  // PRE-PREPAREs or by state transfer; events that must reach the primary are relayed again.
  void Send(uint32_t to, const v1::PeerMessage& message);
  void Broadcast(const v1::PeerMessage& message);

  // What the node reports about one other replica.
  struct PeerReport {
    bool connected = false;  // a link is up (either one carries both directions)
    bool connected_out = false;
    bool connected_in = false;
    uint64_t frames_sent = 0;
    uint64_t frames_received = 0;
    uint64_t frames_dropped = 0;   // by our full send queue or oversize
    uint64_t protocol_errors = 0;  // transport-level: bad framing, wrong certificate
    uint64_t bad_messages = 0;     // frames the gate rejected
    uint64_t reconnects = 0;
    uint64_t forwards_skipped = 0;  // forwarded-event messages not queued: the link was down
  };
  PeerReport Report(uint32_t replica) const;
  // Dial `replica` at `host_port` instead of its genesis peer endpoint (tests on ephemeral
  // ports).
  void SetPeerEndpoint(uint32_t replica, std::string host_port);
  // Inbound TLS handshakes refused (unknown certificates and the like).
  uint64_t handshake_failures() const;
  uint16_t port() const;

 private:
  // True (and counted) for a forwarded-event message to a peer whose links are both down.
  bool SkipForward(uint32_t to, const v1::PeerMessage& message) const;
  struct PeerCounters {
    std::atomic<uint64_t> bad_messages{0};
    std::atomic<uint64_t> forwards_skipped{0};
    std::atomic<int64_t> last_logged_ms{0};
    std::atomic<uint64_t> unlogged{0};  // rejections since the last log line
  };

  // Peer thread.
  void OnFrame(uint32_t from, std::string payload);
  void AnswerFetch(uint32_t from, const v1::FetchBlocks& fetch);
  void CountBadMessage(uint32_t from, const Status& why);

  std::shared_ptr<const model::Genesis> genesis_;
  const uint32_t self_;
  const consensus::MessageGate* gate_;
  const storage::Store* store_;
  const Clock& clock_;
  PeerIoOptions options_;
  Deliver deliver_;
  std::vector<std::unique_ptr<PeerCounters>> counters_;  // by replica id; fixed size

  boost::asio::io_context io_;
  std::unique_ptr<net::Transport> transport_;  // owned by the peer thread (see Transport)
  std::thread thread_;
  bool stopped_ = false;
};

}  // namespace shipledger::node
