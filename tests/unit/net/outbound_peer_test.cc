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
  auto net = TestNetwork::Create(TestNetwork::DefaultOrgs(), 4);
  TransportOptions options;
  options.max_queue_frames_per_peer = 16;
  TestNode a(net->genesis(), 0, net->node(0), options);
  auto b = std::make_unique<TestNode>(net->genesis(), 1, net->node(1));
  ASSERT_TRUE(a.Listen().ok());
  ASSERT_TRUE(b->Listen().ok());
  const std::string b_endpoint = b->endpoint();
  ConnectAndStart({&a, b.get()});
  ASSERT_TRUE(WaitFor([&] { return a.transport().stats(1).connected_out; }));
  a.transport().Send(1, "before");
  ASSERT_TRUE(WaitFor([&] { return b->CountFrom(0) == 1; }));

  b->Shutdown();
  ASSERT_TRUE(WaitFor([&] { return !a.transport().stats(1).connected_out; }));
  for (int i = 0; i < 100; ++i) a.transport().Send(1, "while down " + std::to_string(i));
  const auto down = a.transport().stats(1);
  EXPECT_GE(down.frames_dropped, 100u - 16u);
  EXPECT_LE(down.queued_bytes, 16u * 64u);

  b = std::make_unique<TestNode>(net->genesis(), 1, net->node(1));
  ASSERT_TRUE(b->Listen(b_endpoint).ok());
  b->transport().SetPeerEndpoint(0, a.endpoint());
  b->transport().Start();
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
  auto net = TestNetwork::Create(TestNetwork::DefaultOrgs(), 4);
  TransportOptions slow;  // without the rule, a would redial b only after a minute
  slow.backoff_initial_ms = 60000;
  slow.backoff_max_ms = 60000;
  TestNode a(net->genesis(), 0, net->node(0), slow);
  ASSERT_TRUE(a.Listen().ok());
  auto b = std::make_unique<TestNode>(net->genesis(), 1, net->node(1));
  ASSERT_TRUE(b->Listen().ok());
  const std::string b_endpoint = b->endpoint();
  b.reset();  // b is down: a's first dial fails and a waits to redial
  a.transport().SetPeerEndpoint(1, b_endpoint);
  a.transport().Start();
  ASSERT_TRUE(WaitFor([&] { return a.transport().stats(1).reconnects >= 1; }));
  a.transport().Send(1, "queued while b was down");

  b = std::make_unique<TestNode>(net->genesis(), 1, net->node(1));
  ASSERT_TRUE(b->Listen(b_endpoint).ok());
  b->transport().SetPeerEndpoint(0, a.endpoint());
  b->transport().Start();  // b dials a: a learns that b is up
  ASSERT_TRUE(
      WaitFor([&] { return a.transport().stats(1).connected_out; }, std::chrono::seconds(20)));
  ASSERT_TRUE(WaitFor([&] { return b->CountFrom(0) == 1; }));
  EXPECT_EQ(b->ReceivedFrom(0)[0], "queued while b was down");
}

TEST(OutboundPeer, NothingIsQueuedForAPeerDownLongerThanTheStaleLimit) {
  auto net = TestNetwork::Create(TestNetwork::DefaultOrgs(), 4);
  TransportOptions options;
  options.stale_after_ms = 300;
  TestNode a(net->genesis(), 0, net->node(0), options);
  auto b = std::make_unique<TestNode>(net->genesis(), 1, net->node(1));
  ASSERT_TRUE(a.Listen().ok());
  ASSERT_TRUE(b->Listen().ok());
  const std::string b_endpoint = b->endpoint();
  ConnectAndStart({&a, b.get()});
  ASSERT_TRUE(WaitFor([&] { return a.transport().stats(1).connected_out; }));

  b->Shutdown();
  ASSERT_TRUE(WaitFor([&] { return !a.transport().stats(1).connected_out; }));
  a.transport().Send(1, "during the blip");  // queued: the link is not stale yet
  EXPECT_GT(a.transport().stats(1).queued_bytes, 0u);
  std::this_thread::sleep_for(std::chrono::milliseconds(400));
  const uint64_t dropped_before = a.transport().stats(1).frames_dropped;
  for (int i = 0; i < 10; ++i) a.transport().Send(1, "stale " + std::to_string(i));
  EXPECT_EQ(a.transport().stats(1).frames_dropped, dropped_before + 10);

  b = std::make_unique<TestNode>(net->genesis(), 1, net->node(1));
  ASSERT_TRUE(b->Listen(b_endpoint).ok());
  b->transport().SetPeerEndpoint(0, a.endpoint());
  b->transport().Start();
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
