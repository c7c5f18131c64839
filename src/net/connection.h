// One TLS stream to one peer (concord-bft style: the connection reads and writes, the transport
// decides what to send). Runs the handshake with a deadline, authenticates the peer against the
// genesis (tls.h) inside OpenSSL's verify callback, then reads frames until the stream ends.
// Thread-safety: not thread-safe; every call and callback happens on the io thread.
#pragma once

#include <array>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/ssl/context.hpp>
#include <boost/asio/ssl/stream.hpp>
#include <boost/asio/steady_timer.hpp>
#include <cstdint>
#include <exception>
#include <functional>
#include <memory>
#include <optional>
#include <string>

#include "model/genesis.h"
#include "net/frame.h"
#include "shipledger/clock.h"
#include "shipledger/status.h"

namespace shipledger::net {

// Logs an exception that reached an Asio boundary.
void LogHandlerException(const char* where, const std::exception* e) noexcept;

// Runs `fn`, logging and swallowing any exception: handlers never throw into Asio.
template <typename F>
void CatchAll(const char* where, F&& fn) noexcept {
  try {
    fn();
  } catch (const std::exception& e) {
    LogHandlerException(where, &e);
  } catch (...) {
    LogHandlerException(where, nullptr);
  }
}

class Connection : public std::enable_shared_from_this<Connection> {
 public:
  using Stream = boost::asio::ssl::stream<boost::asio::ip::tcp::socket>;
  // Called once per received frame payload, in order.
  using FrameHandler = std::function<void(std::string payload)>;
  // Called once when the connection ends by itself: EOF, I/O error, or a protocol error
  // (`protocol_error` true: oversize frame). Never called after Close().
  using ClosedHandler = std::function<void(const Status& reason, bool protocol_error)>;

  // `socket` is connected. REQUIRES: `ssl` made by MakeTlsContext and outliving the connection.
  Connection(boost::asio::ip::tcp::socket socket, std::shared_ptr<boost::asio::ssl::context> ssl,
             std::shared_ptr<const model::Genesis> genesis, const Clock* clock,
             uint32_t max_frame_bytes);
  Connection(const Connection&) = delete;
  Connection& operator=(const Connection&) = delete;

  // Runs the TLS handshake as client or server. The peer must authenticate as a replica
  // (AuthenticatePeer; as `expected` when set). `done` is called exactly once unless Close()
  // comes first: OK (peer_id() is then valid), PERMISSION_DENIED when the peer's certificate is
  // refused, DEADLINE_EXCEEDED after `timeout_ms`, UNAVAILABLE on other TLS/IO failures. On
  // failure the socket is closed. `on_first_bytes` (server side; may be empty): the TLS
  // handshake starts only once the peer has sent something, and this is called then, before it
  // (the listener tells silent connections from speaking ones by it).
  void Handshake(bool client, std::optional<uint32_t> expected, int timeout_ms,
                 std::function<void(Status)> done, std::function<void()> on_first_bytes = nullptr);
  // REQUIRES: the handshake succeeded. Starts the read loop.
  void Start(FrameHandler on_frame, ClosedHandler on_closed);
  // Writes `data` (whole encoded frames) and calls `on_written` when all of it is written.
  // A failed write ends the connection (ClosedHandler) instead. REQUIRES: Start() called and no
  // write outstanding.
  void Write(std::string data, std::function<void()> on_written);
  // Closes the socket now. Pending operations end; no callback is made afterwards. Idempotent.
  void Close();

  uint32_t peer_id() const { return peer_id_; }
  const std::string& remote() const { return remote_; }
  bool closed() const { return closed_; }

 private:
  bool Verify(bool preverified, boost::asio::ssl::verify_context& ctx);
  void StartTls(bool client, std::function<void(Status)> done);
  void ReadSome();
  void Fail(const Status& reason, bool protocol_error);

  Stream stream_;
  std::shared_ptr<boost::asio::ssl::context> ssl_;
  std::shared_ptr<const model::Genesis> genesis_;
  const Clock* clock_;
  boost::asio::steady_timer deadline_;
  FrameDecoder decoder_;
  std::string remote_;  // "ip:port" of the other end, for logs
  std::optional<uint32_t> expected_;
  std::optional<Result<uint32_t>> auth_;  // set by the verify callback
  uint32_t peer_id_ = 0;
  bool closed_ = false;
  bool timed_out_ = false;
  FrameHandler on_frame_;
  ClosedHandler on_closed_;
  std::array<char, 64 * 1024> read_buffer_{};
  std::string write_buffer_;
};

}  // namespace shipledger::net
