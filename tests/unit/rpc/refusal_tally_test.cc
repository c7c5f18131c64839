#include "rpc/refusal_tally.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <spdlog/sinks/ostream_sink.h>
#include <spdlog/spdlog.h>

#include <sstream>

namespace shipledger::rpc {
namespace {

using ::testing::HasSubstr;

size_t Count(const std::string& text, std::string_view needle) {
  size_t n = 0;
  for (size_t at = text.find(needle); at != std::string::npos; at = text.find(needle, at + 1)) ++n;
  return n;
}

TEST(RefusalTally, CountsByReasonAndLogsOneSummaryLinePerInterval) {
  metrics::Registry registry;
  RefusalTally tally(&registry, 60000);
  std::ostringstream log;
  auto sink = std::make_shared<spdlog::sinks::ostream_sink_mt>(log);
  spdlog::default_logger()->sinks().push_back(sink);
  tally.Refused(Code::kAlreadyExists, 1000);  // the first: logged at once
  for (int i = 0; i < 500; ++i) tally.Refused(Code::kInvalidArgument, 2000 + i);
  tally.Refused(Code::kResourceExhausted, 30000, 7);  // still within the interval
  tally.Refused(Code::kAlreadyExists, 61000);         // the interval is over: one summary
  tally.Refused(Code::kAlreadyExists, 62000);
  spdlog::default_logger()->sinks().pop_back();

  const std::string text = log.str();
  EXPECT_EQ(Count(text, "admission refused"), 2u) << text;
  EXPECT_THAT(text, HasSubstr("admission refused 1 event: 1 ALREADY_EXISTS"));
  EXPECT_THAT(text, HasSubstr("admission refused 508 events in the last 60 s: "
                              "500 INVALID_ARGUMENT, 1 ALREADY_EXISTS, 7 RESOURCE_EXHAUSTED"));
  const std::string m = registry.Render();
  EXPECT_THAT(m, HasSubstr("shipledger_admission_refusals_total{reason=\"already_exists\"} 3\n"));
  EXPECT_THAT(m,
              HasSubstr("shipledger_admission_refusals_total{reason=\"invalid_argument\"} 500\n"));
  EXPECT_THAT(m,
              HasSubstr("shipledger_admission_refusals_total{reason=\"resource_exhausted\"} 7\n"));
}

TEST(RefusalTally, WorksWithoutARegistry) {
  RefusalTally tally(nullptr);
  tally.Refused(Code::kPermissionDenied, 1);
  EXPECT_EQ(ReasonLabel(Code::kPermissionDenied), "permission_denied");
}

}  // namespace
}  // namespace shipledger::rpc
