// gateway::EventIndex: filled from Watch entries, it holds exactly the events ExportEpcis gives
// for the same timeline (one mapping, two paths), and answers EPCIS queries in commit order
// with paging that neither repeats nor skips.
#include "gateway/event_index.h"

#include <google/protobuf/util/message_differencer.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <map>
#include <set>

#include "interop/dcsa_export.h"
#include "interop/epcis_export.h"
#include "model/units.h"
#include "testing/ledger_samples.h"
#include "testing/temp_dir.h"

namespace shipledger::gateway {
namespace {

namespace pb = google::protobuf;
using interop::testing::SampleJourney;

v1::WatchResponse WatchOf(const v1::TimelineEntry& entry) {
  v1::WatchResponse w;
  w.set_height(entry.height());
  w.set_block_time_ms(entry.block_time_ms());
  *w.mutable_entry() = entry;
  return w;
}

std::vector<pb::Struct> ExportedEvents(const v1::GetShipmentResponse& shipment) {
  auto exported = interop::ExportEpcis(shipment, {});
  EXPECT_TRUE(exported.ok()) << exported.status().ToString();
  std::vector<pb::Struct> out;
  for (const auto& v : exported->document.fields()
                           .at("epcisBody")
                           .struct_value()
                           .fields()
                           .at("eventList")
                           .list_value()
                           .values()) {
    out.push_back(v.struct_value());
  }
  return out;
}

std::string IdOf(const pb::Struct& e) { return e.fields().at("eventID").string_value(); }

class EventIndexTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto index = EventIndex::Open(dir_.path() + "/index");
    ASSERT_TRUE(index.ok()) << index.status().ToString();
    index_ = std::move(*index);
    journey_ = SampleJourney();
    for (const auto& entry : journey_.timeline()) {
      // The Indexer reads the state only when a DCSA transport event needs the route.
      const bool route = interop::DcsaNeedsRoute(entry.event());
      ASSERT_TRUE(index_->Add(WatchOf(entry), route ? &journey_.state() : nullptr).ok());
    }
  }
  Result<QueryPage> Run(const EventQuery& q) { return index_->Query(q); }
  Result<QueryPage> Run(const DcsaQuery& q) { return index_->QueryDcsa(q); }
  static bool Accepts(const pb::Struct& e, const EventQuery& q) { return Matches(e, q); }
  static bool Accepts(const pb::Struct& e, const DcsaQuery& q) { return MatchesDcsa(e, q); }
  static void SetPageSize(EventQuery* q, uint32_t n) { q->per_page = n; }
  static void SetPageSize(DcsaQuery* q, uint32_t n) { q->limit = n; }

  // Every event `q` finds, page after page.
  template <class Query>
  std::vector<std::string> All(Query q) {
    std::vector<std::string> ids;
    for (int pages = 0; pages < 1000; ++pages) {
      auto page = Run(q);
      EXPECT_TRUE(page.ok()) << page.status().ToString();
      if (!page.ok()) break;
      for (const auto& e : page->events) ids.push_back(IdOf(e));
      if (page->next == 0) break;
      q.after = page->next;
    }
    return ids;
  }

  // The ids of `events` (what the exporter gives) that `q` accepts, in order, at least
  // `at_least` of them; the index finds exactly these through pages of 1, 2 and 100.
  template <class Query>
  std::vector<std::string> Expect(const std::vector<pb::Struct>& events, const Query& q,
                                  size_t at_least) {
    std::vector<std::string> want;
    for (const auto& e : events) {
      if (Accepts(e, q)) want.push_back(IdOf(e));
    }
    EXPECT_GE(want.size(), at_least);
    for (uint32_t size : {1u, 2u, 100u}) {
      Query paged = q;
      SetPageSize(&paged, size);
      EXPECT_EQ(All(paged), want) << "page size " << size;
    }
    return want;
  }

  shipledger::testing::TempDir dir_;
  std::unique_ptr<EventIndex> index_;
  v1::GetShipmentResponse journey_;
};

