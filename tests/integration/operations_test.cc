// The operations endpoint of a real node (docs/operations.md): every path answers, the metrics
// count what the node did and pass `promtool check metrics`, and with TLS only certificates of
// the node's own organisation get in, only its admins change log levels.
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <stdio.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <regex>
#include <string>

#include "config/network.h"
#include "fixture.h"
#include "shipledger/log.h"
#include "testing/raw_http.h"

namespace shipledger::itest {
namespace {

using ::shipledger::testing::HttpGet;
using ::shipledger::testing::RawHttp;
using ::shipledger::testing::RawHttpReply;
using ::shipledger::testing::TlsHttp;
using ::testing::HasSubstr;

constexpr char kPromtool[] = "/usr/bin/promtool";

// The value of the sample written exactly as `series` ("name{labels}"), or -1 when absent.
double Sample(const std::string& text, const std::string& series) {
  const std::string prefix = "\n" + series + " ";
  const size_t at = ("\n" + text).find(prefix);
  if (at == std::string::npos) return -1;
  return std::atof(text.c_str() + at + prefix.size() - 1);
}

size_t CountLines(const std::string& text, const std::string& prefix) {
  size_t n = 0;
  for (size_t at = 0; (at = text.find("\n" + prefix, at)) != std::string::npos; ++at) ++n;
  return n;
}

std::string Put(std::string_view target, std::string_view body) {
  return "PUT " + std::string(target) +
         " HTTP/1.1\r\nHost: localhost\r\nContent-Length: " + std::to_string(body.size()) +
         "\r\nConnection: close\r\n\r\n" + std::string(body);
}

std::string Get(std::string_view target) {
  return "GET " + std::string(target) + " HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n";
}

class OperationsTest : public ::testing::Test {
 protected:
  void Start(bool tls) {
    port_ = FreePort();
    node_ = StartNodeWith(net_, &target_, [&](config::NodeConfig* c) {
      c->operations_listen = "127.0.0.1:" + std::to_string(port_);
      c->operations_tls = tls;
    });
    ASSERT_NE(node_, nullptr);
    ASSERT_EQ(node_->operations_port(), port_);
  }
  void TearDown() override {
    if (node_) node_->Stop();
    ApplyLogSpec(*ParseLogSpec("info"));
  }

