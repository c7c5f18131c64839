// shipledger-attack: the attacks of attack_test.cc as a program, for bench/attack.sh (and by
// hand against a devnet). Runs one attack for --seconds (or until SIGINT/SIGTERM) and prints
// what it did; the last line is machine-readable:
//   ATTACK kind=heartbeat-flood frames=N bytes=N seconds=X open=0|1
//   ATTACK kind=connection-flood opened=N closed_by_peer=N failed=N open=N seconds=X
#include <CLI/CLI.hpp>
#include <atomic>
#include <chrono>
#include <csignal>
#include <cstdio>
#include <thread>

#include "config/genesis_file.h"
#include "config/identity.h"
#include "connection_flood.h"
#include "raw_peer.h"

namespace shipledger::itest {
namespace {

std::atomic<bool> g_interrupted{false};

extern "C" void OnSignal(int) { g_interrupted.store(true); }

// Sleeps until `seconds` have passed or a signal came; returns the seconds waited.
double Hold(double seconds) {
  const auto start = std::chrono::steady_clock::now();
  const auto until = start + std::chrono::duration<double>(seconds);
  while (!g_interrupted.load() && std::chrono::steady_clock::now() < until) {
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}

int HeartbeatFlood(const std::string& genesis_path, const std::string& identity_dir,
                   uint32_t as_replica, uint32_t target, uint64_t view, double seconds) {
  auto genesis = config::LoadGenesis(genesis_path);
  auto identity = config::LoadIdentity(identity_dir);
  if (!genesis.ok() || !identity.ok()) {
    std::fprintf(stderr, "attack: %s\n",
                 (!genesis.ok() ? genesis.status() : identity.status()).ToString().c_str());
    return 2;
  }
  const model::Replica* replica = (*genesis)->FindReplica(target);
  if (replica == nullptr) {
    std::fprintf(stderr, "attack: no replica %u in the genesis\n", target);
    return 2;
  }
  RawPeer peer(*genesis, *identity);
  if (Status s = peer.Connect(replica->peer_endpoint, target); !s.ok()) {
    std::fprintf(stderr, "attack: %s\n", s.ToString().c_str());
    return 1;
  }
  std::this_thread::sleep_for(std::chrono::milliseconds(500));  // frames to echo back
  auto frames = ByzantineFloodFrames(**genesis, *identity, as_replica, view, {}, peer.received());
  if (!frames.ok()) {
    std::fprintf(stderr, "attack: %s\n", frames.status().ToString().c_str());
    return 1;
  }
  peer.Flood(*frames);
  const double held = Hold(seconds);
  const RawPeer::Stats s = peer.stats();
  peer.Stop();
  std::printf("ATTACK kind=heartbeat-flood frames=%llu bytes=%llu seconds=%.2f open=%d\n",
              static_cast<unsigned long long>(s.frames_sent),
              static_cast<unsigned long long>(s.bytes_sent), held, s.open ? 1 : 0);
  return 0;
}

int SilentConnections(uint16_t port, size_t connections, size_t sources, double seconds) {
  ConnectionFlood flood(port, connections, sources);
  flood.Start();
  const double held = Hold(seconds);
  const size_t open = flood.open_now();
  flood.Stop();
  std::printf(
      "ATTACK kind=connection-flood opened=%llu closed_by_peer=%llu failed=%llu open=%zu "
      "seconds=%.2f\n",
      static_cast<unsigned long long>(flood.opened()),
      static_cast<unsigned long long>(flood.closed_by_peer()),
      static_cast<unsigned long long>(flood.failed()), open, held);
  return 0;
}

}  // namespace
}  // namespace shipledger::itest

int main(int argc, char** argv) {
  using namespace shipledger::itest;
  CLI::App app{"shipledger-attack: floods a replica as a Byzantine member or an outsider would"};
  app.require_subcommand(1);
  double seconds = 10;
  app.add_option("--seconds", seconds, "How long to attack (SIGINT/SIGTERM stop it sooner)")
      ->capture_default_str();

  auto* hb = app.add_subcommand(
      "heartbeat-flood",
      "Authenticate with a replica's own pinned key and flood another replica with heartbeats "
      "and replayed frames");
  std::string genesis, identity;
  uint32_t as_replica = 3, target = 0;
  uint64_t view = 0;
  hb->add_option("--genesis", genesis, "genesis.yaml of the network")->required();
  hb->add_option("--identity", identity, "Node identity folder of the attacker (cert.pem, key.pem)")
      ->required();
  hb->add_option("--as", as_replica, "Replica id the identity is pinned for")
      ->capture_default_str();
  hb->add_option("--target", target, "Replica to flood")->capture_default_str();
  hb->add_option("--view", view, "View the heartbeats claim")->capture_default_str();

  auto* conn = app.add_subcommand("connection-flood",
                                  "Hold plain TCP connections that never speak on a peer port");
  uint16_t port = 0;
  size_t connections = 240, sources = 30;
  conn->add_option("--port", port, "Peer port on 127.0.0.1")->required();
  conn->add_option("--connections", connections, "Connections to hold")->capture_default_str();
  conn->add_option("--sources", sources, "Source addresses 127.0.0.2...")->capture_default_str();
  CLI11_PARSE(app, argc, argv);

  std::signal(SIGINT, OnSignal);
  std::signal(SIGTERM, OnSignal);
  if (hb->parsed()) return HeartbeatFlood(genesis, identity, as_replica, target, view, seconds);
  return SilentConnections(port, connections, sources, seconds);
}
