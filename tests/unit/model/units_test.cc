#include "model/units.h"

#include <gtest/gtest.h>

#include <cstdint>
#include <limits>

namespace shipledger::model {
namespace {

TEST(Units, FormatDurationNamesEachUnitOnce) {
  EXPECT_EQ(FormatDuration(0), "0 s");
  EXPECT_EQ(FormatDuration(999), "0 s");
  EXPECT_EQ(FormatDuration(40 * 60 * 1000), "40 min");
  EXPECT_EQ(FormatDuration((86400 + 3600 + 61) * int64_t{1000}), "1 d 1 h 1 min 1 s");
}

TEST(Units, FormatDurationOfNegativeSpansKeepsTheSign) {
  EXPECT_EQ(FormatDuration(-90 * 1000), "-1 min 30 s");
  EXPECT_EQ(FormatDuration(-1), "0 s");  // no sign on a span that rounds to zero
  // -INT64_MIN does not exist; the magnitude is taken unsigned.
  EXPECT_EQ(FormatDuration(std::numeric_limits<int64_t>::min()), "-106751991167 d 7 h 12 min 55 s");
}

TEST(Units, FormatMilliCKeepsThreeDecimals) {
  EXPECT_EQ(FormatMilliC(9500), "9.500 °C");
  EXPECT_EQ(FormatMilliC(-250), "-0.250 °C");
  EXPECT_EQ(FormatMilliC(std::numeric_limits<int64_t>::min()), "-9223372036854775.808 °C");
}

}  // namespace
}  // namespace shipledger::model
