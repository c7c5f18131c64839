// A real 4-node PBFT network (issue 4): shipledgerd processes over mutual TLS on loopback.
// Crashing the primary makes the others change view and go on committing; a restarted or stopped
// replica catches up by state transfer; a peer with a certificate from an unknown CA is refused.
// Every test ends with: no event acknowledged as committed is lost, and all nodes hold the same
// head hash.
#include "cluster.h"

#include <gtest/gtest.h>
#include <signal.h>
#include <spdlog/spdlog.h>

#include <boost/asio/io_context.hpp>
#include <chrono>
#include <cstdio>
#include <fstream>
#include <iterator>
#include <thread>

#include "config/identity.h"
#include "net/transport.h"

namespace shipledger::itest {
namespace {

using std::chrono::milliseconds;
using std::chrono::steady_clock;

int64_t MsSince(steady_clock::time_point start) {
  return std::chrono::duration_cast<milliseconds>(steady_clock::now() - start).count();
}

// Waits until every node in `nodes` reports a view above `view`; false on timeout.
bool WaitViewAbove(const Cluster& c, const std::vector<int>& nodes, uint64_t view, int timeout_ms) {
  const auto until = steady_clock::now() + milliseconds(timeout_ms);
  while (steady_clock::now() < until) {
    bool all = true;
    for (int i : nodes) {
      auto s = c.Status(i);
      all = all && s.has_value() && s->view() > view;
    }
    if (all) return true;
    std::this_thread::sleep_for(milliseconds(100));
  }
  return false;
}

class ClusterTest : public ::testing::Test {
 protected:
  void SetUp() override { ASSERT_TRUE(cluster_.StartAll()) << "the 4 nodes did not start"; }
  void TearDown() override {
    if (HasFailure()) cluster_.PrintLogs();
  }
  Cluster cluster_;
};

TEST_F(ClusterTest, CommitsOnEveryNodeWithTheSameHead) {
  // Every party submits through its own node.
  for (int i = 0; i < Cluster::kNodes; ++i) {
    Client c(cluster_.net(), cluster_.target(i));
    auto r = c.SubmitOne(c.SignedBy("exporter", v1::EVENT_TYPE_BOOKED, "S-" + std::to_string(i)));
    EXPECT_EQ(r.code(), 0) << "node " << i << ": " << r.message();
    EXPECT_EQ(r.receipt().code(), v1::RESULT_CODE_VALID) << "node " << i;
  }
  auto head = cluster_.WaitSameHead({0, 1, 2, 3}, 10000, 1);
  ASSERT_TRUE(head.has_value()) << "the nodes do not agree on a head";
  auto s = cluster_.Status(2);
  ASSERT_TRUE(s.has_value());
  EXPECT_EQ(s->nodes(), 4u);
  EXPECT_EQ(s->view(), 0u);
}

// (a) SIGKILL the primary while clients submit: the others change view and go on committing;
// (b) restart it: it catches up to the same head.
TEST_F(ClusterTest, PrimaryKilledViewChangesAndRestartCatchesUp) {
  auto s0 = cluster_.Status(0);
  ASSERT_TRUE(s0.has_value());
  ASSERT_TRUE(s0->is_primary()) << "replica 0 is the primary of view 0";
  Load load(cluster_, {0, 1, 2, 3, 1, 2, 3}, "A");
  ASSERT_TRUE(load.WaitAcked(30, 20000)) << "no commits before the crash";

  const auto kill_at = steady_clock::now();
  EXPECT_EQ(cluster_.Stop(0, SIGKILL), -SIGKILL);
  const size_t acked_at_kill = load.acked();
  ASSERT_TRUE(WaitViewAbove(cluster_, {1, 2, 3}, 0, 20000)) << "no view change";
  const int64_t view_change_ms = MsSince(kill_at);
  ASSERT_TRUE(load.WaitAcked(acked_at_kill + 30, 20000))
      << "commits did not continue after the view change (" << load.acked() - acked_at_kill
      << " since the crash)";
  const int64_t resumed_ms = MsSince(kill_at);
  auto s1 = cluster_.Status(1);
  ASSERT_TRUE(s1.has_value());
  std::printf(
      "primary killed after %zu acks: view %llu on the others after %lld ms, 30 more "
      "commits by %lld ms\n",
      acked_at_kill, static_cast<unsigned long long>(s1->view()),
      static_cast<long long>(view_change_ms), static_cast<long long>(resumed_ms));

  // (b) Restart the old primary while the load goes on.
  const auto restart_at = steady_clock::now();
  ASSERT_TRUE(cluster_.Start(0));
  load.Stop();
  auto head = cluster_.WaitSameHead({0, 1, 2, 3}, 30000, s1->height());
  ASSERT_TRUE(head.has_value()) << "the restarted replica did not catch up";
  std::printf("restarted replica 0 caught up to height %llu in %lld ms\n",
              static_cast<unsigned long long>(head->height()),
              static_cast<long long>(MsSince(restart_at)));

  const std::vector<Bytes> acked = load.acked_ids();
  for (int i = 0; i < Cluster::kNodes; ++i) ExpectAllCommitted(cluster_, i, acked);
  // The network still commits, through the restarted node too.
  Client c(cluster_.net(), cluster_.target(0));
  auto r = c.SubmitOne(c.SignedBy("exporter", v1::EVENT_TYPE_BOOKED, "after-restart"));
  EXPECT_EQ(r.receipt().code(), v1::RESULT_CODE_VALID) << r.message();
  EXPECT_TRUE(cluster_.WaitSameHead({0, 1, 2, 3}, 10000, head->height() + 1).has_value());
}

// (c) A backup stopped cleanly misses many blocks, then catches up by state transfer.
TEST_F(ClusterTest, StoppedBackupCatchesUp) {
  EXPECT_EQ(cluster_.Stop(3, SIGTERM), 0);
  constexpr size_t kEvents = 300;
  {
    Load load(cluster_, {0, 1, 2, 0, 1, 2}, "C");
    EXPECT_TRUE(load.WaitAcked(kEvents, 60000)) << "only " << load.acked() << " commits";
    load.Stop();
    const std::vector<Bytes> acked = load.acked_ids();
    auto head = cluster_.WaitSameHead({0, 1, 2}, 10000);
    ASSERT_TRUE(head.has_value());

    const auto restart_at = steady_clock::now();
    ASSERT_TRUE(cluster_.Start(3));
    const int64_t ready_ms = MsSince(restart_at);
    auto caught_up = cluster_.WaitSameHead({0, 1, 2, 3}, 60000, head->height());
    ASSERT_TRUE(caught_up.has_value()) << "replica 3 did not catch up";
    std::printf(
        "replica 3 missed %llu blocks (%zu events): gRPC up after %lld ms, caught up to "
        "height %llu after %lld ms\n",
        static_cast<unsigned long long>(head->height()), acked.size(),
        static_cast<long long>(ready_ms), static_cast<unsigned long long>(caught_up->height()),
        static_cast<long long>(MsSince(restart_at)));
    for (int i = 0; i < Cluster::kNodes; ++i) ExpectAllCommitted(cluster_, i, acked);
  }
  // It takes part again: with replica 2 down, commits need replica 3's votes.
  EXPECT_EQ(cluster_.Stop(2, SIGTERM), 0);
  Client c(cluster_.net(), cluster_.target(3));
  auto r = c.SubmitOne(c.SignedBy("exporter", v1::EVENT_TYPE_BOOKED, "needs-replica-3"));
  EXPECT_EQ(r.receipt().code(), v1::RESULT_CODE_VALID) << r.message();
  ASSERT_TRUE(cluster_.Start(2));
  EXPECT_TRUE(cluster_.WaitSameHead({0, 1, 2, 3}, 30000).has_value());
}

// Every node SIGKILLed at once while clients submit, then restarted from its data dir and
// journal: nothing acknowledged is lost, the nodes agree, and the network commits again.
TEST_F(ClusterTest, WholeNetworkKilledAndRestartedLosesNothing) {
  std::vector<Bytes> acked;
  {
    Load load(cluster_, {0, 1, 2, 3}, "E");
    ASSERT_TRUE(load.WaitAcked(40, 20000)) << "no commits";
    for (int i = 0; i < Cluster::kNodes; ++i) EXPECT_EQ(cluster_.Stop(i, SIGKILL), -SIGKILL);
    load.Stop();
    acked = load.acked_ids();
  }
  const auto restart_at = steady_clock::now();
  ASSERT_TRUE(cluster_.StartAll());
  auto head = cluster_.WaitSameHead({0, 1, 2, 3}, 30000);
  ASSERT_TRUE(head.has_value()) << "the restarted nodes do not agree";
  std::printf(
      "%zu acknowledged events; after a restart of all 4 nodes they agree at height %llu "
      "within %lld ms\n",
      acked.size(), static_cast<unsigned long long>(head->height()),
      static_cast<long long>(MsSince(restart_at)));
  for (int i = 0; i < Cluster::kNodes; ++i) ExpectAllCommitted(cluster_, i, acked);
  for (int i = 0; i < Cluster::kNodes; ++i) {
    Client c(cluster_.net(), cluster_.target(i));
    auto r = c.SubmitOne(
        c.SignedBy("exporter", v1::EVENT_TYPE_BOOKED, "after-restart-" + std::to_string(i)));
    EXPECT_EQ(r.receipt().code(), v1::RESULT_CODE_VALID) << "node " << i << ": " << r.message();
  }
  EXPECT_TRUE(cluster_.WaitSameHead({0, 1, 2, 3}, 10000, head->height() + 1).has_value());
}

// (d) A process holding a node certificate of another network (another CA) dials replica 1's
// peer port claiming to be replica 0: replica 1 refuses the TLS handshake, and the network
// goes on unaffected. A shipledgerd given such a certificate refuses to start.
TEST_F(ClusterTest, PeerWithCertificateFromUnknownCaIsRefused) {
  NetworkDir other("intruder:exporter");
  auto intruder = config::LoadIdentity((other.path() / "intruder/node").string());
  ASSERT_TRUE(intruder.ok()) << intruder.status().ToString();

  // The intruder's view of the network: replica 0 is itself; the others as in the real genesis,
  // so that on its side the real replica 1 authenticates and any refusal is replica 1's.
  auto forged = std::make_shared<model::Genesis>(*cluster_.net().genesis());
  forged->replicas[0].node_cert = intruder->cert;
  forged->replicas[0].org = "intruder";
  forged->organisations.push_back(other.genesis()->organisations[0]);
  // The intruder's own transport logs every refused attempt; keep the test output readable.
  spdlog::set_level(spdlog::level::warn);
  boost::asio::io_context io;
  net::TransportOptions options;
  options.backoff_max_ms = 200;
  std::atomic<int> delivered{0};
  net::Transport transport(io, forged, 0, intruder->cert, intruder->key, options,
                           [&](uint32_t, std::string) { delivered.fetch_add(1); });
  ASSERT_TRUE(transport.Listen("127.0.0.1:0").ok());
  transport.SetPeerEndpoint(2, "127.0.0.1:1");  // dial only replica 1
  transport.SetPeerEndpoint(3, "127.0.0.1:1");
  transport.Start();
  std::thread io_thread([&] { io.run(); });
  // The intruder keeps trying to talk to replica 1 while clients use the network, for 2 s and
  // until replica 1 says why it refuses. Refusals are logged as one summary line per 10 s naming
  // the latest, so one from the network's own start may hold the intruder's back until then.
  const std::string why = "CN=intruder-node, O=intruder) is not pinned for any replica";
  const auto replica1_says_why = [&] {
    std::ifstream log(cluster_.log_path(1));
    const std::string text((std::istreambuf_iterator<char>(log)), std::istreambuf_iterator<char>());
    return text.find(why) != std::string::npos;
  };
  const auto start = steady_clock::now();
  v1::PeerMessage hello;
  hello.mutable_heartbeat()->set_view(7);
  hello.mutable_heartbeat()->set_committed_height(1000000);
  bool said_why = false;
  for (int i = 0; steady_clock::now() - start < milliseconds(15000); ++i) {
    transport.Send(1, hello.SerializeAsString());
    std::this_thread::sleep_for(milliseconds(50));
    if (i % 10 == 0) said_why = replica1_says_why();
    if (said_why && steady_clock::now() - start >= milliseconds(2000)) break;
  }
  const net::Transport::PeerStats stats = transport.stats(1);
  transport.Stop();
  io.stop();
  io_thread.join();
  // The intruder's own side may count a link as up for the moment between its TLS 1.3
  // handshake ending and replica 1's refusal arriving, so "connected" is no evidence either way:
  // replica 1 ends every attempt (reconnects), sends it nothing, and says why (below).
  EXPECT_GT(stats.reconnects, 0u);
  EXPECT_EQ(stats.frames_received, 0u) << "replica 1 spoke to a certificate from an unknown CA";
  EXPECT_EQ(delivered.load(), 0);
  EXPECT_TRUE(said_why || replica1_says_why()) << "replica 1's log does not show the refusal";

  // The network is unaffected: replica 1 did not take the intruder's heartbeat (view 7,
  // height 1,000,000) for a peer's, and commits. (A view change of its own may happen on a busy
  // machine; it is not the intruder's doing.)
  Client c(cluster_.net(), cluster_.target(1));
  auto r = c.SubmitOne(c.SignedBy("exporter", v1::EVENT_TYPE_BOOKED, "after-intruder"));
  EXPECT_EQ(r.receipt().code(), v1::RESULT_CODE_VALID) << r.message();
  auto s1 = cluster_.Status(1);
  ASSERT_TRUE(s1.has_value());
  EXPECT_LT(s1->view(), 7u);
  EXPECT_LT(s1->highest_known_height(), 1000000u);
  EXPECT_TRUE(cluster_.WaitSameHead({0, 1, 2, 3}, 10000, 1).has_value());

  // A node configured with the other network's certificate cannot join: it refuses to start.
  EXPECT_EQ(cluster_.Stop(3, SIGTERM), 0);
  const std::filesystem::path node_dir = cluster_.net().path() / "importer/node";
  std::filesystem::copy_file(other.path() / "intruder/node/cert.pem", node_dir / "cert.pem",
                             std::filesystem::copy_options::overwrite_existing);
  std::filesystem::copy_file(other.path() / "intruder/node/key.pem", node_dir / "key.pem",
                             std::filesystem::copy_options::overwrite_existing);
  Daemon impostor(cluster_.net().node_yaml("importer"), cluster_.log_path(3));
  EXPECT_EQ(impostor.Wait(), 1) << "a node with a foreign certificate started";
}

// Issue 18: `verify` called honest chains BROKEN because PBFT gives several blocks one time
// (reproduced with batch_max_events: 2 under load) and after a NEW-VIEW with empty proposals.
// Small batches under load, the primary killed (a view change) and restarted: verify through
// every node and offline on every data dir says OK.
TEST(ClusterVerify, SmallBatchesAndAViewChangeVerifyOkThroughEveryNodeAndOffline) {
  Cluster cluster(/*view_timeout_ms=*/1000, /*batch_max_events=*/2);
  ASSERT_TRUE(cluster.StartAll()) << "the 4 nodes did not start";
  {
    Load load(cluster, {0, 1, 2, 3, 1, 2, 3, 1, 2, 3}, "V");
    ASSERT_TRUE(load.WaitAcked(40, 30000)) << "no commits before the crash";
    EXPECT_EQ(cluster.Stop(0, SIGKILL), -SIGKILL);
    ASSERT_TRUE(WaitViewAbove(cluster, {1, 2, 3}, 0, 20000)) << "no view change";
    const size_t acked = load.acked();
    ASSERT_TRUE(load.WaitAcked(acked + 20, 30000)) << "no commits after the view change";
    ASSERT_TRUE(cluster.Start(0));
  }
  auto head = cluster.WaitSameHead({0, 1, 2, 3}, 30000);
  ASSERT_TRUE(head.has_value());
  // The chain holds what made verify fail: consecutive blocks with one time.
  Client client(cluster.net(), cluster.target(1));
  int equal_times = 0;
  int64_t prev_ms = -1;
  for (uint64_t h = 1; h <= head->height(); ++h) {
    grpc::ClientContext ctx;
    v1::GetBlockRequest req;
    req.set_height(h);
    v1::Block block;
    ASSERT_TRUE(client.stub().GetBlock(&ctx, req, &block).ok()) << "height " << h;
    equal_times += block.proposal().timestamp_ms() == prev_ms;
    prev_ms = block.proposal().timestamp_ms();
  }
  std::printf("%llu blocks, %d with the time of the block below\n",
              static_cast<unsigned long long>(head->height()), equal_times);
  // Seen 4-7 times in 70-95 blocks here; a run without any still checks verify, so it only warns
  // (the verifier's unit test EqualBlockTimesAreAnHonestChain covers equal times always).
  if (equal_times == 0) std::printf("warning: no equal block times in this run\n");
  for (int i = 0; i < Cluster::kNodes; ++i) {
    const std::string admin = (cluster.net().path() / Cluster::kOrgs[i] / "clients/admin").string();
    const ProgramResult r = Cli({"--node", cluster.target(i), "--identity", admin, "verify",
                                 "--genesis", cluster.net().genesis_path()},
                                60000);
    EXPECT_EQ(r.code, 0) << r;
    EXPECT_NE(r.out.find("chain OK"), std::string::npos) << r;
  }
  for (int i = 0; i < Cluster::kNodes; ++i) EXPECT_EQ(cluster.Stop(i, SIGTERM), 0);
  for (const char* org : Cluster::kOrgs) {
    const ProgramResult r = Cli({"verify", "--data-dir", cluster.net().data_dir(org), "--genesis",
                                 cluster.net().genesis_path()},
                                60000);
    EXPECT_EQ(r.code, 0) << r;
    EXPECT_NE(r.out.find("chain OK"), std::string::npos) << r;
  }
  if (::testing::Test::HasFailure()) cluster.PrintLogs();
}

}  // namespace
}  // namespace shipledger::itest
