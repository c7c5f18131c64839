#include "net/frame.h"

#include <gtest/gtest.h>

namespace shipledger::net {
namespace {

TEST(Frame, EncodeIsBigEndianLengthThenPayload) {
  const std::string frame = EncodeFrame("abc");
  ASSERT_EQ(frame.size(), 7u);
  EXPECT_EQ(frame.substr(0, 4), std::string("\0\0\0\3", 4));
  EXPECT_EQ(frame.substr(4), "abc");
}

TEST(FrameDecoder, DecodesSeveralFramesInOneChunk) {
  FrameDecoder decoder(1024);
  std::vector<std::string> frames;
  ASSERT_TRUE(
      decoder.Feed(EncodeFrame("one") + EncodeFrame("") + EncodeFrame("three"), &frames).ok());
  EXPECT_EQ(frames, (std::vector<std::string>{"one", "", "three"}));
  EXPECT_EQ(decoder.buffered_bytes(), 0u);
}

TEST(FrameDecoder, ReassemblesByteByByte) {
  FrameDecoder decoder(1024);
  const std::string stream = EncodeFrame("hello") + EncodeFrame(std::string(300, 'x'));
  std::vector<std::string> frames;
  for (char c : stream) {
    ASSERT_TRUE(decoder.Feed(std::string(1, c), &frames).ok());
  }
  ASSERT_EQ(frames.size(), 2u);
  EXPECT_EQ(frames[0], "hello");
  EXPECT_EQ(frames[1], std::string(300, 'x'));
}

TEST(FrameDecoder, PartialHeaderAndPayloadWait) {
  FrameDecoder decoder(1024);
  const std::string frame = EncodeFrame("payload");
  std::vector<std::string> frames;
  ASSERT_TRUE(decoder.Feed(frame.substr(0, 2), &frames).ok());
  EXPECT_TRUE(frames.empty());
  ASSERT_TRUE(decoder.Feed(frame.substr(2, 5), &frames).ok());
  EXPECT_TRUE(frames.empty());
  EXPECT_EQ(decoder.buffered_bytes(), 7u);
  ASSERT_TRUE(decoder.Feed(frame.substr(7), &frames).ok());
  EXPECT_EQ(frames, std::vector<std::string>{"payload"});
}

TEST(FrameDecoder, AcceptsFrameExactlyAtLimit) {
  FrameDecoder decoder(16);
  std::vector<std::string> frames;
  ASSERT_TRUE(decoder.Feed(EncodeFrame(std::string(16, 'a')), &frames).ok());
  EXPECT_EQ(frames.size(), 1u);
}

TEST(FrameDecoder, OversizeHeaderFailsBeforePayloadArrives) {
  FrameDecoder decoder(16);
  std::vector<std::string> frames;
  std::string header;
  PutU32BE(&header, 17);
  const Status status = decoder.Feed(header, &frames);
  EXPECT_EQ(status.code(), Code::kOutOfRange);
  EXPECT_TRUE(decoder.failed());
  EXPECT_TRUE(frames.empty());
}

TEST(FrameDecoder, StaysFailedAfterOversize) {
  FrameDecoder decoder(16);
  std::vector<std::string> frames;
  ASSERT_FALSE(decoder.Feed(std::string("\xff\xff\xff\xff", 4), &frames).ok());
  EXPECT_FALSE(decoder.Feed(EncodeFrame("ok"), &frames).ok());
  EXPECT_TRUE(frames.empty());
}

TEST(FrameDecoder, FramesBeforeAnOversizeHeaderAreDelivered) {
  FrameDecoder decoder(16);
  std::vector<std::string> frames;
  std::string stream = EncodeFrame("good");
  PutU32BE(&stream, 1000);
  EXPECT_FALSE(decoder.Feed(stream, &frames).ok());
  EXPECT_EQ(frames, std::vector<std::string>{"good"});
}

}  // namespace
}  // namespace shipledger::net
