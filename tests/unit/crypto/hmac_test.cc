// HMAC-SHA256 against RFC 4231's test cases, and Base64 against RFC 4648 §10.
#include "crypto/hmac.h"

#include <gtest/gtest.h>

#include "shipledger/bytes.h"

namespace shipledger::crypto {
namespace {

TEST(HmacSha256Test, Rfc4231Cases) {
  // Test case 1: 20 bytes of 0x0b, "Hi There".
  EXPECT_EQ(ToHex(HmacSha256(std::string(20, '\x0b'), "Hi There")),
            "b0344c61d8db38535ca8afceaf0bf12b881dc200c9833da726e9376c2e32cff7");
  // Test case 2: key "Jefe".
  EXPECT_EQ(ToHex(HmacSha256("Jefe", "what do ya want for nothing?")),
            "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843");
  // Test case 6: a key longer than the block (131 bytes of 0xaa).
  EXPECT_EQ(ToHex(HmacSha256(std::string(131, '\xaa'),
                             "Test Using Larger Than Block-Size Key - Hash Key First")),
            "60e431591ee0b67f0d8a26aacbf5b77f8e0bc6213728c5140546040f0ee37f54");
}

TEST(Base64Test, Rfc4648VectorsBothWays) {
  const std::pair<const char*, const char*> vectors[] = {{"", ""},
                                                         {"f", "Zg=="},
                                                         {"fo", "Zm8="},
                                                         {"foo", "Zm9v"},
                                                         {"foob", "Zm9vYg=="},
                                                         {"fooba", "Zm9vYmE="},
                                                         {"foobar", "Zm9vYmFy"}};
  for (const auto& [plain, encoded] : vectors) {
    EXPECT_EQ(Base64Encode(plain), encoded);
    auto decoded = Base64Decode(encoded);
    ASSERT_TRUE(decoded.has_value()) << encoded;
    EXPECT_EQ(*decoded, plain);
  }
  const std::string binary("\x00\xff\x10\x80", 4);
  EXPECT_EQ(*Base64Decode(Base64Encode(binary)), binary);
}

TEST(Base64Test, MalformedTextIsRefused) {
  for (const char* bad : {"Zg=", "Zm9", "Zm9v!A==", "Z===", "=Zm9", "Zg==Zg==", "Zm 9v"}) {
    EXPECT_FALSE(Base64Decode(bad).has_value()) << bad;
  }
}

}  // namespace
}  // namespace shipledger::crypto
