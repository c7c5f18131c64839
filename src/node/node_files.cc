#include "node/node_files.h"

#include <filesystem>
#include <system_error>

#include "config/genesis_file.h"
#include "model/units.h"

namespace shipledger::node {
namespace {

constexpr int64_t kDayMs = 24LL * 3600 * 1000;
constexpr int64_t kExpiryWarningMs = 30 * kDayMs;

// A PEM file of `T` (crypto::Certificate or crypto::PrivateKey); errors say `what` it is.
template <typename T>
Result<T> ReadPem(const std::string& path, const std::string& what) {
  auto pem = crypto::ReadFile(path);
  if (!pem.ok()) return pem.status().WithContext(what);
  auto parsed = T::FromPem(*pem);
  if (!parsed.ok()) return parsed.status().WithContext(what + " " + path);
  return parsed;
}

std::string RulesSchedule(const model::Genesis& genesis) {
  if (genesis.contract_rules.empty()) return std::to_string(model::kOldestContractRules);
  std::string out;
  for (const model::ContractRulesFrom& rule : genesis.contract_rules) {
    if (!out.empty()) out += ", ";
    out += "v" + std::to_string(rule.version) + " from height " + std::to_string(rule.from_height);
  }
  return out;
}

}  // namespace

Result<NodeFiles> LoadNodeFiles(const config::NodeConfig& config) {
  auto genesis = config::LoadGenesis(config.genesis_path);
  if (!genesis.ok()) return genesis.status().WithContext("genesis " + config.genesis_path);
  SL_ASSIGN_OR_RETURN(crypto::Certificate cert,
                      ReadPem<crypto::Certificate>(config.cert_path, "node certificate"));
  SL_ASSIGN_OR_RETURN(crypto::PrivateKey key,
                      ReadPem<crypto::PrivateKey>(config.key_path, "node key"));
  if (!cert.MatchesKey(key)) {
    return Status::InvalidArgument("node key " + config.key_path + " does not match certificate " +
                                   config.cert_path);
  }
  const model::Replica* replica = (*genesis)->FindReplicaByFingerprint(cert.fingerprint());
  if (replica == nullptr || replica->id != config.replica_id) {
    return Status::FailedPrecondition(
        "node certificate " + config.cert_path + " is not the one the genesis pins for replica " +
        std::to_string(config.replica_id) + " (fingerprint " + ToHex(cert.fingerprint()) + ")");
  }
  return NodeFiles{*std::move(genesis), config::Identity{std::move(cert), std::move(key)}};
}

Result<std::string> CheckConfig(const config::NodeConfig& config, int64_t now_ms) {
  SL_ASSIGN_OR_RETURN(const NodeFiles files, LoadNodeFiles(config));
  const model::Genesis& g = *files.genesis;
  const crypto::Certificate& cert = files.identity.cert;
  if (now_ms < cert.not_before_ms() || now_ms > cert.not_after_ms()) {
    return Status::FailedPrecondition(
        "node certificate " + config.cert_path + " is valid from " +
        model::FormatTimeMs(cert.not_before_ms()) + " until " +
        model::FormatTimeMs(cert.not_after_ms()) + ", not now (" + model::FormatTimeMs(now_ms) +
        "); issue the node a new certificate with the same key, or start a network whose genesis "
        "pins a new one");
  }
  std::error_code ec;
  const bool data_exists = std::filesystem::exists(config.data_dir, ec);
  if (data_exists && !std::filesystem::is_directory(config.data_dir, ec)) {
    return Status::FailedPrecondition("data_dir " + config.data_dir + " is not a directory");
  }
  std::string out;
  auto line = [&out](const std::string& key, const std::string& value) {
    out += key + ": " + value + "\n";
  };
  line("chain", g.chain_id);
  line("genesis", ToHex(g.hash));
  line("replica", std::to_string(config.replica_id) + " of " + std::to_string(g.n()) +
                      " (f = " + std::to_string((g.n() - 1) / 3) + ")");
  line("organisation", files.identity.org());
  line("contract rules", RulesSchedule(g));
  line("grpc_listen", config.grpc_listen);
  line("peer_listen", config.peer_listen.empty() ? "(none)" : config.peer_listen);
  line("tracking_listen", config.tracking_listen.empty() ? "(off)" : config.tracking_listen);
  line("data_dir", config.data_dir + (data_exists ? "" : " (created at first start)"));
  const int64_t left_ms = cert.not_after_ms() - now_ms;
  line("node certificate", "valid until " + model::FormatTimeMs(cert.not_after_ms()) + " (" +
                               std::to_string(left_ms / kDayMs) + " days from now)");
  if (left_ms < kExpiryWarningMs) {
    line("warning",
         "the node certificate expires within 30 days; peers and clients will refuse "
         "the node after " +
             model::FormatTimeMs(cert.not_after_ms()));
  }
  return out;
}

}  // namespace shipledger::node