TEST_F(EventIndexTest, HoldsExactlyTheEventsExportEpcisGivesInCommitOrder) {
  const std::vector<pb::Struct> exported = ExportedEvents(journey_);
  ASSERT_GT(exported.size(), 10u);
  EXPECT_EQ(index_->Count(), exported.size());
  std::vector<std::string> want;
  for (const auto& e : exported) {
    want.push_back(IdOf(e));
    auto stored = index_->Get(IdOf(e));
    ASSERT_TRUE(stored.ok()) << IdOf(e);
    // Field for field, errorDeclaration and ALARM_CONDITION included.
    EXPECT_TRUE(pb::util::MessageDifferencer::Equals(*stored, e)) << IdOf(e) << "\n"
                                                                  << stored->DebugString() << "\n"
                                                                  << e.DebugString();
  }
  EXPECT_EQ(All(EventQuery{}), want);
  EXPECT_EQ(index_->Get("ni:///sha-256;00?ver=CBV2.0").status().code(), Code::kNotFound);
}

TEST_F(EventIndexTest, ReplayingEntriesAfterARestartChangesNothing) {
  const uint64_t count = index_->Count();
  const std::vector<std::string> before = All(EventQuery{});
  auto resume = index_->ResumeHeight();
  ASSERT_TRUE(resume.ok());
  EXPECT_EQ(*resume, journey_.timeline(journey_.timeline_size() - 1).height());
  index_.reset();
  auto reopened = EventIndex::Open(dir_.path() + "/index");
  ASSERT_TRUE(reopened.ok());
  index_ = std::move(*reopened);
  for (const auto& entry : journey_.timeline()) {
    auto added = index_->Add(WatchOf(entry));
    ASSERT_TRUE(added.ok());
    EXPECT_FALSE(*added);
  }
  EXPECT_EQ(index_->Count(), count);
  EXPECT_EQ(All(EventQuery{}), before);
}

TEST_F(EventIndexTest, TheSameEpcisEventRecordedTwiceIsStoredOnce) {
  v1::TimelineEntry again = journey_.timeline(interop::testing::kInspection - 1);
  again.set_event_id(std::string(32, '\x77'));
  again.set_height(again.height() + 100);
  const uint64_t count = index_->Count();
  auto added = index_->Add(WatchOf(again));
  ASSERT_TRUE(added.ok());
  EXPECT_FALSE(*added);
  EXPECT_EQ(index_->Count(), count);
}

TEST_F(EventIndexTest, QueriesMatchEveryParameterAndPageWithoutRepeatsOrGaps) {
  const std::vector<pb::Struct> exported = ExportedEvents(journey_);
  // Each query's answer is the exported events that Matches() accepts, in order, and Matches
  // is checked against what the event says.
  auto expect = [&](const EventQuery& q, size_t at_least) { return Expect(exported, q, at_least); };
  EventQuery departing;
  departing.biz_steps = {"https://ref.gs1.org/cbv/BizStep-departing"};
  for (const auto& id : expect(departing, 1)) {
    EXPECT_EQ(index_->Get(id)->fields().at("bizStep").string_value(), "departing");
  }
  EventQuery two_steps;
  two_steps.biz_steps = {"https://ref.gs1.org/cbv/BizStep-departing",
                         "https://ref.gs1.org/cbv/BizStep-arriving"};
  EXPECT_GT(expect(two_steps, 2).size(), expect(departing, 1).size());

  EventQuery container;
  container.epcs = {"urn:epc:id:bic:CSQU3054383"};
  const auto with_container = expect(container, 2);
  for (const auto& id : with_container) {  // what the filter means, from the event itself
    const auto event = index_->Get(id);
    ASSERT_TRUE(event.ok());
    const auto& epcs = event->fields().at("epcList").list_value().values();
    EXPECT_TRUE(std::any_of(epcs.begin(), epcs.end(), [](const pb::Value& v) {
      return v.string_value() == "urn:epc:id:bic:CSQU3054383";
    })) << id;
  }
  EventQuery container_prefix;
  container_prefix.epcs = {"urn:epc:id:bic:CSQU*"};
  EXPECT_EQ(expect(container_prefix, 2), with_container);

  EventQuery bol;
  bol.biz_transactions = {{"https://ref.gs1.org/cbv/BTT-bol",
                           {interop::ReferenceUri("bill_of_lading", "HLCUHAM260300042")}}};
  EventQuery po = bol;
  po.biz_transactions = {
      {"https://ref.gs1.org/cbv/BTT-po", {"urn:epcglobal:cbv:bt:4012345000009:PO-1"}}};
  EventQuery both = bol;
  both.biz_transactions.push_back(po.biz_transactions.front());
  EXPECT_EQ(expect(both, 1), expect(bol, 1));
  expect(po, 1);

  EventQuery at_hamburg;
  at_hamburg.biz_locations = {"urn:epc:id:sgln:NOTHING"};
  EXPECT_TRUE(expect(at_hamburg, 0).empty());

  EventQuery window;
  window.ge_event_time_ms = interop::testing::kT0 + 60 * 60'000LL;
  window.lt_event_time_ms = interop::testing::kT0 + 600 * 60'000LL;
  const auto in_window = expect(window, 1);
  EXPECT_LT(in_window.size(), exported.size());
  for (const auto& id : in_window) {
    int64_t ms = 0;
    ASSERT_TRUE(model::ParseIsoTime(index_->Get(id)->fields().at("eventTime").string_value(), &ms));
    EXPECT_GE(ms, *window.ge_event_time_ms);
    EXPECT_LT(ms, *window.lt_event_time_ms);
  }

  EventQuery combined = departing;
  combined.event_types = {"ObjectEvent"};
  combined.ge_event_time_ms = window.ge_event_time_ms;
  expect(combined, 0);

  EventQuery transaction_events;
  transaction_events.event_types = {"TransactionEvent"};
  expect(transaction_events, 1);
}

