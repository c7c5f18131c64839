#include "fixture.h"

#include <arpa/inet.h>
#include <fcntl.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <openssl/rand.h>
#include <poll.h>
#include <pty.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <random>
#include <thread>

#include "cli/connection.h"
#include "config/genesis_file.h"
#include "config/network.h"
#include "model/event.h"

namespace shipledger::itest {

namespace fs = std::filesystem;

int FreePort() {
  const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  addr.sin_port = 0;
  if (::bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0) {
    ::close(fd);
    return 0;
  }
  socklen_t len = sizeof addr;
  ::getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len);
  ::close(fd);
  return ntohs(addr.sin_port);
}

int FreePortRange(int count) {
  // Below the kernel's ephemeral range (/proc/sys/net/ipv4/ip_local_port_range, usually from
  // 32768): a port picked there can be taken by an outgoing connection (e.g. one node dialling
  // another) before the node that should listen on it binds it.
  constexpr int kLow = 20000;
  constexpr int kHigh = 32000;
  std::random_device rd;
  std::mt19937 rng(rd());
  std::uniform_int_distribution<int> pick(kLow, kHigh - count);
  for (int attempt = 0; attempt < 200; ++attempt) {
    const int first = pick(rng);
    bool all_free = true;
    for (int p = first; p < first + count && all_free; ++p) {
      const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
      sockaddr_in addr{};
      addr.sin_family = AF_INET;
      addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
      addr.sin_port = htons(static_cast<uint16_t>(p));
      all_free = ::bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) == 0;
      ::close(fd);
    }
    if (all_free) return first;
  }
  return 0;
}

NetworkDir::NetworkDir(const std::string& orgs, const model::ConsensusParams& consensus) {
  std::random_device rd;
  dir_ = fs::temp_directory_path() / ("shipledger-it-" + std::to_string(rd()));
  fs::create_directories(dir_);
  config::InitOptions opts;
  opts.out_dir = dir_.string();
  auto specs = config::ParseOrgSpecs(orgs);
  EXPECT_TRUE(specs.ok()) << specs.status().ToString();
  opts.orgs = *specs;
  opts.consensus = consensus;
  // Two ports (gRPC, peer) per node organisation, all free now.
  int nodes = 0;
  for (const auto& spec : opts.orgs) nodes += spec.client_only ? 0 : 1;
  port_ = FreePortRange(2 * nodes);
  EXPECT_NE(port_, 0) << "no " << 2 * nodes << " consecutive free ports";
  opts.base_port = static_cast<uint16_t>(port_);
  Status s = config::InitNetwork(opts, SystemClock::Get());
  EXPECT_TRUE(s.ok()) << s.ToString();
  auto g = config::LoadGenesis(genesis_path());
  EXPECT_TRUE(g.ok()) << g.status().ToString();
  genesis_ = *g;
  for (const auto& spec : opts.orgs) {
    auto id = config::LoadIdentity((dir_ / spec.name / "clients/admin").string());
    EXPECT_TRUE(id.ok()) << id.status().ToString();
    clients_.emplace(spec.name, *id);
  }
}

NetworkDir::~NetworkDir() {
  // SHIPLEDGER_IT_KEEP=1 keeps the folder (node logs, data dirs) for a failing test.
  if (const char* keep = std::getenv("SHIPLEDGER_IT_KEEP"); keep != nullptr && *keep == '1') {
    std::printf("kept %s\n", dir_.string().c_str());
    return;
  }
  std::error_code ec;
  fs::remove_all(dir_, ec);
}

const config::Identity& NetworkDir::client(const std::string& org) const {
  return clients_.at(org);
}

std::shared_ptr<grpc::ChannelCredentials> NetworkDir::credentials(const std::string& org) const {
  std::string as = org;
  if (as.empty()) as = genesis_->replicas.front().org;
  return cli::ClientApiCredentials(client(as), *genesis_);
}

