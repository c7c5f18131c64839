// Node's side of the operations endpoint (docs/operations.md): the metrics collectors, the
// liveness and readiness checks and /version.
#include <algorithm>
#include <boost/asio/post.hpp>
#include <chrono>
#include <future>
#include <memory>

#include "net/tls.h"
#include "node/node.h"
#include "shipledger/json_text.h"
#include "shipledger/log.h"

namespace shipledger::node {

using enum LogComponent;

namespace {
// /healthz: the consensus thread must run a posted task within this long.
constexpr auto kLoopDeadline = std::chrono::seconds(2);
// /healthz: one block's execution and write may take this long.
constexpr int64_t kCommitStallMs = 30000;
}  // namespace

Status Node::StartOperations() {
  metrics::Registry& registry = metrics_.registry();
  registry.AddCollector([this](metrics::Writer* out) { WriteNodeMetrics(Snapshot(), out); });
  registry.AddCollector([this](metrics::Writer* out) {
    WriteCertificateMetrics(*genesis_, identity_->cert, config_.replica_id, out);
    WriteProcessMetrics(out);
  });
  if (config_.operations_listen.empty()) return Status::Ok();
  OperationsOptions options;
  options.listen = config_.operations_listen;
  options.genesis = genesis_.get();
  options.org = identity_->org();
  if (config_.operations_tls) {
    SL_ASSIGN_OR_RETURN(options.tls, net::MakeTlsContext(identity_->cert, identity_->key));
  }
  OperationsHooks hooks;
  hooks.metrics = [this] { return metrics_.registry().Render(); };
  hooks.liveness = [this] { return Liveness(); };
  hooks.readiness = [this] { return Readiness(); };
  hooks.version_json = [this] { return VersionJson(); };
  operations_ = std::make_unique<OperationsServer>(std::move(options), std::move(hooks));
  return operations_->Start();
}

NodeSnapshot Node::Snapshot() const {
  NodeSnapshot out;
  out.status = NodeStatus();
  {
    std::lock_guard<std::mutex> lock(status_mu_);
    out.core = status_;
  }
  out.storage = store_->FamilySizes();
  return out;
}

std::vector<HealthCheck> Node::Liveness() {
  std::vector<HealthCheck> checks;
  // The consensus thread answers: a task posted now runs within the deadline.
  HealthCheck loop{"consensus_loop", true, "answers within 2 s"};
  if (stopping_.load()) {
    loop = {"consensus_loop", false, "the node is stopping"};
  } else {
    auto ran = std::make_shared<std::promise<void>>();
    std::future<void> done = ran->get_future();
    boost::asio::post(io_, [ran] { ran->set_value(); });
    if (done.wait_for(kLoopDeadline) != std::future_status::ready) {
      loop = {"consensus_loop", false, "a task posted to the consensus thread did not run in 2 s"};
    }
  }
  checks.push_back(std::move(loop));
  uint64_t diverged = 0;
  size_t commit_backlog = 0;
  {
    std::lock_guard<std::mutex> lock(status_mu_);
    diverged = status_.diverged_height;
  }
  {
    std::lock_guard<std::mutex> lock(commit_mu_);
    commit_backlog = commit_queue_.size();
  }
  checks.push_back(diverged == 0
                       ? HealthCheck{"results_agree", true, "no checkpoint disagrees with ours"}
                       : HealthCheck{"results_agree", false,
                                     "our results differ from a stable checkpoint at height " +
                                         std::to_string(diverged) +
                                         "; this replica has stopped voting (docs/operations.md)"});
  const int64_t since = committing_since_ms_.load();
  const int64_t busy_ms = since == 0 ? 0 : SteadyMs() - since;
  checks.push_back({"commit_thread", busy_ms <= kCommitStallMs,
                    since == 0 ? std::to_string(commit_backlog) + " blocks waiting"
                               : "executing a block for " + std::to_string(busy_ms) + " ms, " +
                                     std::to_string(commit_backlog) + " more waiting"});
  return checks;
}

std::vector<HealthCheck> Node::Readiness() {
  std::vector<HealthCheck> checks = Liveness();
  const v1::NodeStatus s = NodeStatus();
  const uint32_t n = genesis_->n();
  const uint32_t f = genesis_->f();
  // The height a quorum (2f+1, this node included) has reached: the quorum-th highest of the
  // heights known, ours and what each peer last reported.
  std::vector<uint64_t> heights{s.height()};
  uint32_t connected = 0;
  for (const v1::PeerStatus& p : s.peers()) {
    heights.push_back(p.height());
    connected += (p.connected_out() || p.connected_in()) ? 1 : 0;
  }
  std::sort(heights.rbegin(), heights.rend());
  const size_t quorum = std::min<size_t>(2 * f + 1, heights.size());
  const uint64_t quorum_height = heights[quorum - 1];
  const bool caught_up = s.height() + config_.ready_max_lag_blocks >= quorum_height;
  checks.push_back({"caught_up", caught_up,
                    "height " + std::to_string(s.height()) + ", a quorum has reached " +
                        std::to_string(quorum_height) + " (ready within " +
                        std::to_string(config_.ready_max_lag_blocks) + " blocks)"});
  if (n > 1) {
    checks.push_back({"peers", connected >= 2 * f,
                      std::to_string(connected) + " of " + std::to_string(n - 1) +
                          " peers connected; at least " + std::to_string(2 * f) + " needed"});
  }
  return checks;
}

std::string Node::VersionJson() const {
  return "{\"version\":" + JsonQuoted(kBuildVersion) + ",\"commit\":" + JsonQuoted(kBuildCommit) +
         ",\"chain_id\":" + JsonQuoted(genesis_->chain_id) +
         ",\"replica\":" + std::to_string(config_.replica_id) +
         ",\"organisation\":" + JsonQuoted(identity_->org()) +
         ",\"replicas\":" + std::to_string(genesis_->n()) + "}";
}

}  // namespace shipledger::node
