#include "contracts/util.h"

#include <gtest/gtest.h>

namespace shipledger::contracts {
namespace {

TEST(ContractUtil, QuoteWrapsInSingleQuotes) {
  EXPECT_EQ(Quote("CNSHA"), "'CNSHA'");
  EXPECT_EQ(Quote(""), "''");
}

}  // namespace
}  // namespace shipledger::contracts
