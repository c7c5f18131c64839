// The outbound side: endpoint parsing, the pin check on the dialled server, redial after the
// peer restarts, and bounded queues towards a dead peer.
#include "net/outbound_peer.h"

#include <gtest/gtest.h>

#include <thread>

#include "testing/test_network.h"
#include "unit/net/net_fixture.h"

namespace shipledger::net {
namespace {

using shipledger::testing::TestNetwork;
using test::ConnectAndStart;
using test::TestNode;
using test::WaitFor;

// Replica 0 (`a`, with `options`) and replica 1 (`b`), which a test stops and starts again on
// the endpoint it had.
struct TwoPeers {
  explicit TwoPeers(const TransportOptions& options = {})
      : net(TestNetwork::Create(TestNetwork::DefaultOrgs(), 4)),
        a(net->genesis(), 0, net->node(0), options),
        b(std::make_unique<TestNode>(net->genesis(), 1, net->node(1))) {}

  // Both listen; b's endpoint is remembered for RestartB.
  ::testing::AssertionResult Listen() {
    if (!a.Listen().ok() || !b->Listen().ok()) return ::testing::AssertionFailure() << "listen";
    b_endpoint = b->endpoint();
    return ::testing::AssertionSuccess();
  }
  // Both listen, know each other's endpoints and run; a's link to b is up.
  ::testing::AssertionResult ListenAndConnect() {
    if (::testing::AssertionResult listening = Listen(); !listening) return listening;
    ConnectAndStart({&a, b.get()});
    if (!WaitFor([&] { return a.transport().stats(1).connected_out; })) {
      return ::testing::AssertionFailure() << "a did not connect to b";
    }
    return ::testing::AssertionSuccess();
  }
  // b again, on its old endpoint, dialling a (so a learns that b is up).
  ::testing::AssertionResult RestartB() {
    b = std::make_unique<TestNode>(net->genesis(), 1, net->node(1));
    if (!b->Listen(b_endpoint).ok()) return ::testing::AssertionFailure() << "relisten";
    b->transport().SetPeerEndpoint(0, a.endpoint());
    b->transport().Start();
    return ::testing::AssertionSuccess();
  }

