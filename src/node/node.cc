#include "node/node.h"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <boost/asio/post.hpp>
#include <future>

#include "config/genesis_file.h"
#include "consensus/key_signer.h"
#include "contracts/commit.h"
#include "crypto/x509.h"
#include "model/block.h"
#include "node/node_files.h"
#include "shipledger/endpoint.h"
#include "shipledger/log.h"
#include "shipledger/thread_name.h"

namespace shipledger::node {

using enum LogComponent;

namespace {
// Dropped peer messages are summed up in one log line per this interval.
constexpr int64_t kDropLogIntervalMs = 5000;
}  // namespace

Node::Node(const config::NodeConfig& config, const Clock& clock) : config_(config), clock_(clock) {}

Result<std::unique_ptr<Node>> Node::Create(const config::NodeConfig& config, const Clock& clock) {
  auto node = std::unique_ptr<Node>(new Node(config, clock));
  SL_ASSIGN_OR_RETURN(NodeFiles files, LoadNodeFiles(config));
  node->genesis_ = std::move(files.genesis);
  const model::Genesis& g = *node->genesis_;
  node->identity_ = std::make_unique<config::Identity>(std::move(files.identity));
  node->signer_ = std::make_unique<consensus::KeySigner>(node->identity_->key);
  node->validator_ = std::make_unique<model::EventValidator>(node->genesis_);
  node->verify_pool_ =
      std::make_unique<VerifyPool>(VerifyPool::WorkersFor(node->config_.verify_threads));

  auto store = storage::Store::Open(config.data_dir, g);
  if (!store.ok()) return store.status();
  node->store_ = std::move(store).value();
  if (const uint32_t found = node->store_->found_schema_version();
      found != 0 && found < storage::Store::SchemaVersion()) {
    Log(kNode).warn(
        "data dir {} had storage schema {}; it now has {} (its old records are read as "
        "they are), and builds that read only schema {} will refuse it",
        config.data_dir, found, storage::Store::SchemaVersion(), found);
  }
  if (const std::optional<uint64_t> indexed = node->store_->party_index_rebuilt()) {
    Log(kNode).info("data dir {}: built the party index (ListShipments) from {} shipment states",
                    config.data_dir, *indexed);
  }
  const storage::ChainHead head = node->store_->head();
  node->notifier_ = std::make_unique<rpc::CommitNotifier>(head.height);
  SL_RETURN_IF_ERROR(node->CreateCore());
  node->status_ = node->core_->status();
  Log(kNode).info("chain '{}' genesis {} at height {} head {}", g.chain_id, ToHex(g.hash),
                  head.height, ToHex(head.block_hash));
  return node;
}

Status Node::CreateCore() {
  const model::Genesis& g = *genesis_;
  const storage::ChainHead head = store_->head();
  if (g.n() > 1 && config_.peer_listen.empty()) {
    return Status::InvalidArgument(
        "node.yaml has no peer_listen, but the genesis has " + std::to_string(g.n()) +
        " replicas: set peer_listen to the host:port this replica accepts its peers on (the "
        "genesis names " +
        g.FindReplica(config_.replica_id)->peer_endpoint + " for it)");
  }
  consensus::Restored restored;
  restored.tip = {head.height, head.block_hash, head.block_time_ms, head.results};
  auto journal = store_->LoadJournal();
  if (!journal.ok())
    return journal.status().WithContext("consensus journal in " + config_.data_dir);
  restored.journal = std::move(journal).value();
  auto stable = store_->LatestCheckpoint();
  if (!stable.ok()) return stable.status().WithContext("stable checkpoint in " + config_.data_dir);
  restored.stable = std::move(stable).value();
  // The digests of stored blocks above the stable checkpoint: a re-proposal at one of those
  // heights gets our vote only if it is what we stored.
  // With the stable block's, they prove block times in VIEW-CHANGEs (DESIGN §5).
  for (uint64_t h = std::max<uint64_t>(restored.stable.height(), 1); h <= head.height; ++h) {
    auto header = store_->GetBlockHeader(h);
    if (!header.ok()) return header.status().WithContext("block header " + std::to_string(h));
    if (h > restored.stable.height()) {
      restored.ordered_digests[h] = model::ProposalDigest(header->proposal());
    }
    restored.headers[h] = {header->proposal(), header->prev_block_hash()};
  }

  consensus::PbftOptions opts =
      consensus::PbftOptions::FromGenesis(g, config_.replica_id, config_.mempool_capacity);
  if (config_.batch_timeout_ms != 0) opts.batch_timeout_ms = config_.batch_timeout_ms;
  core_ = std::make_unique<consensus::PbftReplica>(genesis_, opts, signer_.get(), restored);
  if (g.n() == 1) {
    Log(kNode).info("the only replica (n = 1), stable checkpoint {}", restored.stable.height());
    return Status::Ok();
  }
  inbox_ = std::make_unique<PeerInbox>(g.n(), PeerInbox::Options{});
  // DESIGN §6 fairness: forwarded copies of committed events are dropped unverified (the store
  // is safe to read from the peer thread).
  gate_ = std::make_unique<consensus::MessageGate>(
      genesis_, validator_.get(), config_.replica_id, verify_pool_.get(),
      [store = store_.get()](ByteView event_id) { return store->HasEvent(event_id); });
  // Listening on one address of its own, the node also dials its peers from it.
  PeerIoOptions peer_options;
  if (const auto listen = SplitEndpoint(config_.peer_listen);
      listen && crypto::IsIpAddress(listen->host) && listen->host != "0.0.0.0" &&
      listen->host != "::") {
    peer_options.transport.bind_address = listen->host;
  }
  peer_io_ = std::make_unique<PeerIo>(
      genesis_, config_.replica_id, *identity_, gate_.get(), store_.get(), clock_, peer_options,
      [this](consensus::InboundMessage m) { DeliverPeerMessage(std::move(m)); });
  Log(kNode).info("replica {} of {} (f = {}), journal of {} entries, stable checkpoint {}",
                  config_.replica_id, g.n(), g.f(), restored.journal.size(),
                  restored.stable.height());
  return Status::Ok();
}

Node::~Node() { Stop(); }

Status Node::Start() {
  started_ms_ = clock_.NowMs();
  commit_thread_ = std::thread([this] {
    SetThreadName("sl-commit");
    CommitLoop();
  });
  consensus_thread_ = std::thread([this] {
    SetThreadName("sl-consensus");
    auto guard = boost::asio::make_work_guard(io_);
    io_.run();
  });
  // Start() is queued before any peer message can be: the core sees Start first. What it
  // sends meanwhile waits in the transport's queues until the links are up.
  boost::asio::post(io_, [this] { Apply(core_->Start(clock_.NowMs())); });
  if (peer_io_) {
    if (Status s = peer_io_->Start(config_.peer_listen); !s.ok()) {
      Stop();
      return s;
    }
    Log(kNode).info("replica {} accepting peers on {}", config_.replica_id, config_.peer_listen);
  }
  rpc::ServerOptions server_options;
  server_options.max_watchers = config_.max_watchers;
  server_options.max_watchers_per_org = config_.max_watchers_per_org;
  server_options.watch_stall_ms = config_.watch_stall_ms;
  server_options.insecure = config_.insecure_client_api;
  if (config_.insecure_client_api) {
    for (int i = 0; i < 3; ++i) {
      Log(kNode).warn(
          "INSECURE CLIENT API on {}: plaintext, no client certificates, every shipment readable "
          "by anyone who can connect (node.yaml insecure_client_api: true) — development only",
          config_.grpc_listen);
    }
  } else {
    server_options.tls_cert_pem = identity_->cert.ToPem();
    server_options.tls_key_pem = identity_->key.ToPem();
  }
  server_ = std::make_unique<rpc::Server>(this, server_options);
  Status s = server_->Start(config_.grpc_listen);
  if (!s.ok()) {
    Stop();
    return s;
  }
  Log(kNode).info("replica {} ({}) serving gRPC on {} ({})", config_.replica_id, identity_->org(),
                  config_.grpc_listen,
                  config_.insecure_client_api ? "INSECURE plaintext" : "TLS, client certificates");
  if (!config_.tracking_listen.empty()) {
    rpc::TrackingServerOptions tracking_options;
    tracking_options.rate.rate_per_s = config_.tracking_rate_per_s;
    tracking_options.rate.burst = config_.tracking_burst;
    tracking_options.max_connections_per_address = config_.tracking_max_connections_per_address;
    tracking_ =
        std::make_unique<rpc::TrackingServer>(*store_, tracking_options, &metrics_.registry());
    if (Status ts = tracking_->Start(config_.tracking_listen); !ts.ok()) {
      Stop();
      return ts;
    }
  }
  if (Status os = StartOperations(); !os.ok()) {
    Stop();
    return os;
  }
  return Status::Ok();
}

void Node::Stop() {
  if (stopped_) return;
  stopped_ = true;
  stopping_.store(true);  // admission now answers UNAVAILABLE
  if (server_) server_->SetServing(false);
  // The public tracking service and the operations endpoint read the store and the core's
  // status only; they go first, before the store closes.
  if (tracking_) tracking_->Stop();
  if (operations_) operations_->Stop();
  // 1. No more peer traffic: nothing arrives for the core, and what it still sends is dropped.
  if (peer_io_) peer_io_->Stop();
  // 2. One replica: order what was admitted: every pending event goes into a block now, and
  //    the blocks in hand are executed and stored, so a clean stop loses no admitted event.
  //    With peers ordering needs them, so pending events are left to them (every admitted
  //    event was forwarded to the peers, which order it).
  if (consensus_thread_.joinable() && genesis_->n() == 1) {
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
  // 3. Commit every block already ordered.
  {
    std::lock_guard<std::mutex> lock(commit_mu_);
    commit_stop_ = true;
  }
  commit_cv_.notify_all();
  if (commit_thread_.joinable()) commit_thread_.join();
  // 4. Release waiters and Watch streams, then stop gRPC.
  if (notifier_) notifier_->Shutdown();
  if (server_) server_->Shutdown(1000);
  // A node that never started (Create failed half-way, or Start was not called) says nothing.
  if (started_ms_ != 0) Log(kNode).info("stopped at height {}", store_ ? store_->head().height : 0);
}

std::vector<Status> Node::Order(const std::vector<model::EventPtr>& events) {
  if (stopping_.load()) {
    return std::vector<Status>(events.size(),
                               Status::Unavailable("node is shutting down; retry later"));
  }
  // Admission verified these: copies forwarded back by peers or carried by a PRE-PREPARE are
  // not verified again (DESIGN §10).
  if (gate_) gate_->NoteVerified(events);
  // The task owns copies of what it uses: if the node stops before running it, nothing dangles.
  auto done = std::make_shared<std::promise<std::vector<Status>>>();
  auto result = done->get_future();
  boost::asio::post(io_, [this, events, done] {
    std::vector<Status> statuses;
    const int64_t now_ms = clock_.NowMs();
    Apply(core_->OnEvents(events, now_ms, &statuses));
    NoteHeld(events);
    metrics_.Admitted(events, statuses, now_ms);
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

void Node::DeliverPeerMessage(consensus::InboundMessage message) {
  // A forward whose every event the gate dropped as held or committed changes nothing.
  if (message.message.has_forward() && (message.events.empty() || message.events[0].empty())) {
    return;
  }
  const uint32_t from = message.from;
  bool schedule_drain = false;
  if (inbox_->Push(std::move(message), &schedule_drain) == PeerInbox::Pushed::kDropped) {
    // One summary line per interval, however fast a peer floods.
    inbox_drops_unlogged_.fetch_add(1);
    const int64_t now_ms = clock_.NowMs();
    int64_t last = inbox_drop_logged_ms_.load();
    if (now_ms - last >= kDropLogIntervalMs &&
        inbox_drop_logged_ms_.compare_exchange_strong(last, now_ms)) {
      Log(kNode).warn(
          "peer messages dropped over their sender's share of the consensus thread's queue: {} "
          "since the last such line, the latest from replica {} ({} from it in all)",
          inbox_drops_unlogged_.exchange(0), from, inbox_->counts(from).dropped);
    }
  }
  if (schedule_drain) boost::asio::post(io_, [this] { DrainPeerMessages(); });
}

void Node::DrainPeerMessages() {
  // A bounded batch per task: whatever else was posted meanwhile (ticks, events, commits) runs
  // before the next batch.
  constexpr size_t kBatch = 64;
  std::vector<consensus::InboundMessage> batch;
  batch.reserve(kBatch);
  const bool more = inbox_->Drain(kBatch, &batch);
  for (const consensus::InboundMessage& m : batch) {
    if (Log(kConsensus).should_log(spdlog::level::debug)) {
      Log(kConsensus).debug("<- {}: {}", m.from, DescribePeerMessage(m.message));
    }
    Apply(core_->OnPeerMessage(m, clock_.NowMs()));
    if (m.message.has_forward() && !m.events.empty()) NoteHeld(m.events[0]);
  }
  if (more) boost::asio::post(io_, [this] { DrainPeerMessages(); });
}

void Node::NoteHeld(const std::vector<model::EventPtr>& events) {
  if (gate_ == nullptr) return;
  std::vector<Bytes> held;
  held.reserve(events.size());
  for (const auto& e : events) {
    if (core_->HoldsEvent(e->id)) held.push_back(e->id);
  }
  gate_->NoteHeld(held);
}

void Node::Apply(consensus::Actions actions) {
  consensus::CarryOut(std::move(actions), *this);
  SnapshotStatus();
}

void Node::Execute(consensus::CommitBlock block) {
  {
    std::lock_guard<std::mutex> lock(commit_mu_);
    commit_queue_.push_back(std::move(block));
  }
  commit_cv_.notify_one();
}

void Node::SendTo(uint32_t replica, std::shared_ptr<const v1::PeerMessage> message) {
  if (peer_io_ == nullptr) return;
  if (Log(kConsensus).should_log(spdlog::level::debug)) {
    Log(kConsensus).debug("-> {}: {}", replica, DescribePeerMessage(*message));
  }
  peer_io_->Send(replica, *message);
}

void Node::SendToAll(std::shared_ptr<const v1::PeerMessage> message) {
  if (peer_io_ == nullptr) return;
  if (Log(kConsensus).should_log(spdlog::level::debug)) {
    Log(kConsensus).debug("-> all: {}", DescribePeerMessage(*message));
  }
  peer_io_->Broadcast(*message);
}

Status Node::AppendJournal(uint64_t height, const v1::JournalEntry& entry) {
  return store_->AppendJournal(height, entry);
}

void Node::StoreStable(const v1::CheckpointCertificate& certificate) {
  if (Status s = store_->PutCheckpoint(certificate); !s.ok()) {
    // The certificate is also held by the peers; a restart falls back to an older one, with
    // the journal it covers (pruned only in the same write).
    Log(kConsensus)
        .warn("cannot store the checkpoint certificate of height {}: {}", certificate.height(),
              s.ToString());
    return;
  }
  Log(kConsensus)
      .info("checkpoint {} stable ({} signatures)", certificate.height(), certificate.votes_size());
}

void Node::ArmTimer(int64_t at_ms) {
  // Every deadline asked for gets a tick (a core may ask for several: batching, view change,
  // heartbeat); one Asio timer is armed for the earliest.
  deadlines_.insert(at_ms);
  if (timer_armed_ms_ != 0 && timer_armed_ms_ <= at_ms) return;
  timer_armed_ms_ = at_ms;
  const int64_t delay_ms = std::max<int64_t>(0, at_ms - clock_.NowMs());
  timer_.expires_after(std::chrono::milliseconds(delay_ms));
  timer_.async_wait([this](const boost::system::error_code& ec) { OnTimer(ec); });
}

void Node::OnTimer(const boost::system::error_code& ec) {
  if (ec == boost::asio::error::operation_aborted) return;  // re-armed earlier, or stopping
  const int64_t now_ms = clock_.NowMs();
  timer_armed_ms_ = 0;
  // The steady timer may fire a little before the wall clock reaches the deadline: due means
  // within the timer's granularity.
  deadlines_.erase(deadlines_.begin(), deadlines_.upper_bound(now_ms + 1));
  if (!deadlines_.empty()) {
    const int64_t next = *deadlines_.begin();
    deadlines_.erase(deadlines_.begin());
    ArmTimer(next);
  }
  Apply(core_->OnTick(now_ms));
}

void Node::SnapshotStatus() {
  consensus::ReplicaStatus now = core_->status();
  std::lock_guard<std::mutex> lock(status_mu_);
  // Operators see view changes and divergence in the log (status_ is written only here, on the
  // consensus thread, so comparing with it is race-free).
  if (now.view_changing && !status_.view_changing) {
    metrics_.ViewChangeStarted();
    Log(kConsensus)
        .info("view change: leaving view {} (primary {}) at committed height {}", status_.view,
              status_.primary, now.committed_height);
  }
  if (now.view != status_.view || (!now.view_changing && status_.view_changing)) {
    Log(kConsensus)
        .info("view {}{}: primary {}{}, committed height {}", now.view,
              now.view_changing ? " (changing)" : "", now.primary,
              now.is_primary ? " (this node)" : "", now.committed_height);
  }
  if (now.fetching && !transfer_logged_) {
    transfer_logged_ = true;
    transfer_from_blocks_ = now.blocks_transferred;
    Log(kConsensus)
        .info("state transfer: at height {}, peers report {}: fetching certified blocks",
              now.ordered_height, now.highest_known_height);
  } else if (!now.fetching && transfer_logged_ && now.ordered_height >= now.highest_known_height) {
    transfer_logged_ = false;
    Log(kConsensus)
        .info("state transfer: caught up at height {} ({} blocks transferred)", now.ordered_height,
              now.blocks_transferred - transfer_from_blocks_);
  }
  if (now.diverged_height != 0 && status_.diverged_height == 0) {
    Log(kConsensus)
        .error(
            "our results differ from a stable checkpoint at height {}: this replica stops "
            "voting; compare its data dir with a peer's (shipledger verify)",
            now.diverged_height);
  }
  status_ = std::move(now);
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
    committing_since_ms_.store(SteadyMs());
    CommitOne(cb);
    committing_since_ms_.store(0);
  }
}

void Node::CommitOne(consensus::CommitBlock& cb) {
  const uint64_t height = cb.block.proposal().height();
  const auto started = std::chrono::steady_clock::now();
  auto executed = contracts::CommitBlock(*genesis_, cb.block, cb.events, *store_);
  // A block that consensus committed but the store cannot write leaves the node unable to go
  // on safely: stop rather than diverge (CONVENTIONS: a broken invariant stops the node).
  SHIPLEDGER_CHECK_MSG(executed.ok(), executed.status().ToString().c_str());
  metrics_.BlockCommitted(
      cb.events, executed->effects.receipts,
      std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count(),
      clock_.NowMs());
  notifier_->Published(std::make_shared<const rpc::CommittedBlock>(
      cb.block, std::move(cb.events), std::move(executed->effects.receipts)));
  consensus::Committed done{height, cb.block.block_hash(), std::move(executed->results)};
  boost::asio::post(
      io_, [this, done = std::move(done)] { Apply(core_->OnCommitted(done, clock_.NowMs())); });
}

}  // namespace shipledger::node
