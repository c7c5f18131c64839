#include "shipledger/metrics.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <limits>

namespace shipledger::metrics {
namespace {

using ::testing::HasSubstr;

TEST(Metrics, CountersAndGaugesRenderWithHelpTypeAndLabels) {
  Registry registry;
  auto& refusals = registry.AddCounter("shipledger_refusals_total", "Refused events.", {"reason"});
  refusals.With({"already_exists"}).Inc(3);
  refusals.With({"invalid_argument"}).Inc();
  registry.AddGauge("shipledger_view", "The view.").With({}).Set(7);
  const std::string text = registry.Render();
  EXPECT_THAT(text, HasSubstr("# HELP shipledger_refusals_total Refused events.\n"
                              "# TYPE shipledger_refusals_total counter\n"
                              "shipledger_refusals_total{reason=\"already_exists\"} 3\n"
                              "shipledger_refusals_total{reason=\"invalid_argument\"} 1\n"));
  EXPECT_THAT(text, HasSubstr("# TYPE shipledger_view gauge\nshipledger_view 7\n"));
}

TEST(Metrics, LabelValuesAreEscaped) {
  Writer out;
  out.Family("m", "gauge", "help\nsplit");
  out.Sample("m", {{"org", "a\"b\\c\nd"}}, 1.5);
  EXPECT_EQ(out.text(), "# HELP m help split\n# TYPE m gauge\nm{org=\"a\\\"b\\\\c\\nd\"} 1.5\n");
}

TEST(Metrics, SpecialValuesUseThePrometheusSpelling) {
  Writer out;
  out.Sample("a", std::numeric_limits<double>::infinity());
  out.Sample("b", -std::numeric_limits<double>::infinity());
  out.Sample("c", std::numeric_limits<double>::quiet_NaN());
  out.Sample("d", 1796000000);
  EXPECT_EQ(out.text(), "a +Inf\nb -Inf\nc NaN\nd 1796000000\n");
}

TEST(Metrics, HistogramBucketsAreCumulativeAndAgreeWithTheCount) {
  Registry registry;
  auto& h = registry.AddHistogram("lat_seconds", "Latency.", {}, {0.01, 0.1, 1}).With({});
  for (double v : {0.005, 0.01, 0.05, 0.5, 2.0}) h.Observe(v);
  EXPECT_EQ(h.CumulativeCounts(), (std::vector<uint64_t>{2, 3, 4, 5}));
  const std::string text = registry.Render();
  EXPECT_THAT(text, HasSubstr("lat_seconds_bucket{le=\"0.01\"} 2\n"
                              "lat_seconds_bucket{le=\"0.1\"} 3\n"
                              "lat_seconds_bucket{le=\"1\"} 4\n"
                              "lat_seconds_bucket{le=\"+Inf\"} 5\n"
                              "lat_seconds_sum 2.565\n"
                              "lat_seconds_count 5\n"));
}

TEST(Metrics, CollectorsWriteAtEveryScrape) {
  Registry registry;
  int height = 1;
  registry.AddCollector([&height](Writer* out) {
    out->Family("shipledger_chain_height", "gauge", "Height.");
    out->Sample("shipledger_chain_height", height);
  });
  EXPECT_THAT(registry.Render(), HasSubstr("shipledger_chain_height 1\n"));
  height = 42;
  EXPECT_THAT(registry.Render(), HasSubstr("shipledger_chain_height 42\n"));
}

}  // namespace
}  // namespace shipledger::metrics
