// PeerIo: frames from a peer pass the message gate on the peer thread; rejected ones are counted
// against their sender and never reach the core; fetch_blocks is answered from the store; the
// rest is delivered. A raw transport plays replica 1.
#include "node/peer_io.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <mutex>
#include <random>

#include "testing/test_network.h"
#include "unit/net/net_fixture.h"

namespace shipledger::node {
namespace {

namespace fs = std::filesystem;
using net::test::TestNode;
using net::test::WaitFor;
using shipledger::testing::TestNetwork;

class PeerIoTest : public ::testing::Test {
 protected:
  void SetUp() override {
    net_ = TestNetwork::Create(TestNetwork::DefaultOrgs(), 4);
    dir_ = fs::temp_directory_path() /
           ("shipledger-peer-io-" + std::to_string(std::random_device()()));
    auto store = storage::Store::Open(dir_.string(), *net_->genesis());
    ASSERT_TRUE(store.ok()) << store.status().ToString();
    store_ = std::move(store).value();
    validator_ = std::make_unique<model::EventValidator>(net_->genesis());
    gate_ = std::make_unique<consensus::MessageGate>(net_->genesis(), validator_.get(), 0);
    peer_io_ = std::make_unique<PeerIo>(net_->genesis(), 0, net_->node(0), gate_.get(),
                                        store_.get(), SystemClock::Get(), PeerIoOptions{},
                                        [this](consensus::InboundMessage m) {
                                          std::lock_guard lock(mu_);
                                          delivered_.push_back(std::move(m));
                                        });
    ASSERT_TRUE(peer_io_->Start("127.0.0.1:0").ok());
    replica1_ = std::make_unique<TestNode>(net_->genesis(), 1, net_->node(1));
    ASSERT_TRUE(replica1_->Listen().ok());
    replica1_->transport().SetPeerEndpoint(0, "127.0.0.1:" + std::to_string(peer_io_->port()));
    peer_io_->SetPeerEndpoint(1, replica1_->endpoint());
    replica1_->transport().Start();
  }
  void TearDown() override {
    replica1_.reset();
    peer_io_.reset();
    store_.reset();
    std::error_code ec;
    fs::remove_all(dir_, ec);
  }

  size_t delivered() {
    std::lock_guard lock(mu_);
    return delivered_.size();
  }
  void SendFrom1(const v1::PeerMessage& m) {
    replica1_->transport().Send(0, m.SerializeAsString());
  }

