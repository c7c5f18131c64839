#include "node/protobuf_log.h"

#include <gtest/gtest.h>
#include <spdlog/sinks/ostream_sink.h>
#include <spdlog/spdlog.h>

#include <sstream>

#include "shipledger/v1/types.pb.h"

namespace shipledger::node {
namespace {

// Frames with invalid UTF-8 in a string field make protobuf log a line each; a flood of them
// yields one line per interval, not one per frame.
TEST(ProtobufLog, InvalidUtf8FloodIsRateLimited) {
  std::ostringstream captured;
  auto sink = std::make_shared<spdlog::sinks::ostream_sink_mt>(captured);
  auto logger = std::make_shared<spdlog::logger>("capture", sink);
  auto previous = spdlog::default_logger();
  spdlog::set_default_logger(logger);
  RouteProtobufLogs();

  v1::Reference ref;
  ref.set_kind("k");
  std::string bytes = ref.SerializeAsString();
  bytes.back() = '\xff';  // the kind's one byte: not UTF-8
  for (int i = 0; i < 50; ++i) {
    v1::Reference parsed;
    EXPECT_FALSE(parsed.ParseFromString(bytes));
  }
  spdlog::set_default_logger(previous);
  const std::string out = captured.str();
  size_t lines = 0;
  for (char c : out) lines += c == '\n';
  EXPECT_EQ(lines, 1u) << out;
  EXPECT_NE(out.find("UTF-8"), std::string::npos) << out;
}

}  // namespace
}  // namespace shipledger::node
