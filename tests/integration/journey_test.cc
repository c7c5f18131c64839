// The full shipment journey over real gRPC on loopback, and the read API around it.
#include <gtest/gtest.h>

#include "fixture.h"

namespace shipledger::itest {
namespace {

using v1::EventType;

class JourneyTest : public OneNodeTest {
 protected:
  // Submits and expects a VALID receipt.
  void Valid(const v1::SignedEvent& e) { client_->SubmitValid(e); }
  v1::SignedEvent Ev(const std::string& org, EventType t, const std::string& s,
                     const std::vector<std::string>& cos = {}) {
    return client_->SignedBy(org, t, s, cos);
  }
  void RunJourney(const std::string& s) {
    v1::Event booked = client_->NewEvent("exporter", v1::EVENT_TYPE_BOOKED, s);
    booked.add_parties("forwarder");
    booked.add_parties("customs");
    booked.add_parties("importer");
    auto* ref = booked.add_references();
    ref->set_kind("booking");
    ref->set_value("BK-" + s);
    booked.set_location("CNSHA");
    Valid(client_->Sign(booked, net_.client("exporter")));
    Valid(Ev("exporter", v1::EVENT_TYPE_PICKUP, s));
    Valid(Ev("exporter", v1::EVENT_TYPE_EXPORT_CUSTOMS_DECLARED, s));
    Valid(Ev("customs", v1::EVENT_TYPE_EXPORT_CUSTOMS_CLEARED, s));
    Valid(Ev("exporter", v1::EVENT_TYPE_HANDOVER, s, {"forwarder"}));
    v1::Event loaded = client_->NewEvent("forwarder", v1::EVENT_TYPE_LOADED, s);
    auto* c = loaded.add_references();
    c->set_kind("container");
    c->set_value("MSCU" + s);
    Valid(client_->Sign(loaded, net_.client("forwarder")));
    Valid(Ev("forwarder", v1::EVENT_TYPE_DEPARTED, s));
    Valid(Ev("forwarder", v1::EVENT_TYPE_ARRIVED, s));
    Valid(Ev("customs", v1::EVENT_TYPE_IMPORT_CUSTOMS_HELD, s));
    Valid(Ev("customs", v1::EVENT_TYPE_IMPORT_CUSTOMS_RELEASED, s));
    Valid(Ev("forwarder", v1::EVENT_TYPE_OUT_FOR_DELIVERY, s));
    Valid(Ev("forwarder", v1::EVENT_TYPE_DELIVERED, s));
  }
};

TEST_F(JourneyTest, FullJourneyEndsDeliveredWithCompleteTimeline) {
  RunJourney("S-1");
  grpc::ClientContext ctx;
  v1::GetShipmentRequest req;
  req.set_shipment_id("S-1");
  v1::GetShipmentResponse resp;
  ASSERT_TRUE(client_->stub().GetShipment(&ctx, req, &resp).ok());
  EXPECT_EQ(resp.state().status(), v1::SHIPMENT_STATUS_DELIVERED);
  EXPECT_EQ(resp.state().custodian(), "forwarder");
  ASSERT_EQ(resp.timeline_size(), 12);
  EXPECT_EQ(resp.timeline(0).event().type(), v1::EVENT_TYPE_BOOKED);
  EXPECT_EQ(resp.timeline(4).event().type(), v1::EVENT_TYPE_HANDOVER);
  ASSERT_EQ(resp.timeline(4).cosigner_orgs_size(), 1);
  EXPECT_EQ(resp.timeline(4).cosigner_orgs(0), "forwarder");
  EXPECT_EQ(resp.timeline(11).event().type(), v1::EVENT_TYPE_DELIVERED);
  for (int i = 1; i < resp.timeline_size(); ++i) {
    EXPECT_GE(resp.timeline(i).height(), resp.timeline(i - 1).height());
    EXPECT_EQ(resp.timeline(i).receipt().code(), v1::RESULT_CODE_VALID);
  }
}

TEST_F(JourneyTest, FindShipmentsByReference) {
  RunJourney("S-2");
  RunJourney("S-3");
  grpc::ClientContext ctx;
  v1::FindShipmentsRequest req;
  req.mutable_reference()->set_kind("container");
  req.mutable_reference()->set_value("MSCUS-3");
  v1::FindShipmentsResponse resp;
  ASSERT_TRUE(client_->stub().FindShipments(&ctx, req, &resp).ok());
  ASSERT_EQ(resp.shipment_ids_size(), 1);
  EXPECT_EQ(resp.shipment_ids(0), "S-3");
}

TEST_F(JourneyTest, ListShipmentsPages) {
  for (int i = 0; i < 5; ++i)
    Valid(Ev("exporter", v1::EVENT_TYPE_BOOKED, "L-" + std::to_string(i)));
  std::vector<std::string> seen;
  std::string token;
  do {
    grpc::ClientContext ctx;
    v1::ListShipmentsRequest req;
    req.set_page_size(2);
    req.set_page_token(token);
    v1::ListShipmentsResponse resp;
    ASSERT_TRUE(client_->stub().ListShipments(&ctx, req, &resp).ok());
    EXPECT_LE(resp.shipments_size(), 2);
    for (const auto& s : resp.shipments()) seen.push_back(s.shipment_id());
    token = resp.next_page_token();
  } while (!token.empty());
  EXPECT_EQ(seen, (std::vector<std::string>{"L-0", "L-1", "L-2", "L-3", "L-4"}));
}

TEST_F(JourneyTest, GetBlockByHeightAndHashAgree) {
  Valid(Ev("exporter", v1::EVENT_TYPE_BOOKED, "B-1"));
  const v1::ChainInfo info = client_->ChainInfo();
  ASSERT_GE(info.height(), 1u);
  v1::Block by_height, by_hash;
  {
    grpc::ClientContext ctx;
    v1::GetBlockRequest req;
    req.set_height(info.height());
    ASSERT_TRUE(client_->stub().GetBlock(&ctx, req, &by_height).ok());
  }
  {
    grpc::ClientContext ctx;
    v1::GetBlockRequest req;
    req.set_hash(info.head_hash());
    ASSERT_TRUE(client_->stub().GetBlock(&ctx, req, &by_hash).ok());
  }
  EXPECT_EQ(by_height.SerializeAsString(), by_hash.SerializeAsString());
  EXPECT_EQ(by_height.block_hash(), info.head_hash());
  EXPECT_EQ(by_height.events_size(), static_cast<int>(by_height.proposal().event_count()));
  grpc::ClientContext ctx;
  v1::GetBlockRequest req;
  req.set_height(info.height() + 100);
  v1::Block none;
  EXPECT_EQ(client_->stub().GetBlock(&ctx, req, &none).error_code(), grpc::StatusCode::NOT_FOUND);
}

TEST_F(JourneyTest, WatchReplaysFromHeightThenStreamsLive) {
  Valid(Ev("exporter", v1::EVENT_TYPE_BOOKED, "W-1"));
  Valid(Ev("exporter", v1::EVENT_TYPE_BOOKED, "W-2"));
  grpc::ClientContext ctx;
  v1::WatchRequest req;
  req.set_from_height(1);
  req.set_shipment_id("W-2");
  auto reader = client_->stub().Watch(&ctx, req);
  v1::WatchResponse msg;
  ASSERT_TRUE(reader->Read(&msg));
  EXPECT_EQ(msg.entry().event().shipment_id(), "W-2");
  EXPECT_EQ(msg.entry().event().type(), v1::EVENT_TYPE_BOOKED);
  const uint64_t first_height = msg.height();
  // A live event arrives on the open stream.
  Valid(Ev("exporter", v1::EVENT_TYPE_PICKUP, "W-2"));
  ASSERT_TRUE(reader->Read(&msg));
  EXPECT_EQ(msg.entry().event().type(), v1::EVENT_TYPE_PICKUP);
  EXPECT_GT(msg.height(), first_height);
  EXPECT_EQ(msg.entry().receipt().code(), v1::RESULT_CODE_VALID);
  ctx.TryCancel();
}

TEST_F(JourneyTest, ManyWatchersAndASlowOneDoNotStallCommits) {
  // Ten subscribers that never read: commits must go on regardless.
  std::vector<std::unique_ptr<grpc::ClientContext>> ctxs;
  std::vector<std::unique_ptr<grpc::ClientReader<v1::WatchResponse>>> readers;
  for (int i = 0; i < 10; ++i) {
    ctxs.push_back(std::make_unique<grpc::ClientContext>());
    v1::WatchRequest req;
    readers.push_back(client_->stub().Watch(ctxs.back().get(), req));
  }
  // 2,000 events (about 2 MB of stream data, far past gRPC's flow-control window) commit
  // while none of the subscribers reads a byte.
  for (int b = 0; b < 40; ++b) {
    std::vector<v1::SignedEvent> batch;
    for (int i = 0; i < 50; ++i) {
      batch.push_back(Ev("exporter", v1::EVENT_TYPE_BOOKED, "M-" + std::to_string(b * 50 + i)));
    }
    auto resp = client_->Submit(batch);
    for (const auto& r : resp.results()) {
      ASSERT_EQ(r.receipt().code(), v1::RESULT_CODE_VALID) << r.message();
    }
  }
  EXPECT_EQ(client_->ChainInfo().event_count(), 2000u);
  grpc::ClientContext sctx;
  v1::NodeStatus st;
  ASSERT_TRUE(client_->admin().GetNodeStatus(&sctx, v1::GetNodeStatusRequest(), &st).ok());
  EXPECT_EQ(st.watchers(), 10u);
  EXPECT_TRUE(st.is_primary());
  for (auto& c : ctxs) c->TryCancel();
}

TEST_F(JourneyTest, MixedBatchAnswersEachEventInItsOwnSlot) {
  // Admission reads the receipts of a batch's valid events at once: each answer must still
  // land in its own slot when invalid events sit between them.
  auto committed = Ev("exporter", v1::EVENT_TYPE_BOOKED, "MIX-1");
  Valid(committed);
  auto bad = Ev("exporter", v1::EVENT_TYPE_BOOKED, "MIX-2");
  bad.set_signature(committed.signature());
  auto fresh = Ev("exporter", v1::EVENT_TYPE_BOOKED, "MIX-3");
  const auto r = client_->Submit({bad, committed, bad, fresh, committed});
  ASSERT_EQ(r.results_size(), 5);
  EXPECT_EQ(r.results(0).code(), static_cast<int>(grpc::StatusCode::INVALID_ARGUMENT));
  EXPECT_EQ(r.results(1).code(), static_cast<int>(grpc::StatusCode::ALREADY_EXISTS));
  EXPECT_EQ(r.results(1).receipt().event_id(), model::EventId(committed.event()));
  EXPECT_EQ(r.results(2).code(), static_cast<int>(grpc::StatusCode::INVALID_ARGUMENT));
  EXPECT_EQ(r.results(3).code(), static_cast<int>(grpc::StatusCode::OK));
  EXPECT_EQ(r.results(3).receipt().event_id(), model::EventId(fresh.event()));
  EXPECT_EQ(r.results(3).receipt().code(), v1::RESULT_CODE_VALID);
  EXPECT_EQ(r.results(4).code(), static_cast<int>(grpc::StatusCode::ALREADY_EXISTS));
}

TEST_F(JourneyTest, DuplicateSubmissionReturnsAlreadyExistsWithReceipt) {
  auto e = Ev("exporter", v1::EVENT_TYPE_BOOKED, "D-1");
  Valid(e);
  const auto before = client_->ChainInfo();
  auto r = client_->SubmitOne(e);
  EXPECT_EQ(r.code(), static_cast<int>(grpc::StatusCode::ALREADY_EXISTS));
  EXPECT_EQ(r.receipt().code(), v1::RESULT_CODE_VALID);
  EXPECT_EQ(client_->ChainInfo().event_count(), before.event_count());
}

TEST_F(JourneyTest, GetEventAndReceipt) {
  auto e = Ev("exporter", v1::EVENT_TYPE_BOOKED, "E-1");
  auto r = client_->SubmitOne(e);
  ASSERT_EQ(r.receipt().code(), v1::RESULT_CODE_VALID);
  grpc::ClientContext ctx;
  v1::GetEventRequest req;
  req.set_event_id(r.event_id());
  v1::GetEventResponse resp;
  ASSERT_TRUE(client_->stub().GetEvent(&ctx, req, &resp).ok());
  EXPECT_EQ(resp.event().event(), e.event());
  EXPECT_EQ(resp.height(), r.receipt().height());
  grpc::ClientContext ctx2;
  v1::GetEventRequest bad;
  bad.set_event_id("short");
  EXPECT_EQ(client_->stub().GetEvent(&ctx2, bad, &resp).error_code(),
            grpc::StatusCode::INVALID_ARGUMENT);
  grpc::ClientContext ctx3;
  v1::GetReceiptRequest unknown;
  unknown.set_event_id(std::string(32, '\x01'));
  v1::Receipt rc;
  EXPECT_EQ(client_->stub().GetReceipt(&ctx3, unknown, &rc).error_code(),
            grpc::StatusCode::NOT_FOUND);
}

}  // namespace
}  // namespace shipledger::itest
