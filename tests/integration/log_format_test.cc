// node.yaml `log_format: json` on a real node: every line it writes while it starts, admits,
// refuses, commits and stops, at debug level, is one JSON object.
#include <google/protobuf/struct.pb.h>
#include <google/protobuf/util/json_util.h>
#include <gtest/gtest.h>
#include <signal.h>

#include <fstream>
#include <string>

#include "fixture.h"
#include "shipledger/log.h"

namespace shipledger::itest {
namespace {

TEST(LogFormat, EveryLineABusyNodeWritesInJsonIsAJsonObject) {
  NetworkDir net("exporter:exporter,forwarder:forwarder:client");
  std::ofstream(net.node_yaml(), std::ios::app) << "log_format: json\n";
  const std::string log = (net.path() / "node.log").string();
  const std::string target = "127.0.0.1:" + std::to_string(net.port());
  {
    Daemon d(net.node_yaml(), log, "debug");
    ASSERT_TRUE(WaitReady(net, target));
    Client c(net, target);
    for (int i = 0; i < 20; ++i) {
      c.SubmitValid(c.SignedBy("exporter", v1::EVENT_TYPE_BOOKED, "LOG-" + std::to_string(i)));
    }
    // Refusals are logged too: a pickup of an unknown shipment (REJECTED), a second copy.
    const v1::SignedEvent pickup = c.SignedBy("exporter", v1::EVENT_TYPE_PICKUP, "LOG-\"x\"\n");
    c.SubmitOne(pickup);
    c.SubmitOne(pickup);
    d.Kill(SIGTERM);
    ASSERT_EQ(d.Wait(), 0);
  }
  std::ifstream in(log);
  std::string line;
  int lines = 0;
  bool saw_info = false;
  while (std::getline(in, line)) {
    google::protobuf::Struct doc;
    const auto status = google::protobuf::util::JsonStringToMessage(line, &doc);
    ASSERT_TRUE(status.ok()) << "line " << lines + 1 << " is not JSON: " << line;
    ASSERT_TRUE(doc.fields().contains("msg")) << line;
    ASSERT_TRUE(doc.fields().contains("time")) << line;
    // Every line names its component (node.yaml log_level: info,consensus=debug).
    ASSERT_TRUE(doc.fields().contains("component")) << line;
    const std::string component = doc.fields().at("component").string_value();
    EXPECT_TRUE(ParseLogSpec("info," + component + "=debug").ok()) << line;
    saw_info = saw_info || doc.fields().at("level").string_value() == "info";
    ++lines;
  }
  EXPECT_GE(lines, 5) << "the node should have said something at debug level";
  EXPECT_TRUE(saw_info);
}

// At info a node says what changes (start, stop, refusal summaries), never a line per event:
// 60 events and 30 refusals write as many lines as 6 events and 3 refusals would.
TEST(LogFormat, AtInfoABusyNodeWritesNoLinePerEvent) {
  NetworkDir net("exporter:exporter,forwarder:forwarder:client");
  const std::string log = (net.path() / "node.log").string();
  const std::string target = "127.0.0.1:" + std::to_string(net.port());
  {
    Daemon d(net.node_yaml(), log, "info");
    ASSERT_TRUE(WaitReady(net, target));
    Client c(net, target);
    for (int i = 0; i < 60; ++i) {
      const v1::SignedEvent booked =
          c.SignedBy("exporter", v1::EVENT_TYPE_BOOKED, "QUIET-" + std::to_string(i));
      c.SubmitValid(booked);
      if (i % 2 == 0) c.SubmitOne(booked);  // a duplicate: refused at admission
    }
    d.Kill(SIGTERM);
    ASSERT_EQ(d.Wait(), 0);
  }
  std::ifstream in(log);
  std::string line;
  int lines = 0;
  while (std::getline(in, line)) {
    EXPECT_EQ(line.find("QUIET-"), std::string::npos) << "a line about one event: " << line;
    ++lines;
  }
  EXPECT_LE(lines, 12) << "start (about 5 lines), one refusal summary, stop";
}

}  // namespace
}  // namespace shipledger::itest
