#include "shipledger/log.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <spdlog/sinks/ostream_sink.h>
#include <spdlog/spdlog.h>

#include <sstream>

namespace shipledger {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;

TEST(LogSpec, ParsesABaseLevelAndPerComponentLevels) {
  auto spec = ParseLogSpec("warn, consensus=debug ,net=trace");
  ASSERT_TRUE(spec.ok()) << spec.status().ToString();
  EXPECT_EQ(spec->base, spdlog::level::warn);
  EXPECT_EQ(spec->component[static_cast<size_t>(LogComponent::kConsensus)], spdlog::level::debug);
  EXPECT_EQ(spec->component[static_cast<size_t>(LogComponent::kNet)], spdlog::level::trace);
  EXPECT_FALSE(spec->component[static_cast<size_t>(LogComponent::kRpc)].has_value());
  EXPECT_EQ(LogSpecText(*spec), "warn,consensus=debug,net=trace");
}

TEST(LogSpec, ComponentsAloneKeepTheBaseAtInfoAndTheTextIsCanonical) {
  auto spec = ParseLogSpec("rpc=error,tracking=info");
  ASSERT_TRUE(spec.ok());
  EXPECT_EQ(spec->base, spdlog::level::info);
  // tracking=info says nothing beyond the base: dropped, so equal specs compare equal.
  EXPECT_EQ(LogSpecText(*spec), "info,rpc=error");
  EXPECT_EQ(*spec, *ParseLogSpec("info,rpc=error"));
  EXPECT_EQ(LogSpecText(*ParseLogSpec("off")), "off");
}

TEST(LogSpec, RefusesWhatItCannotReadAndSaysWhatIsAllowed) {
  EXPECT_THAT(ParseLogSpec("loud").status().message(),
              HasSubstr("unknown log level 'loud' (trace, debug, info, warn, error, off)"));
  EXPECT_THAT(ParseLogSpec("info,p2p=debug").status().message(),
              HasSubstr("unknown log component 'p2p' (node, consensus, net, rpc, tracking, "
                        "operations)"));
  EXPECT_THAT(ParseLogSpec("info,net=chatty").status().message(),
              HasSubstr("unknown log level 'chatty' for net"));
  EXPECT_THAT(ParseLogSpec("info,debug").status().message(), HasSubstr("two base levels"));
  EXPECT_EQ(ParseLogSpec("  ").status().code(), Code::kInvalidArgument);
  EXPECT_EQ(ParseLogSpec("info,").status().code(), Code::kInvalidArgument);
}

// Lines of each component reach the default logger's sinks, named, at that component's level.
TEST(LogSpec, EachComponentLogsAtItsOwnLevelThroughTheDefaultSinks) {
  const LogSpec before = CurrentLogSpec();
  std::ostringstream text;
  auto sink = std::make_shared<spdlog::sinks::ostream_sink_mt>(text);
  sink->set_pattern("%n|%l|%v");
  spdlog::default_logger()->sinks().push_back(sink);
  const auto spec = ParseLogSpec("warn,consensus=debug");
  ASSERT_TRUE(spec.ok());
  ApplyLogSpec(*spec);
  EXPECT_EQ(CurrentLogSpec(), *spec);
  Log(LogComponent::kConsensus).debug("view {} entered", 7);
  Log(LogComponent::kNet).info("peer 2 connected");
  Log(LogComponent::kNet).warn("peer 3 lost");
  ApplyLogSpec(before);
  spdlog::default_logger()->sinks().pop_back();
  EXPECT_THAT(text.str(), HasSubstr("consensus|debug|view 7 entered"));
  EXPECT_THAT(text.str(), HasSubstr("net|warning|peer 3 lost"));
  EXPECT_THAT(text.str(), Not(HasSubstr("peer 2 connected")));
  EXPECT_EQ(CurrentLogSpec(), before);
}

}  // namespace
}  // namespace shipledger
