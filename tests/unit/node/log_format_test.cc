// node.yaml `log_format: json`: every line is one JSON object, valid whatever the message holds.
#include "node/log_format.h"

#include <google/protobuf/struct.pb.h>
#include <google/protobuf/util/json_util.h>
#include <gtest/gtest.h>

#include <chrono>
#include <string>

namespace shipledger::node {
namespace {

namespace pb = google::protobuf;

// The line JsonLogFormatter writes for `text` at `level`.
std::string Line(std::string_view text, spdlog::level::level_enum level = spdlog::level::info) {
  JsonLogFormatter formatter(3);
  spdlog::details::log_msg msg(
      std::chrono::system_clock::time_point(std::chrono::milliseconds(1796000000123)),
      spdlog::source_loc{}, "", level, spdlog::string_view_t(text.data(), text.size()));
  spdlog::memory_buf_t out;
  formatter.format(msg, out);
  return std::string(out.data(), out.size());
}

// `line` parsed as a JSON object; fails the test when it is not one.
pb::Struct Parse(const std::string& line) {
  pb::Struct doc;
  const auto status = pb::util::JsonStringToMessage(line, &doc);
  EXPECT_TRUE(status.ok()) << status.ToString() << "\n" << line;
  return doc;
}

TEST(JsonLogFormatter, WritesTimeLevelReplicaAndMessageOnOneLine) {
  const std::string line = Line("chain 'c' at height 7", spdlog::level::warn);
  ASSERT_FALSE(line.empty());
  EXPECT_EQ(line.back(), '\n');
  EXPECT_EQ(line.find('\n'), line.size() - 1);
  const pb::Struct doc = Parse(line);
  EXPECT_EQ(doc.fields().at("time").string_value(), "2026-11-30T00:53:20.123Z");
  EXPECT_EQ(doc.fields().at("level").string_value(), "warning");
  EXPECT_EQ(doc.fields().at("replica").number_value(), 3);
  EXPECT_EQ(doc.fields().at("msg").string_value(), "chain 'c' at height 7");
}

TEST(JsonLogFormatter, EscapesWhatJsonCannotHoldAndKeepsTheText) {
  const std::string hostile = "quote \" backslash \\ newline \n return \r tab \t bell \a nul " +
                              std::string(1, '\0') +
                              " del \x7f {\"msg\":\"forged\"} unicode: Zürich 東京 🚢";
  const std::string line = Line(hostile);
  EXPECT_EQ(line.find('\n'), line.size() - 1) << "a message must not break the line";
  EXPECT_EQ(Parse(line).fields().at("msg").string_value(), hostile);
}

TEST(JsonLogFormatter, BytesThatAreNotUtf8BecomeReplacementCharacters) {
  // A lone continuation byte, a truncated sequence, an overlong '/', a surrogate, and 0xff.
  const std::string bad =
      std::string("a\x80") + "b\xe2\x82" + "c\xc0\xaf" + "d\xed\xa0\x80" + "e\xff" + "f";
  const std::string msg = Parse(Line(bad)).fields().at("msg").string_value();
  const std::string r = "\xef\xbf\xbd";  // U+FFFD
  EXPECT_EQ(msg, "a" + r + "b" + r + r + "c" + r + r + "d" + r + r + r + "e" + r + "f");
}

TEST(SetLogFormat, KnowsTextAndJsonOnly) {
  EXPECT_FALSE(SetLogFormat("xml", 0));
  EXPECT_TRUE(SetLogFormat("json", 0));
  EXPECT_TRUE(SetLogFormat("text", 0));
}

}  // namespace
}  // namespace shipledger::node