TEST_F(EventIndexTest, AScanLimitGivesAShortPageThatGoesOn) {
  EventQuery nothing;
  nothing.biz_locations = {"urn:epc:id:sgln:NOWHERE"};
  nothing.event_types = {"ObjectEvent"};
  // Driven by bizLocation: no candidates at all, so no page token.
  auto page = index_->Query(nothing, 1);
  ASSERT_TRUE(page.ok());
  EXPECT_TRUE(page->events.empty());
  EXPECT_EQ(page->next, 0u);
  EventQuery rare;
  rare.biz_steps = {"https://ref.gs1.org/cbv/BizStep-inspecting"};
  rare.event_types = {"ObjectEvent", "TransactionEvent"};
  // Driven by bizStep; reading one stored event at a time still finds it.
  std::vector<std::string> ids;
  EventQuery q = rare;
  for (int i = 0; i < 100; ++i) {
    auto p = index_->Query(q, 1);
    ASSERT_TRUE(p.ok());
    for (const auto& e : p->events) ids.push_back(IdOf(e));
    if (p->next == 0) break;
    q.after = p->next;
  }
  EXPECT_EQ(ids.size(), 1u);
}

TEST_F(EventIndexTest, HoldsExactlyTheDcsaEventsExportDcsaGivesAndFiltersThem) {
  const interop::DcsaExport exported = interop::ExportDcsa(journey_);
  ASSERT_GT(exported.events.values_size(), 5);
  std::vector<std::string> want;
  std::vector<pb::Struct> events;
  for (const auto& v : exported.events.values()) {
    want.push_back(IdOf(v.struct_value()));
    events.push_back(v.struct_value());
  }
  EXPECT_EQ(index_->DcsaHead(), want.size());
  auto page = index_->QueryDcsa({});
  ASSERT_TRUE(page.ok());
  ASSERT_EQ(page->events.size(), events.size());
  for (size_t i = 0; i < events.size(); ++i) {
    EXPECT_TRUE(pb::util::MessageDifferencer::Equals(page->events[i], events[i])) << i;
  }
  // Each filter: the exported events MatchesDcsa accepts, in order, through every page size.
  auto expect = [&](const DcsaQuery& q, size_t at_least) { return Expect(events, q, at_least); };
  DcsaQuery equipment;
  ASSERT_TRUE(AddDcsaParameter("equipmentReference", "CSQU3054383", &equipment).ok());
  expect(equipment, 1);
  DcsaQuery transport;
  ASSERT_TRUE(AddDcsaParameter("eventType", "TRANSPORT", &transport).ok());
  const auto transports = expect(transport, 2);
  DcsaQuery departures;
  ASSERT_TRUE(AddDcsaParameter("transportEventTypeCode", "DEPARTED", &departures).ok());
  const auto departed = expect(departures, 1);
  EXPECT_LT(departed.size(), transports.size());
  std::map<std::string, const pb::Struct*> by_id;
  for (const auto& e : events) by_id[IdOf(e)] = &e;
  auto field = [&](const std::string& id, const char* name) {
    return by_id.at(id)->fields().at(name).string_value();
  };
  for (const auto& id : departed) EXPECT_EQ(field(id, "transportEventTypeCode"), "DEPA");
  DcsaQuery customs;
  ASSERT_TRUE(AddDcsaParameter("documentTypeCode", "CUS", &customs).ok());
  ASSERT_TRUE(AddDcsaParameter("shipmentEventTypeCode", "HOLD,RELS", &customs).ok());
  for (const auto& id : expect(customs, 2)) {
    EXPECT_EQ(field(id, "documentTypeCode"), "CUS");
    const std::string code = field(id, "shipmentEventTypeCode");
    EXPECT_TRUE(code == "HOLD" || code == "RELS") << code;
  }
  DcsaQuery booking;
  ASSERT_TRUE(AddDcsaParameter("carrierBookingReference", "BKG-7781", &booking).ok());
  for (const auto& id : expect(booking, 1)) EXPECT_EQ(field(id, "documentID"), "BKG-7781");
  DcsaQuery at_shanghai;
  ASSERT_TRUE(AddDcsaParameter("UNLocationCode", "CNSHA", &at_shanghai).ok());
  expect(at_shanghai, 1);
  DcsaQuery vessel;
  ASSERT_TRUE(AddDcsaParameter("vesselIMONumber", "9321483", &vessel).ok());
  EXPECT_TRUE(expect(vessel, 0).empty());
  DcsaQuery window;
  ASSERT_TRUE(AddDcsaParameter("eventCreatedDateTime:gte", "2026-03-01T12:00:00Z", &window).ok());
  ASSERT_TRUE(AddDcsaParameter("eventCreatedDateTime:lt", "2026-03-02T00:00:00Z", &window).ok());
  const auto in_window = expect(window, 1);
  EXPECT_LT(in_window.size(), events.size());
}

