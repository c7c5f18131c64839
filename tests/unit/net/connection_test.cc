// The handshake gate and the read loop of Connection, exercised through a listening transport
// and raw TLS clients that play impostors and misbehaving peers.
#include "net/connection.h"

#include <gtest/gtest.h>

#include "net/frame.h"
#include "net/tls.h"
#include "testing/test_network.h"
#include "unit/net/net_fixture.h"

namespace shipledger::net {
namespace {

using shipledger::testing::TestNetwork;
using test::RawTlsClient;
using test::TestNode;
using test::WaitFor;

class ConnectionTest : public ::testing::Test {
 protected:
  void SetUp() override {
    TransportOptions options;
    options.max_frame_bytes = 1024;
    node_ = std::make_unique<TestNode>(net_->genesis(), 0, net_->node(0), options);
    ASSERT_TRUE(node_->Listen().ok());
    node_->transport().Start();
  }
  Transport& transport() { return node_->transport(); }

  std::unique_ptr<TestNetwork> net_ = TestNetwork::Create(TestNetwork::DefaultOrgs(), 4);
  std::unique_ptr<TestNode> node_;
};

TEST_F(ConnectionTest, PinnedPeerIsAcceptedAndItsFramesDelivered) {
  RawTlsClient client(net_->node(1).cert, net_->node(1).key);
  ASSERT_TRUE(client.Connect(transport().port()));
  ASSERT_TRUE(WaitFor([&] { return transport().stats(1).connected_in; }));
  ASSERT_TRUE(client.Write(EncodeFrame("hello") + EncodeFrame("world")));
  ASSERT_TRUE(WaitFor([&] { return node_->CountFrom(1) == 2; }));
  EXPECT_EQ(node_->ReceivedFrom(1), (std::vector<std::string>{"hello", "world"}));
  EXPECT_EQ(transport().stats(1).frames_received, 2u);
}

TEST_F(ConnectionTest, SelfSignedCertificateIsClosed) {
  auto key = crypto::PrivateKey::Generate();
  ASSERT_TRUE(key.ok());
  crypto::IssueOptions opts;
  opts.kind = crypto::CertKind::kCa;
  opts.organization = "exporter";  // even claiming a genesis organisation
  opts.common_name = "exporter-node";
  opts.not_before_ms = net_->now_ms() - 3600 * 1000;
  opts.not_after_ms = net_->now_ms() + 3600 * 1000;
  auto cert = crypto::IssueCaCertificate(*key, opts);
  ASSERT_TRUE(cert.ok());
  RawTlsClient client(*cert, *key);
  client.Connect(transport().port());  // TLS 1.3: the refusal may arrive after our Finished
  EXPECT_TRUE(client.ClosedByPeer());
  EXPECT_TRUE(WaitFor([&] { return transport().handshake_failures() >= 1; }));
  for (uint32_t id = 1; id < 4; ++id) EXPECT_FALSE(transport().stats(id).connected_in);
}

TEST_F(ConnectionTest, ClientCertificateOfGenesisOrganisationIsClosed) {
  const config::Identity& client_id = net_->org("forwarder").client;
  RawTlsClient client(client_id.cert, client_id.key);
  client.Connect(transport().port());
  EXPECT_TRUE(client.ClosedByPeer());
  EXPECT_TRUE(WaitFor([&] { return transport().handshake_failures() >= 1; }));
  EXPECT_FALSE(transport().stats(1).connected_in);
}

TEST_F(ConnectionTest, OversizeFrameClosesTheConnectionAndCountsAProtocolError) {
  RawTlsClient client(net_->node(1).cert, net_->node(1).key);
  ASSERT_TRUE(client.Connect(transport().port()));
  ASSERT_TRUE(WaitFor([&] { return transport().stats(1).connected_in; }));
  std::string header;
  PutU32BE(&header, 1025);  // max_frame_bytes is 1024
  ASSERT_TRUE(client.Write(EncodeFrame("fine") + header + std::string(100, 'x')));
  EXPECT_TRUE(client.ClosedByPeer());
  EXPECT_TRUE(WaitFor([&] { return transport().stats(1).protocol_errors == 1; }));
  EXPECT_TRUE(WaitFor([&] { return !transport().stats(1).connected_in; }));
  EXPECT_EQ(node_->ReceivedFrom(1), std::vector<std::string>{"fine"});
}

TEST_F(ConnectionTest, GarbageInsteadOfTlsIsClosed) {
  boost::asio::io_context io;
  boost::asio::ip::tcp::socket socket(io);
  boost::system::error_code ec;
  socket.connect({boost::asio::ip::make_address("127.0.0.1"), transport().port()}, ec);
  ASSERT_FALSE(ec);
  boost::asio::write(socket, boost::asio::buffer(std::string(64, '\xff')), ec);
  EXPECT_TRUE(WaitFor([&] { return transport().handshake_failures() >= 1; }));
}

TEST_F(ConnectionTest, NewConnectionFromSameReplicaReplacesTheOld) {
  RawTlsClient first(net_->node(2).cert, net_->node(2).key);
  ASSERT_TRUE(first.Connect(transport().port()));
  ASSERT_TRUE(WaitFor([&] { return transport().stats(2).connected_in; }));
  RawTlsClient second(net_->node(2).cert, net_->node(2).key);
  ASSERT_TRUE(second.Connect(transport().port()));
  EXPECT_TRUE(first.ClosedByPeer());
  ASSERT_TRUE(second.Write(EncodeFrame("via second")));
  ASSERT_TRUE(WaitFor([&] { return node_->CountFrom(2) == 1; }));
  EXPECT_TRUE(transport().stats(2).connected_in);
}

}  // namespace
}  // namespace shipledger::net
