#include "node/node.h"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <boost/asio/post.hpp>
#include <future>

#include "config/genesis_file.h"
#include "consensus/solo_replica.h"
#include "contracts/executor.h"
#include "model/block.h"

namespace shipledger::node {

namespace {

class KeySigner final : public consensus::Signer {
 public:
  explicit KeySigner(const crypto::PrivateKey& key) : key_(key) {}
  Result<Bytes> Sign(ByteView message) const override { return key_.Sign(message); }

 private:
  crypto::PrivateKey key_;
};

constexpr std::string_view kVersion = "0.1.0";

}  // namespace

Node::Node(const config::NodeConfig& config, const Clock& clock) : config_(config), clock_(clock) {}

Result<std::unique_ptr<Node>> Node::Create(const config::NodeConfig& config, const Clock& clock) {
  auto node = std::unique_ptr<Node>(new Node(config, clock));
  auto genesis = config::LoadGenesis(config.genesis_path);
  if (!genesis.ok()) return genesis.status().WithContext("genesis " + config.genesis_path);
  node->genesis_ = *genesis;
  const model::Genesis& g = *node->genesis_;

  auto cert_pem = crypto::ReadFile(config.cert_path);
  if (!cert_pem.ok()) return cert_pem.status().WithContext("node certificate");
  auto cert = crypto::Certificate::FromPem(*cert_pem);
  if (!cert.ok()) return cert.status().WithContext("node certificate " + config.cert_path);
  auto key_pem = crypto::ReadFile(config.key_path);
  if (!key_pem.ok()) return key_pem.status().WithContext("node key");
  auto key = crypto::PrivateKey::FromPem(*key_pem);
  if (!key.ok()) return key.status().WithContext("node key " + config.key_path);
  auto cert_key = cert->public_key();
  if (!cert_key.ok() || key->public_key().ToDer() != cert_key->ToDer()) {
    return Status::InvalidArgument("node key " + config.key_path + " does not match certificate " +
                                   config.cert_path);
  }
  const model::Replica* replica = g.FindReplicaByFingerprint(cert->fingerprint());
  if (replica == nullptr || replica->id != config.replica_id) {
    return Status::FailedPrecondition(
        "node certificate " + config.cert_path + " is not the one the genesis pins for replica " +
        std::to_string(config.replica_id) + " (fingerprint " + ToHex(cert->fingerprint()) + ")");
  }
  if (g.n() != 1) {
    return Status::FailedPrecondition(
        "the genesis has " + std::to_string(g.n()) +
        " replicas; this build orders on one node only (multi-node PBFT is not built yet)");
  }
  node->identity_ = std::make_unique<config::Identity>(config::Identity{*cert, *key});
  node->signer_ = std::make_unique<KeySigner>(*key);
  node->validator_ = std::make_unique<model::EventValidator>(node->genesis_);

  auto store = storage::Store::Open(config.data_dir, g);
  if (!store.ok()) return store.status();
  node->store_ = std::move(store).value();
  const storage::ChainHead head = node->store_->head();
  node->notifier_ = std::make_unique<rpc::CommitNotifier>(head.height);

  consensus::SoloOptions opts;
  opts.replica_id = config.replica_id;
  opts.batch_max_events = g.consensus.batch_max_events;
  opts.batch_timeout_ms =
      config.batch_timeout_ms != 0 ? config.batch_timeout_ms : g.consensus.batch_timeout_ms;
  opts.window = g.consensus.window;
  opts.mempool_capacity = config.mempool_capacity;
  node->core_ = std::make_unique<consensus::SoloReplica>(
      node->genesis_, opts, node->signer_.get(),
      consensus::ChainTip{head.height, head.block_hash, head.block_time_ms, head.results});
  node->status_ = node->core_->status();
  spdlog::info("chain '{}' genesis {} at height {} head {}", g.chain_id, ToHex(g.hash), head.height,
               ToHex(head.block_hash));
  return node;
}

Node::~Node() { Stop(); }

Status Node::Start() {
  started_ms_ = clock_.NowMs();
  commit_thread_ = std::thread([this] { CommitLoop(); });
  consensus_thread_ = std::thread([this] {
    auto guard = boost::asio::make_work_guard(io_);
    io_.run();
  });
  rpc::ServerOptions server_options;
  server_options.max_watchers = config_.max_watchers;
  server_options.watch_stall_ms = config_.watch_stall_ms;
  server_ = std::make_unique<rpc::Server>(this, server_options);
  Status s = server_->Start(config_.grpc_listen);
  if (!s.ok()) {
    Stop();
    return s;
  }
  spdlog::info("replica {} ({}) serving gRPC on {}", config_.replica_id, identity_->org(),
               config_.grpc_listen);
  return Status::Ok();
}

void Node::Stop() {
  if (stopped_) return;
  stopped_ = true;
  stopping_.store(true);  // admission now answers UNAVAILABLE
  if (server_) server_->SetServing(false);
  // 1. Order what was admitted: every pending event goes into a block now, and the blocks
  //    in hand are executed and stored, so a clean stop loses no admitted event.
  if (consensus_thread_.joinable()) {
    boost::asio::post(io_, [this] { Apply(core_->Flush(clock_.NowMs())); });
    const auto until = std::chrono::steady_clock::now() + std::chrono::seconds(10);
    while (std::chrono::steady_clock::now() < until) {
      {
        std::lock_guard<std::mutex> lock(status_mu_);
        if (status_.mempool_events == 0 && status_.committed_height == status_.ordered_height) {
          break;
        }
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(5));
    }
  }
  io_.stop();
  if (consensus_thread_.joinable()) consensus_thread_.join();
  // 2. Commit every block already ordered (if the drain above timed out).
  {
    std::lock_guard<std::mutex> lock(commit_mu_);
    commit_stop_ = true;
  }
  commit_cv_.notify_all();
  if (commit_thread_.joinable()) commit_thread_.join();
  // 3. Release waiters and Watch streams, then stop gRPC.
  if (notifier_) notifier_->Shutdown();
  if (server_) server_->Shutdown(1000);
  spdlog::info("stopped at height {}", store_ ? store_->head().height : 0);
}

std::vector<Status> Node::Order(const std::vector<model::EventPtr>& events) {
  if (stopping_.load()) {
    return std::vector<Status>(events.size(),
                               Status::Unavailable("node is shutting down; retry later"));
  }
  // The task owns copies of what it uses: if the node stops before running it, nothing dangles.
  auto done = std::make_shared<std::promise<std::vector<Status>>>();
  auto result = done->get_future();
  boost::asio::post(io_, [this, events, done] {
    std::vector<Status> statuses;
    Apply(core_->OnEvents(events, clock_.NowMs(), &statuses));
    done->set_value(std::move(statuses));
  });
  while (result.wait_for(std::chrono::milliseconds(100)) != std::future_status::ready) {
    if (stopping_.load()) {
      return std::vector<Status>(events.size(),
                                 Status::Unavailable("node is shutting down; retry later"));
    }
  }
  return result.get();
}

void Node::Apply(consensus::Actions actions) {
  for (auto& action : actions) {
    if (auto* cb = std::get_if<consensus::CommitBlock>(&action)) {
      {
        std::lock_guard<std::mutex> lock(commit_mu_);
        commit_queue_.push_back(std::move(*cb));
      }
      commit_cv_.notify_one();
    } else if (auto* t = std::get_if<consensus::SetTimer>(&action)) {
      const int64_t delay_ms = std::max<int64_t>(0, t->at_ms - clock_.NowMs());
      timer_.expires_after(std::chrono::milliseconds(delay_ms));
      timer_.async_wait([this](const boost::system::error_code& ec) { OnTimer(ec); });
    }
  }
  SnapshotStatus();
}

void Node::OnTimer(const boost::system::error_code& ec) {
  if (ec == boost::asio::error::operation_aborted) return;
  Apply(core_->OnTick(clock_.NowMs()));
}

void Node::SnapshotStatus() {
  std::lock_guard<std::mutex> lock(status_mu_);
  status_ = core_->status();
}

void Node::CommitLoop() {
  for (;;) {
    consensus::CommitBlock cb;
    {
      std::unique_lock<std::mutex> lock(commit_mu_);
      commit_cv_.wait(lock, [this] { return commit_stop_ || !commit_queue_.empty(); });
      if (commit_queue_.empty()) return;  // stopping and drained
      cb = std::move(commit_queue_.front());
      commit_queue_.pop_front();
    }
    CommitOne(cb);
  }
}

void Node::CommitOne(consensus::CommitBlock& cb) {
  const v1::Proposal& p = cb.block.proposal();
  const model::BlockContext ctx{p.height(), p.timestamp_ms()};
  model::BlockEffects effects = contracts::ExecuteBlock(cb.events, *store_, ctx);
  const storage::ChainHead head = store_->head();
  const Bytes results =
      model::ResultsDigest(head.results, effects.receipts_root, effects.state_writes_digest);
  Status s = store_->CommitBlock(cb.block, cb.events, effects, results);
  // A block that consensus committed but the store cannot write leaves the node unable to go
  // on safely: stop rather than diverge (CONVENTIONS: a broken invariant stops the node).
  SHIPLEDGER_CHECK_MSG(s.ok(), s.ToString().c_str());
  notifier_->Published(p.height(), effects.receipts);
  consensus::Committed done{p.height(), cb.block.block_hash(), results};
  boost::asio::post(io_, [this, done = std::move(done)] {
    Apply(core_->OnCommitted(done, clock_.NowMs()));
  });
}

v1::NodeStatus Node::NodeStatus() const {
  v1::NodeStatus out;
  consensus::ReplicaStatus rs;
  {
    std::lock_guard<std::mutex> lock(status_mu_);
    rs = status_;
  }
  const storage::ChainHead head = store_->head();
  out.set_chain_id(genesis_->chain_id);
  out.set_replica_id(config_.replica_id);
  out.set_organisation(identity_->org());
  out.set_view(rs.view);
  out.set_primary(rs.primary);
  out.set_is_primary(rs.is_primary);
  out.set_height(head.height);
  out.set_head_hash(head.block_hash);
  out.set_mempool_events(rs.mempool_events);
  out.set_mempool_capacity(rs.mempool_capacity);
  out.set_stable_checkpoint(rs.stable_checkpoint);
  // A node counts its own head among the heights it knows, so lag never wraps.
  const uint64_t highest_known = std::max(rs.highest_known_height, head.height);
  out.set_highest_known_height(highest_known);
  out.set_lag(highest_known - head.height);
  out.set_view_changing(rs.view_changing);
  out.set_diverged_height(rs.diverged_height);
  const int64_t now_ms = clock_.NowMs();
  for (const consensus::PeerState& peer : rs.peers) {
    v1::PeerStatus* p = out.add_peers();
    p->set_replica(peer.replica);
    const model::Replica* replica = genesis_->FindReplica(peer.replica);
    if (replica != nullptr) p->set_organisation(replica->org);
    p->set_height(peer.committed_height);
    p->set_view(peer.view);
    p->set_last_heard_ms_ago(
        peer.last_heard_ms == 0 ? -1 : std::max<int64_t>(0, now_ms - peer.last_heard_ms));
    // connected_out, connected_in, frames_dropped, protocol_errors and bad_messages are the
    // transport's and the validation gate's counters (net::Transport::stats, MessageGate); they
    // stay 0 until the node wires a transport in.
  }
  out.set_uptime_ms(now_ms - started_ms_);
  out.set_version(std::string(kVersion));
  out.set_nodes(genesis_->n());
  out.set_events_committed(head.event_count);
  out.set_watchers(server_ ? server_->watchers() : 0);
  return out;
}

}  // namespace shipledger::node