  NetworkDir net_;
  int port_ = 0;
  std::string target_;
  std::unique_ptr<node::Node> node_;
};

TEST_F(OperationsTest, MetricsCountWhatTheNodeDidAndPassPromtool) {
  Start(false);
  Client c(net_, target_);
  std::vector<v1::SignedEvent> booked;
  for (int i = 0; i < 5; ++i) {
    booked.push_back(c.SignedBy("exporter", v1::EVENT_TYPE_BOOKED, "OPS-" + std::to_string(i)));
    c.SubmitValid(booked.back());
  }
  // The same event again: refused at admission, already on the chain.
  EXPECT_EQ(c.SubmitOne(booked[0]).code(), static_cast<int32_t>(Code::kAlreadyExists));
  // A pickup of a shipment never booked: admitted, then REJECTED by the contracts.
  EXPECT_EQ(c.SubmitOne(c.SignedBy("exporter", v1::EVENT_TYPE_PICKUP, "OPS-NONE")).receipt().code(),
            v1::RESULT_CODE_REJECTED);

  const RawHttpReply reply = HttpGet(port_, "/metrics");
  ASSERT_EQ(reply.status(), 200) << reply.text;
  EXPECT_EQ(reply.header("Content-Type"), "text/plain; version=0.0.4; charset=utf-8");
  const std::string m = reply.body();
  EXPECT_EQ(Sample(m, "shipledger_events_committed_total{result=\"valid\"}"), 5) << m;
  EXPECT_EQ(Sample(m, "shipledger_events_committed_total{result=\"rejected\"}"), 1);
  EXPECT_EQ(Sample(m, "shipledger_admission_refusals_total{reason=\"already_exists\"}"), 1);
  EXPECT_EQ(Sample(m, "shipledger_event_commit_latency_seconds_count"), 6);
  EXPECT_GE(Sample(m, "shipledger_chain_height"), 1);
  EXPECT_GE(Sample(m, "shipledger_blocks_committed_total"), 1);
  EXPECT_EQ(Sample(m, "shipledger_chain_events"), 6);
  EXPECT_EQ(Sample(m, "shipledger_consensus_is_primary"), 1);
  EXPECT_EQ(Sample(m, "shipledger_consensus_replicas"), 1);
  EXPECT_GE(Sample(m, "shipledger_process_resident_memory_bytes"), 1e6);
  EXPECT_GE(Sample(m, "shipledger_process_open_fds"), 3);
  EXPECT_GE(Sample(m, "shipledger_block_execution_seconds_count"), 1);
  EXPECT_GE(Sample(m, "shipledger_storage_live_data_bytes{family=\"events\"}"), 0);
  EXPECT_THAT(m, HasSubstr("shipledger_build_info{version=\"0.1.0\",commit=\""));
  // Every genesis certificate (4 organisation CAs, 1 replica) and the node's own, with a
  // plausible expiry: after now, within the 10 years network init allows.
  const std::string expiry = "shipledger_certificate_expiry_timestamp_seconds{";
  EXPECT_EQ(CountLines(m, expiry), 6u) << m;
  const double own = Sample(m, expiry + "kind=\"node_identity\",org=\"exporter\",replica=\"0\"}");
  const double now_s = static_cast<double>(SystemClock::Get().NowMs()) / 1000;
  EXPECT_GT(own, now_s);
  EXPECT_LT(own, now_s + 11 * 365 * 86400.0);
  EXPECT_EQ(own, Sample(m, expiry + "kind=\"replica\",org=\"exporter\",replica=\"0\"}"));

  if (!std::filesystem::exists(kPromtool)) {
    GTEST_SKIP() << kPromtool << " is not installed (Debian package prometheus): not linted";
  }
  const std::string file = (net_.path() / "metrics.txt").string();
  std::ofstream(file) << m;
  const std::string command = std::string(kPromtool) + " check metrics < " + file + " 2>&1";
  FILE* pipe = popen(command.c_str(), "r");
  ASSERT_NE(pipe, nullptr);
  std::string out;
  char buffer[512];
  while (fgets(buffer, sizeof buffer, pipe) != nullptr) out += buffer;
  EXPECT_EQ(pclose(pipe), 0) << out;
}

TEST_F(OperationsTest, HealthReadinessVersionAndLogspecAnswer) {
  Start(false);
  const RawHttpReply health = HttpGet(port_, "/healthz");
  EXPECT_EQ(health.status(), 200) << health.text;
  EXPECT_THAT(health.body(), HasSubstr("\"status\":\"ok\""));
  EXPECT_THAT(health.body(), HasSubstr("\"name\":\"consensus_loop\",\"ok\":true"));
  const RawHttpReply ready = HttpGet(port_, "/readyz");
  EXPECT_EQ(ready.status(), 200) << ready.text;
  EXPECT_THAT(ready.body(), HasSubstr("\"name\":\"caught_up\",\"ok\":true"));
  const RawHttpReply version = HttpGet(port_, "/version");
  EXPECT_EQ(version.status(), 200);
  EXPECT_THAT(version.body(), HasSubstr("\"version\":\"0.1.0\""));
  EXPECT_THAT(version.body(),
              HasSubstr("\"chain_id\":\"" + net_.genesis()->chain_id + "\",\"replica\":0"));

  EXPECT_THAT(HttpGet(port_, "/logspec").body(), HasSubstr("{\"spec\":\"info\"}"));
  const RawHttpReply set = RawHttp(port_, Put("/logspec", R"({"spec":"warn,consensus=debug"})"));
  EXPECT_EQ(set.status(), 200) << set.text;
  EXPECT_EQ(set.body(), R"({"spec":"warn,consensus=debug"})");
  EXPECT_EQ(HttpGet(port_, "/logspec").body(), R"({"spec":"warn,consensus=debug"})");
  EXPECT_TRUE(Log(LogComponent::kConsensus).should_log(spdlog::level::debug));
  EXPECT_FALSE(Log(LogComponent::kNet).should_log(spdlog::level::info));
  const RawHttpReply bad = RawHttp(port_, Put("/logspec", R"({"spec":"info,p2p=debug"})"));
  EXPECT_EQ(bad.status(), 400);
  EXPECT_THAT(bad.body(), HasSubstr("unknown log component 'p2p'"));
  EXPECT_EQ(RawHttp(port_, Put("/logspec", "info")).status(), 400);  // not JSON
  EXPECT_EQ(HttpGet(port_, "/logspec").body(), R"({"spec":"warn,consensus=debug"})");

  EXPECT_EQ(HttpGet(port_, "/admin").status(), 404);
  const RawHttpReply post = RawHttp(port_, Put("/metrics", "x"));
  EXPECT_EQ(post.status(), 405);
  EXPECT_EQ(post.header("Allow"), "GET");
}

TEST_F(OperationsTest, WithTlsOnlyTheNodesOrganisationGetsInAndOnlyAdminsSetLevels) {
  const std::string org_dir = (net_.path() / "exporter").string();
  ASSERT_TRUE(config::IssueClientIdentity(org_dir, "monitor", SystemClock::Get(), 30, false).ok());
  Start(true);
  const std::string admin = net_.admin_dir("exporter");
  const std::string monitor = org_dir + "/clients/monitor";

  const RawHttpReply by_admin = TlsHttp(port_, Get("/metrics"), admin);
  EXPECT_EQ(by_admin.status(), 200) << by_admin.text;
  EXPECT_THAT(by_admin.body(), HasSubstr("shipledger_chain_height"));
  const RawHttpReply by_monitor = TlsHttp(port_, Get("/healthz"), monitor);
  EXPECT_EQ(by_monitor.status(), 200) << by_monitor.text;

  const RawHttpReply monitor_sets = TlsHttp(port_, Put("/logspec", R"({"spec":"debug"})"), monitor);
  EXPECT_EQ(monitor_sets.status(), 403) << monitor_sets.text;
  EXPECT_EQ(LogSpecText(CurrentLogSpec()), "info");
  const RawHttpReply admin_sets =
      TlsHttp(port_, Put("/logspec", R"({"spec":"info,rpc=warn"})"), admin);
  EXPECT_EQ(admin_sets.status(), 200) << admin_sets.text;
  EXPECT_EQ(LogSpecText(CurrentLogSpec()), "info,rpc=warn");

  // Another organisation's admin, no certificate at all, and plaintext HTTP: nothing served.
  EXPECT_EQ(TlsHttp(port_, Get("/metrics"), net_.admin_dir("forwarder")).text, "");
  EXPECT_EQ(TlsHttp(port_, Get("/metrics"), "").text, "");
  EXPECT_EQ(HttpGet(port_, "/metrics").status(), 0);
}

}  // namespace
}  // namespace shipledger::itest
