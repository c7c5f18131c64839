#include "shipledger/json_text.h"

#include <gtest/gtest.h>

namespace shipledger {
namespace {

TEST(AppendJsonString, PassesPlainTextAndUtf8Through) {
  std::string out = "x";
  AppendJsonString("replica 2 is primary of view 5 — Ωk", &out);
  EXPECT_EQ(out, "xreplica 2 is primary of view 5 — Ωk");
}

TEST(JsonQuoted, EscapesQuotesBackslashesAndControlCharacters) {
  EXPECT_EQ(JsonQuoted("a\"b\\c\nd\te\x01\x7f"), R"("a\"b\\c\nd\te\u0001\u007f")");
}

TEST(JsonQuoted, BytesThatAreNotUtf8BecomeReplacementCharacters) {
  // A lone continuation byte, a truncated sequence, an overlong form and a surrogate.
  EXPECT_EQ(JsonQuoted("a\x80z"), R"("a\ufffdz")");
  EXPECT_EQ(JsonQuoted("a\xe2\x82"), R"("a\ufffd\ufffd")");
  EXPECT_EQ(JsonQuoted("\xc0\xaf"), R"("\ufffd\ufffd")");
  EXPECT_EQ(JsonQuoted("\xed\xa0\x80"), R"("\ufffd\ufffd\ufffd")");
}

}  // namespace
}  // namespace shipledger
