// Contract rules v2: route legs, carrier offers and matching, reassignment, route hand-overs.
#include <functional>

#include "contract_v2_fixture.h"

namespace shipledger::contracts {
namespace {

using namespace testutil;  // NOLINT(google-build-using-namespace): test helpers
using ::testing::HasSubstr;
using Kind = v1::ContractOutput;

constexpr auto kRoad = v1::TRANSPORT_MODE_ROAD;
constexpr auto kSea = v1::TRANSPORT_MODE_SEA;
constexpr char kCarrierB[] = "carrier-b";

// road CNSZX→CNSHA by carrier-co, sea CNSHA→NLRTM open, road NLRTM→DEHAM by forwarder-co.
std::vector<v1::LegPlan> Multimodal() {
  return {Leg("CNSZX", "CNSHA", kRoad, kCarrier), Leg("CNSHA", "NLRTM", kSea),
          Leg("NLRTM", "DEHAM", kRoad, kForwarder)};
}

TEST_F(RulesV2Test, OpenLegWithoutOffersStaysOpenWithTheReasonAndIsIndexed) {
  const v1::Receipt r = ExpectValid(BookedWith(Multimodal()));
  ASSERT_EQ(r.outputs_size(), 1);
  EXPECT_EQ(r.outputs(0).kind(), Kind::KIND_LEG_OPEN);
  EXPECT_EQ(r.outputs(0).leg(), 2u);
  EXPECT_EQ(r.outputs(0).reason(), "no carrier offer is registered");
  const v1::ShipmentState& s = Shipment();
  ASSERT_EQ(s.legs_size(), 3);
  EXPECT_EQ(s.legs(0).status(), v1::LEG_STATUS_ASSIGNED);
  EXPECT_EQ(s.legs(1).status(), v1::LEG_STATUS_OPEN);
  EXPECT_EQ(s.legs(2).carrier(), kForwarder);
  EXPECT_EQ(s.consignee(), kImporter);
  EXPECT_THAT(s.parties(), ::testing::IsSupersetOf({kCarrier, kForwarder, kImporter}));
  EXPECT_EQ(state_.records().count("open/SHP-1/f/0002"), 1u);
}

TEST_F(RulesV2Test, QualifyingOfferArrivingLaterIsMatchedInItsReceipt) {
  ExpectValid(BookedWith(Multimodal()));
  const v1::Receipt r = ExpectValid(Offer(kCarrierB, "OFFER-1", kSea, "CN", "NLRTM", 90000));
  ASSERT_EQ(r.outputs_size(), 1);
  EXPECT_EQ(r.outputs(0).kind(), Kind::KIND_LEG_ASSIGNED);
  EXPECT_EQ(r.outputs(0).shipment_id(), kShipment);
  EXPECT_EQ(r.outputs(0).carrier(), kCarrierB);
  EXPECT_EQ(r.outputs(0).offer_id(), "OFFER-1");
  EXPECT_EQ(r.outputs(0).price_minor(), 90000);
  EXPECT_EQ(Shipment().legs(1).status(), v1::LEG_STATUS_ASSIGNED);
  EXPECT_EQ(Shipment().legs(1).carrier(), kCarrierB);
  EXPECT_THAT(Shipment().parties(), ::testing::Contains(kCarrierB));
  EXPECT_EQ(state_.records().count("open/SHP-1/f/0002"), 0u);
}

TEST_F(RulesV2Test, CheapestRuleTakesTheLowestPriceAndFirstRuleTheEarliestOffer) {
  ExpectValid(Offer(kCarrierB, "OFFER-A", kSea, "CNSHA", "NLRTM", 120000));
  ExpectValid(Offer(kForwarder, "OFFER-B", kSea, "CNSHA", "NLRTM", 80000));
  ExpectValid(BookedWith({Leg("CNSHA", "NLRTM", kSea)}));
  EXPECT_EQ(Shipment().legs(0).offer_id(), "OFFER-B");

  v1::BookingTerms first;
  first.set_match_rule(v1::MATCH_RULE_FIRST_REGISTERED);
  ExpectValid(BookedWith({Leg("CNSHA", "NLRTM", kSea)}, first, "SHP-2"));
  EXPECT_EQ(Shipment("SHP-2").legs(0).offer_id(), "OFFER-A");
}

TEST_F(RulesV2Test, EqualPricesAreBrokenByRegistrationOrderWithinABlock) {
  RunBlock({Offer(kForwarder, "OFFER-Z", kSea, "CNSHA", "NLRTM", 100),
            Offer(kCarrierB, "OFFER-A", kSea, "CNSHA", "NLRTM", 100)});
  ExpectValid(BookedWith({Leg("CNSHA", "NLRTM", kSea)}));
  EXPECT_EQ(Shipment().legs(0).offer_id(), "OFFER-Z");  // registered first, despite its id
}

struct Unqualified {
  const char* name;
  std::function<void(model::AdmittedEvent*)> change;  // applied to a qualifying offer
  const char* category;
};

TEST_F(RulesV2Test, EachUnmetRequirementLeavesTheLegOpenWithItsCategory) {
  v1::LegPlan leg = Leg("CNSHA", "NLRTM", kSea);
  leg.set_temperature_controlled(true);
  leg.set_dangerous_goods(true);
  leg.set_latest_arrival_ms(kT0 + 500 * kMinute);
  const std::vector<Unqualified> cases = {
      {"mode", [](model::AdmittedEvent* e) { e->event.mutable_offer()->set_modes(0, kRoad); },
       "1 serve another mode"},
      {"lane",
       [](model::AdmittedEvent* e) {
         e->event.mutable_offer()->mutable_lanes(0)->set_destination("BEANR");
       },
       "1 serve no matching lane"},
      {"cold chain",
       [](model::AdmittedEvent* e) { e->event.mutable_offer()->set_cold_chain(false); },
       "1 lack cold chain"},
      {"dangerous goods",
       [](model::AdmittedEvent* e) { e->event.mutable_offer()->set_dangerous_goods(false); },
       "1 lack dangerous goods"},
      {"currency", [](model::AdmittedEvent* e) { e->event.mutable_offer()->set_currency("USD"); },
       "1 quote another currency"},
      {"latest arrival",
       [](model::AdmittedEvent* e) {
         e->event.mutable_offer()->set_valid_until_ms(kT0 + 400 * kMinute);
       },
       "1 expire before the latest arrival"},
      {"not yet valid",
       [](model::AdmittedEvent* e) {
         e->event.mutable_offer()->set_valid_from_ms(kT0 + 300 * kMinute);
       },
       "1 not valid now"},
  };
  int n = 0;
  for (const Unqualified& c : cases) {
    SCOPED_TRACE(c.name);
    const std::string offer_id = "OFFER-" + std::to_string(++n);
    model::AdmittedEvent offer = Offer(kCarrierB, offer_id, kSea, "CNSHA", "NLRTM", 100);
    offer.event.mutable_offer()->set_cold_chain(true);
    offer.event.mutable_offer()->set_dangerous_goods(true);
    c.change(&offer);
    // Withdraw the previous case's offer so that each reason stands alone.
    if (n > 1) {
      ExpectValid(MakeEvent(v1::EVENT_TYPE_CARRIER_WITHDRAWAL, kCarrierB, {},
                            "OFFER-" + std::to_string(n - 1)));
    }
    EXPECT_TRUE(Run(offer).outputs().empty());
    v1::BookingTerms terms;
    terms.set_currency("EUR");
    const std::string shipment = "SHP-" + std::to_string(n);
    const v1::Receipt r = ExpectValid(BookedWith({leg}, terms, shipment));
    ASSERT_EQ(r.outputs_size(), 1);
    EXPECT_EQ(r.outputs(0).kind(), Kind::KIND_LEG_OPEN);
    EXPECT_EQ(r.outputs(0).reason(), std::string("no qualifying offer among 1: ") + c.category);
  }
}

TEST_F(RulesV2Test, OfferRegistrationAndWithdrawalRejections) {
  ExpectValid(Offer(kCarrierB, "OFFER-1", kSea, "CNSHA", "NLRTM", 100));
  ExpectRejected(Offer(kForwarder, "OFFER-1", kSea, "CNSHA", "NLRTM", 50),
                 "offer 'OFFER-1' is already registered by 'carrier-b' at height 1");
  ExpectRejected(Offer(kCarrierB, "OFFER-OLD", kSea, "CNSHA", "NLRTM", 50, kT0),
                 "offer 'OFFER-OLD' expired at");
  ExpectRejected(MakeEvent(v1::EVENT_TYPE_CARRIER_WITHDRAWAL, kForwarder, {}, "OFFER-1"),
                 "offer 'OFFER-1' belongs to 'carrier-b', not 'forwarder-co'");
  ExpectRejected(MakeEvent(v1::EVENT_TYPE_CARRIER_WITHDRAWAL, kCarrierB, {}, "OFFER-9"),
                 "no offer 'OFFER-9' is registered");
  ExpectValid(MakeEvent(v1::EVENT_TYPE_CARRIER_WITHDRAWAL, kCarrierB, {}, "OFFER-1"));
  ExpectRejected(MakeEvent(v1::EVENT_TYPE_CARRIER_WITHDRAWAL, kCarrierB, {}, "OFFER-1"),
                 "offer 'OFFER-1' is already withdrawn");
  // A withdrawn offer is matched no more.
  const v1::Receipt r = ExpectValid(BookedWith({Leg("CNSHA", "NLRTM", kSea)}));
  EXPECT_EQ(r.outputs(0).kind(), Kind::KIND_LEG_OPEN);
}

TEST_F(RulesV2Test, TypesWithoutTheirPayloadAreRejected) {
  ExpectValid(BookedWith({}));
  ExpectRejected(MakeEvent(v1::EVENT_TYPE_CARRIER_OFFER, kCarrierB, {}, "OFFER-1"),
                 "carrier_offer 'OFFER-1' carries no offer");
  ExpectRejected(MakeEvent(v1::EVENT_TYPE_LEG_REASSIGNMENT, kExporter),
                 "leg_reassignment carries no reassignment");
  ExpectRejected(MakeEvent(v1::EVENT_TYPE_ERROR_DECLARATION, kExporter),
                 "error_declaration carries no error_declaration");
  ExpectRejected(MakeEvent(v1::EVENT_TYPE_SENSOR_READINGS, kExporter),
                 "sensor_readings carries no readings");
}

TEST_F(RulesV2Test, RulesV1RejectOffersAsUnsupported) {
  ++height_;
  const model::BlockContext v1_context{height_, BlockTime(height_), 1};
  const model::BlockEffects effects = ExecuteBlock(
      {Share(Offer(kCarrierB, "OFFER-1", kSea, "CNSHA", "NLRTM", 100))}, state_, v1_context);
  EXPECT_EQ(effects.receipts[0].code(), v1::RESULT_CODE_REJECTED);
  EXPECT_EQ(effects.receipts[0].reason(),
            "event type carrier_offer is not supported by contract rules v1");
  EXPECT_TRUE(effects.record_writes.empty());
}

TEST_F(RulesV2Test, HandoversFollowTheRouteAndAdvanceTheLegs) {
  ExpectValid(BookedWith(Multimodal()));
  ExpectRejected(HandoverOf(kExporter, kForwarder),
                 "hand-over to 'forwarder-co', but leg 1 (road CNSZX→CNSHA) is carried by "
                 "'carrier-co'");
  ExpectValid(HandoverOf(kExporter, kCarrier));
  EXPECT_EQ(Shipment().current_leg(), 1u);
  EXPECT_EQ(Shipment().legs(0).status(), v1::LEG_STATUS_ACTIVE);
  // Leg 2 has no carrier yet: the goods cannot move on.
  ExpectRejected(HandoverOf(kCarrier, kCarrierB),
                 "leg 2 (sea CNSHA→NLRTM) has no carrier yet (no carrier offer is registered)");
  ExpectValid(Offer(kCarrierB, "OFFER-1", kSea, "CNSHA", "NLRTM", 100));
  ExpectValid(HandoverOf(kCarrier, kCarrierB));
  EXPECT_EQ(Shipment().legs(0).status(), v1::LEG_STATUS_DONE);
  EXPECT_EQ(Shipment().legs(1).status(), v1::LEG_STATUS_ACTIVE);
  EXPECT_EQ(Shipment().current_leg(), 2u);
  // Custody events of a leg come only from its carrier (the custodian).
  ExpectRejected(MakeEvent(v1::EVENT_TYPE_PICKUP, kCarrier), "but custodian is 'carrier-b'");
  ExpectValid(MakeEvent(v1::EVENT_TYPE_PICKUP, kCarrierB));
  ExpectValid(MakeEvent(v1::EVENT_TYPE_LOADED, kCarrierB));
  ExpectValid(MakeEvent(v1::EVENT_TYPE_DEPARTED, kCarrierB));
  ExpectValid(MakeEvent(v1::EVENT_TYPE_ARRIVED, kCarrierB));
  ExpectValid(MakeEvent(v1::EVENT_TYPE_OUT_FOR_DELIVERY, kCarrierB));
  ExpectRejected(MakeEvent(v1::EVENT_TYPE_DELIVERED, kCarrierB),
                 "leg 3 (road NLRTM→DEHAM) is still to be carried by 'forwarder-co'; the goods "
                 "must travel every leg first");
  ExpectValid(HandoverOf(kCarrierB, kForwarder));
  EXPECT_EQ(Shipment().current_leg(), 3u);
  // After the last leg, the goods go to the consignee only.
  ExpectRejected(HandoverOf(kForwarder, kCarrier),
                 "the route's legs are done; the goods go to 'importer-co', not 'carrier-co'");
}

TEST_F(RulesV2Test, WhereTheLifecycleAndTheRouteBothRejectTheLifecyclesReasonIsTheReceipts) {
  ExpectValid(BookedWith(Multimodal()));
  // Neither the custodian's nor along the route (leg 1 is carrier-co's).
  ExpectRejected(HandoverOf(kImporter, kForwarder), "but custodian is 'exporter-co'");
  // The receiver did not co-sign, and is not leg 1's carrier.
  model::AdmittedEvent unsigned_handover = HandoverOf(kExporter, kForwarder);
  unsigned_handover.cosigned_by.clear();
  ExpectRejected(unsigned_handover, "lacks the receiver's co-signature");
  // Delivery is not next in the lifecycle, and legs are still to be carried.
  ExpectRejected(MakeEvent(v1::EVENT_TYPE_DELIVERED, kExporter), "'delivered' is not allowed");
  // With the lifecycle satisfied, the route's reason is given.
  ExpectRejected(HandoverOf(kExporter, kForwarder), "is carried by 'carrier-co'");
}

TEST_F(RulesV2Test, ConsecutiveLegsOfOneCarrierNeedNoHandoverBetweenThem) {
  ExpectValid(
      BookedWith({Leg("CNSZX", "CNSHA", kRoad, kCarrier), Leg("CNSHA", "NLRTM", kSea, kCarrier),
                  Leg("NLRTM", "DEHAM", kRoad, kForwarder)}));
  ExpectValid(HandoverOf(kExporter, kCarrier));
  ExpectValid(HandoverOf(kCarrier, kForwarder));
  EXPECT_EQ(Shipment().legs(1).status(), v1::LEG_STATUS_DONE);
  EXPECT_EQ(Shipment().current_leg(), 3u);
}

TEST_F(RulesV2Test, ReassignmentRules) {
  ExpectValid(BookedWith(Multimodal()));
  ExpectRejected(Reassignment(kImporter, 2, kCarrierB),
                 "only the shipper 'exporter-co' may reassign legs of shipment SHP-1");
  ExpectRejected(Reassignment(kExporter, 4, kCarrierB),
                 "shipment SHP-1 has 3 legs; there is no leg 4");
  ExpectRejected(Reassignment(kExporter, 1, kCarrier), "is already assigned to 'carrier-co'");
  const v1::Receipt named = ExpectValid(Reassignment(kExporter, 2, kCarrierB));
  ASSERT_EQ(named.outputs_size(), 1);
  EXPECT_EQ(named.outputs(0).reason(), "reassigned by the shipper");
  EXPECT_EQ(Shipment().legs(1).carrier(), kCarrierB);
  EXPECT_EQ(state_.records().count("open/SHP-1/f/0002"), 0u);
  // Reopened: matched at once when an offer qualifies.
  ExpectValid(Offer(kForwarder, "OFFER-1", kSea, "CNSHA", "NLRTM", 100));
  const v1::Receipt reopened = ExpectValid(Reassignment(kExporter, 2, ""));
  ASSERT_EQ(reopened.outputs_size(), 1);
  EXPECT_EQ(reopened.outputs(0).offer_id(), "OFFER-1");
  // Once its carrier holds the goods, a leg cannot be reassigned.
  ExpectValid(HandoverOf(kExporter, kCarrier));
  ExpectRejected(Reassignment(kExporter, 1, kCarrierB),
                 "leg 1 (road CNSZX→CNSHA) is already under way with 'carrier-co'");
}

}  // namespace
}  // namespace shipledger::contracts
