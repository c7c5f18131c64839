// The public tracking service over real loopback sockets (rpc/tracking_server.h): HTTP
// answers, the per-address rate limit, and its defences against bad or slow clients.
#include "rpc/tracking_server.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <chrono>
#include <string>
#include <thread>
#include <vector>

#include "chain_fixture.h"
#include "model/tracking_code.h"
#include "testing/raw_http.h"

namespace shipledger::rpc {
namespace {

using ::shipledger::testing::ConnectFrom;
using ::shipledger::testing::HttpGet;
using ::shipledger::testing::RawHttp;
using ::shipledger::testing::RawHttpFrom;

constexpr std::string_view kCode = "ABCD-EFGH-JKLM-NPQR-STUV-WXYZ-2345-6723";

class TrackingServerTest : public ChainFixture {
 protected:
  void SetUp() override {
    ChainFixture::SetUp();
    v1::Event e = net_->NewEvent("exporter", v1::EVENT_TYPE_BOOKED, "S1");
    e.set_location("CNSHA");
    e.set_tracking_hash(model::TrackingHash(model::CanonicalTrackingCode(kCode)));
    Commit({Admit(net_->Sign(e, net_->org("exporter").client))});
  }
  void TearDown() override {
    if (server_) server_->Stop();
    server_.reset();
    ChainFixture::TearDown();
  }
  int Serve(const TrackingServerOptions& options = {}) {
    server_ = std::make_unique<TrackingServer>(*store_, options);
    const Status s = server_->Start("127.0.0.1:0");
    EXPECT_TRUE(s.ok()) << s.ToString();
    return server_->port();
  }
  std::unique_ptr<TrackingServer> server_;
};

TEST_F(TrackingServerTest, KnownCodeGetsJsonMilestones) {
  const int port = Serve();
  const auto reply = HttpGet(port, "/v1/track/" + std::string(kCode));
  EXPECT_EQ(reply.status(), 200) << reply.text;
  EXPECT_EQ(reply.header("Content-Type"), "application/json");
  EXPECT_EQ(reply.header("Cache-Control"), "no-store");
  EXPECT_NE(reply.body().find("\"CNSHA\""), std::string::npos) << reply.body();
  EXPECT_TRUE(reply.closed);
}

TEST_F(TrackingServerTest, UnknownCodeIs404WithJsonError) {
  const int port = Serve();
  const auto reply = HttpGet(port, "/v1/track/ZZZZ-ZZZZ-ZZZZ-ZZZZ-ZZZZ-ZZZZ-ZZZZ");
  EXPECT_EQ(reply.status(), 404) << reply.text;
  EXPECT_EQ(reply.header("Content-Type"), "application/json");
  EXPECT_NE(reply.body().find("\"not_found\""), std::string::npos);
}

TEST_F(TrackingServerTest, OnlyGetIsServed) {
  const int port = Serve();
  const auto reply =
      RawHttp(port, "POST /v1/track/x HTTP/1.1\r\nHost: a\r\nContent-Length: 0\r\n\r\n");
  EXPECT_EQ(reply.status(), 405) << reply.text;
  EXPECT_EQ(reply.header("Allow"), "GET");
}

TEST_F(TrackingServerTest, MalformedHttpIs400) {
  const int port = Serve();
  for (std::string_view bad :
       {std::string_view("HELLO\r\n\r\n"), std::string_view("GET /v1/track/x HTTP/9\r\n\r\n"),
        std::string_view("GET /x HTTP/1.1\r\nbad header\r\n\r\n"),
        std::string_view("GET /x HTTP/1.1\r\nContent-Length: 5\r\n\r\nabcde")}) {
    EXPECT_EQ(RawHttp(port, bad).status(), 400) << bad;
  }
}

TEST_F(TrackingServerTest, OversizedRequestIs400) {
  TrackingServerOptions options;
  options.max_request_bytes = 1024;
  const int port = Serve(options);
  const std::string big =
      "GET /v1/track/x HTTP/1.1\r\nX-Pad: " + std::string(4096, 'p') + "\r\n\r\n";
  EXPECT_EQ(RawHttp(port, big).status(), 400);
}

TEST_F(TrackingServerTest, BeyondTheRateIs429WithRetryAfter) {
  TrackingServerOptions options;
  options.rate.rate_per_s = 1;
  options.rate.burst = 2;
  const int port = Serve(options);
  EXPECT_EQ(HttpGet(port, "/v1/track/x").status(), 404);
  EXPECT_EQ(HttpGet(port, "/v1/track/x").status(), 404);
  const auto limited = HttpGet(port, "/v1/track/" + std::string(kCode));
  EXPECT_EQ(limited.status(), 429) << limited.text;
  EXPECT_EQ(limited.header("Retry-After"), "1");
  EXPECT_NE(limited.body().find("rate_limited"), std::string::npos);
}

TEST_F(TrackingServerTest, SilentClientIsDisconnectedAfterTheTimeout) {
  TrackingServerOptions options;
  options.request_timeout_ms = 200;
  const int port = Serve(options);
  const auto reply = RawHttp(port, "GET /v1/track/x HTTP/1.1\r\n", 3000);  // never finished
  EXPECT_TRUE(reply.closed);
  EXPECT_EQ(reply.text, "");
}

TEST_F(TrackingServerTest, ConnectionsBeyondTheLimitAreClosed) {
  TrackingServerOptions options;
  options.max_connections = 1;
  options.request_timeout_ms = 1500;
  const int port = Serve(options);
  // One silent connection holds the only slot until its timeout.
  std::thread holder([port] { RawHttp(port, "GET", 3000); });
  std::this_thread::sleep_for(std::chrono::milliseconds(300));
  const auto refused = HttpGet(port, "/v1/track/x", 1000);
  EXPECT_TRUE(refused.closed);
  EXPECT_EQ(refused.status(), 0);
  holder.join();
  EXPECT_EQ(HttpGet(port, "/v1/track/x").status(), 404);  // the slot is free again
}

TEST_F(TrackingServerTest, AddressAtItsConnectionCapIsClosedBeforeItsRequestIsRead) {
  TrackingServerOptions options;
  options.max_connections_per_address = 2;  // of 256 on the node
  options.request_timeout_ms = 5000;
  const int port = Serve(options);
  // Two silent connections hold 127.0.0.1's cap (connections are accepted in order, so both
  // are counted before the next one is looked at).
  std::vector<int> held = {ConnectFrom("127.0.0.1", port), ConnectFrom("127.0.0.1", port)};
  ASSERT_GE(held[0], 0);
  ASSERT_GE(held[1], 0);
  // A third one from the same address is closed at once, unanswered, though it sends nothing
  // and its request time (5 s) is far from over.
  const auto start = std::chrono::steady_clock::now();
  const auto refused = RawHttpFrom("127.0.0.1", port, "", 3000);
  EXPECT_TRUE(refused.connected);
  EXPECT_TRUE(refused.closed);
  EXPECT_EQ(refused.text, "");
  EXPECT_LT(std::chrono::steady_clock::now() - start, std::chrono::milliseconds(2000));
  // Another address is served meanwhile.
  const auto other = RawHttpFrom(
      "127.0.0.2", port, "GET /v1/track/x HTTP/1.1\r\nHost: a\r\nConnection: close\r\n\r\n");
  EXPECT_EQ(other.status(), 404) << other.text;
  // Once the silent ones hang up, the address is served again.
  for (int fd : held) ::close(fd);
  int status = 0;
  const auto until = std::chrono::steady_clock::now() + std::chrono::seconds(3);
  while (status != 404 && std::chrono::steady_clock::now() < until) {
    status = HttpGet(port, "/v1/track/x", 1000).status();
    if (status != 404) std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  EXPECT_EQ(status, 404);
}

TEST_F(TrackingServerTest, StopsAndRefusesConnections) {
  const int port = Serve();
  server_->Stop();
  EXPECT_FALSE(HttpGet(port, "/v1/track/x", 500).connected);
}

TEST_F(TrackingServerTest, BadListenAddressIsRefused) {
  TrackingServer server(*store_, {});
  EXPECT_EQ(server.Start("no-port").code(), Code::kInvalidArgument);
}

}  // namespace
}  // namespace shipledger::rpc
