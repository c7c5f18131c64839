// Fuzz target: node.yaml, the file an operator edits by hand and every node reads at start
// (config::ParseNodeConfig: YAML, endpoints, numbers with their floors, log level, paths).
// Input: the file's text. Seed: a node.yaml naming every key (shipledger_fuzz_seeds).
// What must hold: no crash or sanitizer report; a refusal says why; an accepted file parses again
// to the same settings, and what it accepted keeps the floors the parser promises.
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <string_view>

#include "config/node_config.h"
#include "fuzz/fuzz_network.h"

namespace {

using shipledger::config::NodeConfig;

void Fail(const char* what) {
  std::fprintf(stderr, "node_yaml_fuzz: %s\n", what);
  std::abort();
}

bool Same(const NodeConfig& a, const NodeConfig& b) {
  return a.replica_id == b.replica_id && a.genesis_path == b.genesis_path &&
         a.grpc_listen == b.grpc_listen && a.peer_listen == b.peer_listen &&
         a.data_dir == b.data_dir && a.cert_path == b.cert_path && a.key_path == b.key_path &&
         a.mempool_capacity == b.mempool_capacity && a.batch_timeout_ms == b.batch_timeout_ms &&
         a.max_wait_ms == b.max_wait_ms && a.max_watchers == b.max_watchers &&
         a.max_watchers_per_org == b.max_watchers_per_org && a.watch_stall_ms == b.watch_stall_ms &&
         a.log_level == b.log_level && a.verify_threads == b.verify_threads &&
         a.insecure_client_api == b.insecure_client_api && a.tracking_listen == b.tracking_listen &&
         a.tracking_rate_per_s == b.tracking_rate_per_s && a.tracking_burst == b.tracking_burst &&
         a.tracking_max_connections_per_address == b.tracking_max_connections_per_address;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  const std::string path = "/fuzz/node/node.yaml";
  auto config = shipledger::config::ParseNodeConfig(text, path);
  if (!config.ok()) {
    if (config.status().message().empty()) Fail("a refused node.yaml without a reason");
    return 0;
  }
  auto again = shipledger::config::ParseNodeConfig(text, path);
  if (!again.ok() || !Same(*config, *again)) Fail("an accepted node.yaml parses differently again");
  const NodeConfig& c = *config;
  if (c.mempool_capacity < 1 || c.max_watchers < 1 || c.max_watchers_per_org < 1 ||
      c.watch_stall_ms < 10 || c.tracking_rate_per_s < 1 || c.tracking_burst < 1 ||
      c.tracking_max_connections_per_address < 1) {
    Fail("an accepted node.yaml holds a value below its floor");
  }
  if (c.grpc_listen.empty()) Fail("an accepted node.yaml without grpc_listen");
  for (const std::string* p : {&c.genesis_path, &c.data_dir, &c.cert_path, &c.key_path}) {
    if (p->empty() || p->front() != '/') Fail("an accepted node.yaml with a path left relative");
  }
  return 0;
}
