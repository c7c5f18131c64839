#include "cli/contract_flags.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

namespace shipledger::cli {
namespace {

constexpr int64_t kNow = 1795000000000;

v1::Event EventOf(v1::EventType type) {
  v1::Event e;
  e.set_type(type);
  return e;
}

// The message of a failed ApplyContractFlags, or "" when it succeeded.
std::string Error(const ContractFlags& flags, v1::Event* event) {
  const Status s = ApplyContractFlags(flags, kNow, event);
  if (!s.ok()) {
    EXPECT_EQ(s.code(), Code::kInvalidArgument);
  }
  return s.ok() ? "" : s.message();
}

TEST(ParseDurationMs, ReadsEachUnitAndCompounds) {
  EXPECT_EQ(*ParseDurationMs("45s", "--tolerance"), 45000);
  EXPECT_EQ(*ParseDurationMs("30m", "--tolerance"), 1800000);
  EXPECT_EQ(*ParseDurationMs("2h", "--tolerance"), 7200000);
  EXPECT_EQ(*ParseDurationMs("30d", "--tolerance"), int64_t{30} * 86400000);
  EXPECT_EQ(*ParseDurationMs("1500ms", "--tolerance"), 1500);
  EXPECT_EQ(*ParseDurationMs("1h30m", "--tolerance"), 5400000);
}

TEST(ParseDurationMs, RefusesMissingOrUnknownUnitsNamingTheFlag) {
  for (const char* bad : {"", "30", "m", "30x", "1.5h", "-5m", "99999999999999999d"}) {
    auto d = ParseDurationMs(bad, "--tolerance");
    ASSERT_FALSE(d.ok()) << bad;
    EXPECT_NE(d.status().message().find("--tolerance expects a duration"), std::string::npos)
        << d.status().message();
  }
}

TEST(ParseMilli, ReadsDecimalsUpToThreePlaces) {
  EXPECT_EQ(*ParseMilli("2", "f"), 2000);
  EXPECT_EQ(*ParseMilli("8.125", "f"), 8125);
  EXPECT_EQ(*ParseMilli("-0.5", "f"), -500);
  EXPECT_EQ(*ParseMilli("-25", "f"), -25000);
  for (const char* bad : {"", "-", "1.", ".5", "1.2345", "abc", "+3", "1,5"}) {
    EXPECT_FALSE(ParseMilli(bad, "f").ok()) << bad;
  }
}

TEST(ParseLegPlan, ReadsRouteModeCarrierAndCapabilities) {
  auto open = ParseLegPlan("DEHAM:USNYC:sea");
  ASSERT_TRUE(open.ok());
  EXPECT_EQ(open->origin(), "DEHAM");
  EXPECT_EQ(open->destination(), "USNYC");
  EXPECT_EQ(open->mode(), v1::TRANSPORT_MODE_SEA);
  EXPECT_EQ(open->carrier(), "");
  auto named = ParseLegPlan("USNYC:USCHI:Rail:railco:cold:dg");
  ASSERT_TRUE(named.ok());
  EXPECT_EQ(named->mode(), v1::TRANSPORT_MODE_RAIL);
  EXPECT_EQ(named->carrier(), "railco");
  EXPECT_TRUE(named->temperature_controlled());
  EXPECT_TRUE(named->dangerous_goods());
  auto reopened = ParseLegPlan("DEHAM:USNYC:air:open:cold");
  ASSERT_TRUE(reopened.ok());
  EXPECT_EQ(reopened->carrier(), "");
  EXPECT_TRUE(reopened->temperature_controlled());
  EXPECT_FALSE(reopened->dangerous_goods());
}

TEST(ParseLegPlan, RefusesMalformedLegsWithTheAcceptedForm) {
  for (const char* bad : {"DEHAM:USNYC", ":USNYC:sea", "DEHAM:USNYC:boat", "DEHAM:USNYC:sea:a:b",
                          "DEHAM:USNYC:sea:cold:cold"}) {
    auto leg = ParseLegPlan(bad);
    ASSERT_FALSE(leg.ok()) << bad;
    EXPECT_NE(leg.status().message().find("--leg"), std::string::npos) << leg.status().message();
  }
}

TEST(ParseReading, ReadsIsoOrUnixTimeValueUnitAndDevice) {
  auto r = ParseReading("2026-11-19T10:00:00Z,4.5,C,probe-1");
  ASSERT_TRUE(r.ok()) << r.status().message();
  EXPECT_EQ(r->time_ms(), 1795082400000);
  EXPECT_EQ(r->value_milli(), 4500);
  EXPECT_EQ(r->unit(), "C");
  EXPECT_EQ(r->device_id(), "probe-1");
  auto f = ParseReading("1795000000000,-40,f,p2");
  ASSERT_TRUE(f.ok());
  EXPECT_EQ(f->time_ms(), kNow);
  EXPECT_EQ(f->unit(), "F");
  for (const char* bad : {"1795000000000,4,C", "1795000000000,4,K,p", "yesterday,4,C,p",
                          "1795000000000,warm,C,p", "1795000000000,4,C,"}) {
    EXPECT_FALSE(ParseReading(bad).ok()) << bad;
  }
}

TEST(ParseReadingsCsv, SkipsHeaderCommentsAndBlankLinesAndNamesTheBadLine) {
  auto ok = ParseReadingsCsv(
      "time,value,unit,device\r\n# probe\n\n1795000000000,3,C,p\n"
      "1795000060000,9.5,C,p\n",
      "r.csv");
  ASSERT_TRUE(ok.ok()) << ok.status().message();
  ASSERT_EQ(ok->size(), 2u);
  EXPECT_EQ((*ok)[1].value_milli(), 9500);
  auto bad = ParseReadingsCsv("1795000000000,3,C,p\n1795000060000,x,C,p\n", "r.csv");
  ASSERT_FALSE(bad.ok());
  EXPECT_NE(bad.status().message().find("r.csv line 2"), std::string::npos)
      << bad.status().message();
}

TEST(ParseTimeOrOffset, ReadsTimesAndOffsetsFromNow) {
  EXPECT_EQ(*ParseTimeOrOffset("+30d", "--valid-until", kNow), kNow + int64_t{30} * 86400000);
  EXPECT_EQ(*ParseTimeOrOffset("1795000000123", "--valid-until", kNow), 1795000000123);
  auto bad = ParseTimeOrOffset("soon", "--valid-until", kNow);
  ASSERT_FALSE(bad.ok());
  EXPECT_NE(bad.status().message().find("+DURATION"), std::string::npos);
}

TEST(ApplyContractFlags, BookedGetsRouteColdChainAndReturnTerms) {
  ContractFlags f;
  f.consignee = "importer";
  f.legs = {"DEHAM:USNYC:sea", "USNYC:USCHI:road:truckco"};
  f.match = "first";
  f.currency = "EUR";
  f.temp_range = "2:8";
  f.tolerance = "30m";
  f.return_window = "30d";
  f.return_reasons = {"damaged", "wrong item"};
  f.return_condition = "unopened";
  f.return_payer = "exporter";
  f.return_address = "DEHAM";
  v1::Event e = EventOf(v1::EVENT_TYPE_BOOKED);
  ASSERT_EQ(Error(f, &e), "");
  const v1::BookingTerms& b = e.booking();
  EXPECT_EQ(b.consignee(), "importer");
  ASSERT_EQ(b.legs_size(), 2);
  EXPECT_EQ(b.legs(1).carrier(), "truckco");
  EXPECT_EQ(b.match_rule(), v1::MATCH_RULE_FIRST_REGISTERED);
  EXPECT_EQ(b.currency(), "EUR");
  EXPECT_EQ(b.cold_chain().min_milli_c(), 2000);
  EXPECT_EQ(b.cold_chain().max_milli_c(), 8000);
  EXPECT_EQ(b.cold_chain().tolerance_ms(), 1800000);
  EXPECT_EQ(b.returns().window_ms(), int64_t{30} * 86400000);
  EXPECT_EQ(b.returns().allowed_reasons_size(), 2);
  EXPECT_EQ(b.returns().condition_required(), "unopened");
  EXPECT_EQ(b.returns().payer(), "exporter");
  EXPECT_EQ(b.returns().return_address(), "DEHAM");
}

TEST(ApplyContractFlags, LatestArrivalSetsTheNamedLeg) {
  ContractFlags f;
  f.legs = {"DEHAM:USNYC:sea", "USNYC:USCHI:road"};
  f.latest_arrivals = {"2=1795000000000"};
  v1::Event e = EventOf(v1::EVENT_TYPE_BOOKED);
  ASSERT_EQ(Error(f, &e), "");
  EXPECT_EQ(e.booking().legs(0).latest_arrival_ms(), 0);
  EXPECT_EQ(e.booking().legs(1).latest_arrival_ms(), kNow);
  for (const char* bad :
       {"3=1795000000000", "0=1795000000000", "x=1795000000000", "1=soon", "1795000000000"}) {
    f.latest_arrivals = {bad};
    v1::Event b = EventOf(v1::EVENT_TYPE_BOOKED);
    EXPECT_NE(Error(f, &b).find("--latest-arrival"), std::string::npos) << bad;
  }
}

TEST(ApplyContractFlags, NegativeTemperatureRangeAndPlainBookingWithoutTerms) {
  ContractFlags f;
  f.temp_range = "-25:-18.5";
  v1::Event e = EventOf(v1::EVENT_TYPE_BOOKED);
  ASSERT_EQ(Error(f, &e), "");
  EXPECT_EQ(e.booking().cold_chain().min_milli_c(), -25000);
  EXPECT_EQ(e.booking().cold_chain().max_milli_c(), -18500);
  v1::Event plain = EventOf(v1::EVENT_TYPE_BOOKED);
  ASSERT_EQ(Error(ContractFlags(), &plain), "");
  EXPECT_FALSE(plain.has_booking());
}

TEST(ApplyContractFlags, BookedRefusesBadTermsSayingWhy) {
  auto error_of = [](ContractFlags f) {
    v1::Event e = EventOf(v1::EVENT_TYPE_BOOKED);
    return Error(f, &e);
  };
  ContractFlags f;
  f.match = "best";
  EXPECT_NE(error_of(f).find("cheapest or first"), std::string::npos);
  f = ContractFlags();
  f.tolerance = "30m";
  EXPECT_NE(error_of(f).find("--tolerance needs --temp-range"), std::string::npos);
  f = ContractFlags();
  f.temp_range = "8:2";
  EXPECT_NE(error_of(f).find("MIN <= MAX"), std::string::npos);
  f = ContractFlags();
  f.return_payer = "exporter";
  EXPECT_NE(error_of(f).find("--return-window"), std::string::npos);
}

TEST(ApplyContractFlags, AFlagOfAnotherTypeIsAnErrorNamingTheType) {
  ContractFlags f;
  f.legs = {"DEHAM:USNYC:sea"};
  v1::Event pickup = EventOf(v1::EVENT_TYPE_PICKUP);
  EXPECT_EQ(Error(f, &pickup), "--leg does not apply to a pickup event (it is for booked)");
  ContractFlags g;
  g.reason = "typo";
  v1::Event offer = EventOf(v1::EVENT_TYPE_CARRIER_OFFER);
  EXPECT_EQ(Error(g, &offer),
            "--reason does not apply to a carrier_offer event (it is for return_requested, "
            "error_declaration, certificate_revocation)");
  ContractFlags h;
  h.cold_chain = true;
  v1::Event booked = EventOf(v1::EVENT_TYPE_BOOKED);
  EXPECT_NE(Error(h, &booked).find("--cold-chain does not apply to a booked event"),
            std::string::npos);
  EXPECT_TRUE(AnyContractFlag(h));
  EXPECT_FALSE(AnyContractFlag(ContractFlags()));
}

TEST(ApplyContractFlags, SensorReadingsFromFlagsAndFile) {
  const auto path = std::filesystem::temp_directory_path() / "contract_flags_readings.csv";
  {
    std::ofstream csv(path);
    csv << "time,value,unit,device\n1795000120000,12,C,p\n";
  }
  ContractFlags f;
  f.readings = {"1795000000000,4,C,p", "1795000060000,5,C,p"};
  f.readings_file = path.string();
  v1::Event e = EventOf(v1::EVENT_TYPE_SENSOR_READINGS);
  ASSERT_EQ(Error(f, &e), "");
  ASSERT_EQ(e.readings_size(), 3);
  EXPECT_EQ(e.readings(2).value_milli(), 12000);
  std::filesystem::remove(path);
  v1::Event none = EventOf(v1::EVENT_TYPE_SENSOR_READINGS);
  EXPECT_NE(Error(ContractFlags(), &none).find("needs --reading"), std::string::npos);
  ContractFlags missing;
  missing.readings_file = path.string();
  v1::Event e2 = EventOf(v1::EVENT_TYPE_SENSOR_READINGS);
  const Status unreadable = ApplyContractFlags(missing, kNow, &e2);
  ASSERT_FALSE(unreadable.ok());
  EXPECT_NE(unreadable.message().find("--readings-file"), std::string::npos);
}

TEST(ApplyContractFlags, CarrierOfferGetsModesLanesCapabilitiesPriceAndValidity) {
  ContractFlags f;
  f.modes = {"sea", "road"};
  f.lanes = {"DE:USNYC", "NLRTM:US"};
  f.cold_chain = true;
  f.dangerous_goods = true;
  f.price = "120000";
  f.currency = "EUR";
  f.valid_from = "1795000000000";
  f.valid_until = "+30d";
  v1::Event e = EventOf(v1::EVENT_TYPE_CARRIER_OFFER);
  ASSERT_EQ(Error(f, &e), "");
  const v1::CarrierOffer& o = e.offer();
  ASSERT_EQ(o.modes_size(), 2);
  EXPECT_EQ(o.modes(1), v1::TRANSPORT_MODE_ROAD);
  ASSERT_EQ(o.lanes_size(), 2);
  EXPECT_EQ(o.lanes(0).origin(), "DE");
  EXPECT_EQ(o.lanes(1).destination(), "US");
  EXPECT_TRUE(o.cold_chain());
  EXPECT_TRUE(o.dangerous_goods());
  EXPECT_EQ(o.price_minor(), 120000);
  EXPECT_EQ(o.currency(), "EUR");
  EXPECT_EQ(o.valid_from_ms(), kNow);
  EXPECT_EQ(o.valid_until_ms(), kNow + int64_t{30} * 86400000);
  for (auto bad : {std::make_pair("lane", "DEHAM"), std::make_pair("price", "12.50"),
                   std::make_pair("price", "-1"), std::make_pair("mode", "boat")}) {
    ContractFlags g;
    if (std::string(bad.first) == "lane") g.lanes = {bad.second};
    if (std::string(bad.first) == "price") g.price = bad.second;
    if (std::string(bad.first) == "mode") g.modes = {bad.second};
    v1::Event o2 = EventOf(v1::EVENT_TYPE_CARRIER_OFFER);
    EXPECT_NE(Error(g, &o2).find("--" + std::string(bad.first)), std::string::npos) << bad.second;
  }
}

TEST(ApplyContractFlags, CarrierWithdrawalTakesNoPayloadFlags) {
  v1::Event e = EventOf(v1::EVENT_TYPE_CARRIER_WITHDRAWAL);
  EXPECT_EQ(Error(ContractFlags(), &e), "");
  ContractFlags f;
  f.price = "1";
  EXPECT_NE(Error(f, &e).find("carrier_withdrawal"), std::string::npos);
}

TEST(ApplyContractFlags, LegReassignmentNeedsLegAndCarrierAndOpenReopens) {
  ContractFlags f;
  f.leg_number = "2";
  f.reverse = true;
  f.carrier = "open";
  v1::Event e = EventOf(v1::EVENT_TYPE_LEG_REASSIGNMENT);
  ASSERT_EQ(Error(f, &e), "");
  EXPECT_EQ(e.reassignment().leg(), 2u);
  EXPECT_TRUE(e.reassignment().reverse());
  EXPECT_EQ(e.reassignment().carrier(), "");
  f.carrier = "shipco";
  v1::Event named = EventOf(v1::EVENT_TYPE_LEG_REASSIGNMENT);
  ASSERT_EQ(Error(f, &named), "");
  EXPECT_EQ(named.reassignment().carrier(), "shipco");
  f.leg_number = "0";
  v1::Event zero = EventOf(v1::EVENT_TYPE_LEG_REASSIGNMENT);
  EXPECT_NE(Error(f, &zero).find("--leg-number"), std::string::npos);
  ContractFlags missing;
  missing.leg_number = "1";
  v1::Event m = EventOf(v1::EVENT_TYPE_LEG_REASSIGNMENT);
  EXPECT_NE(Error(missing, &m).find("--carrier"), std::string::npos);
}

TEST(ApplyContractFlags, ReturnRequestNeedsAReason) {
  ContractFlags f;
  f.reason = "damaged";
  f.condition = "unopened";
  v1::Event e = EventOf(v1::EVENT_TYPE_RETURN_REQUESTED);
  ASSERT_EQ(Error(f, &e), "");
  EXPECT_EQ(e.return_request().reason(), "damaged");
  EXPECT_EQ(e.return_request().condition(), "unopened");
  v1::Event none = EventOf(v1::EVENT_TYPE_RETURN_REQUESTED);
  EXPECT_NE(Error(ContractFlags(), &none).find("--reason"), std::string::npos);
}

TEST(ApplyContractFlags, ErrorDeclarationGetsIdsReasonAndCorrectives) {
  const std::string a(64, 'a'), b(64, 'b');
  ContractFlags f;
  f.erroneous_event = a;
  f.reason = "wrong container";
  f.corrective = {b};
  v1::Event e = EventOf(v1::EVENT_TYPE_ERROR_DECLARATION);
  ASSERT_EQ(Error(f, &e), "");
  EXPECT_EQ(e.error_declaration().event_id(), std::string(32, '\xaa'));
  EXPECT_EQ(e.error_declaration().reason(), "wrong container");
  ASSERT_EQ(e.error_declaration().corrective_event_ids_size(), 1);
  EXPECT_EQ(e.error_declaration().corrective_event_ids(0), std::string(32, '\xbb'));
  f.corrective = {"abc"};
  v1::Event bad = EventOf(v1::EVENT_TYPE_ERROR_DECLARATION);
  EXPECT_NE(Error(f, &bad).find("--corrective"), std::string::npos);
  ContractFlags missing;
  missing.reason = "x";
  v1::Event m = EventOf(v1::EVENT_TYPE_ERROR_DECLARATION);
  EXPECT_NE(Error(missing, &m).find("--erroneous-event"), std::string::npos);
}

TEST(ApplyContractFlags, CertificateRevocationTakesTheFingerprintAsOpensslPrintsIt) {
  ContractFlags f;
  f.fingerprint = "AB";
  for (int i = 1; i < 32; ++i) f.fingerprint += ":CD";
  f.reason = "laptop stolen";
  v1::Event e = EventOf(v1::EVENT_TYPE_CERTIFICATE_REVOCATION);
  ASSERT_EQ(Error(f, &e), "");
  std::string expected = "\xab";
  for (int i = 1; i < 32; ++i) expected += "\xcd";
  EXPECT_EQ(e.revocation().fingerprint(), expected);
  EXPECT_EQ(e.revocation().reason(), "laptop stolen");
  // Without --shipment, the id names the certificate.
  EXPECT_EQ(
      e.shipment_id(), "revocation-ab" + [] {
        std::string hex;
        for (int i = 1; i < 32; ++i) hex += "cd";
        return hex;
      }());
  v1::Event named = EventOf(v1::EVENT_TYPE_CERTIFICATE_REVOCATION);
  named.set_shipment_id("my-id");
  ASSERT_EQ(Error(f, &named), "");
  EXPECT_EQ(named.shipment_id(), "my-id");

  ContractFlags short_one;
  short_one.fingerprint = "abcd";
  v1::Event bad = EventOf(v1::EVENT_TYPE_CERTIFICATE_REVOCATION);
  EXPECT_NE(Error(short_one, &bad).find("64 hex digits"), std::string::npos);
  v1::Event none = EventOf(v1::EVENT_TYPE_CERTIFICATE_REVOCATION);
  EXPECT_NE(Error(ContractFlags(), &none).find("needs --fingerprint"), std::string::npos);
  ContractFlags only_fingerprint;
  only_fingerprint.fingerprint = f.fingerprint;
  v1::Event pickup = EventOf(v1::EVENT_TYPE_PICKUP);
  EXPECT_NE(Error(only_fingerprint, &pickup).find("--fingerprint"), std::string::npos);
}

}  // namespace
}  // namespace shipledger::cli
