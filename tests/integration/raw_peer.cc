#include "raw_peer.h"

#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/post.hpp>
#include <future>

#include "model/votes.h"
#include "net/frame.h"
#include "net/outbound_peer.h"
#include "net/tls.h"
#include "shipledger/clock.h"
#include "shipledger/endpoint.h"

namespace shipledger::itest {

namespace asio = boost::asio;
using tcp = asio::ip::tcp;

namespace {
// One write carries about this much: large enough that the link, not the loop, is the limit.
constexpr size_t kBatchBytes = 256 * 1024;
constexpr uint32_t kMaxFrameBytes = 16u << 20;
}  // namespace

RawPeer::RawPeer(std::shared_ptr<const model::Genesis> genesis, config::Identity identity)
    : genesis_(std::move(genesis)), identity_(std::move(identity)) {}

RawPeer::~RawPeer() { Stop(); }

Status RawPeer::Connect(const std::string& host_port, uint32_t replica, int timeout_ms,
                        size_t keep_received) {
  keep_received_ = keep_received;
  auto ssl = net::MakeTlsContext(identity_.cert, identity_.key);
  if (!ssl.ok()) return ssl.status();
  const std::optional<Endpoint> split = SplitEndpoint(host_port);
  if (!split) return Status::InvalidArgument("bad address '" + host_port + "'");
  const std::string& host = split->host;
  const std::string port = split->port_text();
  boost::system::error_code ec;
  const auto address = asio::ip::make_address(host, ec);
  if (ec) return Status::InvalidArgument("bad host '" + host + "': " + ec.message());
  tcp::socket socket(io_);
  socket.connect(tcp::endpoint(address, static_cast<uint16_t>(std::stoi(port))), ec);
  if (ec) return Status::Unavailable("connect to " + host_port + ": " + ec.message());

  conn_ = std::make_shared<net::Connection>(std::move(socket), *ssl, genesis_, &SystemClock::Get(),
                                            kMaxFrameBytes);
  std::promise<Status> handshake;
  std::future<Status> done = handshake.get_future();
  conn_->Handshake(true, replica, timeout_ms, [this, &handshake](Status status) {
    if (status.ok()) {
      open_ = true;
      conn_->Start(
          [this](std::string payload) {
            frames_received_.fetch_add(1);
            std::lock_guard<std::mutex> lock(mu_);
            if (received_.size() < keep_received_) received_.push_back(std::move(payload));
          },
          [this](const Status& reason, bool /*protocol_error*/) {
            open_ = false;
            std::lock_guard<std::mutex> lock(mu_);
            closed_why_ = reason.ToString();
          });
    }
    handshake.set_value(status);
  });
  thread_ = std::thread([this] { io_.run(); });
  return done.get();
}

void RawPeer::Flood(std::vector<std::string> payloads) {
  std::string cycle;
  for (const std::string& p : payloads) cycle += net::EncodeFrame(p);
  asio::post(io_, [this, cycle = std::move(cycle), per_cycle = payloads.size()] {
    batch_.clear();
    frames_per_batch_ = 0;
    while (batch_.size() < kBatchBytes) {
      batch_ += cycle;
      frames_per_batch_ += per_cycle;
    }
    WriteNext();
  });
}

void RawPeer::WriteNext() {
  if (stopping_.load() || !conn_ || conn_->closed()) return;
  conn_->Write(batch_, [this] {
    frames_sent_.fetch_add(frames_per_batch_);
    bytes_sent_.fetch_add(batch_.size());
    WriteNext();
  });
}

void RawPeer::Stop() {
  if (stopping_.exchange(true)) return;
  if (!thread_.joinable()) return;
  asio::post(io_, [this] {
    if (conn_) conn_->Close();
    open_ = false;
  });
  // Closing ends every pending operation, so run() returns once the close has run.
  thread_.join();
}

RawPeer::Stats RawPeer::stats() const {
  Stats s;
  s.frames_sent = frames_sent_.load();
  s.bytes_sent = bytes_sent_.load();
  s.frames_received = frames_received_.load();
  s.open = open_.load();
  std::lock_guard<std::mutex> lock(mu_);
  s.closed_why = closed_why_;
  return s;
}

std::vector<std::string> RawPeer::received() const {
  std::lock_guard<std::mutex> lock(mu_);
  return received_;
}

Result<std::vector<std::string>> ByzantineFloodFrames(const model::Genesis& genesis,
                                                      const config::Identity& identity,
                                                      uint32_t from, uint64_t view,
                                                      const std::vector<v1::SignedEvent>& replayed,
                                                      const std::vector<std::string>& echoes) {
  v1::PeerMessage heartbeat;
  heartbeat.mutable_heartbeat()->set_view(view);
  heartbeat.mutable_heartbeat()->set_committed_height(kLiedHeight);
  heartbeat.mutable_heartbeat()->set_stable_height(kLiedHeight);
  std::vector<std::string> frames(kFloodHeartbeats, heartbeat.SerializeAsString());

  v1::PeerMessage view_change;
  v1::ViewChange* vc = view_change.mutable_view_change();
  vc->set_new_view(view + 1);
  vc->mutable_stable()->set_height(0);
  vc->mutable_stable()->set_block_hash(genesis.hash);
  vc->mutable_stable()->set_results(Bytes(32, '\0'));
  vc->set_replica(from);
  auto signature = identity.key.Sign(model::ViewChangeMessage(genesis.chain_id, *vc));
  if (!signature.ok()) return signature.status();
  vc->set_signature(*signature);
  frames.push_back(view_change.SerializeAsString());

  if (!replayed.empty()) {
    v1::PeerMessage forward;
    for (const auto& e : replayed) *forward.mutable_forward()->add_events() = e;
    frames.push_back(forward.SerializeAsString());
  }
  size_t echoed = 0;
  for (const std::string& echo : echoes) {
    if (echo.size() < 4096 && echoed++ < 64) frames.push_back(echo);
  }
  return frames;
}

}  // namespace shipledger::itest
