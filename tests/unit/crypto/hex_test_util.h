// Hex test vectors for the crypto tests.
#pragma once

#include <gtest/gtest.h>

#include <string_view>

#include "shipledger/bytes.h"

namespace shipledger::crypto {

// The bytes of a hex test vector; a test failure (and empty bytes) if it is not hex.
inline Bytes Hex(std::string_view hex) {
  auto b = FromHex(hex);
  EXPECT_TRUE(b.has_value()) << hex;
  return b.value_or(Bytes());
}

}  // namespace shipledger::crypto
