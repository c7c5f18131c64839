// Fair quotas on long-lived reads (issue 19, DESIGN §8: "per organisation or per address, so
// one member cannot starve the others"): Watch streams counted per organisation, a full node
// making room for an organisation that holds few, and ListShipments read per party.
#include <gtest/gtest.h>

#include <chrono>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "fixture.h"

namespace shipledger::itest {
namespace {

using std::chrono::steady_clock;

// One node (the exporter's). QUIET is a shipment of the forwarder's on which nothing happens;
// BUSY one of the importer's.
class WatchQuotaTest : public ::testing::Test {
 protected:
  void Start(uint32_t max_watchers, uint32_t max_watchers_per_org) {
    node_ = StartNodeWith(net_, &target_, [&](config::NodeConfig* cfg) {
      cfg->max_watchers = max_watchers;
      cfg->max_watchers_per_org = max_watchers_per_org;
    });
    ASSERT_NE(node_, nullptr);
    exporter_ = std::make_unique<Client>(net_, target_, "exporter");
    forwarder_ = std::make_unique<Client>(net_, target_, "forwarder");
    importer_ = std::make_unique<Client>(net_, target_, "importer");
    Book("QUIET", "forwarder");
    Book("BUSY", "importer");
  }
  void TearDown() override {
    for (Stream& s : streams_) s.ctx->TryCancel();
    streams_.clear();
    if (node_) node_->Stop();
  }

  void Book(const std::string& shipment, const std::string& party) {
    v1::Event booked = exporter_->NewEvent("exporter", v1::EVENT_TYPE_BOOKED, shipment);
    booked.add_parties(party);
    ASSERT_EQ(
        exporter_->SubmitOne(exporter_->Sign(booked, net_.client("exporter"))).receipt().code(),
        v1::RESULT_CODE_VALID);
  }

  struct Stream {
    std::unique_ptr<grpc::ClientContext> ctx;
    std::unique_ptr<grpc::ClientReader<v1::WatchResponse>> reader;
  };
  // A Watch of `shipment` as `client`, from the next height on (so a quiet one says nothing).
  Stream& Watch(Client& client, const std::string& shipment) {
    Stream& s = streams_.emplace_back();
    s.ctx = std::make_unique<grpc::ClientContext>();
    s.ctx->set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(60));
    v1::WatchRequest req;
    req.set_shipment_id(shipment);
    req.set_from_height(exporter_->ChainInfo().height() + 1);
    s.reader = client.stub().Watch(s.ctx.get(), req);
    return s;
  }

