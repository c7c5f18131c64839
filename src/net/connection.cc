#include "net/connection.h"

#include <openssl/x509.h>
#include <spdlog/spdlog.h>

#include <boost/asio/buffer.hpp>
#include <boost/asio/write.hpp>
#include <exception>
#include <vector>

#include "net/tls.h"
#include "shipledger/log.h"

namespace shipledger::net {

using enum LogComponent;

namespace asio = boost::asio;

void LogHandlerException(const char* where, const std::exception* e) noexcept {
  try {
    Log(kNet).error("exception in {}: {}", where, e != nullptr ? e->what() : "unknown");
  } catch (...) {  // logging failed too: nothing more to do
  }
}

namespace {
std::string RemoteOf(const asio::ip::tcp::socket& socket) {
  boost::system::error_code ec;
  const auto endpoint = socket.remote_endpoint(ec);
  if (ec) return "?";
  return endpoint.address().to_string() + ":" + std::to_string(endpoint.port());
}
}  // namespace

Connection::Connection(asio::ip::tcp::socket socket, std::shared_ptr<asio::ssl::context> ssl,
                       std::shared_ptr<const model::Genesis> genesis, const Clock* clock,
                       uint32_t max_frame_bytes)
    : stream_(std::move(socket), *ssl),
      ssl_(std::move(ssl)),
      genesis_(std::move(genesis)),
      clock_(clock),
      deadline_(stream_.get_executor()),
      decoder_(max_frame_bytes),
      remote_(RemoteOf(stream_.next_layer())) {
  boost::system::error_code ec;
  stream_.next_layer().set_option(asio::ip::tcp::no_delay(true), ec);
}

bool Connection::Verify(bool /*preverified*/, asio::ssl::verify_context& ctx) {
  // OpenSSL has no trust store here, so its own verdict is ignored: only the leaf (depth 0)
  // decides, by the genesis pin and the organisation CA (AuthenticatePeer).
  X509_STORE_CTX* store = ctx.native_handle();
  if (X509_STORE_CTX_get_error_depth(store) != 0) return true;
  if (!auth_.has_value()) {
    auto cert = CertificateFromX509(X509_STORE_CTX_get_current_cert(store));
    if (!cert.ok()) {
      auth_.emplace(Status::PermissionDenied(cert.status().message()));
    } else {
      auth_.emplace(AuthenticatePeer(*genesis_, *cert, clock_->NowMs(), expected_));
    }
  }
  return auth_->ok();
}

void Connection::Handshake(bool client, std::optional<uint32_t> expected, int timeout_ms,
                           std::function<void(Status)> done, std::function<void()> on_first_bytes) {
  expected_ = expected;
  boost::system::error_code ec;
  stream_.set_verify_callback(
      [this](bool preverified, asio::ssl::verify_context& ctx) {
        bool ok = false;
        CatchAll("TLS verify", [&] { ok = Verify(preverified, ctx); });
        return ok;
      },
      ec);
  deadline_.expires_after(std::chrono::milliseconds(timeout_ms));
  deadline_.async_wait([self = shared_from_this()](const boost::system::error_code& wait_ec) {
    if (wait_ec || self->closed_) return;
    self->timed_out_ = true;
    boost::system::error_code ignored;
    self->stream_.lowest_layer().close(ignored);
  });
  if (!on_first_bytes) {
    StartTls(client, std::move(done));
    return;
  }
  // A closed socket (the deadline) ends the wait with an error; the TLS handshake then fails at
  // once and reports the deadline.
  stream_.next_layer().async_wait(
      asio::ip::tcp::socket::wait_read,
      [self = shared_from_this(), client, done = std::move(done),
       on_first_bytes = std::move(on_first_bytes)](const boost::system::error_code& wait_ec) {
        CatchAll("first bytes", [&] {
          if (self->closed_) return;
          if (!wait_ec) on_first_bytes();
          if (self->closed_) return;  // on_first_bytes may close it
          self->StartTls(client, done);
        });
      });
}

void Connection::StartTls(bool client, std::function<void(Status)> done) {
  stream_.async_handshake(
      client ? asio::ssl::stream_base::client : asio::ssl::stream_base::server,
      [self = shared_from_this(), done = std::move(done)](const boost::system::error_code& hs_ec) {
        CatchAll("TLS handshake", [&] {
          if (self->closed_) return;
          self->deadline_.cancel();
          Status status;
          if (self->timed_out_) {
            status = Status::DeadlineExceeded("TLS handshake timed out");
          } else if (self->auth_.has_value() && !self->auth_->ok()) {
            status = self->auth_->status();
          } else if (hs_ec) {
            status = Status::Unavailable("TLS handshake: " + hs_ec.message());
          } else if (!self->auth_.has_value()) {
            status = Status::PermissionDenied("peer presented no certificate");
          } else {
            self->peer_id_ = self->auth_->value();
          }
          if (!status.ok()) {
            self->closed_ = true;
            boost::system::error_code ignored;
            self->stream_.lowest_layer().close(ignored);
          }
          done(status);
        });
      });
}

void Connection::Start(FrameHandler on_frame, ClosedHandler on_closed) {
  on_frame_ = std::move(on_frame);
  on_closed_ = std::move(on_closed);
  ReadSome();
}

void Connection::ReadSome() {
  stream_.async_read_some(asio::buffer(read_buffer_), [self = shared_from_this()](
                                                          const boost::system::error_code& ec,
                                                          size_t n) {
    CatchAll("read", [&] {
      if (self->closed_) return;
      if (ec) {
        self->Fail(Status::Unavailable(ec == asio::error::eof ? "closed by peer" : ec.message()),
                   false);
        return;
      }
      std::vector<std::string> frames;
      Status status = self->decoder_.Feed(ByteView(self->read_buffer_.data(), n), &frames);
      // A local copy: the handler may Close() this connection, which drops on_frame_.
      const FrameHandler on_frame = self->on_frame_;
      for (auto& frame : frames) {
        if (self->closed_) return;
        on_frame(std::move(frame));
      }
      if (self->closed_) return;
      if (!status.ok()) {
        self->Fail(status, true);
        return;
      }
      self->ReadSome();
    });
  });
}

void Connection::Write(std::string data, std::function<void()> on_written) {
  write_buffer_ = std::move(data);
  asio::async_write(stream_, asio::buffer(write_buffer_),
                    [self = shared_from_this(), on_written = std::move(on_written)](
                        const boost::system::error_code& ec, size_t /*n*/) {
                      CatchAll("write", [&] {
                        if (self->closed_) return;
                        if (ec) {
                          self->Fail(Status::Unavailable("write: " + ec.message()), false);
                          return;
                        }
                        self->write_buffer_.clear();
                        on_written();
                      });
                    });
}

void Connection::Fail(const Status& reason, bool protocol_error) {
  if (closed_) return;
  ClosedHandler handler = std::move(on_closed_);
  Close();
  if (handler) handler(reason, protocol_error);
}

void Connection::Close() {
  if (closed_) return;
  closed_ = true;
  deadline_.cancel();
  boost::system::error_code ignored;
  stream_.lowest_layer().close(ignored);
  on_frame_ = nullptr;
  on_closed_ = nullptr;
}

}  // namespace shipledger::net
