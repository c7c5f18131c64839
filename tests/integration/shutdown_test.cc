// A clean stop (SIGTERM path) orders and commits every admitted event, answers waiting
// submitters with receipts, and ends Watch streams with the height to resume from.
#include <gtest/gtest.h>

#include <future>
#include <thread>

#include "fixture.h"

namespace shipledger::itest {
namespace {

TEST(Shutdown, StopCommitsAdmittedEventsAndAnswersWaitingClients) {
  NetworkDir net;
  std::string target;
  // A batch timeout of a minute: without the drain on stop nothing would be ordered.
  auto node = StartNode(net, &target, /*mempool_capacity=*/0, /*batch_timeout_ms=*/60000);
  ASSERT_NE(node, nullptr);
  Client c(net, target);
  auto waiting = std::async(std::launch::async, [&] {
    Client w(net, target);
    return w.SubmitOne(w.SignedBy("exporter", v1::EVENT_TYPE_BOOKED, "Z-1"), /*wait=*/true);
  });
  auto no_wait = c.SubmitOne(c.SignedBy("exporter", v1::EVENT_TYPE_BOOKED, "Z-2"), false);
  ASSERT_EQ(no_wait.code(), 0) << no_wait.message();
  std::this_thread::sleep_for(std::chrono::milliseconds(300));
  EXPECT_EQ(c.ChainInfo().height(), 0u);  // still pending
  node->Stop();
  const v1::SubmitResult r = waiting.get();
  EXPECT_EQ(r.code(), 0) << r.message();
  EXPECT_EQ(r.receipt().code(), v1::RESULT_CODE_VALID) << r.message();
  node.reset();

  // Both events are on the chain after a restart.
  auto again = StartNode(net, &target);
  ASSERT_NE(again, nullptr);
  Client c2(net, target);
  EXPECT_EQ(c2.ChainInfo().event_count(), 2u);
  // After Stop, admission refuses with UNAVAILABLE.
  again->Stop();
  grpc::Status s;
  c2.Submit({c2.SignedBy("exporter", v1::EVENT_TYPE_BOOKED, "Z-3")}, false, &s);
  EXPECT_EQ(s.error_code(), grpc::StatusCode::UNAVAILABLE);
}

TEST(Shutdown, WatchResumesFromAHeightAndEndsWithTheResumeHeightOnStop) {
  NetworkDir net;
  std::string target;
  auto node = StartNode(net, &target);
  ASSERT_NE(node, nullptr);
  Client c(net, target);
  for (int i = 0; i < 3; ++i) {
    ASSERT_EQ(c.SubmitOne(c.SignedBy("exporter", v1::EVENT_TYPE_BOOKED, "R-" + std::to_string(i)))
                  .receipt()
                  .code(),
              v1::RESULT_CODE_VALID);
  }
  const uint64_t head = c.ChainInfo().height();
  ASSERT_GE(head, 3u);
  grpc::ClientContext ctx;
  v1::WatchRequest req;
  req.set_from_height(head);  // resume: only the last block
  auto reader = c.stub().Watch(&ctx, req);
  v1::WatchResponse msg;
  ASSERT_TRUE(reader->Read(&msg));
  EXPECT_EQ(msg.height(), head);
  EXPECT_EQ(msg.entry().event().shipment_id(), "R-2");
  node->Stop();
  EXPECT_FALSE(reader->Read(&msg));
  const grpc::Status s = reader->Finish();
  EXPECT_EQ(s.error_code(), grpc::StatusCode::UNAVAILABLE);
  EXPECT_NE(s.error_message().find("from_height " + std::to_string(head + 1)), std::string::npos)
      << s.error_message();
}

TEST(WatchLimit, StreamsBeyondMaxWatchersGetResourceExhausted) {
  NetworkDir net;
  std::string target;
  auto node = StartNode(net, &target, 0, 0, /*max_watchers=*/2);
  ASSERT_NE(node, nullptr);
  Client c(net, target);
  ASSERT_EQ(c.SubmitOne(c.SignedBy("exporter", v1::EVENT_TYPE_BOOKED, "W")).receipt().code(),
            v1::RESULT_CODE_VALID);
  std::vector<std::unique_ptr<grpc::ClientContext>> ctxs;
  std::vector<std::unique_ptr<grpc::ClientReader<v1::WatchResponse>>> readers;
  v1::WatchResponse msg;
  for (int i = 0; i < 2; ++i) {
    ctxs.push_back(std::make_unique<grpc::ClientContext>());
    readers.push_back(c.stub().Watch(ctxs.back().get(), v1::WatchRequest()));
    ASSERT_TRUE(readers.back()->Read(&msg));  // the stream is open and counted
  }
  grpc::ClientContext third;
  auto reader = c.stub().Watch(&third, v1::WatchRequest());
  EXPECT_FALSE(reader->Read(&msg));
  const grpc::Status s = reader->Finish();
  EXPECT_EQ(s.error_code(), grpc::StatusCode::RESOURCE_EXHAUSTED);
  EXPECT_NE(s.error_message().find("too many Watch streams"), std::string::npos);
  for (auto& ctx : ctxs) ctx->TryCancel();
  node->Stop();
}

TEST(WatchLimit, SubscriberThatStopsReadingIsDropped) {
  NetworkDir net;
  std::string target;
  auto node = StartNode(net, &target, 0, 0, 0, /*watch_stall_ms=*/300);
  ASSERT_NE(node, nullptr);
  Client c(net, target);
  // A subscriber with a small HTTP/2 window and no BDP probing, so its window fills fast when
  // it does not read; a deadline so the test cannot hang.
  grpc::ChannelArguments args;
  args.SetInt(GRPC_ARG_HTTP2_BDP_PROBE, 0);
  args.SetInt(GRPC_ARG_HTTP2_STREAM_LOOKAHEAD_BYTES, 16 * 1024);
  args.SetInt(GRPC_ARG_USE_LOCAL_SUBCHANNEL_POOL, 1);
  auto slow_stub = v1::LedgerService::NewStub(
      grpc::CreateCustomChannel(target, net.credentials(), args));
  grpc::ClientContext ctx;
  ctx.set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(30));
  auto reader = slow_stub->Watch(&ctx, v1::WatchRequest());  // and never read
  auto watchers = [&] {
    grpc::ClientContext sctx;
    v1::NodeStatus st;
    EXPECT_TRUE(c.admin().GetNodeStatus(&sctx, v1::GetNodeStatusRequest(), &st).ok());
    return st.watchers();
  };
  // Enough committed data to fill the stream's flow-control window many times over.
  for (int b = 0; b < 40; ++b) {
    std::vector<v1::SignedEvent> batch;
    for (int i = 0; i < 50; ++i) {
      batch.push_back(
          c.SignedBy("exporter", v1::EVENT_TYPE_BOOKED, "D-" + std::to_string(b * 50 + i)));
    }
    c.Submit(batch);
  }
  const auto until = std::chrono::steady_clock::now() + std::chrono::seconds(10);
  while (watchers() != 0 && std::chrono::steady_clock::now() < until) {
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  EXPECT_EQ(watchers(), 0u);  // the stalled stream was dropped and its slot freed
  v1::WatchResponse msg;
  while (reader->Read(&msg)) {
  }
  EXPECT_FALSE(reader->Finish().ok());
  EXPECT_EQ(c.ChainInfo().event_count(), 2000u);  // commits never waited for it
  node->Stop();
}

}  // namespace
}  // namespace shipledger::itest
