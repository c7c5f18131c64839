// shipledgerd: the shipledger node daemon.
#include <signal.h>
#include <spdlog/spdlog.h>

#include <CLI/CLI.hpp>
#include <chrono>
#include <cstdio>

#include "config/node_config.h"
#include "node/node.h"
#include "node/protobuf_log.h"

int main(int argc, char** argv) {
  CLI::App app{
      "shipledgerd — a shipledger node: admits signed shipment events over gRPC, orders them into "
      "hash-chained blocks, executes the shipment contracts and stores the chain in RocksDB.\n"
      "Create a network first with `shipledger network init`, then start each node with its "
      "node.yaml. SIGTERM or SIGINT stop it cleanly."};
  std::string config_path;
  std::string log_level;
  app.add_option("-c,--config", config_path, "path to the node's node.yaml")
      ->required()
      ->check(CLI::ExistingFile);
  app.add_option("--log-level", log_level,
                 "override node.yaml log_level (trace, debug, info, warn, error)");
  CLI11_PARSE(app, argc, argv);

  // Block the stop signals in every thread; main waits for them below.
  sigset_t signals;
  sigemptyset(&signals);
  sigaddset(&signals, SIGTERM);
  sigaddset(&signals, SIGINT);
  pthread_sigmask(SIG_BLOCK, &signals, nullptr);

  auto config = shipledger::config::LoadNodeConfig(config_path);
  if (!config.ok()) {
    std::fprintf(stderr, "shipledgerd: %s: %s\n", config_path.c_str(),
                 config.status().ToString().c_str());
    return 2;
  }
  if (!log_level.empty()) config->log_level = log_level;
  spdlog::set_level(spdlog::level::from_str(config->log_level));
  spdlog::set_pattern("%Y-%m-%dT%H:%M:%S.%e %^%l%$ [replica " + std::to_string(config->replica_id) +
                      "] %v");
  shipledger::node::RouteProtobufLogs();
  // Logs usually go to a file: warnings at once, the rest within a second.
  spdlog::flush_on(spdlog::level::warn);
  spdlog::flush_every(std::chrono::seconds(1));

  auto node = shipledger::node::Node::Create(*config);
  if (!node.ok()) {
    spdlog::error("cannot start: {}", node.status().ToString());
    return 1;
  }
  if (auto s = (*node)->Start(); !s.ok()) {
    spdlog::error("cannot start: {}", s.ToString());
    return 1;
  }
  int sig = 0;
  sigwait(&signals, &sig);
  spdlog::info("received {}, finishing the blocks in hand and stopping",
               sig == SIGTERM ? "SIGTERM" : "SIGINT");
  (*node)->Stop();
  return 0;
}
