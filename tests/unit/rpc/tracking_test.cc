// The public tracking answer (rpc/tracking.h): milestones only, VALID events only, and an
// unknown code answered NOT_FOUND after the same reads as a known one.
#include "rpc/tracking.h"

#include <google/protobuf/struct.pb.h>
#include <google/protobuf/util/json_util.h>
#include <gtest/gtest.h>
#include <rocksdb/perf_context.h>
#include <rocksdb/perf_level.h>

#include <set>

#include "chain_fixture.h"
#include "crypto/sha256.h"
#include "model/tracking_code.h"

namespace shipledger::rpc {
namespace {

namespace pb = google::protobuf;

constexpr std::string_view kCode = "K7QX-2M4B-ZZ3A-9PQR-WX7Y-C5DE-FGHJ-2KLM";

class TrackingTest : public ChainFixture {
 protected:
  // A booking of `shipment` at DEHAM carrying `code`'s hash and commercial data that the public
  // must never see.
  v1::SignedEvent Booking(const std::string& shipment, std::string_view code) const {
    v1::Event e = net_->NewEvent("exporter", v1::EVENT_TYPE_BOOKED, shipment);
    e.set_location("DEHAM");
    e.add_parties("importer");
    e.add_parties("forwarder");
    auto* ref = e.add_references();
    ref->set_kind("purchase_order");
    ref->set_value("PO-SECRET-4711");
    auto* doc = e.add_documents();
    doc->set_kind("commercial_invoice");
    doc->set_sha256(crypto::Sha256("invoice"));
    auto* detail = e.add_details();
    detail->set_key("price_eur");
    detail->set_value("SECRET-PRICE-98765");
    e.set_tracking_hash(model::TrackingHash(model::CanonicalTrackingCode(code)));
    return net_->Sign(e, net_->org("exporter").client);
  }
  model::EventPtr Event(const std::string& org, v1::EventType type, const std::string& shipment,
                        const std::string& location) {
    v1::Event e = net_->NewEvent(org, type, shipment);
    e.set_location(location);
    auto* detail = e.add_details();
    detail->set_key("note");
    detail->set_value("SECRET-DETAIL-" + location);
    return Admit(net_->Sign(e, net_->org(org).client));
  }
};

pb::Struct ParseJson(const std::string& json) {
  pb::Struct doc;
  EXPECT_TRUE(pb::util::JsonStringToMessage(json, &doc).ok()) << json;
  return doc;
}

std::set<std::string> Keys(const pb::Struct& doc) {
  std::set<std::string> keys;
  for (const auto& [key, value] : doc.fields()) keys.insert(key);
  return keys;
}

TEST_F(TrackingTest, AnswerHoldsStatusAndMilestonesOnly) {
  auto booked = Admit(Booking("SHIP-CONFIDENTIAL-1", kCode));
  Commit({booked});
  Commit({Event("exporter", v1::EVENT_TYPE_PICKUP, "SHIP-CONFIDENTIAL-1", "DEBRV")});
  auto tracking = LookUpTracking(*store_, kCode);
  ASSERT_TRUE(tracking.ok()) << tracking.status().ToString();
  const std::string json = TrackingJson(*tracking);

  const pb::Struct doc = ParseJson(json);
  EXPECT_EQ(Keys(doc), (std::set<std::string>{"status", "milestones"}));
  EXPECT_EQ(doc.fields().at("status").string_value(), "picked_up");
  const auto& milestones = doc.fields().at("milestones").list_value().values();
  ASSERT_EQ(milestones.size(), 2);
  const std::set<std::string> milestone_keys = {"type", "time", "location"};
  EXPECT_EQ(Keys(milestones[0].struct_value()), milestone_keys);
  EXPECT_EQ(Keys(milestones[1].struct_value()), milestone_keys);
  const auto& first = milestones[0].struct_value().fields();
  EXPECT_EQ(first.at("type").string_value(), "booked");
  EXPECT_EQ(first.at("location").string_value(), "DEHAM");
  EXPECT_EQ(first.at("time").string_value(), "2026-11-18T11:06:40Z");  // block time, UTC
  EXPECT_EQ(milestones[1].struct_value().fields().at("type").string_value(), "pickup");
  EXPECT_EQ(milestones[1].struct_value().fields().at("location").string_value(), "DEBRV");
  EXPECT_EQ(json,
            "{\"status\":\"picked_up\",\"milestones\":["
            "{\"type\":\"booked\",\"time\":\"2026-11-18T11:06:40Z\",\"location\":\"DEHAM\"},"
            "{\"type\":\"pickup\",\"time\":\"2026-11-18T11:06:40Z\",\"location\":\"DEBRV\"}]}");

  for (std::string_view secret : {"SECRET", "SHIP-CONFIDENTIAL", "exporter", "importer",
                                  "forwarder", "purchase_order", "commercial_invoice", "price"}) {
    EXPECT_EQ(json.find(secret), std::string::npos) << secret << " in " << json;
  }
  EXPECT_EQ(json.find(ToHex(booked->id)), std::string::npos);
  EXPECT_EQ(json.find(ToHex(booked->id).substr(0, 16)), std::string::npos);
}

TEST_F(TrackingTest, RejectedEventsAreNotMilestones) {
  Commit({Admit(Booking("S1", kCode))});
  // The forwarder holds no custody: its "loaded" is REJECTED by the contract.
  Commit({Event("forwarder", v1::EVENT_TYPE_LOADED, "S1", "NLRTM")});
  auto tracking = LookUpTracking(*store_, kCode);
  ASSERT_TRUE(tracking.ok());
  ASSERT_EQ(tracking->milestones.size(), 1u);
  EXPECT_EQ(tracking->milestones[0].type, v1::EVENT_TYPE_BOOKED);
  EXPECT_EQ(tracking->status, v1::SHIPMENT_STATUS_BOOKED);
}

TEST_F(TrackingTest, SensorReadingsAreNotMilestones) {
  Commit({Admit(Booking("S1", kCode))});
  Commit({Event("exporter", v1::EVENT_TYPE_SENSOR_READINGS, "S1", "DEHAM")});
  auto tracking = LookUpTracking(*store_, kCode);
  ASSERT_TRUE(tracking.ok());
  ASSERT_EQ(tracking->milestones.size(), 1u);
  EXPECT_FALSE(IsPublicMilestone(v1::EVENT_TYPE_DUTIES_PAID));
  EXPECT_TRUE(IsPublicMilestone(v1::EVENT_TYPE_IMPORT_CUSTOMS_HELD));
}

TEST_F(TrackingTest, CodeIsReadInEitherCaseWithOrWithoutDashes) {
  Commit({Admit(Booking("S1", kCode))});
  EXPECT_TRUE(LookUpTracking(*store_, "k7qx2m4bzz3a9pqrwx7yc5defghj2klm").ok());
}

TEST_F(TrackingTest, UnknownAndMalformedCodesAreNotFound) {
  Commit({Admit(Booking("S1", kCode))});
  for (std::string_view code :
       {std::string_view("AAAA-BBBB-CCCC-DDDD-EEEE-FFFF-GGGG-HHHH"), std::string_view("short"),
        std::string_view("%00/../x"), std::string_view("")}) {
    EXPECT_EQ(LookUpTracking(*store_, code).status().code(), Code::kNotFound) << code;
  }
}

TEST_F(TrackingTest, RejectedBookingsCodeIsNotFound) {
  Commit({Admit(Booking("S1", kCode))});
  const std::string other = "MMMM-NNNN-PPPP-QQQQ-RRRR-SSSS-TTTT-UUUU";
  Commit({Admit(Booking("S1", other))});  // S1 is booked already: REJECTED
  EXPECT_EQ(LookUpTracking(*store_, other).status().code(), Code::kNotFound);
}

TEST_F(TrackingTest, HttpAnswersKnownUnknownAndOtherPaths) {
  Commit({Admit(Booking("S1", kCode))});
  const HttpAnswer known = AnswerTrackingGet(*store_, "/v1/track/" + std::string(kCode) + "?x=1");
  EXPECT_EQ(known.status, 200u);
  EXPECT_NE(known.body.find("\"booked\""), std::string::npos);
  const HttpAnswer unknown = AnswerTrackingGet(*store_, "/v1/track/AAAABBBBCCCCDDDDEEEEFFFFGGGG");
  const HttpAnswer malformed = AnswerTrackingGet(*store_, "/v1/track/%2e%2e");
  EXPECT_EQ(unknown.status, 404u);
  EXPECT_EQ(malformed.status, 404u);
  EXPECT_EQ(unknown.body, malformed.body);  // nothing tells them apart
  EXPECT_EQ(AnswerTrackingGet(*store_, "/v1/blocks/1").status, 404u);
  EXPECT_EQ(AnswerTrackingGet(*store_, "").status, 404u);
}

// RocksDB lookups (point reads, batched reads, seeks) one lookup of `code` makes.
uint64_t LookupsOf(const storage::Store& store, std::string_view code) {
  rocksdb::SetPerfLevel(rocksdb::PerfLevel::kEnableCount);
  rocksdb::get_perf_context()->Reset();
  (void)LookUpTracking(store, code);
  const rocksdb::PerfContext& perf = *rocksdb::get_perf_context();
  const uint64_t lookups = perf.get_from_memtable_count + perf.seek_on_memtable_count;
  rocksdb::SetPerfLevel(rocksdb::PerfLevel::kDisable);
  return lookups;
}

TEST(TrackingJson, EscapesWhatItQuotes) {
  PublicTracking tracking;
  tracking.milestones.push_back(Milestone{v1::EVENT_TYPE_ARRIVED, 0, "A\"B\\C\n"});
  EXPECT_EQ(TrackingJson(tracking),
            "{\"status\":\"unspecified\",\"milestones\":[{\"type\":\"arrived\","
            "\"time\":\"1970-01-01T00:00:00Z\",\"location\":\"A\\\"B\\\\C\\n\"}]}");
}

TEST_F(TrackingTest, UnknownCodeDoesTheReadsOfAKnownOne) {
  Commit({Admit(Booking("S1", kCode))});  // one milestone: the decoy's size
  const uint64_t known = LookupsOf(*store_, kCode);
  EXPECT_GT(known, 3u);
  EXPECT_EQ(LookupsOf(*store_, "AAAA-BBBB-CCCC-DDDD-EEEE-FFFF-GGGG-HHHH"), known);
  EXPECT_EQ(LookupsOf(*store_, "not a code"), known);
}

}  // namespace
}  // namespace shipledger::rpc