  std::unique_ptr<TestNetwork> net_;
  fs::path dir_;
  std::unique_ptr<storage::Store> store_;
  std::unique_ptr<model::EventValidator> validator_;
  std::unique_ptr<consensus::MessageGate> gate_;
  std::unique_ptr<PeerIo> peer_io_;
  std::unique_ptr<TestNode> replica1_;
  std::mutex mu_;
  std::vector<consensus::InboundMessage> delivered_;
};

TEST_F(PeerIoTest, AdmittedMessageIsDeliveredWithItsSender) {
  v1::PeerMessage m;
  m.mutable_heartbeat()->set_view(3);
  m.mutable_heartbeat()->set_committed_height(9);
  SendFrom1(m);
  ASSERT_TRUE(WaitFor([&] { return delivered() == 1; }));
  std::lock_guard lock(mu_);
  EXPECT_EQ(delivered_[0].from, 1u);
  EXPECT_EQ(delivered_[0].message.heartbeat().committed_height(), 9u);
  EXPECT_EQ(peer_io_->Report(1).bad_messages, 0u);
}

TEST_F(PeerIoTest, RejectedFramesAreCountedAgainstTheSenderAndDropped) {
  replica1_->transport().Send(0, "not a peer message");
  v1::PeerMessage forged;  // a PREPARE claiming to be replica 2's, unsigned
  forged.mutable_prepare()->set_view(0);
  forged.mutable_prepare()->set_height(1);
  forged.mutable_prepare()->set_replica(2);
  forged.mutable_prepare()->set_digest(std::string(32, 'd'));
  SendFrom1(forged);
  ASSERT_TRUE(WaitFor([&] { return peer_io_->Report(1).bad_messages == 2; }));
  EXPECT_EQ(delivered(), 0u);
  EXPECT_EQ(peer_io_->Report(2).bad_messages, 0u);
}

TEST_F(PeerIoTest, FetchBlocksIsAnsweredFromTheStoreNotDelivered) {
  v1::CheckpointCertificate stable;
  stable.set_height(5);
  stable.set_block_hash(std::string(32, 'b'));
  stable.set_results(std::string(32, 'r'));
  ASSERT_TRUE(store_->PutCheckpoint(stable).ok());
  v1::PeerMessage fetch;
  fetch.mutable_fetch_blocks()->set_from_height(1);
  fetch.mutable_fetch_blocks()->set_max_blocks(32);
  SendFrom1(fetch);
  ASSERT_TRUE(WaitFor([&] { return replica1_->CountFrom(0) == 1; }));
  v1::PeerMessage answer;
  ASSERT_TRUE(answer.ParseFromString(replica1_->ReceivedFrom(0)[0]));
  ASSERT_TRUE(answer.has_blocks());
  EXPECT_EQ(answer.blocks().blocks_size(), 0);  // the chain is empty
  EXPECT_EQ(answer.blocks().stable().height(), 5u);
  EXPECT_EQ(delivered(), 0u);
}

TEST_F(PeerIoTest, ReportsTheLinksToEachPeer) {
  ASSERT_TRUE(WaitFor([&] {
    const PeerIo::PeerReport r = peer_io_->Report(1);
    // One link per pair (DESIGN §6): the one we dialled, as the lower replica id.
    return r.connected_out && !r.connected_in && r.connected;
  }));
  EXPECT_FALSE(peer_io_->Report(2).connected);  // nobody plays replica 2
  EXPECT_FALSE(peer_io_->Report(0).connected);  // self
}

TEST_F(PeerIoTest, ForwardsGoOnlyToPeersWhoseLinkIsUp) {
  ASSERT_TRUE(WaitFor([&] { return peer_io_->Report(1).connected_out; }));
  v1::PeerMessage forward;
  *forward.mutable_forward()->add_events() =
      net_->SignedBy("exporter", v1::EVENT_TYPE_BOOKED, "S1");
  v1::PeerMessage heartbeat;
  heartbeat.mutable_heartbeat()->set_view(0);
  peer_io_->Broadcast(forward);
  peer_io_->Broadcast(heartbeat);
  peer_io_->Send(2, forward);
  // Replica 1 (link up) receives both; replica 2 (nobody plays it) gets the heartbeat queued
  // for when it comes, but no stale events.
  ASSERT_TRUE(WaitFor([&] { return replica1_->CountFrom(0) >= 2; }));
  bool got_forward = false;
  for (const std::string& frame : replica1_->ReceivedFrom(0)) {
    v1::PeerMessage m;
    ASSERT_TRUE(m.ParseFromString(frame));
    got_forward = got_forward || m.has_forward();
  }
  EXPECT_TRUE(got_forward);
  EXPECT_EQ(peer_io_->Report(1).forwards_skipped, 0u);
  EXPECT_EQ(peer_io_->Report(2).forwards_skipped, 2u);
  EXPECT_EQ(peer_io_->Report(3).forwards_skipped, 1u);
}

TEST_F(PeerIoTest, ForwardsGoToAPeerWhoseOnlyLinkIsItsConnectionToUs) {
  // Replica 2 dials us, but we cannot dial it (its genesis endpoint is not listening): its
  // authenticated link carries our frames too (DESIGN §6).
  TestNode replica2(net_->genesis(), 2, net_->node(2));
  replica2.transport().SetPeerEndpoint(0, "127.0.0.1:" + std::to_string(peer_io_->port()));
  replica2.transport().Start();
  ASSERT_TRUE(WaitFor([&] { return peer_io_->Report(2).connected_in; }));
  EXPECT_FALSE(peer_io_->Report(2).connected_out);
  v1::PeerMessage forward;
  *forward.mutable_forward()->add_events() =
      net_->SignedBy("exporter", v1::EVENT_TYPE_BOOKED, "S2");
  peer_io_->Send(2, forward);
  ASSERT_TRUE(WaitFor([&] { return replica2.CountFrom(0) >= 1; }));
  EXPECT_EQ(peer_io_->Report(2).forwards_skipped, 0u);
}

TEST(DescribePeerMessage, NamesTypeViewHeightAndSender) {
  v1::PeerMessage m;
  m.mutable_commit()->set_view(2);
  m.mutable_commit()->set_height(17);
  m.mutable_commit()->set_replica(3);
  m.mutable_commit()->set_digest(std::string("\xab\xcd\xef\x01\x23\x45", 6));
  EXPECT_EQ(DescribePeerMessage(m), "commit v=2 h=17 d=abcdef01 r=3");
  EXPECT_EQ(DescribePeerMessage(v1::PeerMessage()), "empty message");
}

}  // namespace
}  // namespace shipledger::node
