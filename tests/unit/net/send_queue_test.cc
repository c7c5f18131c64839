#include "net/send_queue.h"

#include <gtest/gtest.h>

namespace shipledger::net {
namespace {

TEST(SendQueue, RefusesFramesOverTheFrameLimit) {
  SendQueue queue(1000, 2);
  EXPECT_TRUE(queue.Push("a"));
  EXPECT_TRUE(queue.Push("b"));
  EXPECT_FALSE(queue.Push("c"));
  EXPECT_EQ(queue.frames(), 2u);
  EXPECT_EQ(queue.bytes(), 2u);
}

TEST(SendQueue, RefusesFramesOverTheByteLimit) {
  SendQueue queue(10, 100);
  EXPECT_TRUE(queue.Push(std::string(6, 'a')));
  EXPECT_FALSE(queue.Push(std::string(5, 'b')));
  EXPECT_TRUE(queue.Push(std::string(4, 'c')));
  EXPECT_FALSE(queue.Push(std::string(11, 'd')));
  EXPECT_EQ(queue.bytes(), 10u);
}

TEST(SendQueue, PopBatchKeepsOrderAndRespectsBatchSize) {
  SendQueue queue(1000, 100);
  ASSERT_TRUE(queue.Push("aaa"));
  ASSERT_TRUE(queue.Push("bbb"));
  ASSERT_TRUE(queue.Push("ccc"));
  std::string batch;
  EXPECT_EQ(queue.PopBatch(6, &batch), 2u);
  EXPECT_EQ(batch, "aaabbb");
  batch.clear();
  EXPECT_EQ(queue.PopBatch(6, &batch), 1u);
  EXPECT_EQ(batch, "ccc");
  EXPECT_EQ(queue.bytes(), 0u);
}

TEST(SendQueue, PopBatchTakesOneFrameLargerThanTheBatch) {
  SendQueue queue(1000, 100);
  ASSERT_TRUE(queue.Push(std::string(50, 'x')));
  std::string batch;
  EXPECT_EQ(queue.PopBatch(10, &batch), 1u);
  EXPECT_EQ(batch.size(), 50u);
}

TEST(SendQueue, RoomIsFreedByPopAndClear) {
  SendQueue queue(1000, 1);
  ASSERT_TRUE(queue.Push("a"));
  std::string batch;
  EXPECT_EQ(queue.PopBatch(100, &batch), 1u);
  EXPECT_TRUE(queue.Push("b"));
  queue.Clear();
  EXPECT_EQ(queue.frames(), 0u);
  EXPECT_TRUE(queue.Push("c"));
}

TEST(SendQueue, PopFromEmptyTakesNothing) {
  SendQueue queue(1000, 10);
  std::string batch;
  EXPECT_EQ(queue.PopBatch(100, &batch), 0u);
  EXPECT_TRUE(batch.empty());
}

}  // namespace
}  // namespace shipledger::net
