#include "cli/output.h"

#include <gtest/gtest.h>

#include <sstream>

namespace shipledger::cli {
namespace {

TEST(FormatTimeMs, PrintsIsoUtc) {
  EXPECT_EQ(FormatTimeMs(1795082400000), "2026-11-19T10:00:00Z");
  EXPECT_EQ(FormatTimeMs(1795082400250), "2026-11-19T10:00:00.250Z");
  EXPECT_EQ(FormatTimeMs(0), "1970-01-01T00:00:00Z");
}

TEST(ParseTime, ReadsIsoAndMilliseconds) {
  EXPECT_EQ(*ParseTime("1795082400000"), 1795082400000);
  EXPECT_EQ(*ParseTime("2026-11-19T10:00:00Z"), 1795082400000);
  EXPECT_EQ(*ParseTime("2026-11-19T10:00:00.25Z"), 1795082400250);
  EXPECT_EQ(*ParseTime("2026-11-19T11:00:00+01:00"), 1795082400000);
  EXPECT_EQ(*ParseTime("2026-11-19T05:30:00-0430"), 1795082400000);
  EXPECT_EQ(*ParseTime("2026-11-19 10:00"), 1795082400000);
  EXPECT_EQ(*ParseTime("2026-11-19"), 1795046400000);
  EXPECT_EQ(*ParseTime("2024-02-29T00:00:00Z"), 1709164800000);
}

TEST(ParseTime, RoundTripsWithFormat) {
  for (int64_t ms : {1795082400000LL, 1795082400001LL, 951782400999LL}) {
    EXPECT_EQ(*ParseTime(FormatTimeMs(ms)), ms) << FormatTimeMs(ms);
  }
}

TEST(ParseTime, RefusesMalformedTimesWithExamples) {
  for (const char* bad : {"", "yesterday", "2026-13-01", "2026-02-30", "2025-02-29T00:00:00Z",
                          "2026-11-19T25:00:00Z", "2026-11-19T10:00:00Zjunk", "0", "-5"}) {
    auto t = ParseTime(bad);
    ASSERT_FALSE(t.ok()) << bad;
    EXPECT_NE(t.status().message().find("ISO-8601"), std::string::npos);
  }
}

TEST(EnumNames, DropTheTypePrefix) {
  EXPECT_EQ(ResultCodeName(v1::RESULT_CODE_REJECTED), "REJECTED");
  EXPECT_EQ(StatusLabel(v1::SHIPMENT_STATUS_IN_TRANSIT), "IN_TRANSIT");
}

TEST(ReceiptSummary, IncludesTheReason) {
  v1::Receipt r;
  r.set_code(v1::RESULT_CODE_VALID);
  EXPECT_EQ(ReceiptSummary(r), "VALID");
  r.set_code(v1::RESULT_CODE_REJECTED);
  r.set_reason("shipment is held by customs");
  EXPECT_EQ(ReceiptSummary(r), "REJECTED: shipment is held by customs");
}

TEST(TextTable, AlignsColumns) {
  TextTable t;
  t.AddRow({"a", "bb", "c"});
  t.AddRow({"ccc", "d", "e"});
  std::ostringstream out;
  t.Print(out, "  ");
  EXPECT_EQ(out.str(), "  a    bb  c\n  ccc  d   e\n");
}

TEST(TextTable, CountsUtf8CharactersNotBytes) {
  TextTable t;
  t.AddRow({"ROUTE", "STATUS"});
  t.AddRow({"A→B", "OPEN"});
  t.AddRow({"2.0 °C", "x"});
  std::ostringstream out;
  t.Print(out);
  EXPECT_EQ(out.str(), "ROUTE   STATUS\nA→B     OPEN\n2.0 °C  x\n");
}

TEST(TextTable, NotesPrintUnderTheirRowWithoutWideningColumns) {
  TextTable t;
  t.AddRow({"a", "b"});
  t.AddNote("a long note that is wider than every column");
  t.AddRow({"cc", "d"});
  std::ostringstream out;
  t.Print(out);
  EXPECT_EQ(out.str(), "a   b\n  a long note that is wider than every column\ncc  d\n");
}

}  // namespace
}  // namespace shipledger::cli