TEST_F(EventIndexTest, UnfinishedCaptureJobsComeBackInTheOrderAccepted) {
  for (const char* id : {"b7", "a3", "c1"}) ASSERT_TRUE(index_->PutJobDocument(id, "{}").ok());
  EXPECT_EQ(index_->UnfinishedJobs(), (std::vector<std::string>{"b7", "a3", "c1"}));
  ASSERT_TRUE(index_->DeleteJobDocument("a3").ok());
  EXPECT_EQ(index_->UnfinishedJobs(), (std::vector<std::string>{"b7", "c1"}));
  EXPECT_EQ(index_->GetJobDocument("a3").status().code(), Code::kNotFound);
  ASSERT_TRUE(index_->PutJobDocument("a0", "{}").ok());
  EXPECT_EQ(index_->UnfinishedJobs(), (std::vector<std::string>{"b7", "c1", "a0"}));
}

TEST(DcsaQueryTest, ParametersAreCheckedAgainstTheStandardsValues) {
  DcsaQuery q;
  EXPECT_TRUE(AddDcsaParameter("equipmentEventTypeCode", "LOAD,Gate out", &q).ok());
  EXPECT_EQ(q.equipment_codes, (std::vector<std::string>{"LOAD", "GTOT"}));
  EXPECT_EQ(AddDcsaParameter("equipmentEventTypeCode", "FLY", &q).code(), Code::kInvalidArgument);
  EXPECT_EQ(AddDcsaParameter("eventType", "SHIPMENT,PARCEL", &q).code(), Code::kInvalidArgument);
  EXPECT_EQ(AddDcsaParameter("documentTypeCode", "XYZ", &q).code(), Code::kInvalidArgument);
  EXPECT_EQ(AddDcsaParameter("eventCreatedDateTime:after", "2026-03-01T00:00:00Z", &q).code(),
            Code::kInvalidArgument);
  EXPECT_EQ(AddDcsaParameter("eventCreatedDateTime", "soon", &q).code(), Code::kInvalidArgument);
  EXPECT_EQ(AddDcsaParameter("limit", "0", &q).code(), Code::kInvalidArgument);
  EXPECT_EQ(AddDcsaParameter("cursor", "abc", &q).code(), Code::kInvalidArgument);
  EXPECT_EQ(AddDcsaParameter("colour", "red", &q).code(), Code::kNotFound);
  EXPECT_EQ(AddDcsaParameter("equipmentReference", "", &q).code(), Code::kInvalidArgument);
  DcsaQuery exact;
  ASSERT_TRUE(AddDcsaParameter("eventCreatedDateTime", "2026-03-01T00:00:00Z", &exact).ok());
  EXPECT_EQ(exact.created_min, exact.created_max);
  EXPECT_TRUE(exact.created_min.has_value());
}

}  // namespace
}  // namespace shipledger::gateway
