#include "cluster.h"

#include <gtest/gtest.h>
#include <signal.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <deque>
#include <fstream>

namespace shipledger::itest {

namespace {

model::ConsensusParams TestConsensus(uint32_t view_timeout_ms, uint32_t batch_max_events) {
  model::ConsensusParams c;
  c.view_timeout_ms = view_timeout_ms;
  if (batch_max_events != 0) c.batch_max_events = batch_max_events;
  c.checkpoint_interval = 16;  // several checkpoints (and journal pruning) per test
  return c;
}

std::string FourNodeOrgs() {
  std::string orgs;
  for (const char* org : Cluster::kOrgs) {
    if (!orgs.empty()) orgs += ",";
    orgs += std::string(org) + ":" + org;
  }
  return orgs;
}

}  // namespace

Cluster::Cluster(uint32_t view_timeout_ms, uint32_t batch_max_events)
    : net_(FourNodeOrgs(), TestConsensus(view_timeout_ms, batch_max_events)) {}

Cluster::~Cluster() {
  for (auto& d : daemons_) d.reset();  // Daemon's destructor: SIGKILL and wait
}

std::string Cluster::target(int i) const {
  return "127.0.0.1:" + std::to_string(net_.port() + 2 * i);
}

std::string Cluster::log_path(int i) const {
  return (net_.path() / (std::string(kOrgs[i]) + ".log")).string();
}

// SHIPLEDGER_IT_LOG_LEVEL=debug logs every peer message (for a failing cluster test).
std::string NodeLogLevel() {
  const char* level = std::getenv("SHIPLEDGER_IT_LOG_LEVEL");
  return level != nullptr && *level != '\0' ? level : "info";
}

bool Cluster::Start(int i) {
  daemons_[i] = std::make_unique<Daemon>(net_.node_yaml(kOrgs[i]), log_path(i), NodeLogLevel());
  return WaitReady(net_, target(i), 20000);
}

bool Cluster::StartAll() {
  for (int i = 0; i < kNodes; ++i) {
    daemons_[i] = std::make_unique<Daemon>(net_.node_yaml(kOrgs[i]), log_path(i), NodeLogLevel());
  }
  bool ok = true;
  for (int i = 0; i < kNodes; ++i) ok = WaitReady(net_, target(i), 20000) && ok;
  return ok;
}

int Cluster::Stop(int i, int signal) {
  if (!daemons_[i]) return 0;
  daemons_[i]->Kill(signal);
  const int status = daemons_[i]->Wait();
  daemons_[i].reset();
  return status;
}

std::optional<v1::NodeStatus> Cluster::Status(int i) const {
  auto channel = grpc::CreateChannel(target(i), net_.credentials());
  auto stub = v1::AdminService::NewStub(channel);
  grpc::ClientContext ctx;
  ctx.set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(1));
  v1::NodeStatus status;
  if (!stub->GetNodeStatus(&ctx, v1::GetNodeStatusRequest(), &status).ok()) return std::nullopt;
  return status;
}