  std::unique_ptr<TestNetwork> net;
  TestNode a;
  std::unique_ptr<TestNode> b;
  std::string b_endpoint;
};

TEST(OutboundPeer, ServerWithAnotherReplicasCertificateIsRefused) {
  auto net = TestNetwork::Create(TestNetwork::DefaultOrgs(), 4);
  TestNode a(net->genesis(), 0, net->node(0));
  TestNode b(net->genesis(), 2, net->node(2));  // listens where a expects replica 1
  ASSERT_TRUE(a.Listen().ok());
  ASSERT_TRUE(b.Listen().ok());
  a.transport().SetPeerEndpoint(1, b.endpoint());
  b.transport().SetPeerEndpoint(0, a.endpoint());
  a.transport().Start();
  b.transport().Start();
  EXPECT_TRUE(WaitFor([&] { return a.transport().stats(1).protocol_errors >= 1; }));
  EXPECT_FALSE(a.transport().stats(1).connected_out);
}

TEST(OutboundPeer, ReconnectsAfterThePeerRestartsOnTheSamePort) {
  TransportOptions options;
  options.max_queue_frames_per_peer = 16;
  TwoPeers peers(options);
  TestNode& a = peers.a;
  std::unique_ptr<TestNode>& b = peers.b;
  ASSERT_TRUE(peers.ListenAndConnect());
  a.transport().Send(1, "before");
  ASSERT_TRUE(WaitFor([&] { return b->CountFrom(0) == 1; }));

  b->Shutdown();
  ASSERT_TRUE(WaitFor([&] { return !a.transport().stats(1).connected_out; }));
  for (int i = 0; i < 100; ++i) a.transport().Send(1, "while down " + std::to_string(i));
  const auto down = a.transport().stats(1);
  EXPECT_GE(down.frames_dropped, 100u - 16u);
  EXPECT_LE(down.queued_bytes, 16u * 64u);

  ASSERT_TRUE(peers.RestartB());
  ASSERT_TRUE(WaitFor([&] { return a.transport().stats(1).connected_out; }));
  a.transport().Send(1, "after");
  ASSERT_TRUE(WaitFor([&] {
    const auto got = b->ReceivedFrom(0);
    return !got.empty() && got.back() == "after";
  }));
  const auto got = b->ReceivedFrom(0);
  EXPECT_LE(got.size(), 17u);  // the queued ones (at most the queue) and "after"
  EXPECT_GE(a.transport().stats(1).reconnects, 1u);
}

TEST(OutboundPeer, PeerThatConnectsToUsIsDialledAtOnceNotAfterTheBackoff) {
  TransportOptions slow;  // without the rule, a would redial b only after a minute
  slow.backoff_initial_ms = 60000;
  slow.backoff_max_ms = 60000;
  TwoPeers peers(slow);
  TestNode& a = peers.a;
  std::unique_ptr<TestNode>& b = peers.b;
  ASSERT_TRUE(peers.Listen());
  b.reset();  // b is down: a's first dial fails and a waits to redial
  a.transport().SetPeerEndpoint(1, peers.b_endpoint);
  a.transport().Start();
  ASSERT_TRUE(WaitFor([&] { return a.transport().stats(1).reconnects >= 1; }));
  a.transport().Send(1, "queued while b was down");

  ASSERT_TRUE(peers.RestartB());  // b dials a: a learns that b is up
  ASSERT_TRUE(
      WaitFor([&] { return a.transport().stats(1).connected_out; }, std::chrono::seconds(20)));
  ASSERT_TRUE(WaitFor([&] { return b->CountFrom(0) == 1; }));
  EXPECT_EQ(b->ReceivedFrom(0)[0], "queued while b was down");
}

TEST(OutboundPeer, NothingIsQueuedForAPeerDownLongerThanTheStaleLimit) {
  TransportOptions options;
  options.stale_after_ms = 300;
  TwoPeers peers(options);
  TestNode& a = peers.a;
  std::unique_ptr<TestNode>& b = peers.b;
  ASSERT_TRUE(peers.ListenAndConnect());

  b->Shutdown();
  ASSERT_TRUE(WaitFor([&] { return !a.transport().stats(1).connected_out; }));
  a.transport().Send(1, "during the blip");  // queued: the link is not stale yet
  EXPECT_GT(a.transport().stats(1).queued_bytes, 0u);
  std::this_thread::sleep_for(std::chrono::milliseconds(400));
  const uint64_t dropped_before = a.transport().stats(1).frames_dropped;
  for (int i = 0; i < 10; ++i) a.transport().Send(1, "stale " + std::to_string(i));
  EXPECT_EQ(a.transport().stats(1).frames_dropped, dropped_before + 10);

  ASSERT_TRUE(peers.RestartB());
  ASSERT_TRUE(WaitFor([&] { return a.transport().stats(1).connected_out; }));
  a.transport().Send(1, "fresh");
  ASSERT_TRUE(WaitFor([&] { return b->CountFrom(0) >= 1; }));
  // Only what was sent on the live link arrives; the blip's frame went stale with the link.
  EXPECT_EQ(b->ReceivedFrom(0), std::vector<std::string>{"fresh"});
  EXPECT_EQ(a.transport().stats(1).queued_bytes, 0u);
}

TEST(OutboundPeer, DeadPeerDoesNotStallTheOthersAndItsQueueIsBounded) {
  auto net = TestNetwork::Create(TestNetwork::DefaultOrgs(), 4);
  TransportOptions options;
  options.max_queue_frames_per_peer = 4;
  std::vector<std::unique_ptr<TestNode>> nodes;
  for (uint32_t i = 0; i < 4; ++i) {
    nodes.push_back(std::make_unique<TestNode>(net->genesis(), i, net->node(i),
                                               i == 0 ? options : TransportOptions{}));
    ASSERT_TRUE(nodes.back()->Listen().ok());
  }
  ConnectAndStart({nodes[0].get(), nodes[1].get(), nodes[2].get(), nodes[3].get()});
  ASSERT_TRUE(WaitFor([&] { return nodes[0]->transport().stats(3).connected_out; }));
  nodes[3]->Shutdown();
  ASSERT_TRUE(WaitFor([&] { return !nodes[0]->transport().stats(3).connected_out; }));

  constexpr int kMessages = 20;
  for (int i = 0; i < kMessages; ++i) {
    nodes[0]->transport().Broadcast("m" + std::to_string(i));
    // Delivered promptly to the live peers while replica 3 is gone.
    ASSERT_TRUE(WaitFor(
        [&] {
          return nodes[1]->CountFrom(0) == static_cast<size_t>(i + 1) &&
                 nodes[2]->CountFrom(0) == static_cast<size_t>(i + 1);
        },
        std::chrono::seconds(2)))
        << "message " << i;
  }
  const auto dead = nodes[0]->transport().stats(3);
  EXPECT_GE(dead.frames_dropped, static_cast<uint64_t>(kMessages - 4));
  EXPECT_EQ(nodes[0]->transport().stats(1).frames_dropped, 0u);
  EXPECT_TRUE(WaitFor([&] {
    return nodes[0]->transport().stats(2).frames_sent == static_cast<uint64_t>(kMessages);
  }));
}

TEST(OutboundPeer, SlowPeerFillsOnlyItsOwnQueue) {
  auto net = TestNetwork::Create(TestNetwork::DefaultOrgs(), 4);
  TransportOptions options;
  options.max_queue_bytes_per_peer = size_t{4} << 20;
  std::vector<std::unique_ptr<TestNode>> nodes;
  for (uint32_t i = 0; i < 3; ++i) {
    nodes.push_back(std::make_unique<TestNode>(net->genesis(), i, net->node(i),
                                               i == 0 ? options : TransportOptions{}));
    ASSERT_TRUE(nodes.back()->Listen().ok());
  }
  ConnectAndStart({nodes[0].get(), nodes[1].get(), nodes[2].get()});
  ASSERT_TRUE(WaitFor([&] {
    return nodes[0]->transport().stats(1).connected_out &&
           nodes[0]->transport().stats(2).connected_out;
  }));
  std::promise<void> release;
  nodes[2]->BlockIoThread(release.get_future().share());  // replica 2 stops reading

  // 128 MiB towards the stalled replica: socket buffers fill, then its queue, then drops.
  const std::string big(1 << 20, 's');
  for (int i = 0; i < 128; ++i) nodes[0]->transport().Send(2, big);
  EXPECT_TRUE(WaitFor([&] { return nodes[0]->transport().stats(2).frames_dropped > 0; }));
  EXPECT_LE(nodes[0]->transport().stats(2).queued_bytes, options.max_queue_bytes_per_peer);
  for (int i = 0; i < 10; ++i) nodes[0]->transport().Send(1, "live " + std::to_string(i));
  EXPECT_TRUE(WaitFor([&] { return nodes[1]->CountFrom(0) == 10; }, std::chrono::seconds(2)));
  EXPECT_EQ(nodes[0]->transport().stats(1).frames_dropped, 0u);
  release.set_value();
}

}  // namespace
}  // namespace shipledger::net
