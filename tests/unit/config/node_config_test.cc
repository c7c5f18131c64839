#include "config/node_config.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <filesystem>

#include "config_test_support.h"

namespace shipledger::config {
namespace {

using ::testing::HasSubstr;

constexpr char kFull[] =
    "replica_id: 2\n"
    "genesis: ../../genesis.yaml\n"
    "grpc_listen: 127.0.0.1:7054\n"
    "peer_listen: 127.0.0.1:7055\n"
    "data_dir: data\n"
    "cert: cert.pem\n"
    "key: /etc/shipledger/key.pem\n"
    "mempool_capacity: 5000\n"
    "batch_timeout_ms: 15\n"
    "max_wait_ms: 1000\n"
    "max_watchers: 7\n"
    "max_watchers_per_org: 3\n"
    "watch_stall_ms: 2500\n"
    "log_level: debug,net=trace\n"
    "verify_threads: 3\n"
    "insecure_client_api: true\n"
    "operations_listen: 0.0.0.0:9443\n"
    "operations_tls: true\n"
    "ready_max_lag_blocks: 20\n"
    "backup_dir: ../backups\n";

constexpr char kMinimal[] =
    "replica_id: 0\n"
    "genesis: genesis.yaml\n"
    "grpc_listen: 0.0.0.0:7050\n"
    "data_dir: data\n"
    "cert: cert.pem\n"
    "key: key.pem\n";

class NodeConfigTest : public ::testing::Test {
 protected:
  // Writes `text` as ORG/node/node.yaml in the temp folder and loads it.
  Result<NodeConfig> Load(const std::string& text) {
    const std::string path = dir_ / "org/node/node.yaml";
    testing::WriteText(path, text);
    return LoadNodeConfig(path);
  }
  void ExpectRejected(const std::string& text, const std::string& needle) {
    auto config = Load(text);
    ASSERT_FALSE(config.ok());
    EXPECT_EQ(config.status().code(), Code::kInvalidArgument) << config.status().ToString();
    EXPECT_THAT(config.status().message(), HasSubstr(needle));
  }
  testing::TempDir dir_;
};

TEST_F(NodeConfigTest, LoadsEveryKeyAndResolvesRelativePaths) {
  auto config = Load(kFull);
  ASSERT_TRUE(config.ok()) << config.status().ToString();
  const std::filesystem::path root(dir_.path());
  EXPECT_EQ(config->replica_id, 2u);
  EXPECT_EQ(config->genesis_path, (root / "genesis.yaml").string());
  EXPECT_EQ(config->grpc_listen, "127.0.0.1:7054");
  EXPECT_EQ(config->peer_listen, "127.0.0.1:7055");
  EXPECT_EQ(config->data_dir, (root / "org/node/data").string());
  EXPECT_EQ(config->cert_path, (root / "org/node/cert.pem").string());
  EXPECT_EQ(config->key_path, "/etc/shipledger/key.pem");
  EXPECT_EQ(config->mempool_capacity, 5000u);
  EXPECT_EQ(config->verify_threads, 3u);
  EXPECT_EQ(config->batch_timeout_ms, 15u);
  EXPECT_EQ(config->max_wait_ms, 1000u);
  EXPECT_EQ(config->max_watchers, 7u);
  EXPECT_EQ(config->max_watchers_per_org, 3u);
  EXPECT_EQ(config->watch_stall_ms, 2500u);
  EXPECT_EQ(config->log_level, "debug,net=trace");
  EXPECT_TRUE(config->insecure_client_api);
  EXPECT_EQ(config->operations_listen, "0.0.0.0:9443");  // any address, with TLS
  EXPECT_TRUE(config->operations_tls);
  EXPECT_EQ(config->ready_max_lag_blocks, 20u);
  EXPECT_EQ(config->backup_dir, (root / "org/backups").string());
}

TEST_F(NodeConfigTest, RelativeFilePathResolvesAgainstItsFolder) {
  testing::WriteText(dir_ / "node.yaml", kMinimal);
  const auto old_cwd = std::filesystem::current_path();
  std::filesystem::current_path(dir_.path());
  auto config = LoadNodeConfig("node.yaml");
  std::filesystem::current_path(old_cwd);
  ASSERT_TRUE(config.ok()) << config.status().ToString();
  EXPECT_TRUE(std::filesystem::path(config->genesis_path).is_absolute());
  // The working directory is the real path of the folder (no symlinks).
  EXPECT_EQ(config->genesis_path,
            (std::filesystem::canonical(dir_.path()) / "genesis.yaml").string());
}

TEST_F(NodeConfigTest, ParsesTextWithoutReadingAFileAndNamesThePathInErrors) {
  auto config = ParseNodeConfig(kMinimal, "/srv/org/node/node.yaml");
  ASSERT_TRUE(config.ok()) << config.status().ToString();
  EXPECT_EQ(config->genesis_path, "/srv/org/node/genesis.yaml");
  auto bad = ParseNodeConfig("replica_id: x\n", "/srv/org/node/node.yaml");
  ASSERT_FALSE(bad.ok());
  EXPECT_THAT(bad.status().message(), HasSubstr("/srv/org/node/node.yaml"));
}

TEST_F(NodeConfigTest, OptionalKeysTakeDefaults) {
  auto config = Load(kMinimal);
  ASSERT_TRUE(config.ok()) << config.status().ToString();
  const NodeConfig defaults;
  EXPECT_EQ(config->peer_listen, "");
  EXPECT_EQ(config->mempool_capacity, defaults.mempool_capacity);
  EXPECT_EQ(config->verify_threads, 0u);
  EXPECT_EQ(config->batch_timeout_ms, 0u);
  EXPECT_EQ(config->max_wait_ms, defaults.max_wait_ms);
  EXPECT_EQ(config->max_watchers, defaults.max_watchers);
  EXPECT_EQ(config->max_watchers_per_org, 16u);
  EXPECT_EQ(config->log_level, "info");
  EXPECT_FALSE(config->insecure_client_api);  // TLS unless a developer says otherwise
  EXPECT_EQ(config->backup_dir, "");          // the node uses "backups" beside data_dir
}

TEST_F(NodeConfigTest, RejectsUnknownKeyNamingIt) {
  ExpectRejected(std::string(kMinimal) + "mempool_capacty: 10\n", "unknown key 'mempool_capacty'");
}

TEST_F(NodeConfigTest, RejectsMissingRequiredKey) {
  ExpectRejected("replica_id: 0\ngenesis: g.yaml\ndata_dir: d\ncert: c\nkey: k\n",
                 "grpc_listen: missing");
  ExpectRejected("genesis: g.yaml\ngrpc_listen: h:1\ndata_dir: d\ncert: c\nkey: k\n",
                 "replica_id: missing");
}

TEST_F(NodeConfigTest, RejectsBadValues) {
  ExpectRejected(std::string(kMinimal) + "mempool_capacity: -5\n",
                 "mempool_capacity: expected an integer");
  ExpectRejected(std::string(kMinimal) + "mempool_capacity: 0\n",
                 "mempool_capacity: expected an integer in [1,");
  ExpectRejected(std::string(kMinimal) + "log_level: loud\n",
                 "log_level: unknown log level 'loud'");
  ExpectRejected(std::string(kMinimal) + "log_level: info,consensus=debug,p2p=trace\n",
                 "log_level: unknown log component 'p2p' (node, consensus, net");
  ExpectRejected(std::string(kMinimal) + "peer_listen: 7051\n", "peer_listen: expected host:port");
  ExpectRejected(std::string(kMinimal) + "operations_listen: 0.0.0.0:9443\n",
                 "operations_listen: '0.0.0.0:9443' is not a loopback address");
  ExpectRejected(std::string(kMinimal) + "operations_tls: 1\n", "operations_tls: '1'");
  ExpectRejected(std::string(kMinimal) + "max_wait_ms: [1, 2]\n",
                 "max_wait_ms: expected a single value");
  ExpectRejected(std::string(kMinimal) + "insecure_client_api: yes\n",
                 "insecure_client_api: 'yes': use true or false");
  ExpectRejected(std::string(kMinimal) + "backup_dir: data/backups\n", "backup_dir: '");
  ExpectRejected(std::string(kMinimal) + "backup_dir: ./data\n", "is inside the data dir");
  ExpectRejected(std::string(kMinimal) + "max_watchers_per_org: 0\n",
                 "max_watchers_per_org: expected an integer in [1,");
}

TEST_F(NodeConfigTest, RejectsDuplicateKey) {
  ExpectRejected(std::string(kMinimal) + "replica_id: 1\n", "replica_id: duplicate key");
}

TEST_F(NodeConfigTest, ReportsSyntaxErrorWithLineAndColumn) {
  ExpectRejected("replica_id: 0\ngenesis: [unclosed\n", "line ");
}

TEST_F(NodeConfigTest, MissingFileIsNotFound) {
  EXPECT_EQ(LoadNodeConfig(dir_ / "absent.yaml").status().code(), Code::kNotFound);
}

TEST_F(NodeConfigTest, TrackingServiceIsOffByDefault) {
  auto config = Load(kMinimal);
  ASSERT_TRUE(config.ok()) << config.status().ToString();
  EXPECT_EQ(config->tracking_listen, "");
  EXPECT_EQ(config->tracking_rate_per_s, 10u);
  EXPECT_EQ(config->tracking_burst, 20u);
  EXPECT_EQ(config->tracking_max_connections_per_address, 8u);
}

TEST_F(NodeConfigTest, LoadsTrackingServiceKeys) {
  auto config = Load(std::string(kMinimal) +
                     "tracking_listen: 0.0.0.0:8080\ntracking_rate_per_s: 3\ntracking_burst: 9\n"
                     "tracking_max_connections_per_address: 2\n");
  ASSERT_TRUE(config.ok()) << config.status().ToString();
  EXPECT_EQ(config->tracking_listen, "0.0.0.0:8080");
  EXPECT_EQ(config->tracking_rate_per_s, 3u);
  EXPECT_EQ(config->tracking_burst, 9u);
  EXPECT_EQ(config->tracking_max_connections_per_address, 2u);
}

TEST_F(NodeConfigTest, RejectsBadTrackingServiceKeys) {
  ExpectRejected(std::string(kMinimal) + "tracking_listen: nowhere\n", "tracking_listen");
  ExpectRejected(std::string(kMinimal) + "tracking_rate_per_s: 0\n", "tracking_rate_per_s");
  ExpectRejected(std::string(kMinimal) + "tracking_burst: 0\n", "tracking_burst");
  ExpectRejected(std::string(kMinimal) + "tracking_max_connections_per_address: 0\n",
                 "tracking_max_connections_per_address");
}

}  // namespace
}  // namespace shipledger::config
