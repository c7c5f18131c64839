// shipledger-loadgen end to end, small: against a real 4-node network it signs and submits
// journeys, every event commits VALID on all four nodes, and the last line is the RESULT line
// bench/run.sh parses.
#include <gtest/gtest.h>

#include <map>
#include <sstream>

#include "cluster.h"

#ifdef SHIPLEDGER_LOADGEN_PATH

namespace shipledger::itest {
namespace {

// The key=value pairs of the output's last line, which must start with "RESULT ".
std::map<std::string, std::string> ResultLine(const std::string& out) {
  std::map<std::string, std::string> fields;
  std::istringstream lines(out);
  std::string line, last;
  while (std::getline(lines, line)) {
    if (!line.empty()) last = line;
  }
  std::istringstream words(last);
  std::string word;
  words >> word;
  if (word != "RESULT") return fields;
  while (words >> word) {
    const size_t eq = word.find('=');
    if (eq != std::string::npos) fields[word.substr(0, eq)] = word.substr(eq + 1);
  }
  return fields;
}

TEST(Loadgen, CommitsEveryJourneyOnAllNodesAndPrintsTheResultLine) {
  Cluster cluster;
  ASSERT_TRUE(cluster.StartAll());
  const ProgramResult run =
      RunProgram({SHIPLEDGER_LOADGEN_PATH, "--network", cluster.net().path().string(), "--events",
                  "260", "--clients", "4", "--batch", "5", "--verify-seconds", "0.2"},
                 120000);
  ASSERT_EQ(run.code, 0) << run;
  const auto result = ResultLine(run.out);
  ASSERT_FALSE(result.empty()) << "no RESULT line last" << run;
  EXPECT_EQ(result.at("nodes"), "4");
  EXPECT_GT(std::stod(result.at("committed_eps")), 0.0);
  EXPECT_GT(std::stod(result.at("crypto_limit_eps")), 0.0);
  EXPECT_GT(std::stod(result.at("ratio")), 0.0);
  EXPECT_LE(std::stod(result.at("p50_ms")), std::stod(result.at("p99_ms")));
  EXPECT_EQ(result.at("failed"), "0");
  EXPECT_EQ(result.at("rejected"), "0");
  EXPECT_NE(run.out.find("260 events committed (260 valid, 0 rejected)"), std::string::npos) << run;
  // Every node holds all 20 journeys (13 events each).
  const auto head = cluster.WaitSameHead({0, 1, 2, 3}, 20000);
  ASSERT_TRUE(head.has_value());
  EXPECT_EQ(head->events_committed(), 260u);
}

TEST(Loadgen, WrongNetworkFolderIsAClearError) {
  const ProgramResult run =
      RunProgram({SHIPLEDGER_LOADGEN_PATH, "--network", "/nonexistent-shipledger-net"}, 20000);
  EXPECT_NE(run.code, 0);
  EXPECT_NE(run.err.find("--network"), std::string::npos) << run;
}

}  // namespace
}  // namespace shipledger::itest

#endif  // SHIPLEDGER_LOADGEN_PATH
