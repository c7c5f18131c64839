#include "net/transport.h"

#include <spdlog/spdlog.h>

#include <array>
#include <atomic>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/steady_timer.hpp>
#include <chrono>
#include <future>
#include <map>
#include <optional>

#include "net/connection.h"
#include "net/frame.h"
#include "net/outbound_peer.h"
#include "net/pending_handshakes.h"
#include "net/tls.h"
#include "shipledger/endpoint.h"
#include "shipledger/log.h"

namespace shipledger::net {

using enum LogComponent;

namespace asio = boost::asio;
using tcp = asio::ip::tcp;

// The state behind Transport, shared with pending handlers so that none outlives it.
// Maps of peers and counters are fixed at construction; the rest is owned by the io thread.
class Transport::Impl : public std::enable_shared_from_this<Impl> {
 public:
  Impl(asio::io_context& io, std::shared_ptr<const model::Genesis> genesis, uint32_t self,
       TransportOptions options, MessageHandler on_message)
      : io_(io),
        genesis_(std::move(genesis)),
        self_(self),
        options_(options),
        on_message_(std::move(on_message)),
        pending_(options.max_pending_handshakes, options.max_pending_handshakes_per_address) {}

  void Init(const crypto::Certificate& cert, const crypto::PrivateKey& key);
  Status Listen(const std::string& host_port);
  void Start();
  void Stop();
  void Send(uint32_t to, std::string payload);
  PeerStats stats(uint32_t replica) const;
  void SetPeerEndpoint(uint32_t replica, std::string host_port);

  std::atomic<uint16_t> port_{0};
  std::atomic<uint64_t> handshake_failures_{0};
  std::vector<uint32_t> others_;  // every replica but self, ascending

 private:
  void DoStart();
  void DoStop();
  void Accept();
  void OnInbound(const std::shared_ptr<Connection>& conn);
  void OnInboundClosed(uint32_t from, const Connection* conn, const Status& reason,
                       bool protocol_error);
  // Takes a freshly accepted socket into the handshake slots (PendingHandshakes) or closes it.
  void AdmitInbound(tcp::socket socket);
  void OnInboundHandshake(uint64_t id, const std::shared_ptr<Connection>& conn,
                          const Status& status);
  // Why an inbound connection was not let in; each is counted for the summary line.
  enum class Refusal { kOverLimit, kEvicted, kTimedOut, kFailed, kCount };
  // Counts a refused inbound connection and logs it rate-limited (refusal_log_interval_ms):
  // the first after a quiet interval at once, the rest as one summary line per interval.
  void NoteRefusal(Refusal kind, const std::string& remote, const std::string& why);
  void LogRefusals();
  // Arms the timer of the next summary line.
  void ArmRefusalLog();

  asio::io_context& io_;
  std::shared_ptr<const model::Genesis> genesis_;
  const uint32_t self_;
  TransportOptions options_;
  MessageHandler on_message_;
  Status init_status_;
  std::shared_ptr<PeerEnv> env_;
  std::map<uint32_t, std::shared_ptr<PeerCounters>> counters_;
  std::map<uint32_t, std::shared_ptr<OutboundPeer>> peers_;
  std::optional<tcp::acceptor> acceptor_;
  asio::steady_timer accept_pause_{io_};
  std::atomic<bool> stop_done_{false};
  std::atomic<bool> start_called_{false};

