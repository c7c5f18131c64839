#include "config/node_config.h"

#include <algorithm>
#include <filesystem>

#include "config/files.h"
#include "config/yaml_fields.h"
#include "shipledger/endpoint.h"
#include "shipledger/log.h"

namespace shipledger::config {
namespace {

using internal::YamlField;

// `value` made absolute against `base_dir` (the node.yaml's folder), normalised.
std::string Resolve(const std::filesystem::path& base_dir, const std::string& value) {
  const std::filesystem::path p(value);
  return (p.is_absolute() ? p : base_dir / p).lexically_normal().string();
}

Status ReadEndpoint(const YamlField& root, std::string_view key, bool required, std::string* out) {
  SL_RETURN_IF_ERROR(root.ReadString(key, required, out));
  if (!out->empty() && !IsValidEndpoint(*out)) {
    return root.Child(key).Error("expected host:port, got '" + *out + "'");
  }
  return Status::Ok();
}

}  // namespace

Result<NodeConfig> LoadNodeConfig(const std::string& path) {
  SL_ASSIGN_OR_RETURN(const std::string text, internal::ReadWholeFile(path));
  return ParseNodeConfig(text, path);
}

Result<NodeConfig> ParseNodeConfig(std::string_view text, const std::string& path) {
  SL_ASSIGN_OR_RETURN(YAML::Node doc, internal::ParseYaml(text, path));
  const YamlField root = internal::RootField(std::move(doc), path);
  try {
    SL_RETURN_IF_ERROR(root.CheckMap(kNodeConfigKeys, kRequiredNodeConfigKeys));
    NodeConfig config;
    SL_RETURN_IF_ERROR(root.ReadU32("replica_id", true, 0, &config.replica_id));
    SL_RETURN_IF_ERROR(root.ReadString("genesis", true, &config.genesis_path));
    SL_RETURN_IF_ERROR(ReadEndpoint(root, "grpc_listen", true, &config.grpc_listen));
    SL_RETURN_IF_ERROR(ReadEndpoint(root, "peer_listen", false, &config.peer_listen));
    SL_RETURN_IF_ERROR(root.ReadString("data_dir", true, &config.data_dir));
    SL_RETURN_IF_ERROR(root.ReadString("cert", true, &config.cert_path));
    SL_RETURN_IF_ERROR(root.ReadString("key", true, &config.key_path));
    SL_RETURN_IF_ERROR(root.ReadU32("mempool_capacity", false, 1, &config.mempool_capacity));
    SL_RETURN_IF_ERROR(root.ReadU32("batch_timeout_ms", false, 0, &config.batch_timeout_ms));
    SL_RETURN_IF_ERROR(root.ReadU32("max_wait_ms", false, 0, &config.max_wait_ms));
    SL_RETURN_IF_ERROR(root.ReadU32("max_watchers", false, 1, &config.max_watchers));
    SL_RETURN_IF_ERROR(
        root.ReadU32("max_watchers_per_org", false, 1, &config.max_watchers_per_org));
    SL_RETURN_IF_ERROR(root.ReadU32("watch_stall_ms", false, 10, &config.watch_stall_ms));
    SL_RETURN_IF_ERROR(root.ReadString("log_level", false, &config.log_level));
    SL_RETURN_IF_ERROR(root.ReadString("log_format", false, &config.log_format));
    if (config.log_format != "text" && config.log_format != "json") {
      return root.Child("log_format")
          .Error("unknown format '" + config.log_format + "' (text, json)");
    }
    SL_RETURN_IF_ERROR(root.ReadU32("verify_threads", false, 0, &config.verify_threads));
    SL_RETURN_IF_ERROR(root.ReadBool("insecure_client_api", false, &config.insecure_client_api));
    SL_RETURN_IF_ERROR(ReadEndpoint(root, "tracking_listen", false, &config.tracking_listen));
    SL_RETURN_IF_ERROR(root.ReadU32("tracking_rate_per_s", false, 1, &config.tracking_rate_per_s));
    SL_RETURN_IF_ERROR(root.ReadU32("tracking_burst", false, 1, &config.tracking_burst));
    SL_RETURN_IF_ERROR(root.ReadU32("tracking_max_connections_per_address", false, 1,
                                    &config.tracking_max_connections_per_address));
    SL_RETURN_IF_ERROR(ReadEndpoint(root, "operations_listen", false, &config.operations_listen));
    SL_RETURN_IF_ERROR(root.ReadBool("operations_tls", false, &config.operations_tls));
    SL_RETURN_IF_ERROR(
        root.ReadU32("ready_max_lag_blocks", false, 0, &config.ready_max_lag_blocks));
    SL_RETURN_IF_ERROR(root.ReadString("backup_dir", false, &config.backup_dir));
    if (!config.operations_listen.empty() && !config.operations_tls &&
        !IsLoopbackEndpoint(config.operations_listen)) {
      return root.Child("operations_listen")
          .Error("'" + config.operations_listen +
                 "' is not a loopback address: the plaintext operations endpoint listens only on "
                 "127.0.0.1, ::1 or localhost; set operations_tls: true to serve it elsewhere");
    }
    if (const Result<LogSpec> spec = ParseLogSpec(config.log_level); !spec.ok()) {
      return root.Child("log_level").Error(spec.status().message());
    }

    std::error_code ec;
    std::filesystem::path base_dir = std::filesystem::absolute(path, ec).parent_path();
    if (ec) return Status::Internal("cannot resolve " + path + ": " + ec.message());
    config.genesis_path = Resolve(base_dir, config.genesis_path);
    config.data_dir = Resolve(base_dir, config.data_dir);
    config.cert_path = Resolve(base_dir, config.cert_path);
    config.key_path = Resolve(base_dir, config.key_path);
    if (!config.backup_dir.empty()) {
      config.backup_dir = Resolve(base_dir, config.backup_dir);
      const auto data = std::filesystem::path(config.data_dir).lexically_normal();
      const auto backups = std::filesystem::path(config.backup_dir).lexically_normal();
      if (std::mismatch(data.begin(), data.end(), backups.begin(), backups.end()).first ==
          data.end()) {
        return root.Child("backup_dir")
            .Error("'" + config.backup_dir + "' is inside the data dir " + config.data_dir +
                   ": a backup must live beside the data it copies (default: 'backups' beside "
                   "the data dir)");
      }
    }
    return config;
  } catch (const YAML::Exception& e) {
    // Not expected (fields are checked before use); kept so that no exception escapes.
    return Status::InvalidArgument(path + ": " + e.what());
  }
}

}  // namespace shipledger::config
