// What a node reads before it opens its store: the genesis, and its own certificate and key,
// checked against each other and against the certificate the genesis pins for its replica id.
// Node::Create starts from it; `shipledgerd --check-config` stops after it (and reads no store,
// so it also runs beside the node it checks).
// Thread-safety: functions without shared state.
#pragma once

#include <cstdint>
#include <memory>
#include <string>

#include "config/identity.h"
#include "config/node_config.h"
#include "model/genesis.h"
#include "shipledger/status.h"

namespace shipledger::node {

struct NodeFiles {
  std::shared_ptr<const model::Genesis> genesis;
  config::Identity identity;  // the node's certificate and key
};

// The genesis at config.genesis_path and the node identity at config.cert_path / key_path.
// Errors name the file: unreadable or malformed (the loader's code), a key that does not match
// its certificate (INVALID_ARGUMENT), a certificate the genesis does not pin for
// config.replica_id (FAILED_PRECONDITION).
Result<NodeFiles> LoadNodeFiles(const config::NodeConfig& config);

// `shipledgerd --check-config`: LoadNodeFiles, then what would stop or soon break the node at
// `now_ms`: a node certificate outside its validity (FAILED_PRECONDITION), a data dir that is
// not a directory. On success, a summary for the operator, one "key: value" per line (chain,
// genesis hash, replica, organisation, replicas, rules, addresses, data dir, certificate
// validity, with a warning line when it expires within 30 days).
Result<std::string> CheckConfig(const config::NodeConfig& config, int64_t now_ms);

}  // namespace shipledger::node
