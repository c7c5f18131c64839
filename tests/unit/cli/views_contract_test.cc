#include "cli/views_contract.h"

#include <gtest/gtest.h>

#include <limits>
#include <sstream>

#include "cli/views.h"

namespace shipledger::cli {
namespace {

const std::string kEventId(32, '\x11');

v1::ContractOutput Output(v1::ContractOutput::Kind kind) {
  v1::ContractOutput o;
  o.set_kind(kind);
  o.set_shipment_id("SHP-1");
  o.set_leg(2);
  return o;
}

// A cold-chain shipment on two legs (the first matched, the second open) with an excursion,
// return terms, one rejected return request and one erroneous event.
v1::ShipmentState ContractShipment() {
  v1::ShipmentState s;
  s.set_shipment_id("SHP-1");
  s.set_consignee("importer");
  s.set_currency("EUR");
  s.set_current_leg(1);
  v1::Leg* first = s.add_legs();
  first->mutable_plan()->set_origin("DEHAM");
  first->mutable_plan()->set_destination("USNYC");
  first->mutable_plan()->set_mode(v1::TRANSPORT_MODE_SEA);
  first->mutable_plan()->set_temperature_controlled(true);
  first->set_status(v1::LEG_STATUS_ACTIVE);
  first->set_carrier("shipco");
  first->set_offer_id("OFFER-7");
  first->set_price_minor(120000);
  v1::Leg* second = s.add_legs();
  second->mutable_plan()->set_origin("USNYC");
  second->mutable_plan()->set_destination("USCHI");
  second->mutable_plan()->set_mode(v1::TRANSPORT_MODE_ROAD);
  second->set_status(v1::LEG_STATUS_OPEN);
  second->set_open_reason("no carrier offer is registered");
  s.mutable_cold_chain()->set_min_milli_c(2000);
  s.mutable_cold_chain()->set_max_milli_c(8000);
  s.mutable_cold_chain()->set_tolerance_ms(1800000);
  v1::CustodySegment* g = s.add_segments();
  g->set_leg(1);
  g->set_custodian("shipco");
  g->set_from_ms(1795000000000);
  g->set_readings(3);
  g->set_min_milli_c(4000);
  g->set_max_milli_c(12500);
  g->set_out_of_range_ms(2400000);
  s.set_excursion(true);
  s.set_out_of_range_ms(2400000);
  s.mutable_return_terms()->set_window_ms(int64_t{30} * 86400000);
  s.mutable_return_terms()->add_allowed_reasons("damaged");
  s.mutable_return_terms()->set_payer("exporter");
  v1::ReturnRecord* r = s.add_returns();
  r->set_reason("changed mind");
  r->set_requested_at_ms(1795000000000);
  r->set_decision("reason 'changed mind' is not allowed");
  v1::ErrorMark* mark = s.add_errors();
  mark->set_event_id(kEventId);
  mark->set_reason("wrong seal number");
  mark->add_corrective_event_ids(std::string(32, '\x22'));
  mark->set_height(7);
  return s;
}

TEST(FormatPrice, MinorUnitsWithTwoDecimalsAndCurrency) {
  EXPECT_EQ(FormatPrice(120000), "1200.00");
  EXPECT_EQ(FormatPrice(5, "EUR"), "EUR 0.05");
  EXPECT_EQ(FormatPrice(-150), "-1.50");
  EXPECT_EQ(FormatPrice(std::numeric_limits<int64_t>::min()), "-92233720368547758.08");
}

TEST(ContractOutputText, OneLinePerKind) {
  v1::ContractOutput assigned = Output(v1::ContractOutput::KIND_LEG_ASSIGNED);
  assigned.set_carrier("carrier-x");
  assigned.set_offer_id("O");
  assigned.set_price_minor(120000);
  EXPECT_EQ(ContractOutputText(assigned),
            "→ leg 2 assigned to carrier-x (offer O, 1200.00) [SHP-1]");
  v1::ContractOutput open = Output(v1::ContractOutput::KIND_LEG_OPEN);
  open.set_reverse(true);
  open.set_reason("no carrier offer is registered");
  EXPECT_EQ(ContractOutputText(open), "→ return leg 2 open: no carrier offer is registered");
  v1::ContractOutput rejected = Output(v1::ContractOutput::KIND_RETURN_REJECTED);
  rejected.set_reason("window closed");
  EXPECT_EQ(ContractOutputText(rejected), "→ return rejected: window closed");
  EXPECT_EQ(ContractOutputText(Output(v1::ContractOutput::KIND_RETURN_APPROVED)),
            "→ return approved");
  v1::ContractOutput excursion = Output(v1::ContractOutput::KIND_EXCURSION);
  excursion.set_reason("40 min outside 2..8");
  EXPECT_EQ(ContractOutputText(excursion), "→ EXCURSION: 40 min outside 2..8");
  EXPECT_EQ(WatchAlertLine(excursion), "ALERT excursion SHP-1: 40 min outside 2..8");
  v1::ContractOutput erroneous = Output(v1::ContractOutput::KIND_EVENT_ERRONEOUS);
  erroneous.set_event_id(kEventId);
  erroneous.set_reason("typo");
  EXPECT_EQ(ContractOutputText(erroneous), "→ event 1111111111111111 declared erroneous: typo");
}

TEST(TimelineNotes, MarkTheErroneousEventThenListTheOutputs) {
  const v1::ShipmentState s = ContractShipment();
  v1::TimelineEntry entry;
  entry.set_event_id(kEventId);
  v1::ContractOutput* o = entry.mutable_receipt()->add_outputs();
  o->set_kind(v1::ContractOutput::KIND_EXCURSION);
  o->set_reason("too warm");
  const auto notes = TimelineNotes(entry, s);
  ASSERT_EQ(notes.size(), 2u);
  EXPECT_EQ(notes[0], "ERRONEOUS: wrong seal number; corrected by 2222222222222222");
  EXPECT_EQ(notes[1], "→ EXCURSION: too warm");
  entry.set_event_id(std::string(32, '\x33'));
  entry.clear_receipt();
  EXPECT_TRUE(TimelineNotes(entry, s).empty());
}

TEST(PrintContractState, ShowsLegsColdChainReturnsAndErrors) {
  std::ostringstream out;
  PrintContractState(out, ContractShipment());
  const std::string text = out.str();
  for (const char* expected :
       {"consignee importer", "route", "1*", "SEA cold", "DEHAM→USNYC", "ACTIVE",
        "shipco (offer OFFER-7, EUR 1200.00)", "USNYC→USCHI", "OPEN",
        "open: no carrier offer is registered", "cold chain 2.000 °C .. 8.000 °C, tolerance 30 min",
        "leg 1", "12.500 °C", "40 min", "EXCURSION: 40 min out of range exceeds the 30 min",
        "return terms: window 30 d; reasons damaged; condition any; paid by exporter",
        "REJECTED: reason 'changed mind' is not allowed", "errors",
        "event 1111111111111111 at height 7: ERRONEOUS: wrong seal number"}) {
    EXPECT_NE(text.find(expected), std::string::npos) << expected << "\n" << text;
  }
}

TEST(PrintContractState, PrintsNothingForAShipmentWithoutTerms) {
  std::ostringstream out;
  PrintContractState(out, v1::ShipmentState());
  EXPECT_EQ(out.str(), "");
}

TEST(ReceiptJson, CarriesTheContractOutputs) {
  v1::Receipt receipt;
  v1::ContractOutput* o = receipt.add_outputs();
  o->set_kind(v1::ContractOutput::KIND_LEG_ASSIGNED);
  o->set_carrier("carrier-x");
  const std::string json = RenderJson(ReceiptJson(receipt).ToValue(), true);
  EXPECT_NE(json.find("\"outputs\":[{"), std::string::npos) << json;
  EXPECT_NE(json.find("\"kind\":\"LEG_ASSIGNED\""), std::string::npos) << json;
  EXPECT_NE(json.find("\"carrier\":\"carrier-x\""), std::string::npos) << json;
}

}  // namespace
}  // namespace shipledger::cli
