#include "contracts/workspace.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "testing/memory_chain.h"

namespace shipledger::contracts {
namespace {

std::vector<std::string> Keys(const std::vector<std::pair<std::string, Bytes>>& records) {
  std::vector<std::string> keys;
  for (const auto& [key, value] : records) keys.push_back(key + "=" + value);
  return keys;
}

// Committed a/1..a/3; the block's earlier events deleted a/2 and wrote a/4; this event deletes
// a/1 and writes a/5 and b/1.
TEST(Workspace, RangeScanSeesCommittedRecordsOverlaidByTheBlocksAndTheEventsWrites) {
  shipledger::testing::MemoryChain committed;
  model::BlockEffects setup;
  for (const char* key : {"a/1", "a/2", "a/3"}) setup.record_writes[key] = "c";
  committed.Commit({}, setup);
  model::BlockEffects effects;
  effects.record_writes["a/2"] = std::nullopt;
  effects.record_writes["a/4"] = "b";
  Workspace ws(committed, &effects);
  ws.DeleteRecord("a/1");
  ws.PutRecord("a/5", "e");
  ws.PutRecord("b/1", "e");

  EXPECT_EQ(Keys(ws.ScanRange("a/", "a/5")), (std::vector<std::string>{"a/3=c", "a/4=b"}));
  EXPECT_EQ(Keys(ws.ScanRange("a/3", "b/2")),
            (std::vector<std::string>{"a/3=c", "a/4=b", "a/5=e", "b/1=e"}));
  EXPECT_EQ(Keys(ws.Scan("a/")), (std::vector<std::string>{"a/3=c", "a/4=b", "a/5=e"}));
  EXPECT_TRUE(ws.ScanRange("a/4", "a/4").empty());
  ws.Discard();
  EXPECT_EQ(Keys(ws.ScanRange("a/", "b/")), (std::vector<std::string>{"a/1=c", "a/3=c", "a/4=b"}));
}

}  // namespace
}  // namespace shipledger::contracts
