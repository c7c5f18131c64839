#include "net/transport.h"

#include <gtest/gtest.h>

#include "testing/test_network.h"
#include "unit/net/net_fixture.h"

namespace shipledger::net {
namespace {

using shipledger::testing::TestNetwork;
using test::ConnectAndStart;
using test::TestNode;
using test::WaitFor;

std::vector<std::unique_ptr<TestNode>> ListeningNodes(const TestNetwork& net, int n) {
  std::vector<std::unique_ptr<TestNode>> nodes;
  for (int i = 0; i < n; ++i) {
    const auto id = static_cast<uint32_t>(i);
    nodes.push_back(std::make_unique<TestNode>(net.genesis(), id, net.node(id)));
    EXPECT_TRUE(nodes.back()->Listen().ok());
  }
  return nodes;
}

std::vector<TestNode*> Raw(const std::vector<std::unique_ptr<TestNode>>& nodes) {
  std::vector<TestNode*> out;
  for (const auto& n : nodes) out.push_back(n.get());
  return out;
}

TEST(Transport, FourReplicasExchangeAllToAllOnceAndInOrder) {
  auto net = TestNetwork::Create(TestNetwork::DefaultOrgs(), 4);
  auto nodes = ListeningNodes(*net, 4);
  ConnectAndStart(Raw(nodes));
  ASSERT_TRUE(WaitFor([&] {
    for (uint32_t i = 0; i < 4; ++i) {
      for (uint32_t j = 0; j < 4; ++j) {
        if (i == j) continue;
        const auto s = nodes[i]->transport().stats(j);
        if (!s.connected_out || !s.connected_in) return false;
      }
    }
    return true;
  }));

  constexpr int kMessages = 300;
  std::vector<std::thread> senders;
  for (uint32_t i = 0; i < 4; ++i) {
    senders.emplace_back([&, i] {
      for (int m = 0; m < kMessages; ++m) {
        nodes[i]->transport().Broadcast(std::to_string(i) + ":" + std::to_string(m));
      }
    });
  }
  for (auto& t : senders) t.join();
  ASSERT_TRUE(WaitFor([&] {
    for (uint32_t i = 0; i < 4; ++i) {
      for (uint32_t j = 0; j < 4; ++j) {
        if (i != j && nodes[i]->CountFrom(j) < static_cast<size_t>(kMessages)) return false;
      }
    }
    return true;
  }));
  for (uint32_t i = 0; i < 4; ++i) {
    for (uint32_t j = 0; j < 4; ++j) {
      if (i == j) continue;
      const auto got = nodes[i]->ReceivedFrom(j);
      ASSERT_EQ(got.size(), static_cast<size_t>(kMessages)) << i << " from " << j;
      for (int m = 0; m < kMessages; ++m) {
        ASSERT_EQ(got[m], std::to_string(j) + ":" + std::to_string(m));
      }
      // The sender counts a frame once its write completes, which may follow the delivery.
      EXPECT_TRUE(WaitFor([&] {
        return nodes[j]->transport().stats(i).frames_sent == static_cast<uint64_t>(kMessages);
      }));
      EXPECT_EQ(nodes[i]->transport().stats(j).frames_received, static_cast<uint64_t>(kMessages));
      EXPECT_EQ(nodes[j]->transport().stats(i).frames_dropped, 0u);
    }
  }
}

TEST(Transport, LargeFramesUpToTheLimitArrive) {
  auto net = TestNetwork::Create(TestNetwork::DefaultOrgs(), 4);
  auto nodes = ListeningNodes(*net, 2);
  ConnectAndStart(Raw(nodes));
  const std::string big(1 << 20, 'b');
  nodes[0]->transport().Send(1, big);
  nodes[0]->transport().Send(1, "small");
  ASSERT_TRUE(WaitFor([&] { return nodes[1]->CountFrom(0) == 2; }));
  EXPECT_EQ(nodes[1]->ReceivedFrom(0)[0], big);
}

TEST(Transport, PeerWithCertificateFromUnknownCaIsRefused) {
  auto net = TestNetwork::Create(TestNetwork::DefaultOrgs(), 4);
  auto stranger = TestNetwork::Create(TestNetwork::DefaultOrgs(), 4);
  TestNode good(net->genesis(), 0, net->node(0));
  // Claims to be replica 1 of this network with a node identity of another network's CA.
  auto genesis = std::make_shared<model::Genesis>(*net->genesis());
  genesis->replicas[1].node_cert = stranger->node(1).cert;  // its own (forged) view
  TestNode impostor(genesis, 1, stranger->node(1));
  ASSERT_TRUE(good.Listen().ok());
  ASSERT_TRUE(impostor.Listen().ok());
  ConnectAndStart({&good, &impostor});
  // Both directions are refused: its dial (inbound at good) and good's dial (pin mismatch).
  EXPECT_TRUE(WaitFor([&] { return good.transport().handshake_failures() >= 1; }));
  EXPECT_TRUE(WaitFor([&] { return good.transport().stats(1).protocol_errors >= 1; }));
  good.transport().Send(1, "secret");
  impostor.transport().Send(0, "forged");
  EXPECT_FALSE(good.transport().stats(1).connected_in);
  EXPECT_FALSE(good.transport().stats(1).connected_out);
  EXPECT_EQ(good.CountFrom(1), 0u);
  EXPECT_EQ(impostor.CountFrom(0), 0u);
}

TEST(Transport, ClientCertificateUsedAsNodeIsRefused) {
  auto net = TestNetwork::Create(TestNetwork::DefaultOrgs(), 4);
  TestNode good(net->genesis(), 0, net->node(0));
  const config::Identity& client = net->org("forwarder").client;
  auto genesis = std::make_shared<model::Genesis>(*net->genesis());
  genesis->replicas[1].node_cert = client.cert;  // the impostor pins itself in its own copy
  TestNode impostor(genesis, 1, client);
  ASSERT_TRUE(good.Listen().ok());
  ASSERT_TRUE(impostor.Listen().ok());
  ConnectAndStart({&good, &impostor});
  EXPECT_TRUE(WaitFor([&] { return good.transport().handshake_failures() >= 1; }));
  EXPECT_TRUE(WaitFor([&] { return good.transport().stats(1).protocol_errors >= 1; }));
  impostor.transport().Send(0, "forged");
  EXPECT_FALSE(good.transport().stats(1).connected_in);
  EXPECT_FALSE(good.transport().stats(1).connected_out);
  EXPECT_EQ(good.CountFrom(1), 0u);
}

TEST(Transport, Tls12ClientIsRefused) {
  auto net = TestNetwork::Create(TestNetwork::DefaultOrgs(), 4);
  TestNode node(net->genesis(), 0, net->node(0));
  ASSERT_TRUE(node.Listen().ok());
  node.transport().Start();
  test::RawTlsClient client(net->node(1).cert, net->node(1).key, TLS1_2_VERSION);
  EXPECT_FALSE(client.Connect(node.transport().port()));
  EXPECT_TRUE(WaitFor([&] { return node.transport().handshake_failures() >= 1; }));
  EXPECT_FALSE(node.transport().stats(1).connected_in);
}

TEST(Transport, PayloadOverMaxFrameIsDroppedLocally) {
  auto net = TestNetwork::Create(TestNetwork::DefaultOrgs(), 4);
  TransportOptions options;
  options.max_frame_bytes = 100;
  TestNode node(net->genesis(), 0, net->node(0), options);
  node.transport().Send(1, std::string(101, 'x'));
  EXPECT_EQ(node.transport().stats(1).frames_dropped, 1u);
  EXPECT_EQ(node.transport().stats(1).queued_bytes, 0u);
}

TEST(Transport, SendToSelfOrUnknownReplicaIsIgnored) {
  auto net = TestNetwork::Create(TestNetwork::DefaultOrgs(), 4);
  TestNode node(net->genesis(), 0, net->node(0));
  node.transport().Send(0, "self");
  node.transport().Send(42, "nobody");
  EXPECT_EQ(node.transport().stats(0).frames_dropped, 0u);
  EXPECT_EQ(node.transport().stats(42).queued_bytes, 0u);
}

TEST(Transport, ListenRefusesAPortInUseAndBadAddresses) {
  auto net = TestNetwork::Create(TestNetwork::DefaultOrgs(), 4);
  TestNode a(net->genesis(), 0, net->node(0));
  TestNode b(net->genesis(), 1, net->node(1));
  ASSERT_TRUE(a.Listen().ok());
  EXPECT_EQ(b.Listen(a.endpoint()).code(), Code::kUnavailable);
  EXPECT_EQ(b.Listen("not-an-address").code(), Code::kInvalidArgument);
}

TEST(Transport, IdentityNotPinnedForSelfIsReported) {
  auto net = TestNetwork::Create(TestNetwork::DefaultOrgs(), 4);
  TestNode node(net->genesis(), 0, net->node(1));
  EXPECT_EQ(node.Listen().code(), Code::kInvalidArgument);
}

TEST(Transport, StopIsIdempotentAndSilencesDelivery) {
  auto net = TestNetwork::Create(TestNetwork::DefaultOrgs(), 4);
  auto nodes = ListeningNodes(*net, 2);
  ConnectAndStart(Raw(nodes));
  ASSERT_TRUE(WaitFor([&] { return nodes[1]->transport().stats(0).connected_in; }));
  nodes[1]->transport().Stop();
  nodes[1]->transport().Stop();
  nodes[0]->transport().Send(1, "late");
  EXPECT_TRUE(WaitFor([&] { return !nodes[0]->transport().stats(1).connected_out; }));
  EXPECT_EQ(nodes[1]->CountFrom(0), 0u);
}

}  // namespace
}  // namespace shipledger::net
