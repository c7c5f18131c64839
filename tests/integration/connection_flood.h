// Attack support (DESIGN §9 "adversarial"): anonymous connections on a replica's peer port.
// ConnectionFlood holds `count` plain TCP connections that never send a byte (no TLS
// ClientHello) to one port, from `sources` loopback addresses (127.0.0.2, 127.0.0.3, ...), and
// opens again every one the other end closes (every 100 ms), so the pressure on the listener's
// handshake slots lasts as long as the flood runs.
// Thread-safety: Start/Stop from one thread; the counters from any thread.
#pragma once

#include <atomic>
#include <cstddef>
#include <cstdint>
#include <string>
#include <thread>

namespace shipledger::itest {

class ConnectionFlood {
 public:
  // REQUIRES: 1 <= sources <= 250.
  ConnectionFlood(uint16_t port, size_t count, size_t sources);
  // Calls Stop().
  ~ConnectionFlood();
  ConnectionFlood(const ConnectionFlood&) = delete;
  ConnectionFlood& operator=(const ConnectionFlood&) = delete;

  // Opens the connections on a thread of its own and keeps them open.
  void Start();
  // Closes every connection and joins the thread. Idempotent.
  void Stop();

  uint64_t opened() const { return opened_.load(); }  // connections established, reopens too
  uint64_t closed_by_peer() const { return closed_by_peer_.load(); }
  uint64_t failed() const { return failed_.load(); }  // connects that failed
  size_t open_now() const { return open_now_.load(); }

 private:
  void Run();
  // A connected, silent socket from source address number `source`, or -1.
  int Open(size_t source);

  const uint16_t port_;
  const size_t count_;
  const size_t sources_;
  std::atomic<bool> stop_{false};
  std::thread thread_;
  std::atomic<uint64_t> opened_{0};
  std::atomic<uint64_t> closed_by_peer_{0};
  std::atomic<uint64_t> failed_{0};
  std::atomic<size_t> open_now_{0};
};

}  // namespace shipledger::itest
