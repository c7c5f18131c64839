// GS1 keys: check digits, EPC URNs as Digital Links, Digital Links in canonical form.
#include "interop/gs1_keys.h"

#include <gtest/gtest.h>

namespace shipledger::interop {
namespace {

TEST(Gs1Keys, CheckDigits) {
  EXPECT_EQ(Gs1CheckDigit("0952123454321"), '3');      // GTIN-14 09521234543213
  EXPECT_EQ(Gs1CheckDigit("952123454321"), '3');       // GLN 9521234543213
  EXPECT_EQ(Gs1CheckDigit("09521234000000001"), '3');  // SSCC 095212340000000013
  EXPECT_EQ(Gs1CheckDigit("400638133393"), '1');       // EAN-13 4006381333931
}

TEST(Gs1Keys, EpcUrnsAsDigitalLinks) {
  EXPECT_EQ(EpcUrnToDigitalLink("urn:epc:id:sgtin:9521234.054321.A1"),
            "https://id.gs1.org/01/09521234543213/21/A1");
  EXPECT_EQ(EpcUrnToDigitalLink("urn:epc:class:lgtin:9521234.054321.LOT7"),
            "https://id.gs1.org/01/09521234543213/10/LOT7");
  EXPECT_EQ(EpcUrnToDigitalLink("urn:epc:id:sscc:9521234.0000000001"),
            "https://id.gs1.org/00/095212340000000013");
  EXPECT_EQ(EpcUrnToDigitalLink("urn:epc:id:sgln:9521234.54321.0"),
            "https://id.gs1.org/414/9521234543213");
  EXPECT_EQ(EpcUrnToDigitalLink("urn:epc:id:sgln:9521234.54321.DOCK-2"),
            "https://id.gs1.org/414/9521234543213/254/DOCK-2");
  EXPECT_EQ(EpcUrnToDigitalLink("urn:epc:id:giai:9521234.TL1"),
            "https://id.gs1.org/8004/9521234TL1");
  EXPECT_EQ(EpcUrnToDigitalLink("urn:epc:id:pgln:9521234.54321"),
            "https://id.gs1.org/417/9521234543213");
  EXPECT_EQ(EpcUrnToDigitalLink("urn:epc:id:sgtin:9521234.054321.A(1)"),
            "https://id.gs1.org/01/09521234543213/21/A%281%29");
  for (const char* other : {"urn:epc:id:bic:MSCU1234566", "urn:epc:id:sgtin:95212.34.A1",
                            "urn:epc:id:sgtin:9521234.054321", "urn:uuid:1234", "DEHAM"}) {
    EXPECT_EQ(EpcUrnToDigitalLink(other), std::nullopt) << other;
  }
}

TEST(Gs1Keys, DigitalLinksInCanonicalForm) {
  EXPECT_EQ(CanonicalDigitalLink("https://id.gs1.org/01/09521234543213/21/A1"),
            "https://id.gs1.org/01/09521234543213/21/A1");
  EXPECT_EQ(CanonicalDigitalLink("http://example.com/gtin/9521234543213/lot/L1/ser/A1?x=1"),
            "https://id.gs1.org/01/09521234543213/21/A1");
  EXPECT_EQ(CanonicalDigitalLink("https://brand.example/01/09521234543213/22/V2/10/L1"),
            "https://id.gs1.org/01/09521234543213/10/L1");
  EXPECT_EQ(CanonicalDigitalLink("https://id.gs1.org/414/9521234543213/254/2"),
            "https://id.gs1.org/414/9521234543213/254/2");
  for (const char* other : {"https://example.com/track/ABC", "https://id.gs1.org/21/A1",
                            "https://id.gs1.org/01/12345", "mailto:a@b.c", "https://x.example"}) {
    EXPECT_EQ(CanonicalDigitalLink(other), std::nullopt) << other;
  }
}

}  // namespace
}  // namespace shipledger::interop
