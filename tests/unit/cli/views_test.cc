#include "cli/views.h"

#include <gtest/gtest.h>

#include <sstream>
#include <string>

#include "shipledger/bytes.h"

namespace shipledger::cli {
namespace {

// Replica 1 of four, behind by 5 heights, in a view change; replica 0 connected both ways and
// heard from, replica 2 never heard from.
v1::NodeStatus FourNodeStatus() {
  v1::NodeStatus s;
  s.set_chain_id("chain-x");
  s.set_replica_id(1);
  s.set_organisation("forwarder-org");
  s.set_view(4);
  s.set_primary(0);
  s.set_is_primary(false);
  s.set_view_changing(true);
  s.set_height(10);
  s.set_highest_known_height(15);
  s.set_lag(5);
  s.set_stable_checkpoint(8);
  s.set_nodes(4);
  v1::PeerStatus* p0 = s.add_peers();
  p0->set_replica(0);
  p0->set_organisation("exporter-org");
  p0->set_connected_out(true);
  p0->set_connected_in(true);
  p0->set_height(15);
  p0->set_view(4);
  p0->set_last_heard_ms_ago(1250);
  p0->set_frames_dropped(3);
  p0->set_frames_over_share(7);
  p0->set_heartbeats_coalesced(11);
  p0->set_resends_suppressed(13);
  v1::PeerStatus* p2 = s.add_peers();
  p2->set_replica(2);
  p2->set_organisation("customs-org");
  p2->set_connected_out(true);
  p2->set_last_heard_ms_ago(-1);
  return s;
}

std::string Text(const v1::NodeStatus& s) {
  std::ostringstream out;
  PrintNodeStatus(out, "127.0.0.1:7050", s);
  return out.str();
}

TEST(NodeStatusJson, HasTheConsensusFieldsAndOnePeerObjectEach) {
  const std::string json =
      RenderJson(NodeStatusJson("127.0.0.1:7050", FourNodeStatus()).ToValue(), true);
  for (const char* expected :
       {"\"view\":4", "\"primary\":0", "\"is_primary\":false", "\"height\":10", "\"lag\":5",
        "\"highest_known_height\":15", "\"stable_checkpoint\":8", "\"view_changing\":true",
        "\"diverged_height\":0",
        "{\"bad_messages\":0,\"connected\":true,\"connected_in\":true,\"connected_out\":true,"
        "\"frames_dropped\":3,\"frames_over_share\":7,\"heartbeats_coalesced\":11,"
        "\"height\":15,\"last_heard_ms_ago\":1250,\"organisation\":\"exporter-org\","
        "\"protocol_errors\":0,\"replica\":0,\"resends_suppressed\":13,\"view\":4}",
        // One link carries both directions: connected with only the outbound one up.
        "\"connected\":true,\"connected_in\":false,\"connected_out\":true",
        "\"last_heard_ms_ago\":-1"}) {
    EXPECT_NE(json.find(expected), std::string::npos) << expected << " in " << json;
  }
}

// Five Watch streams, three of them the forwarder's; one stream was evicted for fairness.
v1::NodeStatus WatchedStatus() {
  v1::NodeStatus s = FourNodeStatus();
  s.set_watchers(5);
  v1::WatcherCount* forwarder = s.add_watchers_by_org();
  forwarder->set_organisation("forwarder-org");
  forwarder->set_streams(3);
  v1::WatcherCount* importer = s.add_watchers_by_org();
  importer->set_organisation("importer-org");
  importer->set_streams(2);
  s.set_watchers_evicted(1);
  return s;
}

TEST(NodeStatusJson, CountsWatchStreamsPerOrganisation) {
  const std::string json = RenderJson(NodeStatusJson("n", WatchedStatus()).ToValue(), true);
  EXPECT_NE(json.find("\"watchers\":5"), std::string::npos) << json;
  EXPECT_NE(json.find("\"watchers_by_org\":{\"forwarder-org\":3,\"importer-org\":2}"),
            std::string::npos)
      << json;
  EXPECT_NE(json.find("\"watchers_evicted\":1"), std::string::npos) << json;
}

TEST(PrintNodeStatus, CountsWatchStreamsPerOrganisation) {
  const std::string text = Text(WatchedStatus());
  EXPECT_NE(text.find("5 (forwarder-org 3, importer-org 2; 1 evicted)"), std::string::npos) << text;
}

TEST(NodeStatusJson, OneNodeHasAnEmptyPeerArray) {
  v1::NodeStatus s;
  s.set_nodes(1);
  s.set_is_primary(true);
  const std::string json = RenderJson(NodeStatusJson("n", s).ToValue(), true);
  EXPECT_NE(json.find("\"peers\":[]"), std::string::npos) << json;
}

TEST(PrintNodeStatus, ShowsPrimaryLagCheckpointAndViewChange) {
  const std::string text = Text(FourNodeStatus());
  for (const char* expected : {"replica 0 (exporter-org)", "is primary   no", "in progress",
                               "10, 5 behind (highest known 15)", "stable at height 8"}) {
    EXPECT_NE(text.find(expected), std::string::npos) << expected << " in\n" << text;
  }
  EXPECT_EQ(text.find("DIVERGED"), std::string::npos) << text;
}

TEST(PrintNodeStatus, ListsOnePeerRowEach) {
  const std::string text = Text(FourNodeStatus());
  ASSERT_NE(text.find("REPLICA"), std::string::npos) << text;
  const std::string table = text.substr(text.find("REPLICA"));
  EXPECT_NE(table.find("exporter-org  out+in"), std::string::npos) << table;
  EXPECT_NE(table.find("1.2 s ago"), std::string::npos) << table;
  EXPECT_NE(table.find("customs-org   out"), std::string::npos) << table;
  EXPECT_NE(table.find("never"), std::string::npos) << table;
}

TEST(PrintNodeStatus, SaysWhenTheNodeDiverged) {
  v1::NodeStatus s = FourNodeStatus();
  s.set_diverged_height(64);
  const std::string text = Text(s);
  EXPECT_NE(text.find("DIVERGED"), std::string::npos) << text;
  EXPECT_NE(text.find("at height 64"), std::string::npos) << text;
}

TEST(PrintNodeStatus, OneNodeSaysItHasNoPeers) {
  v1::NodeStatus s;
  s.set_nodes(1);
  s.set_is_primary(true);
  const std::string text = Text(s);
  EXPECT_NE(text.find("none (one-node network)"), std::string::npos) << text;
  EXPECT_EQ(text.find("REPLICA"), std::string::npos) << text;
}

TEST(TimelineRow, ShowsEachDocumentsKindAndShortHashBeforeTheResult) {
  v1::TimelineEntry entry;
  v1::Event* e = entry.mutable_event();
  e->set_type(v1::EVENT_TYPE_BOOKED);
  e->set_signer_org("exporter");
  v1::DocumentHash* doc = e->add_documents();
  doc->set_kind("commercial_invoice");
  doc->set_sha256(*FromHex("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"));
  entry.mutable_receipt()->set_code(v1::RESULT_CODE_VALID);
  const std::vector<std::string> header = TimelineHeader();
  const std::vector<std::string> row = TimelineRow(entry);
  ASSERT_EQ(row.size(), header.size());
  ASSERT_EQ(header[header.size() - 2], "DOCUMENTS");
  EXPECT_EQ(row[row.size() - 2], "commercial_invoice=sha256:ba7816bf8f01");
  EXPECT_EQ(row.back(), "VALID");
  e->clear_documents();
  EXPECT_EQ(TimelineRow(entry)[row.size() - 2], "-");
}

}  // namespace
}  // namespace shipledger::cli
