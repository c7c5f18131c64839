// shipledger-gateway in process, against an in-process node: what the HTTP test
// (tests/gateway/) cannot show from outside — a capture accepted while the node is down runs
// after the gateway restarts; mutual TLS lets in the CA's clients only; the rate and body
// limits answer in the problem format.
#include "gateway/gateway.h"

#include <gtest/gtest.h>

#include <fstream>
#include <thread>

#include "fixture.h"
#include "interop/epcis_hash.h"
#include "shipledger/clock.h"
#include "testing/raw_http.h"

namespace shipledger::itest {
namespace {

constexpr char kToken[] = "gateway-test-token-0123456789abcdef";

std::string Minutes(int ago) {
  return interop::EpcisTime(SystemClock::Get().NowMs() - ago * 60'000LL);
}

// A loading of container CSQU3054383, as a WMS would write it.
std::string LoadingDocument() {
  return R"({"@context": ["https://ref.gs1.org/standards/epcis/2.0.0/epcis-context.jsonld"],
    "type": "EPCISDocument", "schemaVersion": "2.0", "creationDate": ")" +
         Minutes(0) + R"(", "epcisBody": {"eventList": [
    {"type": "ObjectEvent", "action": "OBSERVE", "bizStep": "loading", "eventTime": ")" +
         Minutes(2) + R"(", "eventTimeZoneOffset": "+00:00",
     "epcList": ["urn:epc:id:bic:CSQU3054383"]}]}})";
}

std::string Request(std::string_view method, std::string_view target, std::string_view body = "",
                    bool token = true) {
  return std::string(method) + " " + std::string(target) + " HTTP/1.1\r\nHost: gw\r\n" +
         (token ? std::string("Authorization: Bearer ") + kToken + "\r\n" : "") +
         "Content-Type: application/json\r\nContent-Length: " + std::to_string(body.size()) +
         "\r\nConnection: close\r\n\r\n" + std::string(body);
}

class GatewayTest : public ::testing::Test {
 protected:
  void SetUp() override { std::ofstream(net_.path() / "tokens") << "test " << kToken << "\n"; }
  gateway::GatewayOptions Options(const std::string& node) const {
    gateway::GatewayOptions o;
    o.listen = "127.0.0.1:0";
    o.node = node;
    o.connect.identity_dir = net_.admin_dir("exporter");
    o.data_dir = (net_.path() / "gw").string();
    o.token_file = (net_.path() / "tokens").string();
    return o;
  }
  std::unique_ptr<gateway::Gateway> Start(const gateway::GatewayOptions& o) {
    auto g = gateway::Gateway::Create(o);
    EXPECT_TRUE(g.ok()) << g.status().ToString();
    if (!g.ok()) return nullptr;
    EXPECT_TRUE((*g)->Start().ok());
    return std::move(*g);
  }

