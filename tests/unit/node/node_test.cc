// Node::Create refuses a misconfigured node with a message that names what is wrong.
#include "node/node.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <random>

#include "config/network.h"

namespace shipledger::node {
namespace {

namespace fs = std::filesystem;

class NodeCreateTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ =
        fs::temp_directory_path() / ("shipledger-node-" + std::to_string(std::random_device()()));
    config::InitOptions o;
    o.out_dir = dir_.string();
    o.orgs = *config::ParseOrgSpecs("exporter:exporter,importer:importer:client");
    o.base_port = 7990;
    ASSERT_TRUE(config::InitNetwork(o, SystemClock::Get()).ok());
    auto cfg = config::LoadNodeConfig((dir_ / "exporter/node/node.yaml").string());
    ASSERT_TRUE(cfg.ok()) << cfg.status().ToString();
    config_ = *cfg;
    config_.grpc_listen = "127.0.0.1:0";
  }
  void TearDown() override { fs::remove_all(dir_); }

  fs::path dir_;
  config::NodeConfig config_;
};

TEST_F(NodeCreateTest, StartsServesAndStopsIdempotently) {
  auto node = Node::Create(config_);
  ASSERT_TRUE(node.ok()) << node.status().ToString();
  ASSERT_TRUE((*node)->Start().ok());
  EXPECT_GT((*node)->grpc_port(), 0);
  const v1::NodeStatus st = (*node)->NodeStatus();
  EXPECT_EQ(st.height(), 0u);
  EXPECT_TRUE(st.is_primary());
  EXPECT_EQ(st.organisation(), "exporter");
  EXPECT_EQ(st.nodes(), 1u);
  (*node)->Stop();
  (*node)->Stop();
  // After Stop, ordering refuses with UNAVAILABLE rather than hanging.
  auto e = std::make_shared<model::AdmittedEvent>();
  e->id = std::string(32, 'a');
  auto statuses = (*node)->Order({e});
  ASSERT_EQ(statuses.size(), 1u);
  EXPECT_EQ(statuses[0].code(), Code::kUnavailable);
}

TEST_F(NodeCreateTest, RefusesACertificateNotPinnedInTheGenesis) {
  // The importer's client certificate is not the pinned node certificate of replica 0.
  config_.cert_path = (dir_ / "importer/clients/admin/cert.pem").string();
  config_.key_path = (dir_ / "importer/clients/admin/key.pem").string();
  auto node = Node::Create(config_);
  ASSERT_FALSE(node.ok());
  EXPECT_EQ(node.status().code(), Code::kFailedPrecondition);
  EXPECT_NE(node.status().message().find("pins for replica 0"), std::string::npos)
      << node.status().message();
}

TEST_F(NodeCreateTest, RefusesAKeyThatDoesNotMatchTheCertificate) {
  config_.key_path = (dir_ / "importer/clients/admin/key.pem").string();
  auto node = Node::Create(config_);
  ASSERT_FALSE(node.ok());
  EXPECT_EQ(node.status().code(), Code::kInvalidArgument);
  EXPECT_NE(node.status().message().find("does not match"), std::string::npos);
}

TEST_F(NodeCreateTest, RefusesAMissingGenesis) {
  config_.genesis_path = (dir_ / "nope.yaml").string();
  auto node = Node::Create(config_);
  ASSERT_FALSE(node.ok());
  EXPECT_NE(node.status().message().find("nope.yaml"), std::string::npos);
}

TEST_F(NodeCreateTest, RefusesAPortInUse) {
  auto first = Node::Create(config_);
  ASSERT_TRUE(first.ok());
  ASSERT_TRUE((*first)->Start().ok());
  config::NodeConfig second_cfg = config_;
  second_cfg.grpc_listen = "127.0.0.1:" + std::to_string((*first)->grpc_port());
  second_cfg.data_dir = (dir_ / "other-data").string();
  auto second = Node::Create(second_cfg);
  ASSERT_TRUE(second.ok()) << second.status().ToString();
  const Status s = (*second)->Start();
  EXPECT_EQ(s.code(), Code::kUnavailable);
  EXPECT_NE(s.message().find("cannot listen"), std::string::npos);
  (*first)->Stop();
}

class FourNodeTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ =
        fs::temp_directory_path() / ("shipledger-node4-" + std::to_string(std::random_device()()));
    config::InitOptions o;
    o.out_dir = dir_.string();
    o.orgs = *config::ParseOrgSpecs("a:exporter,b:forwarder,c:customs,d:importer");
    ASSERT_TRUE(config::InitNetwork(o, SystemClock::Get()).ok());
    auto cfg = config::LoadNodeConfig((dir_ / "a/node/node.yaml").string());
    ASSERT_TRUE(cfg.ok()) << cfg.status().ToString();
    config_ = *cfg;
    config_.grpc_listen = "127.0.0.1:0";
    config_.peer_listen = "127.0.0.1:0";
  }
  void TearDown() override { fs::remove_all(dir_); }

  fs::path dir_;
  config::NodeConfig config_;
};

TEST_F(FourNodeTest, StartsAPbftReplicaWithItsPeerTransport) {
  auto node = Node::Create(config_);
  ASSERT_TRUE(node.ok()) << node.status().ToString();
  ASSERT_TRUE((*node)->Start().ok());
  EXPECT_GT((*node)->peer_port(), 0);
  const v1::NodeStatus st = (*node)->NodeStatus();
  EXPECT_EQ(st.nodes(), 4u);
  EXPECT_EQ(st.view(), 0u);
  EXPECT_EQ(st.primary(), 0u);
  ASSERT_EQ(st.peers_size(), 3);
  for (int i = 0; i < 3; ++i) {
    EXPECT_EQ(st.peers(i).replica(), static_cast<uint32_t>(i + 1));
    EXPECT_FALSE(st.peers(i).connected_out());  // the other replicas are not running
  }
  (*node)->Stop();
  (*node)->Stop();
}

TEST_F(FourNodeTest, RefusesToStartWithoutPeerListen) {
  config_.peer_listen.clear();
  auto node = Node::Create(config_);
  ASSERT_FALSE(node.ok());
  EXPECT_EQ(node.status().code(), Code::kInvalidArgument);
  EXPECT_NE(node.status().message().find("peer_listen"), std::string::npos)
      << node.status().ToString();
  EXPECT_NE(node.status().message().find("4 replicas"), std::string::npos);
}

TEST_F(FourNodeTest, PeerPortInUseIsReportedByStart) {
  auto first = Node::Create(config_);
  ASSERT_TRUE(first.ok()) << first.status().ToString();
  ASSERT_TRUE((*first)->Start().ok());
  config_.peer_listen = "127.0.0.1:" + std::to_string((*first)->peer_port());
  config_.data_dir = (dir_ / "second-data").string();
  auto second = Node::Create(config_);
  ASSERT_TRUE(second.ok()) << second.status().ToString();
  const Status s = (*second)->Start();
  EXPECT_EQ(s.code(), Code::kUnavailable) << s.ToString();
  EXPECT_NE(s.message().find("peer_listen"), std::string::npos) << s.ToString();
  (*first)->Stop();
}

}  // namespace
}  // namespace shipledger::node
