// shipledgerd: the shipledger node daemon.
#include <signal.h>
#include <spdlog/spdlog.h>

#include <CLI/CLI.hpp>
#include <chrono>
#include <cstdio>

#include "config/node_config.h"
#include "node/log_format.h"
#include "node/node.h"
#include "node/node_files.h"
#include "node/protobuf_log.h"
#include "shipledger/clock.h"
#include "shipledger/log.h"

using enum shipledger::LogComponent;
using shipledger::Log;

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
                 "override node.yaml log_level: a level (trace, debug, info, warn, error, off), "
                 "then COMPONENT=LEVEL pairs for node, consensus, net, rpc, tracking, "
                 "operations, e.g. info,consensus=debug");
  std::string log_format;
  app.add_option("--log-format", log_format,
                 "override node.yaml log_format: text, or json (one JSON object per line)")
      ->check(CLI::IsMember({"text", "json"}));
  bool check_config = false;
  app.add_flag("--check-config", check_config,
               "check node.yaml, the genesis and the node's certificate and key, print what the "
               "node would run with, and exit (0: fine, 2: the error); reads no data dir, so it "
               "also runs beside the node");
  app.footer(
      "Examples:\n"
      "  shipledgerd --config net/exporter/node/node.yaml\n"
      "  shipledgerd --config net/exporter/node/node.yaml --check-config\n"
      "  shipledgerd --config net/exporter/node/node.yaml --log-level info,consensus=debug "
      "--log-format json");
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
  const auto log_spec = shipledger::ParseLogSpec(config->log_level);
  if (!log_spec.ok()) {
    std::fprintf(stderr, "shipledgerd: --log-level: %s\n", log_spec.status().message().c_str());
    return 2;
  }
  if (check_config) {
    auto summary = shipledger::node::CheckConfig(*config, shipledger::SystemClock().NowMs());
    if (!summary.ok()) {
      std::fprintf(stderr, "shipledgerd: %s: %s\n", config_path.c_str(),
                   summary.status().ToString().c_str());
      return 2;
    }
    std::printf("%s: OK\n%s", config_path.c_str(), summary->c_str());
    return 0;
  }
  shipledger::ApplyLogSpec(*log_spec);
  if (!log_format.empty()) config->log_format = log_format;
  shipledger::node::SetLogFormat(config->log_format, config->replica_id);  // checked by the loader
  shipledger::node::RouteProtobufLogs();
  // Logs usually go to a file: warnings at once, the rest within a second.
  spdlog::flush_on(spdlog::level::warn);
  spdlog::flush_every(std::chrono::seconds(1));

  auto node = shipledger::node::Node::Create(*config);
  if (!node.ok()) {
    Log(kNode).error("cannot start: {}", node.status().ToString());
    return 1;
  }
  if (auto s = (*node)->Start(); !s.ok()) {
    Log(kNode).error("cannot start: {}", s.ToString());
    return 1;
  }
  int sig = 0;
  sigwait(&signals, &sig);
  Log(kNode).info("received {}, finishing the blocks in hand and stopping",
                  sig == SIGTERM ? "SIGTERM" : "SIGINT");
  (*node)->Stop();
  return 0;
}
