#include "shipledger/bytes.h"

#include <gtest/gtest.h>

#include <string>

namespace shipledger {
namespace {

using namespace std::string_literals;

TEST(Hex, EncodesLowerCase) {
  EXPECT_EQ(ToHex(""), "");
  EXPECT_EQ(ToHex("\x00\x01\xab\xff"s), "0001abff");
  EXPECT_EQ(ToHex("AZ"), "415a");
}

TEST(Hex, RoundTripsEveryByteValue) {
  Bytes all;
  for (int i = 0; i < 256; ++i) all.push_back(static_cast<char>(i));
  const std::string hex = ToHex(all);
  EXPECT_EQ(hex.size(), 512u);
  const auto back = FromHex(hex);
  ASSERT_TRUE(back.has_value());
  EXPECT_EQ(*back, all);
}

TEST(Hex, ParsesEitherCase) {
  EXPECT_EQ(FromHex("ABcdEF"), "\xab\xcd\xef"s);
  EXPECT_EQ(FromHex("00ff"), "\x00\xff"s);
}

TEST(Hex, EmptyParsesToEmpty) {
  const auto r = FromHex("");
  ASSERT_TRUE(r.has_value());
  EXPECT_TRUE(r->empty());
}

TEST(Hex, RejectsOddLength) {
  EXPECT_FALSE(FromHex("abc").has_value());
  EXPECT_FALSE(FromHex("0").has_value());
}

TEST(Hex, RejectsNonHexCharacters) {
  EXPECT_FALSE(FromHex("zz").has_value());
  EXPECT_FALSE(FromHex("0g").has_value());
  EXPECT_FALSE(FromHex("g0").has_value());
  EXPECT_FALSE(FromHex("0x12").has_value());
  EXPECT_FALSE(FromHex("12 4").has_value());
  EXPECT_FALSE(FromHex("ab:").has_value());  // ':' is one past '9'
  EXPECT_FALSE(FromHex("@1").has_value());   // '@' is one before 'A'
  EXPECT_FALSE(FromHex("`1").has_value());   // '`' is one before 'a'
  EXPECT_FALSE(FromHex("/1").has_value());   // '/' is one before '0'
  EXPECT_FALSE(FromHex("\0\0"s).has_value());
}

TEST(BigEndian, U64Layout) {
  Bytes out;
  PutU64BE(&out, 0x0102030405060708ULL);
  EXPECT_EQ(out, "\x01\x02\x03\x04\x05\x06\x07\x08"s);
  EXPECT_EQ(GetU64BE(out), 0x0102030405060708ULL);
}

TEST(BigEndian, U32Layout) {
  Bytes out;
  PutU32BE(&out, 0xdeadbeefU);
  EXPECT_EQ(out, "\xde\xad\xbe\xef"s);
  EXPECT_EQ(GetU32BE(out), 0xdeadbeefU);
}

TEST(BigEndian, AppendsRatherThanReplaces) {
  Bytes out = "k";
  PutU32BE(&out, 1);
  PutU64BE(&out, 2);
  EXPECT_EQ(out, "k\x00\x00\x00\x01\x00\x00\x00\x00\x00\x00\x00\x02"s);
}

TEST(BigEndian, RoundTripsExtremes) {
  for (uint64_t v : {uint64_t{0}, uint64_t{1}, uint64_t{0xff}, uint64_t{0x100},
                     uint64_t{0x8000000000000000ULL}, UINT64_MAX}) {
    Bytes b;
    PutU64BE(&b, v);
    ASSERT_EQ(b.size(), 8u);
    EXPECT_EQ(GetU64BE(b), v);
  }
  for (uint32_t v : {uint32_t{0}, uint32_t{1}, uint32_t{0x80000000U}, UINT32_MAX}) {
    Bytes b;
    PutU32BE(&b, v);
    ASSERT_EQ(b.size(), 4u);
    EXPECT_EQ(GetU32BE(b), v);
  }
}

TEST(BigEndian, ByteOrderSortsLikeNumbers) {
  // RocksDB keys rely on this: memcmp order of the encoding == numeric order.
  const uint64_t values[] = {0, 1, 255, 256, 65535, 65536, 1ULL << 40, UINT64_MAX - 1, UINT64_MAX};
  for (size_t i = 0; i + 1 < std::size(values); ++i) {
    Bytes a, b;
    PutU64BE(&a, values[i]);
    PutU64BE(&b, values[i + 1]);
    EXPECT_LT(a, b) << values[i] << " vs " << values[i + 1];
  }
}

TEST(BigEndian, GetReadsOnlyTheFirstBytes) {
  const Bytes data = "\x00\x00\x00\x00\x00\x00\x01\x00\xff\xff"s;
  EXPECT_EQ(GetU64BE(data), 256u);
  EXPECT_EQ(GetU32BE(data), 0u);
}

TEST(LengthPrefixed, Layout) {
  Bytes out;
  PutLengthPrefixed(&out, "abc");
  EXPECT_EQ(out,
            "\x00\x00\x00\x03"
            "abc"s);
  PutLengthPrefixed(&out, "");
  EXPECT_EQ(out.size(), 7u + 4u);
  EXPECT_EQ(out.substr(7), "\x00\x00\x00\x00"s);
}

TEST(LengthPrefixed, ConcatenationIsUnambiguous) {
  Bytes a, b;
  PutLengthPrefixed(&a, "ab");
  PutLengthPrefixed(&a, "c");
  PutLengthPrefixed(&b, "a");
  PutLengthPrefixed(&b, "bc");
  EXPECT_NE(a, b);
}

TEST(ByteReader, ReadsFieldsInOrder) {
  Bytes data;
  PutU64BE(&data, 0x1122334455667788ULL);
  PutU32BE(&data, 7);
  PutLengthPrefixed(&data, "hello\0world"s);
  PutLengthPrefixed(&data, "");
  data += "tail";

  ByteReader r(data);
  EXPECT_FALSE(r.empty());
  uint64_t u64 = 0;
  uint32_t u32 = 0;
  ByteView v;
  ASSERT_TRUE(r.ReadU64(&u64));
  EXPECT_EQ(u64, 0x1122334455667788ULL);
  ASSERT_TRUE(r.ReadU32(&u32));
  EXPECT_EQ(u32, 7u);
  ASSERT_TRUE(r.ReadLengthPrefixed(&v));
  EXPECT_EQ(v, "hello\0world"s);
  ASSERT_TRUE(r.ReadLengthPrefixed(&v));
  EXPECT_EQ(v, "");
  EXPECT_EQ(r.remaining(), 4u);
  ASSERT_TRUE(r.ReadBytes(4, &v));
  EXPECT_EQ(v, "tail");
  EXPECT_TRUE(r.empty());
  EXPECT_EQ(r.remaining(), 0u);
}

TEST(ByteReader, TruncatedU64FailsAndConsumesNothing) {
  const Bytes data(7, '\x01');
  ByteReader r(data);
  uint64_t v = 123;
  EXPECT_FALSE(r.ReadU64(&v));
  EXPECT_EQ(v, 123u);
  EXPECT_EQ(r.remaining(), 7u);
  // The bytes are still there for a shorter read.
  uint32_t u = 0;
  EXPECT_TRUE(r.ReadU32(&u));
  EXPECT_EQ(u, 0x01010101U);
  EXPECT_EQ(r.remaining(), 3u);
}

TEST(ByteReader, TruncatedU32FailsAndConsumesNothing) {
  ByteReader r("\x01\x02\x03");
  uint32_t v = 5;
  EXPECT_FALSE(r.ReadU32(&v));
  EXPECT_EQ(v, 5u);
  EXPECT_EQ(r.remaining(), 3u);
}

TEST(ByteReader, TruncatedLengthHeaderFails) {
  ByteReader r("\x00\x00\x01"s);
  ByteView v = "untouched";
  EXPECT_FALSE(r.ReadLengthPrefixed(&v));
  EXPECT_EQ(v, "untouched");
  EXPECT_EQ(r.remaining(), 3u);
}

TEST(ByteReader, TruncatedLengthPrefixedBodyFailsAndConsumesNothing) {
  Bytes data;
  PutLengthPrefixed(&data, "abcdef");
  data.resize(data.size() - 1);  // one byte of the body missing
  ByteReader r(data);
  ByteView v = "untouched";
  EXPECT_FALSE(r.ReadLengthPrefixed(&v));
  EXPECT_EQ(v, "untouched");
  EXPECT_EQ(r.remaining(), data.size());
}

TEST(ByteReader, HugeLengthDoesNotOverflow) {
  Bytes data;
  PutU32BE(&data, UINT32_MAX);
  data += "abc";
  ByteReader r(data);
  ByteView v;
  EXPECT_FALSE(r.ReadLengthPrefixed(&v));
  EXPECT_EQ(r.remaining(), data.size());
}

TEST(ByteReader, ReadBytesBeyondEndFails) {
  ByteReader r("abc");
  ByteView v;
  EXPECT_FALSE(r.ReadBytes(4, &v));
  EXPECT_EQ(r.remaining(), 3u);
  EXPECT_TRUE(r.ReadBytes(0, &v));
  EXPECT_EQ(v, "");
  EXPECT_TRUE(r.ReadBytes(3, &v));
  EXPECT_EQ(v, "abc");
  EXPECT_TRUE(r.empty());
}

TEST(ByteReader, EmptyInput) {
  ByteReader r("");
  EXPECT_TRUE(r.empty());
  uint64_t u64 = 0;
  uint32_t u32 = 0;
  ByteView v;
  EXPECT_FALSE(r.ReadU64(&u64));
  EXPECT_FALSE(r.ReadU32(&u32));
  EXPECT_FALSE(r.ReadLengthPrefixed(&v));
  EXPECT_FALSE(r.ReadBytes(1, &v));
}

}  // namespace
}  // namespace shipledger
