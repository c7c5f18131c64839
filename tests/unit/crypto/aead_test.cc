#include "crypto/aead.h"

#include <gtest/gtest.h>

#include "hex_test_util.h"

namespace shipledger::crypto {
namespace {

std::string Str(const SecretBytes& s) { return std::string(s.view()); }

// McGrew & Viega, "The Galois/Counter Mode of Operation", test case 16 (AES-256, 96-bit IV,
// 60-byte plaintext, 20-byte AAD).
TEST(AesGcm, KnownAnswerTestCase16) {
  const Bytes key = Hex("feffe9928665731c6d6a8f9467308308feffe9928665731c6d6a8f9467308308");
  const Bytes iv = Hex("cafebabefacedbaddecaf888");
  const Bytes aad = Hex("feedfacedeadbeeffeedfacedeadbeefabaddad2");
  const Bytes plain = Hex(
      "d9313225f88406e5a55909c5aff5269a86a7a9531534f7da2e4c303d8a318a721c3c0c95956809532fcf0e2449"
      "a6b525b16aedf5aa0de657ba637b39");
  const Bytes expected = Hex(
      "522dc1f099567d07f47f37a32a84427d643a8cdcbfe5c0c97598a2bd2555d1aa8cb08e48590dbb3da7b08b1056"
      "828838c5f61e6393ba7a0abcc9f662"
      "76fc6ece0f4e1768cddf8853bb2d551b");
  auto sealed = AesGcmSeal(key, iv, aad, plain);
  ASSERT_TRUE(sealed.ok()) << sealed.status().ToString();
  EXPECT_EQ(ToHex(*sealed), ToHex(expected));
  auto opened = AesGcmOpen(key, iv, aad, expected);
  ASSERT_TRUE(opened.ok()) << opened.status().ToString();
  EXPECT_EQ(Str(*opened), plain);
}

// Test case 14: all-zero key, IV and 16-byte plaintext, no AAD.
TEST(AesGcm, KnownAnswerTestCase14) {
  auto sealed = AesGcmSeal(Bytes(32, '\0'), Bytes(12, '\0'), "", Bytes(16, '\0'));
  ASSERT_TRUE(sealed.ok());
  EXPECT_EQ(ToHex(*sealed), "cea7403d4d606b6e074ec5d3baf39d18d0d1c8a799996bf0265b98b5d48ab919");
}

class AesGcmTamper : public ::testing::Test {
 protected:
  const Bytes key_ = Bytes(32, 'k');
  const Bytes iv_ = Bytes(12, 'i');
  const Bytes aad_ = "chain|shipment|nonce|invoice_value";
  const Bytes sealed_ = *AesGcmSeal(key_, iv_, aad_, "EUR 125000");
};

TEST_F(AesGcmTamper, RoundTrip) {
  auto opened = AesGcmOpen(key_, iv_, aad_, sealed_);
  ASSERT_TRUE(opened.ok());
  EXPECT_EQ(Str(*opened), "EUR 125000");
}

TEST_F(AesGcmTamper, WrongKeyFails) {
  Bytes key = key_;
  key[0] ^= 1;
  EXPECT_EQ(AesGcmOpen(key, iv_, aad_, sealed_).status().code(), Code::kInvalidArgument);
}

TEST_F(AesGcmTamper, WrongAadFails) {
  EXPECT_EQ(AesGcmOpen(key_, iv_, aad_ + "x", sealed_).status().code(), Code::kInvalidArgument);
}

TEST_F(AesGcmTamper, WrongIvFails) {
  Bytes iv = iv_;
  iv[11] ^= 1;
  EXPECT_EQ(AesGcmOpen(key_, iv, aad_, sealed_).status().code(), Code::kInvalidArgument);
}

TEST_F(AesGcmTamper, FlippedCiphertextBitFails) {
  Bytes sealed = sealed_;
  sealed[0] ^= 0x80;
  EXPECT_EQ(AesGcmOpen(key_, iv_, aad_, sealed).status().code(), Code::kInvalidArgument);
}

TEST_F(AesGcmTamper, FlippedTagBitFails) {
  Bytes sealed = sealed_;
  sealed.back() ^= 1;
  auto r = AesGcmOpen(key_, iv_, aad_, sealed);
  EXPECT_EQ(r.status().code(), Code::kInvalidArgument);
  EXPECT_NE(r.status().message().find("authentication failed"), std::string::npos);
}

TEST_F(AesGcmTamper, TruncatedFails) {
  EXPECT_FALSE(AesGcmOpen(key_, iv_, aad_, sealed_.substr(0, sealed_.size() - 1)).ok());
  EXPECT_FALSE(AesGcmOpen(key_, iv_, aad_, sealed_.substr(0, 15)).ok());
}

TEST(AesGcm, BadSizesAreRefused) {
  EXPECT_EQ(AesGcmSeal(Bytes(16, 'k'), Bytes(12, 'i'), "", "x").status().code(),
            Code::kInvalidArgument);
  EXPECT_EQ(AesGcmSeal(Bytes(32, 'k'), Bytes(16, 'i'), "", "x").status().code(),
            Code::kInvalidArgument);
  EXPECT_EQ(AesGcmOpen(Bytes(32, 'k'), Bytes(8, 'i'), "", Bytes(32, 'c')).status().code(),
            Code::kInvalidArgument);
}

TEST(AesGcm, EmptyPlaintextIsJustATag) {
  auto sealed = AesGcmSeal(Bytes(32, 'k'), Bytes(12, 'i'), "aad", "");
  ASSERT_TRUE(sealed.ok());
  EXPECT_EQ(sealed->size(), kGcmTagSize);
  auto opened = AesGcmOpen(Bytes(32, 'k'), Bytes(12, 'i'), "aad", *sealed);
  ASSERT_TRUE(opened.ok());
  EXPECT_EQ(opened->size(), 0u);
}

TEST(RandomKey, IsFreshAnd32Bytes) {
  auto a = RandomKey();
  auto b = RandomKey();
  ASSERT_TRUE(a.ok() && b.ok());
  EXPECT_EQ(a->size(), 32u);
  EXPECT_NE(Str(*a), Str(*b));
}

TEST(SecretBytes, MoveLeavesNothingBehind) {
  SecretBytes a(Bytes(32, 's'));
  SecretBytes b(std::move(a));
  EXPECT_EQ(a.size(), 0u);  // NOLINT(bugprone-use-after-move): the point of the test
  EXPECT_EQ(Str(b), Bytes(32, 's'));
}

}  // namespace
}  // namespace shipledger::crypto
