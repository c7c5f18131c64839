// PendingHandshakes: the listener's handshake slots, bounded in all and per source address,
// with silent connections giving way first (DESIGN §6 "fairness under floods").
#include "net/pending_handshakes.h"

#include <gtest/gtest.h>

namespace shipledger::net {
namespace {

TEST(PendingHandshakes, OneAddressCannotTakeEverySlot) {
  PendingHandshakes p(/*max_total=*/4, /*max_per_address=*/2);
  for (uint64_t id = 0; id < 2; ++id) {
    ASSERT_TRUE(p.Admit(id, "10.0.0.1").admitted);
    p.Speaking(id);
  }
  EXPECT_FALSE(p.Admit(2, "10.0.0.1").admitted);
  EXPECT_TRUE(p.Admit(3, "10.0.0.2").admitted);
  EXPECT_EQ(p.CountFrom("10.0.0.1"), 2u);
  EXPECT_EQ(p.size(), 3u);
}

TEST(PendingHandshakes, ASilentConnectionGivesItsSlotToANewOneFromTheSameAddress) {
  PendingHandshakes p(4, 2);
  ASSERT_TRUE(p.Admit(0, "127.0.0.1").admitted);
  ASSERT_TRUE(p.Admit(1, "127.0.0.1").admitted);
  const auto admission = p.Admit(2, "127.0.0.1");
  EXPECT_TRUE(admission.admitted);
  ASSERT_TRUE(admission.evicted.has_value());
  EXPECT_EQ(*admission.evicted, 0u);  // the oldest
  EXPECT_EQ(p.CountFrom("127.0.0.1"), 2u);
}

TEST(PendingHandshakes, ASpeakingConnectionIsNeverEvicted) {
  PendingHandshakes p(4, 2);
  ASSERT_TRUE(p.Admit(0, "127.0.0.1").admitted);
  p.Speaking(0);  // a real peer's ClientHello came
  // A flood of silent connections from the same address churns the other slot only.
  for (uint64_t id = 1; id < 1000; ++id) {
    const auto admission = p.Admit(id, "127.0.0.1");
    ASSERT_TRUE(admission.admitted);
    if (id > 1) {
      ASSERT_TRUE(admission.evicted.has_value());
      EXPECT_EQ(*admission.evicted, id - 1);
    }
  }
  EXPECT_EQ(p.CountFrom("127.0.0.1"), 2u);
}

TEST(PendingHandshakes, AtTheTotalLimitTheOldestSilentOfAnyAddressGivesWay) {
  PendingHandshakes p(3, 3);
  ASSERT_TRUE(p.Admit(0, "a").admitted);
  p.Speaking(0);
  ASSERT_TRUE(p.Admit(1, "b").admitted);
  ASSERT_TRUE(p.Admit(2, "c").admitted);
  const auto admission = p.Admit(3, "d");
  EXPECT_TRUE(admission.admitted);
  ASSERT_TRUE(admission.evicted.has_value());
  EXPECT_EQ(*admission.evicted, 1u);
  EXPECT_EQ(p.size(), 3u);
}

TEST(PendingHandshakes, WhenEveryoneSpeaksANewConnectionIsRefused) {
  PendingHandshakes p(2, 2);
  for (uint64_t id = 0; id < 2; ++id) {
    ASSERT_TRUE(p.Admit(id, std::to_string(id)).admitted);
    p.Speaking(id);
  }
  const auto admission = p.Admit(2, "x");
  EXPECT_FALSE(admission.admitted);
  EXPECT_FALSE(admission.evicted.has_value());
}

TEST(PendingHandshakes, RemoveFreesTheSlot) {
  PendingHandshakes p(4, 1);
  ASSERT_TRUE(p.Admit(0, "a").admitted);
  p.Speaking(0);
  EXPECT_FALSE(p.Admit(1, "a").admitted);
  p.Remove(0);
  p.Remove(0);  // twice is harmless
  EXPECT_EQ(p.CountFrom("a"), 0u);
  EXPECT_TRUE(p.Admit(2, "a").admitted);
}

}  // namespace
}  // namespace shipledger::net
