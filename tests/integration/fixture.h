// Integration-test support: a network folder made by `network init`, in-process nodes on
// ephemeral ports, shipledgerd processes, and gRPC clients signing as the parties.
#pragma once

#include <grpcpp/grpcpp.h>
#include <gtest/gtest.h>
#include <sys/types.h>

#include <chrono>
#include <filesystem>
#include <functional>
#include <memory>
#include <ostream>
#include <string>
#include <vector>

#include "config/identity.h"
#include "config/node_config.h"
#include "model/genesis.h"
#include "node/node.h"
#include "shipledger/v1/ledger.grpc.pb.h"

namespace shipledger::itest {

// A fresh network folder: by default exporter runs the node; forwarder, customs, importer are
// clients. Ports: node i serves gRPC on port() + 2i and peers on port() + 2i + 1, all free when
// the folder was made.
class NetworkDir {
 public:
  explicit NetworkDir(const std::string& orgs =
                          "exporter:exporter,forwarder:forwarder:client,customs:customs:client,"
                          "importer:importer:client",
                      const model::ConsensusParams& consensus = {});
  ~NetworkDir();
  const std::filesystem::path& path() const { return dir_; }
  std::string node_yaml() const { return node_yaml("exporter"); }
  std::string node_yaml(const std::string& org) const {
    return (dir_ / org / "node/node.yaml").string();
  }
  std::string genesis_path() const { return (dir_ / "genesis.yaml").string(); }
  std::string data_dir() const { return data_dir("exporter"); }
  std::string data_dir(const std::string& org) const { return (dir_ / org / "node/data").string(); }
  const config::Identity& client(const std::string& org) const;
  std::shared_ptr<const model::Genesis> genesis() const { return genesis_; }
  int port() const { return port_; }
  // Client API credentials of `org`'s admin client (TLS, client certificate). Default: the
  // first organisation that runs a node (it may read whole blocks).
  std::shared_ptr<grpc::ChannelCredentials> credentials(const std::string& org = "") const;
  // The identity folder of `org`'s admin client.
  std::string admin_dir(const std::string& org) const {
    return (dir_ / org / "clients/admin").string();
  }

 private:
  std::filesystem::path dir_;
  std::shared_ptr<const model::Genesis> genesis_;
  std::map<std::string, config::Identity> clients_;
  int port_ = 0;
};

// A free TCP port on 127.0.0.1 (bind to 0, read, close).
int FreePort();
// The first of `count` consecutive free ports on 127.0.0.1 below the ephemeral range, or 0.
int FreePortRange(int count);

// Builds, signs and submits events as the network's parties.
class Client {
 public:
  // Calls authenticate as `as_org`'s admin client (default: see NetworkDir::credentials).
  Client(const NetworkDir& net, const std::string& target, const std::string& as_org = "");
  v1::LedgerService::Stub& stub() { return *stub_; }
  v1::AdminService::Stub& admin() { return *admin_; }

  v1::Event NewEvent(const std::string& org, v1::EventType type, const std::string& shipment) const;
  v1::SignedEvent Sign(const v1::Event& e, const config::Identity& signer,
                       const std::vector<const config::Identity*>& cosigners = {}) const;
  v1::SignedEvent SignedBy(const std::string& org, v1::EventType type, const std::string& shipment,
                           const std::vector<std::string>& cosigners = {}) const;
  // Submits events with wait_for_commit; asserts the RPC succeeded.
  v1::SubmitEventsResponse Submit(const std::vector<v1::SignedEvent>& events, bool wait = true,
                                  grpc::Status* rpc_status = nullptr);
  // Submits one event and returns its result.
  v1::SubmitResult SubmitOne(const v1::SignedEvent& e, bool wait = true);
  // Submits one event, expects it committed VALID, and returns its receipt.
  v1::Receipt SubmitValid(const v1::SignedEvent& e);
  v1::ChainInfo ChainInfo();
  // The ids ListShipments returns, page after page of `page_size` (following the page tokens).
  std::vector<std::string> ListShipmentIds(uint32_t page_size);
  // Waits until the channel is connected (TLS handshake done), reconnecting after a failed
  // attempt as any gRPC client does; false if it is not connected within `timeout`.
  bool WaitConnected(std::chrono::seconds timeout);

 private:
  const NetworkDir& net_;
  std::shared_ptr<grpc::Channel> channel_;
  std::unique_ptr<v1::LedgerService::Stub> stub_;
  std::unique_ptr<v1::AdminService::Stub> admin_;
};

// An in-process node of `net` on an ephemeral port.
std::unique_ptr<node::Node> StartNode(const NetworkDir& net, std::string* target,
                                      uint32_t mempool_capacity = 0, uint32_t batch_timeout_ms = 0,
                                      uint32_t max_watchers = 0, uint32_t watch_stall_ms = 0);

// An in-process node of `net` on an ephemeral port, its node.yaml settings changed by `tweak`.
std::unique_ptr<node::Node> StartNodeWith(const NetworkDir& net, std::string* target,
                                          const std::function<void(config::NodeConfig*)>& tweak);

// A test with one in-process node of its own network and a client of that node.
class OneNodeTest : public ::testing::Test {
 protected:
  OneNodeTest() = default;
  explicit OneNodeTest(const std::string& orgs) : net_(orgs) {}
  void SetUp() override {
    node_ = StartNode(net_, &target_);
    ASSERT_NE(node_, nullptr);
    client_ = std::make_unique<Client>(net_, target_);
  }
  void TearDown() override {
    client_.reset();
    if (node_) node_->Stop();
  }

  NetworkDir net_;
  std::string target_;
  std::unique_ptr<node::Node> node_;
  std::unique_ptr<Client> client_;
};

// A shipledgerd process. With `log_path` its output goes to that file (appended), else to ours.
class Daemon {
 public:
  explicit Daemon(const std::string& node_yaml, const std::string& log_path = "",
                  const std::string& log_level = "warn");
  ~Daemon();
  void Kill(int signal);
  // Waits for exit; returns the exit status (or -signal).
  int Wait();
  pid_t pid() const { return pid_; }

 private:
  pid_t pid_ = -1;
};

// Waits until a node of `net` answers GetChainInfo at `target` (up to timeout_ms).
bool WaitReady(const NetworkDir& net, const std::string& target, int timeout_ms = 10000);

// What one run of a program did.
struct ProgramResult {
  std::string command;
  int code = -1;  // exit status, or -1 when killed or not run
  std::string out;
  std::string err;
  std::string all() const { return out + err; }
};
std::ostream& operator<<(std::ostream& os, const ProgramResult& r);

// Runs argv[0] with the rest as arguments (no shell), capturing stdout and stderr apart; kills
// it after `timeout_ms` (a test failure). `stderr_on_terminal`: stderr is a pseudo-terminal
// (TERM=xterm), as when an operator runs it; its output then has "\r\n" line ends.
ProgramResult RunProgram(const std::vector<std::string>& argv, int timeout_ms,
                         bool stderr_on_terminal = false);

// Runs the `shipledger` CLI binary with `args` (no shell), capturing stdout and stderr apart;
// kills it after `timeout_ms`. The command is reported as "shipledger ARGS...".
ProgramResult Cli(const std::vector<std::string>& args, int timeout_ms = 15000,
                  bool stderr_on_terminal = false);

}  // namespace shipledger::itest
