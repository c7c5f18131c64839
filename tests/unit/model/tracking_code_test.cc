// Tracking codes (model/tracking_code.h) and the stateless rule on a booked event's
// tracking_hash (model/validation.cc, DESIGN §8).
#include "model/tracking_code.h"

#include "validation_fixture.h"

namespace shipledger::model {
namespace {

TEST(TrackingCode, HashIsSha256OfDomainAndCanonicalCode) {
  EXPECT_EQ(TrackingHash("ABC"), crypto::Sha256("shipledger/track/v1ABC"));
  EXPECT_EQ(TrackingHash("ABC").size(), 32u);
}

TEST(TrackingCode, CanonicalFormIgnoresCaseDashesAndSpaces) {
  EXPECT_EQ(CanonicalTrackingCode("ab2c-D3eF 7g"), "AB2CD3EF7G");
  EXPECT_EQ(CanonicalTrackingCode("a/b%"), "A/B%");  // kept: such a code is ill-formed
}

TEST(TrackingCode, WellFormedNeedsEnoughCharactersOfTheAlphabet) {
  EXPECT_TRUE(IsWellFormedTrackingCode(std::string(25, 'A')));
  EXPECT_TRUE(IsWellFormedTrackingCode(std::string(64, '9')));
  EXPECT_FALSE(IsWellFormedTrackingCode(std::string(24, 'A')));  // < 128 bits possible
  EXPECT_FALSE(IsWellFormedTrackingCode(std::string(65, 'A')));
  EXPECT_FALSE(IsWellFormedTrackingCode(std::string(24, 'A') + "a"));
  EXPECT_FALSE(IsWellFormedTrackingCode(std::string(24, 'A') + "/"));
  EXPECT_FALSE(IsWellFormedTrackingCode(""));
}

TEST(TrackingCode, FormatIsGroupedBase32) {
  // RFC 4648 test vector: base32("foobar") = "MZXW6YTBOI" (unpadded).
  EXPECT_EQ(FormatTrackingCode("foobar"), "MZXW-6YTB-OI");
  const std::string code = FormatTrackingCode(Bytes(kTrackingCodeRandomBytes, '\xff'));
  EXPECT_EQ(code, "7777-7777-7777-7777-7777-7777-7777-7777");
}

TEST(TrackingCode, GeneratedCodesAreWellFormed) {
  const std::string code = FormatTrackingCode(Bytes(kTrackingCodeRandomBytes, '\x5a'));
  EXPECT_EQ(CanonicalTrackingCode(code).size(), 32u);  // 160 bits
  EXPECT_TRUE(IsWellFormedTrackingCode(CanonicalTrackingCode(code)));
}

// Its own suite: the fixture class is per translation unit (anonymous namespace).
class EventValidatorTrackingTest : public EventValidatorTest {};

TEST_F(EventValidatorTrackingTest, BookingWithTrackingHashIsValid) {
  v1::Event e = Booking();
  e.set_tracking_hash(TrackingHash(std::string(32, 'K')));
  const auto r = Validate(Sign(e, "exporter"));
  EXPECT_TRUE(r.ok()) << r.status().ToString();
}

TEST_F(EventValidatorTrackingTest, TrackingHashOfWrongSizeIsRejected) {
  for (size_t size : {1, 31, 33, 64}) {
    v1::Event e = Booking();
    e.set_tracking_hash(Bytes(size, 'h'));
    EXPECT_TRUE(Rejected(Validate(Sign(e, "exporter")), Code::kInvalidArgument,
                         "tracking_hash must be 32 bytes"))
        << size;
  }
}

TEST_F(EventValidatorTrackingTest, TrackingHashOnNonBookedEventIsRejected) {
  v1::Event e = net_->NewEvent("exporter", v1::EVENT_TYPE_PICKUP, "SHP-1");
  e.set_tracking_hash(Bytes(32, 'h'));
  EXPECT_TRUE(Rejected(Validate(Sign(e, "exporter")), Code::kInvalidArgument,
                       "only a booked event may carry a tracking_hash"));
}

}  // namespace
}  // namespace shipledger::model