  // io thread only.
  bool started_ = false;
  bool stopped_ = false;
  std::map<uint32_t, std::shared_ptr<Connection>> inbound_;
  std::map<uint64_t, std::shared_ptr<Connection>> handshaking_;  // by PendingHandshakes id
  PendingHandshakes pending_;
  uint64_t next_pending_id_ = 0;
  asio::steady_timer refusal_log_timer_{io_};
  bool refusal_log_armed_ = false;  // a summary line is due when the timer fires
  std::array<uint64_t, static_cast<size_t>(Refusal::kCount)> refusals_{};  // since the last line
  std::string last_refusal_;  // remote and reason of the latest refusal
};

void Transport::Impl::Init(const crypto::Certificate& cert, const crypto::PrivateKey& key) {
  if (options_.clock == nullptr) options_.clock = &SystemClock::Get();
  const model::Replica* me = genesis_->FindReplica(self_);
  if (me == nullptr) {
    init_status_ = Status::InvalidArgument("replica " + std::to_string(self_) + " not in genesis");
  } else if (me->node_cert.fingerprint() != cert.fingerprint()) {
    init_status_ = Status::InvalidArgument("node certificate is not the one pinned for replica " +
                                           std::to_string(self_));
  }
  auto ssl = MakeTlsContext(cert, key);
  if (init_status_.ok() && !ssl.ok()) init_status_ = ssl.status();

  auto env = std::make_shared<PeerEnv>();
  env->io = &io_;
  env->ssl = ssl.ok() ? *ssl : nullptr;
  env->genesis = genesis_;
  env->clock = options_.clock;
  env->options = options_;
  env->deliver = [weak = weak_from_this()](uint32_t from, std::string payload) {
    auto self = weak.lock();
    if (!self || self->stopped_) return;
    CatchAll("on_message", [&] { self->on_message_(from, std::move(payload)); });
  };
  env_ = env;
  for (const model::Replica& r : genesis_->replicas) {
    if (r.id == self_) continue;
    others_.push_back(r.id);
    auto counters = std::make_shared<PeerCounters>();
    counters_[r.id] = counters;
    peers_[r.id] = std::make_shared<OutboundPeer>(env, r.id, r.peer_endpoint, counters,
                                                  /*yields_to_inbound=*/self_ > r.id);
  }
}

Status Transport::Impl::Listen(const std::string& host_port) {
  SL_RETURN_IF_ERROR(init_status_);
  const std::optional<Endpoint> split = SplitEndpoint(host_port);
  if (!split) return Status::InvalidArgument("bad listen address '" + host_port + "'");
  boost::system::error_code ec;
  tcp::resolver resolver(io_);
  const auto results =
      resolver.resolve(split->host, split->port_text(), tcp::resolver::passive, ec);
  if (ec || results.empty()) {
    return Status::InvalidArgument("listen address '" + host_port + "': " + ec.message());
  }
  const tcp::endpoint endpoint = results.begin()->endpoint();
  tcp::acceptor acceptor(io_);
  acceptor.open(endpoint.protocol(), ec);
  if (!ec) acceptor.set_option(tcp::acceptor::reuse_address(true), ec);
  if (!ec) acceptor.bind(endpoint, ec);
  if (!ec) acceptor.listen(asio::socket_base::max_listen_connections, ec);
  if (!ec) {
    const tcp::endpoint bound = acceptor.local_endpoint(ec);
    if (!ec) {
      port_ = bound.port();
      acceptor_.emplace(std::move(acceptor));
      return Status::Ok();
    }
  }
  return Status::Unavailable("listen on " + host_port + ": " + ec.message());
}

void Transport::Impl::Start() {
  if (!init_status_.ok()) {
    Log(kNet).error("transport not started: {}", init_status_.ToString());
    return;
  }
  start_called_ = true;
  asio::post(io_, [self = shared_from_this()] { CatchAll("start", [&] { self->DoStart(); }); });
}

void Transport::Impl::DoStart() {
  if (started_ || stopped_) return;
  started_ = true;
  for (auto& [id, peer] : peers_) peer->Start();
  if (acceptor_) Accept();
}

void Transport::Impl::Stop() {
  if (stop_done_.load()) return;
  // Before Start() no handler of ours is queued, so closing the listener here races nothing.
  if (!start_called_.load() || io_.get_executor().running_in_this_thread() || io_.stopped()) {
    DoStop();
    return;
  }
  auto done = std::make_shared<std::promise<void>>();
  std::future<void> finished = done->get_future();
  asio::post(io_, [self = shared_from_this(), done] {
    CatchAll("stop", [&] { self->DoStop(); });
    done->set_value();
  });
  // Wait for the io thread; if it stops running meanwhile, nobody else touches our state.
  while (finished.wait_for(std::chrono::milliseconds(20)) != std::future_status::ready) {
    if (io_.stopped()) {
      DoStop();
      return;
    }
  }
}

void Transport::Impl::DoStop() {
  if (stopped_) return;
  stopped_ = true;
  boost::system::error_code ignored;
  if (acceptor_) acceptor_->close(ignored);
  accept_pause_.cancel();
  for (auto& [id, peer] : peers_) peer->Stop();
  for (auto& [id, conn] : inbound_) {
    conn->Close();
    counters_[id]->connected_in = false;
  }
  inbound_.clear();
  for (const auto& [id, conn] : handshaking_) conn->Close();
  handshaking_.clear();
  refusal_log_timer_.cancel();
  stop_done_ = true;
}

void Transport::Impl::Accept() {
  acceptor_->async_accept(
      [self = shared_from_this()](const boost::system::error_code& ec, tcp::socket socket) {
        CatchAll("accept", [&] {
          if (self->stopped_) return;
          if (ec) {
            if (ec == asio::error::operation_aborted) return;
            // E.g. out of file descriptors: pause instead of spinning on the error.
            Log(kNet).warn("accept failed: {}", ec.message());
            self->accept_pause_.expires_after(std::chrono::milliseconds(100));
            self->accept_pause_.async_wait([self](const boost::system::error_code& wait_ec) {
              if (!wait_ec && !self->stopped_) CatchAll("accept", [&] { self->Accept(); });
            });
            return;
          }
          self->AdmitInbound(std::move(socket));
          self->Accept();
        });
      });
}

void Transport::Impl::AdmitInbound(tcp::socket socket) {
  boost::system::error_code ec;
  const tcp::endpoint remote = socket.remote_endpoint(ec);
  const std::string address = ec ? "?" : remote.address().to_string();
  const uint64_t id = next_pending_id_++;
  const PendingHandshakes::Admission admission = pending_.Admit(id, address);
  if (!admission.admitted) {
    socket.close(ec);
    NoteRefusal(Refusal::kOverLimit, address, "too many pending handshakes from this address");
    return;
  }
  if (admission.evicted) {
    // DESIGN §6: a connection that never spoke gives up its slot to a new one.
    auto it = handshaking_.find(*admission.evicted);
    if (it != handshaking_.end()) {
      const std::string evicted_remote = it->second->remote();
      it->second->Close();
      handshaking_.erase(it);
      NoteRefusal(Refusal::kEvicted, evicted_remote, "silent; its slot went to a newer connection");
    }
  }
  auto conn = std::make_shared<Connection>(std::move(socket), env_->ssl, genesis_, options_.clock,
                                           options_.max_frame_bytes);
  handshaking_[id] = conn;
  std::weak_ptr<Impl> weak = weak_from_this();
  conn->Handshake(
      false, std::nullopt, options_.inbound_handshake_timeout_ms,
      [weak, id, conn](Status status) {
        if (auto self = weak.lock()) self->OnInboundHandshake(id, conn, status);
      },
      [weak, id] {
        if (auto self = weak.lock()) self->pending_.Speaking(id);
      });
}

void Transport::Impl::OnInboundHandshake(uint64_t id, const std::shared_ptr<Connection>& conn,
                                         const Status& status) {
  handshaking_.erase(id);
  pending_.Remove(id);
  if (stopped_) return;
  if (!status.ok()) {
    NoteRefusal(status.code() == Code::kDeadlineExceeded ? Refusal::kTimedOut : Refusal::kFailed,
                conn->remote(), status.ToString());
    return;
  }
  OnInbound(conn);
}

void Transport::Impl::NoteRefusal(Refusal kind, const std::string& remote, const std::string& why) {
  handshake_failures_.fetch_add(1);
  ++refusals_[static_cast<size_t>(kind)];
  last_refusal_ = remote + ": " + why;
  if (refusal_log_armed_) return;
  // The first refusal after a quiet interval is logged at once; the others are summed up.
  LogRefusals();
  ArmRefusalLog();
}

void Transport::Impl::ArmRefusalLog() {
  refusal_log_armed_ = true;
  refusal_log_timer_.expires_after(std::chrono::milliseconds(options_.refusal_log_interval_ms));
  refusal_log_timer_.async_wait([weak = weak_from_this()](const boost::system::error_code& ec) {
    auto self = weak.lock();
    if (ec || !self || self->stopped_) return;
    CatchAll("refusal log", [&] {
      uint64_t total = 0;
      for (uint64_t c : self->refusals_) total += c;
      if (total == 0) {  // a quiet interval: the next refusal is logged at once
        self->refusal_log_armed_ = false;
        return;
      }
      self->LogRefusals();
      self->ArmRefusalLog();
    });
  });
}

void Transport::Impl::LogRefusals() {
  const auto count = [&](Refusal r) { return refusals_[static_cast<size_t>(r)]; };
  Log(kNet).warn(
      "inbound connections refused on the peer port: {} over the handshake limits, {} "
      "silent ones replaced, {} timed out in the handshake, {} failed it (latest: {})",
      count(Refusal::kOverLimit), count(Refusal::kEvicted), count(Refusal::kTimedOut),
      count(Refusal::kFailed), last_refusal_);
  refusals_.fill(0);
}

void Transport::Impl::OnInbound(const std::shared_ptr<Connection>& conn) {
  const uint32_t from = conn->peer_id();
  auto counters = counters_.find(from);
  if (counters == counters_.end()) {  // our own certificate, presented by someone else
    NoteRefusal(Refusal::kFailed, conn->remote(), "uses this node's own identity");
    conn->Close();
    return;
  }
  // The newest connection from a replica wins: the old one is likely half-dead.
  auto& slot = inbound_[from];
  if (slot) slot->Close();
  slot = conn;
  counters->second->connected_in = true;
  Log(kNet).debug("replica {} connected from {}", from, conn->remote());
  std::weak_ptr<Impl> weak = weak_from_this();
  const Connection* raw = conn.get();
  conn->Start(
      [env = env_, from, c = counters->second](std::string payload) {
        c->frames_received.fetch_add(1);
        env->deliver(from, std::move(payload));
      },
      [weak, from, raw](const Status& reason, bool protocol_error) {
        if (auto self = weak.lock()) self->OnInboundClosed(from, raw, reason, protocol_error);
      });
  if (auto peer = peers_.find(from); peer != peers_.end()) {
    // DESIGN §6: this authenticated link carries our frames too (the only link, when we have
    // the higher id; else while our own is down).
    peer->second->SetInbound(conn);
    peer->second->PeerIsUp();
  }
}

void Transport::Impl::OnInboundClosed(uint32_t from, const Connection* conn, const Status& reason,
                                      bool protocol_error) {
  auto it = inbound_.find(from);
  const std::string remote = conn->remote();
  if (protocol_error) {
    counters_[from]->protocol_errors.fetch_add(1);
    Log(kNet).warn("replica {} at {}: protocol error, closing: {}", from, remote, reason.message());
  } else {
    Log(kNet).debug("replica {} at {} disconnected: {}", from, remote, reason.message());
  }
  if (it != inbound_.end() && it->second.get() == conn) {
    inbound_.erase(it);
    counters_[from]->connected_in = false;
  }
  if (auto peer = peers_.find(from); peer != peers_.end()) peer->second->ClearInbound(conn);
}

void Transport::Impl::Send(uint32_t to, std::string payload) {
  auto it = peers_.find(to);
  if (it == peers_.end()) return;
  if (payload.size() > options_.max_frame_bytes) {
    counters_.at(to)->frames_dropped.fetch_add(1);
    Log(kNet).error("dropping a {}-byte message to replica {}: over max_frame_bytes",
                    payload.size(), to);
    return;
  }
  it->second->Enqueue(EncodeFrame(payload));
}

Transport::PeerStats Transport::Impl::stats(uint32_t replica) const {
  PeerStats s;
  auto it = counters_.find(replica);
  if (it == counters_.end()) return s;
  const PeerCounters& c = *it->second;
  s.connected_out = c.connected_out;
  s.connected_in = c.connected_in;
  s.frames_sent = c.frames_sent;
  s.frames_received = c.frames_received;
  s.frames_dropped = c.frames_dropped;
  s.protocol_errors = c.protocol_errors;
  s.reconnects = c.reconnects;
  s.queued_bytes = peers_.at(replica)->queued_bytes();
  return s;
}

void Transport::Impl::SetPeerEndpoint(uint32_t replica, std::string host_port) {
  auto it = peers_.find(replica);
  if (it != peers_.end()) it->second->SetEndpoint(std::move(host_port));
}

Transport::Transport(asio::io_context& io, std::shared_ptr<const model::Genesis> genesis,
                     uint32_t self_replica_id, crypto::Certificate node_cert,
                     crypto::PrivateKey node_key, TransportOptions options,
                     MessageHandler on_message)
    : impl_(std::make_shared<Impl>(io, std::move(genesis), self_replica_id, options,
                                   std::move(on_message))) {
  impl_->Init(node_cert, node_key);
}

Transport::~Transport() { Stop(); }

Status Transport::Listen(const std::string& host_port) { return impl_->Listen(host_port); }
uint16_t Transport::port() const { return impl_->port_.load(); }
void Transport::Start() { impl_->Start(); }
void Transport::Stop() { impl_->Stop(); }
void Transport::Send(uint32_t to, std::string payload) { impl_->Send(to, std::move(payload)); }
void Transport::Broadcast(std::string payload) {
  for (uint32_t to : impl_->others_) impl_->Send(to, payload);
}
Transport::PeerStats Transport::stats(uint32_t replica) const { return impl_->stats(replica); }
uint64_t Transport::handshake_failures() const { return impl_->handshake_failures_.load(); }
void Transport::SetPeerEndpoint(uint32_t replica, std::string host_port) {
  impl_->SetPeerEndpoint(replica, std::move(host_port));
}

}  // namespace shipledger::net