Client::Client(const NetworkDir& net, const std::string& target, const std::string& as_org)
    : net_(net) {
  grpc::ChannelArguments args;
  args.SetMaxReceiveMessageSize(64 << 20);
  args.SetMaxSendMessageSize(64 << 20);
  channel_ = grpc::CreateCustomChannel(target, net.credentials(as_org), args);
  stub_ = v1::LedgerService::NewStub(channel_);
  admin_ = v1::AdminService::NewStub(channel_);
}

bool Client::WaitConnected(std::chrono::seconds timeout) {
  return channel_->WaitForConnected(std::chrono::system_clock::now() + timeout);
}

v1::Event Client::NewEvent(const std::string& org, v1::EventType type,
                           const std::string& shipment) const {
  v1::Event e;
  e.set_chain_id(net_.genesis()->chain_id);
  e.set_shipment_id(shipment);
  e.set_type(type);
  e.set_signer_org(org);
  e.set_occurred_at_ms(SystemClock::Get().NowMs());
  std::string nonce(16, '\0');
  RAND_bytes(reinterpret_cast<unsigned char*>(nonce.data()), 16);
  e.set_nonce(nonce);
  return e;
}

v1::SignedEvent Client::Sign(const v1::Event& e, const config::Identity& signer,
                             const std::vector<const config::Identity*>& cosigners) const {
  std::vector<model::SigningKey> keys;
  for (const auto* c : cosigners) keys.push_back(model::SigningKey{&c->cert, &c->key});
  auto se = model::SignEvent(e, model::SigningKey{&signer.cert, &signer.key}, keys);
  EXPECT_TRUE(se.ok()) << se.status().ToString();
  return se.ok() ? *se : v1::SignedEvent();
}

v1::SignedEvent Client::SignedBy(const std::string& org, v1::EventType type,
                                 const std::string& shipment,
                                 const std::vector<std::string>& cosigners) const {
  v1::Event e = NewEvent(org, type, shipment);
  std::vector<const config::Identity*> ids;
  for (const auto& c : cosigners) {
    e.add_cosigner_orgs(c);
    ids.push_back(&net_.client(c));
  }
  return Sign(e, net_.client(org), ids);
}

v1::SubmitEventsResponse Client::Submit(const std::vector<v1::SignedEvent>& events, bool wait,
                                        grpc::Status* rpc_status) {
  v1::SubmitEventsRequest req;
  for (const auto& e : events) *req.add_events() = e;
  req.set_wait_for_commit(wait);
  v1::SubmitEventsResponse resp;
  grpc::ClientContext ctx;
  ctx.set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(30));
  grpc::Status s = stub_->SubmitEvents(&ctx, req, &resp);
  if (rpc_status != nullptr) {
    *rpc_status = s;
  } else {
    EXPECT_TRUE(s.ok()) << s.error_message();
  }
  return resp;
}

v1::SubmitResult Client::SubmitOne(const v1::SignedEvent& e, bool wait) {
  auto resp = Submit({e}, wait);
  EXPECT_EQ(resp.results_size(), 1);
  return resp.results_size() == 1 ? resp.results(0) : v1::SubmitResult();
}

v1::Receipt Client::SubmitValid(const v1::SignedEvent& e) {
  const v1::SubmitResult r = SubmitOne(e);
  EXPECT_EQ(r.code(), 0) << r.message();
  EXPECT_EQ(r.receipt().code(), v1::RESULT_CODE_VALID) << r.receipt().reason();
  return r.receipt();
}

v1::ChainInfo Client::ChainInfo() {
  grpc::ClientContext ctx;
  v1::ChainInfo info;
  grpc::Status s = stub_->GetChainInfo(&ctx, v1::GetChainInfoRequest(), &info);
  EXPECT_TRUE(s.ok()) << s.error_message();
  return info;
}

