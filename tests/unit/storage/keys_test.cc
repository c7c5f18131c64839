#include "storage/keys.h"

#include <gtest/gtest.h>

#include <cstdint>
#include <optional>
#include <string>

namespace shipledger::storage::keys {
namespace {

TEST(Keys, EventKeysSortByHeightThenIndex) {
  EXPECT_LT(EventKey(1, 0xffffffff), EventKey(2, 0));
  EXPECT_LT(EventKey(2, 1), EventKey(2, 2));
  EXPECT_LT(EventKey(255, 0), EventKey(256, 0));
  EXPECT_LT(HeightKey(255), HeightKey(256));
}

TEST(Keys, EventKeyRoundTrips) {
  EventLocation location;
  ASSERT_TRUE(DecodeEventKey(EventKey(123456789012ULL, 77), &location));
  EXPECT_EQ(location.height, 123456789012ULL);
  EXPECT_EQ(location.index, 77u);
  EXPECT_FALSE(DecodeEventKey(EventKey(1, 2).substr(0, 11), &location));
  EXPECT_FALSE(DecodeEventKey(EventKey(1, 2) + "x", &location));
}

TEST(Keys, JournalKeysSortByHeightThenSequence) {
  EXPECT_LT(JournalKey(0, 99), JournalKey(1, 0));
  EXPECT_LT(JournalKey(1, 0xffffffffffULL), JournalKey(2, 0));
  EXPECT_LT(JournalKey(2, 255), JournalKey(2, 256));
  // The 8-byte height prefixes bound a range of heights (PruneJournal's DeleteRange).
  EXPECT_LT(HeightKey(3), JournalKey(3, 0));
  EXPECT_LT(JournalKey(3, UINT64_MAX), HeightKey(4));
}

TEST(Keys, JournalKeyRoundTrips) {
  uint64_t height = 0;
  uint64_t sequence = 0;
  ASSERT_TRUE(DecodeJournalKey(JournalKey(987654321ULL, 42), &height, &sequence));
  EXPECT_EQ(height, 987654321ULL);
  EXPECT_EQ(sequence, 42u);
  EXPECT_FALSE(DecodeJournalKey(JournalKey(1, 2).substr(0, 15), &height, &sequence));
  EXPECT_FALSE(DecodeJournalKey(JournalKey(1, 2) + "x", &height, &sequence));
}

TEST(Keys, ShipmentPrefixDoesNotMatchLongerIds) {
  const Bytes prefix = ShipmentEventsPrefix("S1");
  EXPECT_EQ(ShipmentEventKey("S1", 5, 0).rfind(prefix, 0), 0u);
  EXPECT_NE(ShipmentEventKey("S10", 5, 0).rfind(prefix, 0), 0u);
}

TEST(Keys, ShipmentEntryCarriesTimeAndReceiptAndReadsSchemaOneIds) {
  const Bytes id(32, 'i');
  const Bytes receipt("\x0a\x20receipt-bytes", 15);
  ShipmentEntry entry;  // views into the decoded bytes
  const Bytes negative = EncodeShipmentEntry(id, -1'700'000'000'123, receipt);
  ASSERT_TRUE(DecodeShipmentEntry(negative, &entry));
  EXPECT_EQ(entry.event_id, id);
  EXPECT_EQ(entry.block_time_ms, std::optional<int64_t>(-1'700'000'000'123));
  EXPECT_EQ(entry.receipt, receipt);
  const Bytes positive = EncodeShipmentEntry(id, 1'700'000'000'000, receipt);
  ASSERT_TRUE(DecodeShipmentEntry(positive, &entry));
  EXPECT_EQ(entry.block_time_ms, std::optional<int64_t>(1'700'000'000'000));
  EXPECT_EQ(entry.receipt, receipt);
  // Schema 1: the id alone.
  ASSERT_TRUE(DecodeShipmentEntry(id, &entry));
  EXPECT_EQ(entry.event_id, id);
  EXPECT_FALSE(entry.block_time_ms.has_value());
  EXPECT_TRUE(entry.receipt.empty());
  // Neither: a short id, an id with a partial time, an id and a time without a receipt.
  for (size_t size : {0, 31, 33, 39, 40}) {
    EXPECT_FALSE(DecodeShipmentEntry(Bytes(size, 'x'), &entry)) << size;
  }
  EXPECT_TRUE(DecodeShipmentEntry(Bytes(41, 'x'), &entry));
}

TEST(Keys, ReferencePrefixSeparatesKindFromValue) {
  // ("ab", "c") and ("a", "bc") must not share a prefix.
  EXPECT_NE(ReferencePrefix("ab", "c"), ReferencePrefix("a", "bc"));
  const Bytes prefix = ReferencePrefix("booking", "BK1");
  EXPECT_EQ(ReferenceKey("booking", "BK1", "S1").substr(prefix.size()), "S1");
  EXPECT_NE(ReferenceKey("booking", "BK10", "S1").rfind(prefix, 0), 0u);
}

TEST(Keys, PartyPrefixSelectsOneOrganisation) {
  const Bytes prefix = PartyPrefix("org-a");
  EXPECT_EQ(PartyKey("org-a", "S1").substr(prefix.size()), "S1");
  // "org-a" is not a prefix of "org-ab"'s keys, nor ("org-a", "bS1") one of ("org-ab", "S1").
  EXPECT_NE(PartyKey("org-ab", "S1").rfind(prefix, 0), 0u);
  EXPECT_NE(PartyKey("org-a", "bS1"), PartyKey("org-ab", "S1"));
  EXPECT_LT(PartyKey("org-a", "S1"), PartyKey("org-a", "S2"));
}

TEST(Keys, PrefixSuccessorIsExclusiveUpperBound) {
  EXPECT_EQ(PrefixSuccessor("ab"), std::optional<Bytes>("ac"));
  EXPECT_EQ(PrefixSuccessor(std::string("a\xff", 2)), std::optional<Bytes>("b"));
  EXPECT_EQ(PrefixSuccessor(std::string("\xff\xff", 2)), std::nullopt);
  EXPECT_EQ(PrefixSuccessor(""), std::nullopt);
  const Bytes prefix = HeightKey(7);
  const Bytes upper = *PrefixSuccessor(prefix);
  EXPECT_LT(EventKey(7, 0xffffffff), upper);
  EXPECT_LE(upper, EventKey(8, 0));
}

TEST(Keys, HeadRoundTrips) {
  ChainHead head;
  head.height = 42;
  head.block_hash = Bytes(32, '\x01');
  head.results = Bytes(32, '\x02');
  head.block_time_ms = -5;
  head.event_count = 1000000;
  ChainHead decoded;
  ASSERT_TRUE(DecodeHead(EncodeHead(head), &decoded));
  EXPECT_EQ(decoded.height, 42u);
  EXPECT_EQ(decoded.block_hash, head.block_hash);
  EXPECT_EQ(decoded.results, head.results);
  EXPECT_EQ(decoded.block_time_ms, -5);
  EXPECT_EQ(decoded.event_count, 1000000u);
}

TEST(Keys, HeadRejectsTruncatedOrTrailingBytes) {
  const Bytes encoded = EncodeHead(ChainHead{1, Bytes(32, 'h'), Bytes(32, 'r'), 9, 3});
  ChainHead decoded;
  EXPECT_FALSE(DecodeHead(encoded.substr(0, encoded.size() - 1), &decoded));
  EXPECT_FALSE(DecodeHead(encoded + "x", &decoded));
  EXPECT_FALSE(DecodeHead("", &decoded));
}

TEST(Keys, ResultsRoundTrip) {
  const Store::ResultsRecord record{Bytes(32, 'a'), Bytes(32, 'b'), Bytes(32, 'c')};
  Store::ResultsRecord decoded;
  ASSERT_TRUE(DecodeResults(EncodeResults(record), &decoded));
  EXPECT_EQ(decoded.receipts_root, record.receipts_root);
  EXPECT_EQ(decoded.state_writes_digest, record.state_writes_digest);
  EXPECT_EQ(decoded.results, record.results);
  EXPECT_FALSE(DecodeResults(EncodeResults(record).substr(1), &decoded));
}

TEST(Keys, FixedWidthValues) {
  uint64_t v64 = 0;
  uint32_t v32 = 0;
  EXPECT_TRUE(DecodeU64(HeightKey(99), &v64));
  EXPECT_EQ(v64, 99u);
  EXPECT_FALSE(DecodeU64("1234567", &v64));
  EXPECT_TRUE(DecodeU32(std::string("\0\0\0\x01", 4), &v32));
  EXPECT_EQ(v32, 1u);
  EXPECT_FALSE(DecodeU32("12345", &v32));
}

}  // namespace
}  // namespace shipledger::storage::keys
