// Integration-test support for a real 4-node PBFT network: four organisations that each run a
// shipledgerd process on loopback (replica i = kOrgs[i]), clients that keep submitting while
// nodes are killed and restarted, and the checks every cluster test ends with (no acknowledged
// event lost, one head hash everywhere).
#pragma once

#include <atomic>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "fixture.h"

namespace shipledger::itest {

class Cluster {
 public:
  static constexpr int kNodes = 4;
  static constexpr const char* kOrgs[kNodes] = {"exporter", "forwarder", "customs", "importer"};

  // A fresh network whose genesis uses `view_timeout_ms` (short, so view changes are quick) and,
  // when not 0, `batch_max_events` (small: many blocks, several within one millisecond).
  explicit Cluster(uint32_t view_timeout_ms = 1000, uint32_t batch_max_events = 0);
  // Kills every node still running (SIGKILL).
  ~Cluster();

  const NetworkDir& net() const { return net_; }
  std::string target(int i) const;
  std::string log_path(int i) const;

  // Starts node i (its output appended to log_path(i)) and waits until it answers gRPC.
  bool Start(int i);
  bool StartAll();
  // Sends `signal` to node i and waits for it to exit; returns its exit status (or -signal).
  int Stop(int i, int signal);
  bool running(int i) const { return daemons_[i] != nullptr; }

  // GetNodeStatus of node i, nullopt when it does not answer within a second.
  std::optional<v1::NodeStatus> Status(int i) const;
  // Waits until every node in `nodes` reports the same head at a height >= min_height and no
  // node moves for a moment; returns that head (nullopt on timeout, after printing the
  // nodes' statuses).
  std::optional<v1::NodeStatus> WaitSameHead(const std::vector<int>& nodes, int timeout_ms,
                                             uint64_t min_height = 0) const;
  // The tail of every node's log, for a failing test.
  void PrintLogs(int lines = 30) const;

 private:
  NetworkDir net_;
  std::unique_ptr<Daemon> daemons_[kNodes];
};

// Client threads that each submit one `booked` event at a time (wait_for_commit) through one
// node, and keep the ids acknowledged as committed VALID. A failed call (node down, deadline)
// is retried with a new event after a short pause.
class Load {
 public:
  // One thread per entry of `nodes` (repeats allowed), submitting to cluster.target(node).
  Load(const Cluster& cluster, std::vector<int> nodes, const std::string& tag);
  // Stops and joins the threads.
  ~Load();
  void Stop();
  size_t acked() const;
  std::vector<Bytes> acked_ids() const;
  // Waits until at least `count` events are acknowledged; false on timeout.
  bool WaitAcked(size_t count, int timeout_ms) const;

 private:
  const Cluster& cluster_;
  std::atomic<bool> stop_{false};
  mutable std::mutex mu_;
  std::vector<Bytes> acked_;  // GUARDED_BY(mu_)
  std::vector<std::thread> threads_;
};

// Expects every id to have a VALID receipt on node i (gRPC GetReceipt).
void ExpectAllCommitted(const Cluster& cluster, int i, const std::vector<Bytes>& ids);

}  // namespace shipledger::itest
