#include "rpc/watch_quota.h"

#include <gtest/gtest.h>

#include <memory>
#include <string>
#include <utility>
#include <vector>

namespace shipledger::rpc {
namespace {

using Ticket = std::unique_ptr<WatchQuota::Ticket>;

Ticket AdmitOrFail(WatchQuota& quota, const std::string& org) {
  Result<Ticket> ticket = quota.Admit(org);
  EXPECT_TRUE(ticket.ok()) << org << ": " << ticket.status().ToString();
  return ticket.ok() ? std::move(ticket).value() : nullptr;
}

using Counts = std::vector<std::pair<std::string, uint32_t>>;

TEST(WatchQuota, OrganisationAtItsLimitIsRefusedAndOthersAreServed) {
  WatchQuota quota({.max_streams = 100, .max_streams_per_org = 2});
  Ticket a1 = AdmitOrFail(quota, "a");
  Ticket a2 = AdmitOrFail(quota, "a");
  Result<Ticket> a3 = quota.Admit("a");
  ASSERT_EQ(a3.status().code(), Code::kResourceExhausted);
  EXPECT_NE(a3.status().message().find("'a'"), std::string::npos) << a3.status().message();
  EXPECT_NE(a3.status().message().find("limit of 2"), std::string::npos);
  EXPECT_NE(a3.status().message().find("max_watchers_per_org"), std::string::npos);
  Ticket b1 = AdmitOrFail(quota, "b");
  EXPECT_EQ(quota.streams(), 3u);
  EXPECT_EQ(quota.StreamsByOrg(), (Counts{{"a", 2}, {"b", 1}}));
}

TEST(WatchQuota, EndedStreamGivesItsSlotBack) {
  WatchQuota quota({.max_streams = 100, .max_streams_per_org = 1});
  Ticket a1 = AdmitOrFail(quota, "a");
  EXPECT_FALSE(quota.Admit("a").ok());
  a1.reset();
  EXPECT_EQ(quota.streams(), 0u);
  EXPECT_TRUE(quota.StreamsByOrg().empty());
  EXPECT_TRUE(quota.Admit("a").ok());
}

TEST(WatchQuota, CallerWithoutOrganisationHasOnlyTheNodeLimit) {
  WatchQuota quota({.max_streams = 3, .max_streams_per_org = 1});
  std::vector<Ticket> held;
  for (int i = 0; i < 3; ++i) held.push_back(AdmitOrFail(quota, ""));
  Result<Ticket> fourth = quota.Admit("");
  ASSERT_EQ(fourth.status().code(), Code::kResourceExhausted);
  EXPECT_NE(fourth.status().message().find("too many Watch streams"), std::string::npos);
}

TEST(WatchQuota, FullNodeEvictsTheLeastRecentlyActiveIdleStreamOfTheLargestHolder) {
  WatchQuota quota({.max_streams = 4, .max_streams_per_org = 4});
  Ticket a1 = AdmitOrFail(quota, "a");
  Ticket a2 = AdmitOrFail(quota, "a");
  Ticket a3 = AdmitOrFail(quota, "a");
  Ticket c1 = AdmitOrFail(quota, "c");
  // a1 delivered an event after a2 started: a2 is now the least recently active of a's.
  a1->BeginWrite();
  a1->EndWrite();
  Ticket b1 = AdmitOrFail(quota, "b");
  EXPECT_FALSE(a1->evicted());
  ASSERT_TRUE(a2->evicted());
  EXPECT_FALSE(a3->evicted());
  EXPECT_FALSE(c1->evicted());
  EXPECT_NE(a2->evicted_message().find("dropped to make room"), std::string::npos);
  EXPECT_NE(a2->evicted_message().find("'b'"), std::string::npos) << a2->evicted_message();
  EXPECT_EQ(quota.streams(), 4u);
  EXPECT_EQ(quota.StreamsByOrg(), (Counts{{"a", 2}, {"b", 1}, {"c", 1}}));
  EXPECT_EQ(quota.evicted_total(), 1u);
  a2.reset();  // the evicted stream ends: its slot was already given away
  EXPECT_EQ(quota.streams(), 4u);
}

TEST(WatchQuota, NoEvictionWhenTheLargestHolderHoldsAtMostOneMore) {
  WatchQuota quota({.max_streams = 3, .max_streams_per_org = 3});
  Ticket a1 = AdmitOrFail(quota, "a");
  Ticket a2 = AdmitOrFail(quota, "a");
  Ticket b1 = AdmitOrFail(quota, "b");
  // b holds 1, a holds 2: taking one of a's would only swap who holds more.
  Result<Ticket> b2 = quota.Admit("b");
  ASSERT_EQ(b2.status().code(), Code::kResourceExhausted);
  EXPECT_NE(b2.status().message().find("too many Watch streams"), std::string::npos);
  EXPECT_FALSE(a1->evicted());
  EXPECT_FALSE(a2->evicted());
  EXPECT_EQ(quota.evicted_total(), 0u);
}

TEST(WatchQuota, StreamInTheMiddleOfAWriteIsNotEvicted) {
  WatchQuota quota({.max_streams = 2, .max_streams_per_org = 2});
  Ticket a1 = AdmitOrFail(quota, "a");
  Ticket a2 = AdmitOrFail(quota, "a");
  a1->BeginWrite();
  a2->BeginWrite();
  EXPECT_EQ(quota.Admit("b").status().code(), Code::kResourceExhausted);
  a2->EndWrite();
  Ticket b1 = AdmitOrFail(quota, "b");
  EXPECT_FALSE(a1->evicted());
  EXPECT_TRUE(a2->evicted());
}

TEST(WatchQuota, RepeatedNewcomersLeaveHoldingsWithinOneOfEachOther) {
  WatchQuota quota({.max_streams = 6, .max_streams_per_org = 6});
  std::vector<Ticket> held;
  for (int i = 0; i < 6; ++i) held.push_back(AdmitOrFail(quota, "a"));
  for (const char* org : {"b", "c", "b", "c", "b"}) {
    Result<Ticket> t = quota.Admit(org);
    if (t.ok()) held.push_back(std::move(t).value());
  }
  EXPECT_EQ(quota.StreamsByOrg(), (Counts{{"a", 2}, {"b", 2}, {"c", 2}}));
}

}  // namespace
}  // namespace shipledger::rpc
