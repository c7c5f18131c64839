#include "net/outbound_peer.h"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <boost/asio/connect.hpp>
#include <boost/asio/post.hpp>
#include <chrono>

#include "shipledger/endpoint.h"
#include "shipledger/log.h"

namespace shipledger::net {

using enum LogComponent;

namespace {

// How long a retired connection keeps reading (frames the replica wrote on it before it moved
// to the kept link still arrive).
constexpr int kRetireGraceMs = 2000;

int64_t SteadyNs() {
  return std::chrono::duration_cast<std::chrono::nanoseconds>(
             std::chrono::steady_clock::now().time_since_epoch())
      .count();
}

}  // namespace

namespace asio = boost::asio;
using tcp = asio::ip::tcp;

OutboundPeer::OutboundPeer(std::shared_ptr<const PeerEnv> env, uint32_t replica,
                           std::string endpoint, std::shared_ptr<PeerCounters> counters,
                           bool yields_to_inbound)
    : env_(std::move(env)),
      replica_(replica),
      yields_to_inbound_(yields_to_inbound),
      counters_(std::move(counters)),
      queue_(env_->options.max_queue_bytes_per_peer, env_->options.max_queue_frames_per_peer),
      down_since_ns_(SteadyNs()),
      endpoint_(std::move(endpoint)),
      backoff_ms_(env_->options.backoff_initial_ms),
      rng_(std::random_device{}()),
      resolver_(*env_->io),
      socket_(*env_->io),
      timer_(*env_->io) {}

void OutboundPeer::SetEndpoint(std::string host_port) {
  std::lock_guard lock(endpoint_mu_);
  endpoint_ = std::move(host_port);
}

void OutboundPeer::Start() {
  if (phase_ != Phase::kIdle) return;
  Dial();
}

void OutboundPeer::Stop() {
  phase_ = Phase::kStopped;
  ++attempt_;
  timer_.cancel();
  CloseConnection();
  CloseRetiring();
  if (inbound_) AbandonWriteOn(inbound_.get());
  inbound_.reset();  // the transport closes it
  queue_.Clear();
}

void OutboundPeer::CloseConnection() {
  resolver_.cancel();
  boost::system::error_code ignored;
  socket_.close(ignored);
  if (conn_) {
    AbandonWriteOn(conn_.get());
    conn_->Close();
  }
  conn_.reset();
  counters_->connected_out = false;
  NoteLinkState();
}

void OutboundPeer::AbandonWriteOn(const Connection* conn) {
  if (!writing_ || writing_on_ != conn) return;
  writing_ = false;
  writing_on_ = nullptr;
  ++write_gen_;
}

Connection* OutboundPeer::Link() {
  if (phase_ == Phase::kStopped) return nullptr;
  Connection* out = phase_ == Phase::kConnected && conn_ ? conn_.get() : nullptr;
  Connection* in = inbound_ && !inbound_->closed() ? inbound_.get() : nullptr;
  // The lower id's own link is the one kept (the replica retires its dial once ours is up):
  // move to it as soon as it is.
  if (!yields_to_inbound_ && out != nullptr) return active_ = out;
  // Frames stay on one link while it is up: split across two connections they could arrive out
  // of order. Ours is preferred only when choosing afresh.
  if (active_ != nullptr && (active_ == out || active_ == in)) return active_;
  active_ = out != nullptr ? out : in;
  return active_;
}

void OutboundPeer::NoteLinkState() {
  if (Link() == nullptr) {
    int64_t up = 0;
    down_since_ns_.compare_exchange_strong(up, SteadyNs());
    return;
  }
  if (down_since_ns_.load() == 0) return;
  if (Stale()) {  // queued before the link went stale: old news by now
    counters_->frames_dropped.fetch_add(queue_.frames());
    queue_.Clear();
  }
  down_since_ns_ = 0;
}

void OutboundPeer::SetInbound(std::shared_ptr<Connection> conn) {
  if (phase_ == Phase::kStopped) return;
  if (inbound_) AbandonWriteOn(inbound_.get());
  inbound_ = std::move(conn);
  if (yields_to_inbound_ && phase_ != Phase::kStandby) Yield();
  NoteLinkState();
  Flush();
}

void OutboundPeer::Yield() {
  // One link per pair: the lower id's dial is the one kept. We stop writing on ours at once;
  // it keeps reading for a grace period, so frames the replica wrote on it before it switched
  // to its own link still arrive.
  // A TLS handshake in flight is let finish and then retired the same way: cut short, the
  // replica would count it as a refused connection and warn of it on every start.
  const bool established = phase_ == Phase::kConnected && conn_;
  const bool handshaking = phase_ == Phase::kConnecting && conn_;
  phase_ = Phase::kStandby;
  const uint64_t attempt = ++attempt_;
  timer_.cancel();
  backoff_ms_ = env_->options.backoff_initial_ms;
  std::shared_ptr<Connection> link = established || handshaking ? std::move(conn_) : nullptr;
  if (link) AbandonWriteOn(link.get());
  CloseConnection();
  Log(kNet).debug("replica {} dialled us; its link is the one kept", replica_);
  if (!link) return;
  CloseRetiring();
  retiring_ = std::move(link);
  timer_.expires_after(std::chrono::milliseconds(kRetireGraceMs));
  timer_.async_wait([self = shared_from_this(), attempt](const boost::system::error_code& ec) {
    if (ec || attempt != self->attempt_) return;
    CatchAll("retire", [&] { self->CloseRetiring(); });
  });
}

void OutboundPeer::CloseRetiring() {
  if (retiring_) retiring_->Close();
  retiring_.reset();
}

void OutboundPeer::ClearInbound(const Connection* conn) {
  if (!inbound_ || inbound_.get() != conn) return;
  AbandonWriteOn(conn);
  inbound_.reset();
  NoteLinkState();
  if (phase_ == Phase::kStandby) {
    CloseRetiring();
    Dial();  // the replica's link is gone: ours now (it redials too; one of them stays)
    return;
  }
  Flush();  // over our own connection, if it is up
}

bool OutboundPeer::Stale() const {
  const int64_t since = down_since_ns_.load();
  return since != 0 && SteadyNs() - since > int64_t{env_->options.stale_after_ms} * 1000 * 1000;
}

void OutboundPeer::Enqueue(std::string frame) {
  if (Stale() || !queue_.Push(std::move(frame))) {
    counters_->frames_dropped.fetch_add(1);
    return;
  }
  bool expected = false;
  if (flush_posted_.compare_exchange_strong(expected, true)) {
    asio::post(*env_->io, [self = shared_from_this()] {
      self->flush_posted_ = false;
      CatchAll("flush", [&] { self->Flush(); });
    });
  }
}

void OutboundPeer::Dial() {
  if (phase_ == Phase::kStopped) return;
  phase_ = Phase::kConnecting;
  const uint64_t attempt = ++attempt_;
  std::string endpoint;
  {
    std::lock_guard lock(endpoint_mu_);
    endpoint = endpoint_;
  }
  const std::optional<Endpoint> split = SplitEndpoint(endpoint);
  if (!split) {
    Retry(Status::InvalidArgument("bad endpoint '" + endpoint + "'"));
    return;
  }
  timer_.expires_after(std::chrono::milliseconds(env_->options.connect_timeout_ms));
  timer_.async_wait([self = shared_from_this(), attempt](const boost::system::error_code& ec) {
    if (ec || attempt != self->attempt_ || self->phase_ != Phase::kConnecting) return;
    if (self->conn_) return;  // TCP is up; the handshake has its own deadline
    CatchAll("connect timeout",
             [&] { self->Retry(Status::DeadlineExceeded("connect timed out")); });
  });
  resolver_.async_resolve(
      split->host, split->port_text(),
      [self = shared_from_this(), attempt](const boost::system::error_code& ec,
                                           const tcp::resolver::results_type& results) {
        CatchAll("resolve", [&] {
          if (attempt != self->attempt_ || self->phase_ != Phase::kConnecting) return;
          if (ec) {
            self->Retry(Status::Unavailable("resolve: " + ec.message()));
            return;
          }
          const auto connected = [self, attempt](const boost::system::error_code& connect_ec) {
            CatchAll("connect", [&] {
              if (attempt != self->attempt_ || self->phase_ != Phase::kConnecting) return;
              if (connect_ec) {
                self->Retry(Status::Unavailable("connect: " + connect_ec.message()));
                return;
              }
              self->OnTcpConnected(attempt);
            });
          };
          const std::string& bind = self->env_->options.bind_address;
          if (bind.empty()) {
            asio::async_connect(self->socket_, results,
                                [connected](const boost::system::error_code& connect_ec,
                                            const tcp::endpoint&) { connected(connect_ec); });
            return;
          }
          // From our own address: the first resolved address of its family, from a socket
          // bound to it (a range connect would reopen the socket unbound).
          boost::system::error_code bind_ec;
          const asio::ip::address local = asio::ip::make_address(bind, bind_ec);
          const tcp::resolver::results_type::const_iterator target =
              std::find_if(results.begin(), results.end(),
                           [&](const tcp::resolver::results_type::value_type& r) {
                             return r.endpoint().address().is_v4() == local.is_v4();
                           });
          if (bind_ec || target == results.end()) {
            self->Retry(Status::Unavailable("no resolved address of the family of " + bind +
                                            " (bind_address) to dial"));
            return;
          }
          self->socket_.open(target->endpoint().protocol(), bind_ec);
          if (!bind_ec) self->socket_.bind(tcp::endpoint(local, 0), bind_ec);
          if (bind_ec) {
            self->socket_.close(bind_ec);
            self->Retry(Status::Unavailable("bind to " + bind + ": " + bind_ec.message()));
            return;
          }
          self->socket_.async_connect(target->endpoint(), connected);
        });
      });
}

void OutboundPeer::OnTcpConnected(uint64_t attempt) {
  auto conn = std::make_shared<Connection>(std::move(socket_), env_->ssl, env_->genesis,
                                           env_->clock, env_->options.max_frame_bytes);
  socket_ = tcp::socket(*env_->io);
  conn_ = conn;
  conn->Handshake(true, replica_, env_->options.connect_timeout_ms,
                  [self = shared_from_this(), attempt, conn](Status status) {
                    self->OnHandshake(attempt, conn, status);
                  });
}

void OutboundPeer::OnHandshake(uint64_t attempt, std::shared_ptr<Connection> conn,
                               const Status& status) {
  if (attempt != attempt_ || phase_ != Phase::kConnecting) {
    if (status.ok() && conn == retiring_) {  // yielded while handshaking: read out the grace
      conn->Start(DeliverFrames(), [](const Status&, bool) {});
      return;
    }
    conn->Close();
    return;
  }
  if (!status.ok()) {
    if (status.code() == Code::kPermissionDenied) {
      counters_->protocol_errors.fetch_add(1);
      Log(kNet).warn("replica {} at {} refused: {}", replica_, conn->remote(), status.message());
    }
    Retry(status);
    return;
  }
  phase_ = Phase::kConnected;
  backoff_ms_ = env_->options.backoff_initial_ms;
  timer_.cancel();
  NoteLinkState();
  counters_->connected_out = true;
  Log(kNet).info("connected to replica {} at {}", replica_, conn->remote());
  std::weak_ptr<OutboundPeer> weak = shared_from_this();
  conn->Start(DeliverFrames(), [weak, attempt](const Status& reason, bool protocol_error) {
    if (auto self = weak.lock()) self->OnClosed(attempt, reason, protocol_error);
  });
  Flush();
}

Connection::FrameHandler OutboundPeer::DeliverFrames() const {
  return [env = env_, replica = replica_, counters = counters_](std::string payload) {
    counters->frames_received.fetch_add(1);
    env->deliver(replica, std::move(payload));
  };
}

void OutboundPeer::OnClosed(uint64_t attempt, const Status& reason, bool protocol_error) {
  if (attempt != attempt_ || phase_ != Phase::kConnected) return;
  if (protocol_error) {
    counters_->protocol_errors.fetch_add(1);
    Log(kNet).warn("replica {}: protocol error on outbound connection: {}", replica_,
                   reason.message());
  }
  Retry(reason);
}

void OutboundPeer::Retry(const Status& reason) {
  if (phase_ == Phase::kStopped) return;
  const bool was_connected = phase_ == Phase::kConnected;
  phase_ = Phase::kBackoff;
  const uint64_t attempt = ++attempt_;
  CloseConnection();
  counters_->reconnects.fetch_add(1);
  if (was_connected) {
    Log(kNet).info("lost replica {}: {}", replica_, reason.message());
  } else {
    Log(kNet).debug("dial replica {} failed: {}", replica_, reason.message());
  }
  const int jitter = std::uniform_int_distribution<int>(0, std::max(1, backoff_ms_ / 5))(rng_);
  timer_.expires_after(std::chrono::milliseconds(backoff_ms_ + jitter));
  backoff_ms_ = std::min(backoff_ms_ * 2, env_->options.backoff_max_ms);
  timer_.async_wait([self = shared_from_this(), attempt](const boost::system::error_code& ec) {
    if (ec || attempt != self->attempt_ || self->phase_ != Phase::kBackoff) return;
    CatchAll("redial", [&] { self->Dial(); });
  });
}

void OutboundPeer::PeerIsUp() {
  if (phase_ != Phase::kBackoff) return;
  backoff_ms_ = env_->options.backoff_initial_ms;
  timer_.cancel();  // its handler sees a new attempt_ (Dial bumps it) and returns
  Dial();
}

void OutboundPeer::Flush() {
  if (writing_) return;
  Connection* link = Link();
  if (link == nullptr) return;
  std::string batch;
  const size_t frames = queue_.PopBatch(env_->options.max_write_batch_bytes, &batch);
  if (frames == 0) return;
  writing_ = true;
  writing_on_ = link;
  const uint64_t gen = write_gen_;
  link->Write(std::move(batch), [self = shared_from_this(), gen, frames] {
    if (gen != self->write_gen_) return;
    self->writing_ = false;
    self->writing_on_ = nullptr;
    self->counters_->frames_sent.fetch_add(frames);
    self->Flush();
  });
}

}  // namespace shipledger::net
