// Attack support for adversarial tests and the attack bench (DESIGN §9 "adversarial"): a bare
// peer-protocol client that holds a replica identity and does not run the protocol. It dials a
// replica's peer port and completes the same mutual TLS as a replica (net::MakeTlsContext and
// net::Connection, so both sides authenticate by the genesis pins), then writes whatever
// frames it is given (net::EncodeFrame) as fast as the link takes them, and reads and keeps
// what the replica sends it (to replay). A Byzantine replica that floods instead of voting.
// Thread-safety: RawPeer runs its own io thread; call its methods from one thread. stats() and
// received() may be called from any thread.
#pragma once

#include <atomic>
#include <boost/asio/io_context.hpp>
#include <cstdint>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "config/identity.h"
#include "model/genesis.h"
#include "net/connection.h"
#include "shipledger/status.h"
#include "shipledger/v1/peer.pb.h"

namespace shipledger::itest {

class RawPeer {
 public:
  // `identity`: the node certificate and key it presents (the genesis pins it for a replica).
  RawPeer(std::shared_ptr<const model::Genesis> genesis, config::Identity identity);
  // Calls Stop().
  ~RawPeer();
  RawPeer(const RawPeer&) = delete;
  RawPeer& operator=(const RawPeer&) = delete;

  // Dials `host_port` and runs the TLS handshake as a client; the other end must authenticate
  // as replica `replica`. Then reads frames until the link ends, keeping the first
  // `keep_received` of them. UNAVAILABLE when the connection fails, the handshake's own error
  // (PERMISSION_DENIED, DEADLINE_EXCEEDED) otherwise. REQUIRES: called once.
  Status Connect(const std::string& host_port, uint32_t replica, int timeout_ms = 5000,
                 size_t keep_received = 256);
  // Writes `payloads` as frames, in order and then over again, back to back and as fast as the
  // link takes them, until Stop() or the link ends. REQUIRES: Connect() succeeded; not
  // flooding yet; `payloads` not empty.
  void Flood(std::vector<std::string> payloads);
  // Stops writing and closes the link; waits for the io thread. Idempotent.
  void Stop();

  struct Stats {
    uint64_t frames_sent = 0;  // whole frames the link took
    uint64_t bytes_sent = 0;
    uint64_t frames_received = 0;
    bool open = false;       // the link is up
    std::string closed_why;  // why it ended, when it did by itself
  };
  Stats stats() const;
  // The first frames the replica sent (payloads), up to `keep_received`.
  std::vector<std::string> received() const;

 private:
  void WriteNext();

  std::shared_ptr<const model::Genesis> genesis_;
  config::Identity identity_;
  boost::asio::io_context io_;
  std::thread thread_;
  std::shared_ptr<net::Connection> conn_;  // io thread after Connect
  std::string batch_;                      // io thread: the frames of one write
  uint64_t frames_per_batch_ = 0;
  size_t keep_received_ = 0;
  std::atomic<bool> stopping_{false};
  std::atomic<bool> open_{false};
  std::atomic<uint64_t> frames_sent_{0};
  std::atomic<uint64_t> bytes_sent_{0};
  std::atomic<uint64_t> frames_received_{0};
  mutable std::mutex mu_;
  std::vector<std::string> received_;  // GUARDED_BY(mu_)
  std::string closed_why_;             // GUARDED_BY(mu_)
};

// The height a flooding replica's heartbeats claim: far beyond any test chain.
inline constexpr uint64_t kLiedHeight = 1000000;
// Heartbeats in one round of ByzantineFloodFrames.
inline constexpr size_t kFloodHeartbeats = 64;

// One round of a Byzantine replica's flood, for RawPeer::Flood to repeat: 64 heartbeats claiming
// `view` and kLiedHeight; a VIEW-CHANGE to view + 1 from the genesis checkpoint, signed with
// `identity`'s key as replica `from` (valid, so a gate that remembers nothing checks its
// signature each time); a forward of `replayed` (e.g. events already committed), if any; and
// the first 64 of `echoes` (frames the target sent it) under 4 KiB, sent back as its own: at
// most 130 frames, kFloodHeartbeats of them heartbeats.
Result<std::vector<std::string>> ByzantineFloodFrames(const model::Genesis& genesis,
                                                      const config::Identity& identity,
                                                      uint32_t from, uint64_t view,
                                                      const std::vector<v1::SignedEvent>& replayed,
                                                      const std::vector<std::string>& echoes);

}  // namespace shipledger::itest
