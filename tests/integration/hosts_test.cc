// Nodes on hosts of their own (network init --host): a four-node network on 127.0.0.11-14, each
// node with a name and an address in its certificate and the genesis, listening on its own
// address and dialling its peers from it; clients reach every node by its address.
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <openssl/x509v3.h>
#include <signal.h>

#include <chrono>
#include <fstream>
#include <set>
#include <sstream>
#include <thread>

#include "config/genesis_file.h"
#include "crypto/x509.h"
#include "fixture.h"
#include "testing/temp_dir.h"

namespace shipledger::itest {
namespace {

using ::testing::HasSubstr;

constexpr const char* kOrgs[] = {"exporter", "forwarder", "customs", "importer"};

std::string Address(int i) { return "127.0.0.1" + std::to_string(i + 1); }
std::string Name(int i) { return "node" + std::to_string(i) + ".shipledger.test"; }

std::string ReadText(const std::string& path) {
  std::ifstream in(path);
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

// The "height" and "head_hash" of `shipledger status --json`, or "" when it fails.
std::string HeadOf(const std::string& target, const std::string& identity) {
  const ProgramResult r = Cli({"--node", target, "--identity", identity, "--json", "status"});
  if (r.code != 0) return "";
  const auto field = [&](const std::string& name) {
    const size_t at = r.out.find("\"" + name + "\"");
    return at == std::string::npos ? std::string() : r.out.substr(at, r.out.find(',', at) - at);
  };
  return field("height") + " " + field("headHash");
}

TEST(Hosts, FourNodesOnTheirOwnAddressesAndNamesAgree) {
  testing::TempDir dir;
  const int base = FreePortRange(8);
  ASSERT_NE(base, 0);
  std::vector<std::string> init = {"network",
                                   "init",
                                   "--out",
                                   dir.path(),
                                   "--orgs",
                                   "exporter:exporter,forwarder:forwarder,"
                                   "customs:customs,importer:importer",
                                   "--base-port",
                                   std::to_string(base),
                                   "--view-timeout-ms",
                                   "1000"};
  for (int i = 0; i < 4; ++i) {
    init.push_back("--host");
    init.push_back(std::string(kOrgs[i]) + "=" + Address(i) + "," + Name(i));
  }
  const ProgramResult made = Cli(init);
  ASSERT_EQ(made.code, 0) << made;

  auto genesis = config::LoadGenesis(dir.path() + "/genesis.yaml");
  ASSERT_TRUE(genesis.ok()) << genesis.status().ToString();
  for (int i = 0; i < 4; ++i) {
    const model::Replica& r = *(*genesis)->FindReplica(static_cast<uint32_t>(i));
    const std::string grpc = Address(i) + ":" + std::to_string(base + 2 * i);
    EXPECT_EQ(r.grpc_endpoint, grpc);
    EXPECT_EQ(r.peer_endpoint, Address(i) + ":" + std::to_string(base + 2 * i + 1));
    // Its certificate names its address, its name and the loopback defaults; not another's.
    X509* cert = r.node_cert.raw();
    for (const std::string& ip : {Address(i), std::string("127.0.0.1")}) {
      EXPECT_EQ(X509_check_ip_asc(cert, ip.c_str(), 0), 1) << ip;
    }
    EXPECT_EQ(X509_check_host(cert, Name(i).c_str(), 0, 0, nullptr), 1) << Name(i);
    EXPECT_EQ(X509_check_host(cert, Name((i + 1) % 4).c_str(), 0, 0, nullptr), 0);
    EXPECT_THAT(ReadText(dir.path() + "/" + kOrgs[i] + "/node/node.yaml"),
                HasSubstr("grpc_listen: " + grpc + "\n"));
  }

  std::unique_ptr<Daemon> nodes[4];
  for (int i = 0; i < 4; ++i) {
    nodes[i] = std::make_unique<Daemon>(dir.path() + "/" + kOrgs[i] + "/node/node.yaml",
                                        dir.path() + "/" + kOrgs[i] + ".log", "info,net=debug");
  }
  const std::string admin = dir.path() + "/exporter/clients/admin";
  // Each node answers at its own address; events go in through all four.
  for (int i = 0; i < 8; ++i) {
    const std::string target = Address(i % 4) + ":" + std::to_string(base + 2 * (i % 4));
    ProgramResult r;
    for (int attempt = 0; attempt < 50; ++attempt) {
      r = Cli({"--node", target, "--identity", admin, "event", "submit", "--shipment",
               "HOSTS-" + std::to_string(i), "--type", "booked", "--wait"});
      if (r.code == 0) break;
      std::this_thread::sleep_for(std::chrono::milliseconds(200));
    }
    ASSERT_EQ(r.code, 0) << r;
  }
  std::string heads[4];
  for (int attempt = 0; attempt < 100; ++attempt) {
    for (int i = 0; i < 4; ++i) {
      heads[i] = HeadOf(Address(i) + ":" + std::to_string(base + 2 * i), admin);
    }
    if (!heads[0].empty() && heads[0] == heads[1] && heads[0] == heads[2] && heads[0] == heads[3]) {
      break;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  EXPECT_FALSE(heads[0].empty());
  for (int i = 1; i < 4; ++i) EXPECT_EQ(heads[i], heads[0]) << "node " << i;
  for (auto& node : nodes) {
    node->Kill(SIGTERM);
    node->Wait();
  }
  // Every replica dials from its own address: its peers see it connect from there, never from
  // another address. The node that started first may never dial at all (the others reach it
  // before its redial; of two links between a pair one is kept), so three of four must be seen.
  std::string logs;
  for (const char* org : kOrgs) logs += ReadText(dir.path() + "/" + org + ".log");
  std::set<int> seen;
  const std::string marker = " connected from ";
  for (size_t at = logs.find(marker); at != std::string::npos; at = logs.find(marker, at + 1)) {
    const size_t replica_at = logs.rfind("replica ", at);
    ASSERT_NE(replica_at, std::string::npos);
    const int replica = std::stoi(logs.substr(replica_at + 8, at - replica_at - 8));
    ASSERT_GE(replica, 0);
    ASSERT_LT(replica, 4);
    const size_t addr_at = at + marker.size();
    EXPECT_EQ(logs.substr(addr_at, Address(replica).size() + 1), Address(replica) + ":")
        << "replica " << replica << " dialled from another address:\n"
        << logs.substr(replica_at, logs.find('\n', at) - replica_at);
    seen.insert(replica);
  }
  EXPECT_GE(seen.size(), 3u) << logs;
}

}  // namespace
}  // namespace shipledger::itest