  NetworkDir net_;
};

TEST_F(GatewayTest, ACaptureAcceptedWhileTheNodeIsDownRunsAfterARestart) {
  // The node is not running: the capture is accepted (stored) and waits.
  auto first = Start(Options("127.0.0.1:" + std::to_string(FreePort())));
  ASSERT_NE(first, nullptr);
  const auto accepted =
      testing::RawHttp(first->port(), Request("POST", "/capture", LoadingDocument()));
  ASSERT_EQ(accepted.status(), 202) << accepted.text;
  const std::string location = accepted.header("Location");
  ASSERT_TRUE(location.starts_with("/capture/")) << accepted.text;
  std::this_thread::sleep_for(std::chrono::milliseconds(300));
  EXPECT_NE(
      testing::RawHttp(first->port(), Request("GET", location)).body().find("\"running\":true"),
      std::string::npos);
  first->Stop();
  first.reset();

  // The node comes up with the shipment booked; the restarted gateway runs the job.
  std::string target;
  auto node = StartNode(net_, &target);
  ASSERT_NE(node, nullptr);
  Client exporter(net_, target, "exporter");
  v1::Event booked = exporter.NewEvent("exporter", v1::EVENT_TYPE_BOOKED, "GW-RESTART");
  auto* ref = booked.add_references();
  ref->set_kind("container");
  ref->set_value("CSQU3054383");
  ASSERT_EQ(exporter.SubmitOne(exporter.Sign(booked, net_.client("exporter"))).receipt().code(),
            v1::RESULT_CODE_VALID);
  ASSERT_EQ(exporter.SubmitOne(exporter.SignedBy("exporter", v1::EVENT_TYPE_PICKUP, "GW-RESTART"))
                .receipt()
                .code(),
            v1::RESULT_CODE_VALID);
  auto second = Start(Options(target));
  ASSERT_NE(second, nullptr);
  std::string job;
  for (int i = 0; i < 300; ++i) {
    job = testing::RawHttp(second->port(), Request("GET", location)).body();
    if (job.find("\"running\":false") != std::string::npos) break;
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  EXPECT_NE(job.find("\"success\":true"), std::string::npos) << job;
  EXPECT_NE(job.find("\"shipmentID\":\"GW-RESTART\""), std::string::npos) << job;
  // ... and its event is queryable at once.
  const auto found = testing::RawHttp(
      second->port(), Request("GET", "/events?MATCH_epc=urn:epc:id:bic:CSQU3054383"));
  EXPECT_NE(found.body().find("\"bizStep\":\"loading\""), std::string::npos) << found.text;
}

// A member's rejected departure of a shipment that does not exist (which once stopped the
// indexer, retrying its route forever) leaves the gateway following the chain.
TEST_F(GatewayTest, ARejectedTransportEventOfNoShipmentDoesNotStopTheIndex) {
  std::string target;
  auto node = StartNode(net_, &target);
  ASSERT_NE(node, nullptr);
  Client exporter(net_, target, "exporter");
  ASSERT_EQ(exporter.SubmitOne(exporter.SignedBy("exporter", v1::EVENT_TYPE_DEPARTED, "NOPE"))
                .receipt()
                .code(),
            v1::RESULT_CODE_REJECTED);
  v1::Event booked = exporter.NewEvent("exporter", v1::EVENT_TYPE_BOOKED, "GW-AFTER");
  auto* ref = booked.add_references();
  ref->set_kind("container");
  ref->set_value("CSQU3054383");
  ASSERT_EQ(exporter.SubmitOne(exporter.Sign(booked, net_.client("exporter"))).receipt().code(),
            v1::RESULT_CODE_VALID);
  // The exporter's own departure before loading: rejected on its own shipment.
  ASSERT_EQ(exporter.SubmitOne(exporter.SignedBy("exporter", v1::EVENT_TYPE_DEPARTED, "GW-AFTER"))
                .receipt()
                .code(),
            v1::RESULT_CODE_REJECTED);
  ASSERT_EQ(exporter.SubmitOne(exporter.SignedBy("exporter", v1::EVENT_TYPE_PICKUP, "GW-AFTER"))
                .receipt()
                .code(),
            v1::RESULT_CODE_VALID);
  auto g = Start(Options(target));
  ASSERT_NE(g, nullptr);
  std::string found;
  for (int i = 0; i < 100; ++i) {
    found = testing::RawHttp(g->port(), Request("GET", "/v2/events?equipmentEventTypeCode=PICK"))
                .body();
    if (found.find("PICK") != std::string::npos) break;
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  EXPECT_NE(found.find("\"equipmentEventTypeCode\":\"PICK\""), std::string::npos) << found;
  const auto status = testing::RawHttp(g->port(), Request("GET", "/status")).body();
  EXPECT_NE(status.find("\"following\":true"), std::string::npos) << status;
  EXPECT_EQ(status.find("lastError"), std::string::npos) << status;
}

TEST_F(GatewayTest, MutualTlsLetsInTheCasClientsOnlyAndNeedsNoToken) {
  gateway::GatewayOptions o = Options("127.0.0.1:" + std::to_string(FreePort()));
  o.token_file.clear();
  o.tls_cert = net_.admin_dir("exporter") + "/cert.pem";
  o.tls_key = net_.admin_dir("exporter") + "/key.pem";
  o.client_ca = (net_.path() / "exporter/ca/cert.pem").string();
  auto g = Start(o);
  ASSERT_NE(g, nullptr);
  const std::string get = Request("GET", "/events", "", false);
  const auto mine = testing::TlsHttp(g->port(), get, net_.admin_dir("exporter"));
  EXPECT_EQ(mine.status(), 200) << mine.text;
  EXPECT_NE(mine.body().find("EPCISQueryDocument"), std::string::npos);
  // Another organisation's client, and a client without a certificate, do not get in.
  EXPECT_TRUE(testing::TlsHttp(g->port(), get, net_.admin_dir("forwarder")).text.empty());
  EXPECT_TRUE(testing::TlsHttp(g->port(), get, "").text.empty());
}

TEST_F(GatewayTest, ItRefusesToStartWithoutAWayForClientsToAuthenticate) {
  gateway::GatewayOptions o = Options("127.0.0.1:1");
  o.token_file.clear();
  auto g = gateway::Gateway::Create(o);
  ASSERT_FALSE(g.ok());
  EXPECT_EQ(g.status().code(), Code::kInvalidArgument);
  EXPECT_NE(g.status().message().find("--token-file"), std::string::npos);
  std::ofstream(net_.path() / "weak") << "test short-token\n";
  o.token_file = (net_.path() / "weak").string();
  g = gateway::Gateway::Create(o);
  ASSERT_FALSE(g.ok());
  EXPECT_NE(g.status().message().find("shorter than 32"), std::string::npos)
      << g.status().ToString();
}

TEST_F(GatewayTest, RateAndBodyLimitsAnswerInTheProblemFormat) {
  gateway::GatewayOptions o = Options("127.0.0.1:" + std::to_string(FreePort()));
  o.rate_per_s = 0.5;
  o.burst = 3;
  o.max_body_bytes = 512;
  auto g = Start(o);
  ASSERT_NE(g, nullptr);
  const auto big = testing::RawHttp(g->port(), Request("POST", "/capture", std::string(1024, ' ')));
  EXPECT_EQ(big.status(), 400) << big.text;
  EXPECT_EQ(big.header("Content-Type"), "application/problem+json");
  EXPECT_NE(big.body().find("epcisException:ValidationException"), std::string::npos);
  testing::RawHttpReply last;
  for (int i = 0; i < 3; ++i) last = testing::RawHttp(g->port(), Request("GET", "/events"));
  EXPECT_EQ(last.status(), 429) << last.text;
  EXPECT_EQ(last.header("Content-Type"), "application/problem+json");
  EXPECT_FALSE(last.header("Retry-After").empty());
}

}  // namespace
}  // namespace shipledger::itest