std::optional<v1::NodeStatus> Cluster::WaitSameHead(const std::vector<int>& nodes, int timeout_ms,
                                                    uint64_t min_height) const {
  const auto until = std::chrono::steady_clock::now() + std::chrono::milliseconds(timeout_ms);
  int agreeing_rounds = 0;
  Bytes last_hash;
  std::vector<std::optional<v1::NodeStatus>> statuses(nodes.size());
  while (std::chrono::steady_clock::now() < until) {
    bool same = true;
    for (size_t k = 0; k < nodes.size(); ++k) {
      statuses[k] = Status(nodes[k]);
      same = same && statuses[k].has_value() && statuses[k]->height() >= min_height &&
             statuses[k]->head_hash() == statuses[0]->head_hash();
    }
    // Agreement twice in a row on the same head: the nodes are not in the middle of a block.
    if (same && statuses[0]->head_hash() == last_hash) {
      if (++agreeing_rounds >= 2) return statuses[0];
    } else {
      agreeing_rounds = same ? 1 : 0;
    }
    last_hash = same ? statuses[0]->head_hash() : Bytes();
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  for (size_t k = 0; k < nodes.size(); ++k) {
    if (!statuses[k]) {
      std::printf("node %d: no status\n", nodes[k]);
    } else {
      std::printf("node %d: view %llu height %llu head %s\n", nodes[k],
                  static_cast<unsigned long long>(statuses[k]->view()),
                  static_cast<unsigned long long>(statuses[k]->height()),
                  ToHex(statuses[k]->head_hash()).c_str());
    }
  }
  return std::nullopt;
}

void Cluster::PrintLogs(int lines) const {
  for (int i = 0; i < kNodes; ++i) {
    std::ifstream in(log_path(i));
    std::deque<std::string> tail;
    for (std::string line; std::getline(in, line);) {
      tail.push_back(line);
      if (tail.size() > static_cast<size_t>(lines)) tail.pop_front();
    }
    std::printf("---- %s (replica %d), last %zu lines\n", kOrgs[i], i, tail.size());
    for (const auto& line : tail) std::printf("%s\n", line.c_str());
  }
}

Load::Load(const Cluster& cluster, std::vector<int> nodes, const std::string& tag)
    : cluster_(cluster) {
  for (size_t t = 0; t < nodes.size(); ++t) {
    threads_.emplace_back([this, node = nodes[t], prefix = tag + "-" + std::to_string(t) + "-"] {
      Client c(cluster_.net(), cluster_.target(node));
      for (int i = 0; !stop_.load(); ++i) {
        auto e = c.SignedBy("exporter", v1::EVENT_TYPE_BOOKED, prefix + std::to_string(i));
        grpc::Status s;
        auto resp = c.Submit({e}, true, &s);
        if (s.ok() && resp.results_size() == 1 && resp.results(0).code() == 0 &&
            resp.results(0).receipt().code() == v1::RESULT_CODE_VALID) {
          std::lock_guard<std::mutex> lock(mu_);
          acked_.push_back(resp.results(0).event_id());
        } else {
          std::this_thread::sleep_for(std::chrono::milliseconds(100));
        }
      }
    });
  }
}

Load::~Load() { Stop(); }

void Load::Stop() {
  stop_.store(true);
  for (auto& t : threads_) {
    if (t.joinable()) t.join();
  }
}

size_t Load::acked() const {
  std::lock_guard<std::mutex> lock(mu_);
  return acked_.size();
}

std::vector<Bytes> Load::acked_ids() const {
  std::lock_guard<std::mutex> lock(mu_);
  return acked_;
}

bool Load::WaitAcked(size_t count, int timeout_ms) const {
  const auto until = std::chrono::steady_clock::now() + std::chrono::milliseconds(timeout_ms);
  while (acked() < count) {
    if (std::chrono::steady_clock::now() >= until) return false;
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  return true;
}

void ExpectAllCommitted(const Cluster& cluster, int i, const std::vector<Bytes>& ids) {
  Client c(cluster.net(), cluster.target(i));
  size_t missing = 0;
  for (const Bytes& id : ids) {
    grpc::ClientContext ctx;
    v1::GetReceiptRequest req;
    req.set_event_id(id);
    v1::Receipt r;
    const grpc::Status s = c.stub().GetReceipt(&ctx, req, &r);
    if (!s.ok() || r.code() != v1::RESULT_CODE_VALID) {
      if (++missing <= 5) {
        ADD_FAILURE() << "node " << i << ": acknowledged event " << ToHex(id)
                      << " lost: " << (s.ok() ? "receipt not VALID" : s.error_message());
      }
    }
  }
  EXPECT_EQ(missing, 0u) << "of " << ids.size() << " acknowledged events on node " << i;
}

}  // namespace shipledger::itest