std::vector<std::string> Client::ListShipmentIds(uint32_t page_size) {
  std::vector<std::string> ids;
  std::string token;
  do {
    grpc::ClientContext ctx;
    v1::ListShipmentsRequest req;
    req.set_page_size(page_size);
    req.set_page_token(token);
    v1::ListShipmentsResponse resp;
    const grpc::Status s = stub_->ListShipments(&ctx, req, &resp);
    EXPECT_TRUE(s.ok()) << s.error_message();
    if (!s.ok()) break;
    for (const auto& state : resp.shipments()) ids.push_back(state.shipment_id());
    token = resp.next_page_token();
  } while (!token.empty());
  return ids;
}

std::unique_ptr<node::Node> StartNode(const NetworkDir& net, std::string* target,
                                      uint32_t mempool_capacity, uint32_t batch_timeout_ms,
                                      uint32_t max_watchers, uint32_t watch_stall_ms) {
  return StartNodeWith(net, target, [&](config::NodeConfig* cfg) {
    if (mempool_capacity != 0) cfg->mempool_capacity = mempool_capacity;
    if (batch_timeout_ms != 0) cfg->batch_timeout_ms = batch_timeout_ms;
    if (max_watchers != 0) cfg->max_watchers = max_watchers;
    if (watch_stall_ms != 0) cfg->watch_stall_ms = watch_stall_ms;
  });
}

std::unique_ptr<node::Node> StartNodeWith(const NetworkDir& net, std::string* target,
                                          const std::function<void(config::NodeConfig*)>& tweak) {
  auto cfg = config::LoadNodeConfig(net.node_yaml());
  EXPECT_TRUE(cfg.ok()) << cfg.status().ToString();
  if (!cfg.ok()) return nullptr;
  cfg->grpc_listen = "127.0.0.1:0";
  cfg->max_wait_ms = 10000;
  tweak(&*cfg);
  auto node = node::Node::Create(*cfg);
  EXPECT_TRUE(node.ok()) << node.status().ToString();
  if (!node.ok()) return nullptr;
  Status s = (*node)->Start();
  EXPECT_TRUE(s.ok()) << s.ToString();
  *target = "127.0.0.1:" + std::to_string((*node)->grpc_port());
  return std::move(node).value();
}

Daemon::Daemon(const std::string& node_yaml, const std::string& log_path,
               const std::string& log_level) {
  pid_ = ::fork();
  if (pid_ == 0) {
    if (!log_path.empty()) {
      const int fd = ::open(log_path.c_str(), O_WRONLY | O_CREAT | O_APPEND, 0644);
      if (fd >= 0) {
        ::dup2(fd, STDOUT_FILENO);
        ::dup2(fd, STDERR_FILENO);
        ::close(fd);
      }
    }
    ::execl(SHIPLEDGERD_PATH, SHIPLEDGERD_PATH, "--config", node_yaml.c_str(), "--log-level",
            log_level.c_str(), static_cast<char*>(nullptr));
    ::_exit(127);
  }
}

Daemon::~Daemon() {
  if (pid_ > 0) {
    ::kill(pid_, SIGKILL);
    Wait();
  }
}

void Daemon::Kill(int signal) {
  if (pid_ > 0) ::kill(pid_, signal);
}

int Daemon::Wait() {
  if (pid_ <= 0) return 0;
  int status = 0;
  ::waitpid(pid_, &status, 0);
  pid_ = -1;
  if (WIFEXITED(status)) return WEXITSTATUS(status);
  if (WIFSIGNALED(status)) return -WTERMSIG(status);
  return -1;
}

