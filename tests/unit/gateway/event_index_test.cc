// gateway::EventIndex: filled from Watch entries, it holds exactly the events ExportEpcis gives
// for the same timeline (one mapping, two paths), and answers EPCIS queries in commit order
// with paging that neither repeats nor skips.
#include "gateway/event_index.h"

#include <google/protobuf/util/message_differencer.h>
#include <gtest/gtest.h>

#include <set>

#include "interop/epcis_export.h"
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
      ASSERT_TRUE(index_->Add(WatchOf(entry)).ok());
    }
  }
  std::vector<std::string> All(EventQuery q) {
    std::vector<std::string> ids;
    for (int pages = 0; pages < 1000; ++pages) {
      auto page = index_->Query(q);
      EXPECT_TRUE(page.ok()) << page.status().ToString();
      if (!page.ok()) break;
      for (const auto& e : page->events) ids.push_back(IdOf(e));
      if (page->next == 0) break;
      q.after = page->next;
    }
    return ids;
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
  EXPECT_EQ(All({}), want);
  EXPECT_EQ(index_->Get("ni:///sha-256;00?ver=CBV2.0").status().code(), Code::kNotFound);
}

TEST_F(EventIndexTest, ReplayingEntriesAfterARestartChangesNothing) {
  const uint64_t count = index_->Count();
  const std::vector<std::string> before = All({});
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
  EXPECT_EQ(All({}), before);
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
  auto expect = [&](const EventQuery& q, size_t at_least) {
    std::vector<std::string> want;
    for (const auto& e : exported) {
      if (Matches(e, q)) want.push_back(IdOf(e));
    }
    EXPECT_GE(want.size(), at_least);
    for (uint32_t per_page : {1u, 2u, 100u}) {
      EventQuery paged = q;
      paged.per_page = per_page;
      EXPECT_EQ(All(paged), want) << "per_page " << per_page;
    }
    return want;
  };
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

}  // namespace
}  // namespace shipledger::gateway
