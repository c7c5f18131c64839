#include "crypto/sha256.h"

#include <gtest/gtest.h>

#include <string>

namespace shipledger::crypto {
namespace {

// FIPS 180-2 Appendix B / NIST CAVP example vectors.
TEST(Sha256, EmptyInput) {
  EXPECT_EQ(ToHex(Sha256(ByteView())),
            "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
}

TEST(Sha256, Abc) {
  EXPECT_EQ(ToHex(Sha256("abc")),
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
}

TEST(Sha256, TwoBlockMessage) {
  EXPECT_EQ(ToHex(Sha256("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq")),
            "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1");
}

TEST(Sha256, MillionA) {
  EXPECT_EQ(ToHex(Sha256(std::string(1000000, 'a'))),
            "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0");
}

TEST(Sha256, DigestIs32Bytes) { EXPECT_EQ(Sha256("x").size(), kSha256Size); }

TEST(Sha256, HandlesEmbeddedZeroBytes) {
  const std::string with_zero("a\0b", 3);
  EXPECT_NE(Sha256(with_zero), Sha256("a"));
  EXPECT_NE(Sha256(with_zero), Sha256(std::string("a\0", 2)));
}

TEST(Sha256, PartsHashAsTheirConcatenation) {
  EXPECT_EQ(Sha256({"ab", "", "c"}), Sha256("abc"));
  EXPECT_EQ(Sha256({}), Sha256(ByteView()));
}

TEST(Sha256Hasher, IncrementalMatchesOneShot) {
  const std::string msg = "abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq";
  Sha256Hasher hasher;
  for (char c : msg) hasher.Update(ByteView(&c, 1));
  EXPECT_EQ(hasher.Finish(), Sha256(msg));
}

TEST(Sha256Hasher, NoUpdatesIsEmptyDigest) {
  Sha256Hasher hasher;
  EXPECT_EQ(hasher.Finish(), Sha256(ByteView()));
}

TEST(Sha256Hasher, IndependentHashersDoNotInterfere) {
  Sha256Hasher a;
  Sha256Hasher b;
  a.Update("ab");
  b.Update("xy");
  a.Update("c");
  EXPECT_EQ(a.Finish(), Sha256("abc"));
  EXPECT_EQ(b.Finish(), Sha256("xy"));
}

}  // namespace
}  // namespace shipledger::crypto