bool WaitReady(const NetworkDir& net, const std::string& target, int timeout_ms) {
  const auto until = std::chrono::steady_clock::now() + std::chrono::milliseconds(timeout_ms);
  while (std::chrono::steady_clock::now() < until) {
    // A fresh channel with its own subchannel pool per attempt: a reused channel backs off for
    // seconds after its first refused connection, which would dominate every daemon start.
    grpc::ChannelArguments args;
    args.SetInt(GRPC_ARG_USE_LOCAL_SUBCHANNEL_POOL, 1);
    auto channel = grpc::CreateCustomChannel(target, net.credentials(), args);
    auto stub = v1::LedgerService::NewStub(channel);
    grpc::ClientContext ctx;
    ctx.set_deadline(std::chrono::system_clock::now() + std::chrono::milliseconds(200));
    v1::ChainInfo info;
    if (stub->GetChainInfo(&ctx, v1::GetChainInfoRequest(), &info).ok()) return true;
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  return false;
}

std::ostream& operator<<(std::ostream& os, const ProgramResult& r) {
  return os << "\n$ " << r.command << "\nexit " << r.code << "\n--- stdout\n"
            << r.out << "--- stderr\n"
            << r.err;
}

ProgramResult RunProgram(const std::vector<std::string>& argv_in, int timeout_ms,
                         bool stderr_on_terminal) {
  std::vector<std::string> full = argv_in;
  ProgramResult r;
  for (const auto& a : argv_in) r.command += (r.command.empty() ? "" : " ") + a;
  std::vector<char*> argv;
  for (auto& a : full) argv.push_back(a.data());
  argv.push_back(nullptr);
  int out_pipe[2];
  int err_pipe[2];
  if (::pipe(out_pipe) != 0) return r;
  // On a terminal: the master side is read like a pipe's read end, the slave becomes stderr.
  const bool err_ok = stderr_on_terminal
                          ? ::openpty(&err_pipe[0], &err_pipe[1], nullptr, nullptr, nullptr) == 0
                          : ::pipe(err_pipe) == 0;
  if (!err_ok) {
    ::close(out_pipe[0]);
    ::close(out_pipe[1]);
    return r;
  }
  const pid_t pid = ::fork();
  if (pid == 0) {
    ::dup2(out_pipe[1], STDOUT_FILENO);
    ::dup2(err_pipe[1], STDERR_FILENO);
    for (int fd : {out_pipe[0], out_pipe[1], err_pipe[0], err_pipe[1]}) ::close(fd);
    if (stderr_on_terminal) ::setenv("TERM", "xterm", 1);
    ::execv(argv[0], argv.data());
    ::_exit(127);
  }
  ::close(out_pipe[1]);
  ::close(err_pipe[1]);
  pollfd fds[2] = {{out_pipe[0], POLLIN, 0}, {err_pipe[0], POLLIN, 0}};
  std::string* sinks[2] = {&r.out, &r.err};
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::milliseconds(timeout_ms);
  bool timed_out = false;
  while (fds[0].fd >= 0 || fds[1].fd >= 0) {
    const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
                          deadline - std::chrono::steady_clock::now())
                          .count();
    if (left <= 0) {
      timed_out = true;
      break;
    }
    if (::poll(fds, 2, static_cast<int>(left)) < 0) {
      if (errno == EINTR) continue;
      break;
    }
    for (int i = 0; i < 2; ++i) {
      if (fds[i].fd < 0 || fds[i].revents == 0) continue;
      char buf[4096];
      const ssize_t n = ::read(fds[i].fd, buf, sizeof buf);
      if (n > 0) {
        sinks[i]->append(buf, static_cast<size_t>(n));
      } else if (n == 0 || errno != EINTR) {  // a terminal's master reads EIO at the end
        ::close(fds[i].fd);
        fds[i].fd = -1;
      }
    }
  }
  if (timed_out && pid > 0) ::kill(pid, SIGKILL);
  for (const auto& p : fds) {
    if (p.fd >= 0) ::close(p.fd);
  }
  int status = 0;
  if (pid > 0) ::waitpid(pid, &status, 0);
  r.code = pid > 0 && WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  EXPECT_FALSE(timed_out) << "timed out after " << timeout_ms << " ms" << r;
  return r;
}

ProgramResult Cli(const std::vector<std::string>& args, int timeout_ms, bool stderr_on_terminal) {
  std::vector<std::string> full = {SHIPLEDGER_CLI_PATH};
  full.insert(full.end(), args.begin(), args.end());
  ProgramResult r = RunProgram(full, timeout_ms, stderr_on_terminal);
  r.command = "shipledger";
  for (const auto& a : args) r.command += " " + a;
  return r;
}

}  // namespace shipledger::itest
