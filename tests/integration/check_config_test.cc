// `shipledgerd --check-config` (issue 21): checks node.yaml, the genesis and the node's
// certificate and key without opening the data dir, prints what the node would run with and
// exits 0, or names the problem and exits 2.
#include <gtest/gtest.h>
#include <signal.h>

#include <filesystem>
#include <fstream>
#include <string>

#include "config/node_config.h"
#include "fixture.h"
#include "node/node_files.h"

namespace shipledger::itest {
namespace {

namespace fs = std::filesystem;

// Four organisations, each running a node.
constexpr char kFourNodes[] =
    "exporter:exporter,forwarder:forwarder,customs:customs,importer:importer";

bool Contains(const std::string& text, const std::string& part) {
  return text.find(part) != std::string::npos;
}

ProgramResult CheckConfig(const std::string& node_yaml) {
  return RunProgram({SHIPLEDGERD_PATH, "--config", node_yaml, "--check-config"}, 15000);
}

// A copy of `net`'s exporter node.yaml, beside it, with the first `from` replaced by `to`.
std::string EditedNodeYaml(const NetworkDir& net, const std::string& from, const std::string& to) {
  std::ifstream in(net.node_yaml());
  std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  const size_t at = text.find(from);
  EXPECT_NE(at, std::string::npos) << from;
  if (at != std::string::npos) text.replace(at, from.size(), to);
  const std::string path = (net.path() / "exporter/node/edited.yaml").string();
  std::ofstream(path) << text;
  return path;
}

TEST(CheckConfig, AGoodConfigIsSummarisedAndExitsZero) {
  NetworkDir net(kFourNodes);
  const ProgramResult r = CheckConfig(net.node_yaml());
  ASSERT_EQ(r.code, 0) << r;
  EXPECT_TRUE(Contains(r.out, "node.yaml: OK")) << r;
  EXPECT_TRUE(Contains(r.out, "chain: " + net.genesis()->chain_id)) << r;
  EXPECT_TRUE(Contains(r.out, "genesis: " + ToHex(net.genesis()->hash))) << r;
  EXPECT_TRUE(Contains(r.out, "replica: 0 of 4 (f = 1)")) << r;
  EXPECT_TRUE(Contains(r.out, "organisation: exporter")) << r;
  EXPECT_TRUE(Contains(r.out, "(created at first start)")) << r;  // no data dir yet
  EXPECT_TRUE(Contains(r.out, "node certificate: valid until ")) << r;
  EXPECT_FALSE(Contains(r.out, "warning")) << r;
  EXPECT_FALSE(fs::exists(net.data_dir())) << "the check must not create the data dir";
}

TEST(CheckConfig, RunsBesideTheRunningNode) {
  NetworkDir net("exporter:exporter,forwarder:forwarder:client");
  Daemon d(net.node_yaml());
  ASSERT_TRUE(WaitReady(net, "127.0.0.1:" + std::to_string(net.port())));
  const ProgramResult r = CheckConfig(net.node_yaml());
  EXPECT_EQ(r.code, 0) << r;
  EXPECT_FALSE(Contains(r.out, "created at first start")) << r;
  d.Kill(SIGTERM);
  EXPECT_EQ(d.Wait(), 0);
}

TEST(CheckConfig, AnUnknownKeyIsNamed) {
  NetworkDir net;
  const ProgramResult r =
      CheckConfig(EditedNodeYaml(net, "log_level: info", "log_level: info\nmax_watcher: 5"));
  EXPECT_EQ(r.code, 2) << r;
  EXPECT_TRUE(Contains(r.err, "max_watcher")) << r;
}

TEST(CheckConfig, AKeyOfAnotherCertificateIsRefused) {
  NetworkDir net(kFourNodes);
  const ProgramResult r =
      CheckConfig(EditedNodeYaml(net, "key: key.pem", "key: ../../forwarder/node/key.pem"));
  EXPECT_EQ(r.code, 2) << r;
  EXPECT_TRUE(Contains(r.err, "does not match certificate")) << r;
}

TEST(CheckConfig, ACertificateTheGenesisDoesNotPinForTheReplicaIsRefused) {
  NetworkDir net(kFourNodes);
  const ProgramResult r = CheckConfig(
      EditedNodeYaml(net, "cert: cert.pem\nkey: key.pem",
                     "cert: ../../forwarder/node/cert.pem\nkey: ../../forwarder/node/key.pem"));
  EXPECT_EQ(r.code, 2) << r;
  EXPECT_TRUE(Contains(r.err, "is not the one the genesis pins for replica 0")) << r;
}

TEST(CheckConfig, ADataDirThatIsAFileIsRefused) {
  NetworkDir net;
  std::ofstream(net.path() / "exporter/node/not-a-dir") << "x";
  const ProgramResult r = CheckConfig(EditedNodeYaml(net, "data_dir: data", "data_dir: not-a-dir"));
  EXPECT_EQ(r.code, 2) << r;
  EXPECT_TRUE(Contains(r.err, "is not a directory")) << r;
}

TEST(CheckConfig, AnExpiredOrSoonExpiringCertificateIsReported) {
  NetworkDir net;
  auto config = config::LoadNodeConfig(net.node_yaml());
  ASSERT_TRUE(config.ok()) << config.status().ToString();
  auto files = node::LoadNodeFiles(*config);
  ASSERT_TRUE(files.ok()) << files.status().ToString();
  const int64_t not_after = files->identity.cert.not_after_ms();

  auto soon = node::CheckConfig(*config, not_after - 10LL * 24 * 3600 * 1000);
  ASSERT_TRUE(soon.ok()) << soon.status().ToString();
  EXPECT_TRUE(Contains(*soon, "warning: the node certificate expires within 30 days")) << *soon;

  auto expired = node::CheckConfig(*config, not_after + 1000);
  ASSERT_FALSE(expired.ok());
  EXPECT_EQ(expired.status().code(), Code::kFailedPrecondition);
  EXPECT_TRUE(Contains(expired.status().message(), "not now")) << expired.status().ToString();
}

}  // namespace
}  // namespace shipledger::itest