  v1::NodeStatus Status(Client& client) {
    grpc::ClientContext ctx;
    v1::NodeStatus status;
    EXPECT_TRUE(client.admin().GetNodeStatus(&ctx, v1::GetNodeStatusRequest(), &status).ok());
    return status;
  }
  // The Watch streams of `org` the node reports (to the exporter, which runs it).
  uint32_t StreamsOf(const std::string& org) {
    const v1::NodeStatus status = Status(*exporter_);
    for (const v1::WatcherCount& c : status.watchers_by_org()) {
      if (c.organisation() == org) return c.streams();
    }
    return 0;
  }
  // Waits until the node counts `n` streams of `org`: a quiet stream sends nothing that would
  // tell its client it was admitted.
  bool WaitStreams(const std::string& org, uint32_t n) {
    const auto until = steady_clock::now() + std::chrono::seconds(10);
    while (StreamsOf(org) != n) {
      if (steady_clock::now() > until) return false;
      std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
    return true;
  }
  // The forwarder holds `n` quiet streams, opened one after the other.
  void HoldQuietStreams(uint32_t n) {
    for (uint32_t i = 1; i <= n; ++i) {
      Watch(*forwarder_, "QUIET");
      ASSERT_TRUE(WaitStreams("forwarder", i)) << "stream " << i << " not admitted";
    }
  }
  // Expects `stream` to end with RESOURCE_EXHAUSTED saying all of `needles`.
  static void ExpectExhausted(Stream& stream, const std::vector<std::string>& needles) {
    v1::WatchResponse msg;
    EXPECT_FALSE(stream.reader->Read(&msg));
    const grpc::Status s = stream.reader->Finish();
    EXPECT_EQ(s.error_code(), grpc::StatusCode::RESOURCE_EXHAUSTED) << s.error_message();
    for (const std::string& needle : needles) {
      EXPECT_NE(s.error_message().find(needle), std::string::npos)
          << "'" << needle << "' in: " << s.error_message();
    }
  }
  // The importer's Watch of BUSY delivers the next event committed on it.
  void ExpectImporterServed() {
    Stream& busy = Watch(*importer_, "BUSY");
    ASSERT_TRUE(WaitStreams("importer", 1));
    exporter_->SubmitValid(exporter_->SignedBy("exporter", v1::EVENT_TYPE_PICKUP, "BUSY"));
    v1::WatchResponse msg;
    ASSERT_TRUE(busy.reader->Read(&msg));
    EXPECT_EQ(msg.entry().event().shipment_id(), "BUSY");
    EXPECT_EQ(msg.entry().event().type(), v1::EVENT_TYPE_PICKUP);
  }

  NetworkDir net_;
  std::string target_;
  std::unique_ptr<node::Node> node_;
  std::unique_ptr<Client> exporter_, forwarder_, importer_;
  std::vector<Stream> streams_;
};

TEST_F(WatchQuotaTest, OrganisationHoldingItsMaximumOfIdleStreamsDoesNotStopAnother) {
  Start(/*max_watchers=*/256, /*max_watchers_per_org=*/3);
  HoldQuietStreams(3);
  // One more of the forwarder's is refused, naming the limit and the organisation...
  ExpectExhausted(Watch(*forwarder_, "QUIET"), {"'forwarder'", "max_watchers_per_org", "3"});
  // ...and the importer is served.
  ExpectImporterServed();
  EXPECT_EQ(StreamsOf("forwarder"), 3u);
}

TEST_F(WatchQuotaTest, FullNodeDropsTheOldestIdleStreamOfTheLargestHolderForANewcomer) {
  Start(/*max_watchers=*/3, /*max_watchers_per_org=*/3);
  HoldQuietStreams(3);  // every stream of the node
  ExpectImporterServed();
  // The forwarder's first stream, the least recently active, made room.
  ExpectExhausted(streams_[0], {"dropped to make room", "'importer'", "from_height"});
  const v1::NodeStatus status = Status(*exporter_);
  EXPECT_EQ(status.watchers(), 3u);
  EXPECT_EQ(status.watchers_evicted(), 1u);
  EXPECT_EQ(StreamsOf("forwarder"), 2u);
  // The forwarder cannot take it back: 2 against 1 is as fair as three slots get.
  ExpectExhausted(Watch(*forwarder_, "QUIET"), {"too many Watch streams", "max_watchers"});
  // An organisation that runs no node is shown only its own streams.
  const v1::NodeStatus seen = Status(*importer_);
  ASSERT_EQ(seen.watchers_by_org_size(), 1);
  EXPECT_EQ(seen.watchers_by_org(0).organisation(), "importer");
  EXPECT_EQ(seen.watchers_by_org(0).streams(), 1u);
}

TEST(ListShipmentsQuota, PartyPagesThroughItsOwnShipmentsAmongManyOthers) {
  NetworkDir net;
  std::string target;
  auto node = StartNode(net, &target);
  ASSERT_NE(node, nullptr);
  Client exporter(net, target, "exporter");
  std::vector<v1::SignedEvent> batch;
  for (int i = 0; i < 200; ++i) {
    batch.push_back(exporter.SignedBy("exporter", v1::EVENT_TYPE_BOOKED, "E-" + std::to_string(i)));
  }
  for (const char* id : {"A-1", "F-7", "Z-2"}) {
    v1::Event booked = exporter.NewEvent("exporter", v1::EVENT_TYPE_BOOKED, id);
    booked.add_parties("forwarder");
    batch.push_back(exporter.Sign(booked, net.client("exporter")));
  }
  const v1::SubmitEventsResponse submitted = exporter.Submit(batch);
  for (const auto& r : submitted.results()) {
    ASSERT_EQ(r.receipt().code(), v1::RESULT_CODE_VALID) << r.message();
  }
  auto list = [&](const std::string& org, uint32_t page_size) {
    return Client(net, target, org).ListShipmentIds(page_size);
  };
  EXPECT_EQ(list("forwarder", 2), (std::vector<std::string>{"A-1", "F-7", "Z-2"}));
  EXPECT_EQ(list("exporter", 1000).size(), 203u);
  EXPECT_EQ(list("importer", 50), std::vector<std::string>{});
  node->Stop();
}

}  // namespace
}  // namespace shipledger::itest
