#include "crypto/ecdh.h"

#include <gtest/gtest.h>

#include "hex_test_util.h"

namespace shipledger::crypto {
namespace {

// NIST CAVP "KAS ECC CDH primitive" P-256, COUNT = 0: dIUT as PKCS#8, QCAVS, and ZIUT.
constexpr char kIutKeyPem[] =
    "-----BEGIN PRIVATE KEY-----\n"
    "MIGHAgEAMBMGByqGSM49AgEGCCqGSM49AwEHBG0wawIBAQQgfX3F9x6yndr4DWIU\n"
    "Yy7q4D2QWK8fttIu2AuttivBpTShRANCAATq0hhZARnoh2spFG/4nKYXcMTtu/l9\n"
    "OM44XtKB2KayMCivYSgf014vpwAlI6zIWkKcsG7mZIMlOJ9Z7fzhQFFB\n"
    "-----END PRIVATE KEY-----\n";
constexpr char kCavsPoint[] =
    "04700c48f77f56584c5cc632ca65640db91b6bacce3a4df6b42ce7cc838833d287"
    "db71e509e3fd9b060ddb20ba5c51dcc5948d46fbf640dfe0441782cab85fa4ac";
constexpr char kIutPoint[] =
    "04ead218590119e8876b29146ff89ca61770c4edbbf97d38ce385ed281d8a6b230"
    "28af61281fd35e2fa7002523acc85a429cb06ee6648325389f59edfce1405141";
constexpr char kSharedZ[] = "46fc62106420ff012e54a434fbdd2d25ccc5852060561e68040dd7778997bd7b";

TEST(Ecdh, NistCavsKnownAnswer) {
  auto iut = PrivateKey::FromPem(kIutKeyPem);
  ASSERT_TRUE(iut.ok()) << iut.status().ToString();
  auto peer = DecodePoint(Hex(kCavsPoint));
  ASSERT_TRUE(peer.ok()) << peer.status().ToString();
  auto z = Ecdh(*iut, *peer);
  ASSERT_TRUE(z.ok()) << z.status().ToString();
  EXPECT_EQ(ToHex(z->view()), kSharedZ);
}

TEST(Ecdh, BothSidesAgree) {
  auto a = *PrivateKey::Generate();
  auto b = *PrivateKey::Generate();
  auto ab = Ecdh(a, b.public_key());
  auto ba = Ecdh(b, a.public_key());
  ASSERT_TRUE(ab.ok() && ba.ok());
  EXPECT_EQ(ab->size(), 32u);
  EXPECT_EQ(ab->view(), ba->view());
}

TEST(P256Point, EncodeIsUncompressedAndRoundTrips) {
  auto iut = *PrivateKey::FromPem(kIutKeyPem);
  auto point = EncodePoint(iut.public_key());
  ASSERT_TRUE(point.ok()) << point.status().ToString();
  EXPECT_EQ(ToHex(*point), kIutPoint);
  auto decoded = DecodePoint(*point);
  ASSERT_TRUE(decoded.ok());
  EXPECT_EQ(decoded->ToDer(), iut.public_key().ToDer());
}

TEST(P256Point, OffCurvePointIsRefused) {
  Bytes point = Hex(kCavsPoint);
  point.back() ^= 1;  // y changed: no longer on the curve
  EXPECT_EQ(DecodePoint(point).status().code(), Code::kInvalidArgument);
}

TEST(P256Point, WrongSizeOrFormIsRefused) {
  const Bytes point = Hex(kCavsPoint);
  EXPECT_EQ(DecodePoint(point.substr(0, 33)).status().code(), Code::kInvalidArgument);
  EXPECT_EQ(DecodePoint(point + "x").status().code(), Code::kInvalidArgument);
  Bytes compressed_tag = point;
  compressed_tag[0] = '\x02';
  EXPECT_EQ(DecodePoint(compressed_tag).status().code(), Code::kInvalidArgument);
  EXPECT_EQ(DecodePoint(Bytes(65, '\0')).status().code(), Code::kInvalidArgument);
  Bytes zeros(65, '\0');
  zeros[0] = '\x04';
  EXPECT_EQ(DecodePoint(zeros).status().code(), Code::kInvalidArgument);
}

// RFC 5869 appendix A.1, test case 1.
TEST(HkdfSha256, Rfc5869TestCase1) {
  auto okm = HkdfSha256(Bytes(22, '\x0b'), Hex("000102030405060708090a0b0c"),
                        Hex("f0f1f2f3f4f5f6f7f8f9"), 42);
  ASSERT_TRUE(okm.ok()) << okm.status().ToString();
  EXPECT_EQ(ToHex(okm->view()),
            "3cb25f25faacd57a90434f64d0362f2a2d2d0a90cf1a5a4c5db02d56ecc4c5bf34007208d5b887185865");
}

// RFC 5869 appendix A.3, test case 3: no salt, no info.
TEST(HkdfSha256, Rfc5869TestCase3EmptySaltAndInfo) {
  auto okm = HkdfSha256(Bytes(22, '\x0b'), "", "", 42);
  ASSERT_TRUE(okm.ok()) << okm.status().ToString();
  EXPECT_EQ(ToHex(okm->view()),
            "8da4e775a563c18f715f802a063c5a31b8a11f5c5ee1879ec3454e5f3c738d2d9d201395faa4b61a96c8");
}

TEST(HkdfSha256, BadLengthIsRefused) {
  EXPECT_FALSE(HkdfSha256("ikm", "", "", 0).ok());
  EXPECT_FALSE(HkdfSha256("ikm", "", "", 255 * 32 + 1).ok());
}

}  // namespace
}  // namespace shipledger::crypto
