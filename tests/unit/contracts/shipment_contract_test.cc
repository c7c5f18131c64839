// Shipment contract: booking, custody, handovers, lifecycle order, delivery and returns.
// Customs holds are in customs_test.cc.
#include <algorithm>
#include <random>
#include <string>
#include <vector>

#include "contract_fixture.h"

namespace shipledger::contracts {
namespace {

using namespace testutil;  // NOLINT(google-build-using-namespace): test helpers
using ::testing::ElementsAre;
using ::testing::HasSubstr;

bool HasParty(const v1::ShipmentState& state, const std::string& org) {
  return std::find(state.parties().begin(), state.parties().end(), org) != state.parties().end();
}

TEST_F(ContractTest, BookedCreatesTheShipment) {
  model::AdmittedEvent booked = Booked(kExporter, {kImporter});
  booked.event.set_location("CNSHA");
  ExpectValid(booked);
  ASSERT_TRUE(state_.has_value());
  EXPECT_EQ(state().shipment_id(), kShipment);
  EXPECT_EQ(state().status(), v1::SHIPMENT_STATUS_BOOKED);
  EXPECT_EQ(state().booked_by(), kExporter);
  EXPECT_EQ(state().custodian(), kExporter);
  EXPECT_THAT(state().parties(), ElementsAre(kExporter, kImporter));
  EXPECT_EQ(state().booked_height(), 1u);
  EXPECT_EQ(state().last_height(), 1u);
  EXPECT_EQ(state().last_event_ms(), 1000);
  EXPECT_EQ(state().event_count(), 1u);
  EXPECT_EQ(state().last_location(), "CNSHA");
  EXPECT_EQ(state().hold(), v1::CUSTOMS_SIDE_NONE);
  EXPECT_EQ(state().delivered_at_ms(), 0);
}

TEST_F(ContractTest, BookedPartiesAreDeduplicatedInOrder) {
  ExpectValid(Booked(kExporter, {kImporter, kExporter, kForwarder, kImporter}));
  EXPECT_THAT(state().parties(), ElementsAre(kExporter, kImporter, kForwarder));
}

// Only the reader list matters to the contract; nodes never see the plaintext.
model::AdmittedEvent WithReaders(model::AdmittedEvent admitted,
                                 const std::vector<std::string>& readers) {
  auto* envelope = admitted.event.mutable_private_envelope();
  envelope->add_fields()->set_name("invoice_value");
  for (const std::string& org : readers) envelope->add_readers()->set_reader_org(org);
  return admitted;
}

TEST_F(ContractTest, PrivateFieldReadersOfAValidEventBecomeParties) {
  ExpectValid(WithReaders(Booked(kExporter, {}), {kExporter, kCustoms}));
  EXPECT_THAT(state().parties(), ElementsAre(kExporter, kCustoms));
  ExpectValid(WithReaders(MakeEvent(v1::EVENT_TYPE_PICKUP, kExporter), {kExporter, kInspector}));
  EXPECT_THAT(state().parties(), ElementsAre(kExporter, kCustoms, kInspector));
}

TEST_F(ContractTest, PrivateFieldReadersOfARejectedEventDoNotBecomeParties) {
  Advance(kBookedSteps);
  // Not the custodian: REJECTED, and its reader gains nothing.
  ExpectRejected(WithReaders(MakeEvent(v1::EVENT_TYPE_PICKUP, kForwarder), {kForwarder, kCarrier}),
                 "custodian");
  EXPECT_FALSE(HasParty(state(), kCarrier));
}

TEST_F(ContractTest, BookedTwiceIsRejected) {
  Advance(kPickedUpSteps);
  ExpectRejected(Booked(kImporter, {}), "shipment SHP-1 already booked at height 1");
}

TEST_F(ContractTest, EventOnUnknownShipmentIsRejected) {
  ExpectRejected(MakeEvent(v1::EVENT_TYPE_PICKUP, kExporter), "shipment SHP-1 is not booked");
}

TEST_F(ContractTest, UnsupportedTypesAreRejected) {
  Advance(kBookedSteps);
  const struct {
    v1::EventType type;
    const char* reason;
  } cases[] = {
      {v1::EVENT_TYPE_CARRIER_OFFER, "event type carrier_offer is not supported"},
      {v1::EVENT_TYPE_CARRIER_WITHDRAWAL, "event type carrier_withdrawal is not supported"},
      {v1::EVENT_TYPE_LEG_REASSIGNMENT, "event type leg_reassignment is not supported"},
      {v1::EVENT_TYPE_ERROR_DECLARATION, "event type error_declaration is not supported"},
      {v1::EVENT_TYPE_CERTIFICATE_REVOCATION, "certificate_revocation is not supported"},
      {v1::EVENT_TYPE_UNSPECIFIED, "event type unspecified is not supported"},
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(c.reason);
    ExpectRejected(MakeEvent(c.type, kExporter), c.reason);
    ExpectRejected(MakeEvent(c.type, kExporter), "by contract rules v1");
  }
}

TEST_F(ContractTest, FullJourneyEndsDeliveredWithForwarderAsCustodian) {
  const v1::ShipmentStatus expected[] = {
      v1::SHIPMENT_STATUS_BOOKED,
      v1::SHIPMENT_STATUS_PICKED_UP,
      v1::SHIPMENT_STATUS_AT_EXPORT_CUSTOMS,
      v1::SHIPMENT_STATUS_EXPORT_CLEARED,
      v1::SHIPMENT_STATUS_EXPORT_CLEARED,
      v1::SHIPMENT_STATUS_LOADED,
      v1::SHIPMENT_STATUS_IN_TRANSIT,
      v1::SHIPMENT_STATUS_ARRIVED,
      v1::SHIPMENT_STATUS_AT_IMPORT_CUSTOMS,
      v1::SHIPMENT_STATUS_IMPORT_CLEARED,
      v1::SHIPMENT_STATUS_OUT_FOR_DELIVERY,
      v1::SHIPMENT_STATUS_DELIVERED,
  };
  const std::vector<model::AdmittedEvent> journey = Journey();
  ASSERT_EQ(journey.size(), std::size(expected));
  for (size_t i = 0; i < journey.size(); ++i) {
    SCOPED_TRACE(model::EventTypeName(journey[i].event.type()));
    ExpectValid(journey[i]);
    EXPECT_EQ(model::ShipmentStatusName(state().status()), model::ShipmentStatusName(expected[i]));
  }
  EXPECT_EQ(state().custodian(), kForwarder);
  EXPECT_EQ(state().event_count(), 12u);
  EXPECT_EQ(state().delivered_at_ms(), 12000);
  EXPECT_TRUE(state().export_cleared());
  EXPECT_TRUE(state().import_cleared());
  EXPECT_EQ(state().hold(), v1::CUSTOMS_SIDE_NONE);
  EXPECT_THAT(state().parties(), ElementsAre(kExporter, kImporter, kCustoms, kForwarder));
}

TEST_F(ContractTest, CustomsIsOptionalForDomesticLegs) {
  Advance(kPickedUpSteps);
  ExpectValid(MakeEvent(v1::EVENT_TYPE_LOADED, kExporter));
  ExpectValid(MakeEvent(v1::EVENT_TYPE_DEPARTED, kExporter));
  ExpectValid(MakeEvent(v1::EVENT_TYPE_DISCHARGED, kExporter));
  ExpectValid(MakeEvent(v1::EVENT_TYPE_OUT_FOR_DELIVERY, kExporter));
  ExpectValid(MakeEvent(v1::EVENT_TYPE_DELIVERED, kExporter));
  EXPECT_EQ(state().status(), v1::SHIPMENT_STATUS_DELIVERED);
}

TEST_F(ContractTest, OutOfOrderEventsAreRejected) {
  const struct {
    const char* name;
    size_t steps;
    v1::EventType type;
    const char* signer;
    const char* reason;
  } cases[] = {
      {"delivered right after booked", kBookedSteps, v1::EVENT_TYPE_DELIVERED, kExporter,
       "shipment SHP-1 is booked: 'delivered' is not allowed (delivery follows out for delivery)"},
      {"pickup twice", kPickedUpSteps, v1::EVENT_TYPE_PICKUP, kExporter, "pickup follows booking"},
      {"export declared before pickup", kBookedSteps, v1::EVENT_TYPE_EXPORT_CUSTOMS_DECLARED,
       kExporter, "export customs is declared after pickup"},
      {"departed before loaded", kPickedUpSteps, v1::EVENT_TYPE_DEPARTED, kExporter,
       "departure follows loading"},
      {"loaded before export clearance", kAtExportCustomsSteps, v1::EVENT_TYPE_LOADED, kExporter,
       "is at_export_customs: 'loaded' is not allowed (loading follows pickup, and export "
       "clearance once export customs is involved)"},
      {"export cleared twice", kExportClearedSteps, v1::EVENT_TYPE_EXPORT_CUSTOMS_CLEARED, kCustoms,
       "export clearance is granted only while the shipment is at export customs"},
      {"arrived before departed", kLoadedSteps, v1::EVENT_TYPE_ARRIVED, kForwarder,
       "arrival follows departure"},
      {"export customs after departure", kInTransitSteps, v1::EVENT_TYPE_EXPORT_CUSTOMS_HELD,
       kCustoms, "export customs may hold a shipment from pickup until departure"},
      {"import declared before arrival", kInTransitSteps, v1::EVENT_TYPE_IMPORT_CUSTOMS_DECLARED,
       kImporter, "import customs is declared after arrival"},
      {"import cleared without declaration", kArrivedSteps, v1::EVENT_TYPE_IMPORT_CUSTOMS_CLEARED,
       kCustoms, "import clearance is granted only while the shipment is at import customs"},
      {"import customs after out for delivery", kOutForDeliverySteps,
       v1::EVENT_TYPE_IMPORT_CUSTOMS_HELD, kCustoms,
       "import customs may hold a shipment from arrival until it is out for delivery"},
      {"delivered before out for delivery", kImportClearedSteps, v1::EVENT_TYPE_DELIVERED,
       kForwarder, "delivery follows out for delivery"},
      {"return requested before delivery", kOutForDeliverySteps, v1::EVENT_TYPE_RETURN_REQUESTED,
       kImporter, "a return may be requested only after delivery"},
      {"return picked up without request", kDeliveredSteps, v1::EVENT_TYPE_RETURN_PICKED_UP,
       kForwarder, "return pickup follows a return request"},
      {"returned without return pickup", kDeliveredSteps, v1::EVENT_TYPE_RETURNED, kForwarder,
       "a return completes only after return pickup"},
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(c.name);
    height_ = 0;
    state_.reset();
    Advance(c.steps);
    ExpectRejected(MakeEvent(c.type, c.signer), c.reason);
  }
}

TEST_F(ContractTest, OnlyTheCustodianRecordsCustodyEvents) {
  Advance(kBookedSteps);
  const v1::EventType custody_types[] = {
      v1::EVENT_TYPE_PICKUP,           v1::EVENT_TYPE_LOADED,     v1::EVENT_TYPE_DEPARTED,
      v1::EVENT_TYPE_ARRIVED,          v1::EVENT_TYPE_DISCHARGED, v1::EVENT_TYPE_OUT_FOR_DELIVERY,
      v1::EVENT_TYPE_DELIVERED,        v1::EVENT_TYPE_HANDOVER,   v1::EVENT_TYPE_SENSOR_READINGS,
      v1::EVENT_TYPE_RETURN_PICKED_UP, v1::EVENT_TYPE_RETURNED,
  };
  for (v1::EventType type : custody_types) {
    SCOPED_TRACE(model::EventTypeName(type));
    ExpectRejected(MakeEvent(type, kImporter, {kForwarder}),
                   "custody event '" + model::EventTypeName(type) +
                       "' signed by 'importer-co' but custodian is 'exporter-co'");
  }
}

TEST_F(ContractTest, SensorReadingsAreAcceptedFromTheCustodian) {
  Advance(kInTransitSteps);
  ExpectValid(MakeEvent(v1::EVENT_TYPE_SENSOR_READINGS, kForwarder));
  EXPECT_EQ(state().status(), v1::SHIPMENT_STATUS_IN_TRANSIT);
  ExpectRejected(MakeEvent(v1::EVENT_TYPE_SENSOR_READINGS, kExporter),
                 "custody event 'sensor_readings' signed by 'exporter-co' but custodian is "
                 "'forwarder-co'");
}

TEST_F(ContractTest, HandoverPassesCustodyToTheCosignedReceiver) {
  Advance(kPickedUpSteps);
  ExpectValid(Handover(kExporter, kForwarder));
  EXPECT_EQ(state().custodian(), kForwarder);
  EXPECT_TRUE(HasParty(state(), kForwarder));
  EXPECT_EQ(state().status(), v1::SHIPMENT_STATUS_PICKED_UP);
  // The former custodian no longer records custody events.
  ExpectRejected(MakeEvent(v1::EVENT_TYPE_LOADED, kExporter),
                 "custody event 'loaded' signed by 'exporter-co' but custodian is 'forwarder-co'");
  ExpectValid(MakeEvent(v1::EVENT_TYPE_LOADED, kForwarder));
}

TEST_F(ContractTest, HandoverNeedsExactlyOneReceiver) {
  Advance(kPickedUpSteps);
  ExpectRejected(MakeEvent(v1::EVENT_TYPE_HANDOVER, kExporter),
                 "handover must name exactly one receiving organisation in cosigner_orgs, found 0");
  ExpectRejected(MakeEvent(v1::EVENT_TYPE_HANDOVER, kExporter, {kForwarder, kCarrier}), "found 2");
}

TEST_F(ContractTest, HandoverToTheCustodianIsRejected) {
  Advance(kPickedUpSteps);
  ExpectRejected(Handover(kExporter, kExporter),
                 "handover receiver 'exporter-co' is already the custodian");
}

TEST_F(ContractTest, HandoverWithoutTheReceiversCosignatureIsRejected) {
  Advance(kPickedUpSteps);
  model::AdmittedEvent handover = Handover(kExporter, kForwarder);
  handover.cosigned_by.clear();
  ExpectRejected(handover, "handover to 'forwarder-co' lacks the receiver's co-signature");
  handover.cosigned_by = {kCarrier};  // somebody else's co-signature does not count
  ExpectRejected(handover, "lacks the receiver's co-signature");
  EXPECT_EQ(state().custodian(), kExporter);
}

TEST_F(ContractTest, HandoverByANonCustodianIsRejected) {
  Advance(kPickedUpSteps);
  ExpectRejected(Handover(kImporter, kForwarder),
                 "custody event 'handover' signed by 'importer-co' but custodian is 'exporter-co'");
}

TEST_F(ContractTest, OnlyReturnsFollowDelivery) {
  Advance(kDeliveredSteps);
  const v1::EventType types[] = {
      v1::EVENT_TYPE_PICKUP,    v1::EVENT_TYPE_SENSOR_READINGS,     v1::EVENT_TYPE_INSPECTION,
      v1::EVENT_TYPE_EXCEPTION, v1::EVENT_TYPE_DUTIES_PAID,         v1::EVENT_TYPE_DELIVERED,
      v1::EVENT_TYPE_LOADED,    v1::EVENT_TYPE_IMPORT_CUSTOMS_HELD,
  };
  for (v1::EventType type : types) {
    SCOPED_TRACE(model::EventTypeName(type));
    ExpectRejected(MakeEvent(type, kForwarder),
                   "shipment SHP-1 was delivered at height 12; only returns may follow");
  }
}

TEST_F(ContractTest, ReturnFlowEndsReturned) {
  Advance(kDeliveredSteps);
  // Any party may request the return; the importer is not the custodian.
  ExpectValid(MakeEvent(v1::EVENT_TYPE_RETURN_REQUESTED, kImporter));
  EXPECT_EQ(state().status(), v1::SHIPMENT_STATUS_RETURN_REQUESTED);
  ExpectValid(Handover(kForwarder, kCarrier));
  ExpectValid(MakeEvent(v1::EVENT_TYPE_RETURN_PICKED_UP, kCarrier));
  EXPECT_EQ(state().status(), v1::SHIPMENT_STATUS_RETURN_IN_TRANSIT);
  ExpectRejected(MakeEvent(v1::EVENT_TYPE_SENSOR_READINGS, kCarrier), "only returns may follow");
  ExpectRejected(MakeEvent(v1::EVENT_TYPE_RETURNED, kForwarder),
                 "custody event 'returned' signed by 'forwarder-co' but custodian is "
                 "'carrier-co'");
  ExpectValid(MakeEvent(v1::EVENT_TYPE_RETURNED, kCarrier));
  EXPECT_EQ(state().status(), v1::SHIPMENT_STATUS_RETURNED);
  EXPECT_EQ(state().custodian(), kCarrier);
  EXPECT_EQ(state().delivered_at_ms(), 12000);
  const uint64_t returned_height = state().last_height();
  for (v1::EventType type :
       {v1::EVENT_TYPE_RETURN_REQUESTED, v1::EVENT_TYPE_HANDOVER, v1::EVENT_TYPE_SENSOR_READINGS}) {
    ExpectRejected(MakeEvent(type, kCarrier, {kImporter}),
                   "shipment SHP-1 was returned at height " + std::to_string(returned_height) +
                       "; no further events are accepted");
  }
}

TEST_F(ContractTest, ReturnRequestedByANonPartyIsRejected) {
  Advance(kDeliveredSteps);
  ExpectRejected(MakeEvent(v1::EVENT_TYPE_RETURN_REQUESTED, kCarrier),
                 "event 'return_requested' may be recorded only by a party to shipment SHP-1, "
                 "and 'carrier-co' is not one");
}

TEST_F(ContractTest, EveryValidEventUpdatesBookkeeping) {
  Advance(kBookedSteps);
  model::AdmittedEvent pickup = MakeEvent(v1::EVENT_TYPE_PICKUP, kExporter);
  pickup.event.set_location("CNSHA");
  ExpectValid(pickup);
  EXPECT_EQ(state().last_height(), 2u);
  EXPECT_EQ(state().last_event_ms(), 2000);
  EXPECT_EQ(state().event_count(), 2u);
  EXPECT_EQ(state().last_location(), "CNSHA");
  ExpectRejected(MakeEvent(v1::EVENT_TYPE_PICKUP, kExporter), "pickup follows booking");
  EXPECT_EQ(state().last_height(), 2u);
  ExpectValid(MakeEvent(v1::EVENT_TYPE_SENSOR_READINGS, kExporter));  // no location
  EXPECT_EQ(state().last_height(), 4u);
  EXPECT_EQ(state().event_count(), 3u);
  EXPECT_EQ(state().last_location(), "CNSHA");
}

TEST_F(ContractTest, AValidSignerBecomesAParty) {
  Advance(kPickedUpSteps);
  EXPECT_FALSE(HasParty(state(), kInspector));
  ExpectValid(MakeEvent(v1::EVENT_TYPE_INSPECTION, kInspector));
  EXPECT_TRUE(HasParty(state(), kInspector));
  ExpectValid(MakeEvent(v1::EVENT_TYPE_EXCEPTION, kCarrier));
  EXPECT_THAT(state().parties(), ElementsAre(kExporter, kImporter, kInspector, kCarrier));
}

TEST_F(ContractTest, ARejectedSignerDoesNotBecomeAParty) {
  Advance(kPickedUpSteps);
  ExpectRejected(MakeEvent(v1::EVENT_TYPE_LOADED, kCarrier), "custody event 'loaded'");
  EXPECT_FALSE(HasParty(state(), kCarrier));
}

// Property: whatever events arrive, in whatever order, a shipment has exactly one custodian,
// who is a party, and custody changes only through a co-signed handover.
TEST_F(ContractTest, CustodyInvariantHoldsUnderRandomEvents) {
  constexpr uint32_t kSeed = 20240611;
  std::mt19937 rng(kSeed);
  const std::vector<std::string> orgs = {kExporter, kForwarder, kCarrier,
                                         kCustoms,  kImporter,  kInspector};
  std::vector<v1::EventType> types;
  for (int t = v1::EVENT_TYPE_PICKUP; t <= v1::EVENT_TYPE_RETURNED; ++t) {
    types.push_back(static_cast<v1::EventType>(t));
  }
  size_t valid = 0;
  for (int walk = 0; walk < 200; ++walk) {
    SCOPED_TRACE("seed " + std::to_string(kSeed) + " walk " + std::to_string(walk));
    height_ = 0;
    state_.reset();
    Advance(kBookedSteps);
    for (int step = 0; step < 80; ++step) {
      const v1::EventType type = types[rng() % types.size()];
      const std::string signer = orgs[rng() % orgs.size()];
      const std::string receiver = orgs[rng() % orgs.size()];
      model::AdmittedEvent admitted = MakeEvent(type, signer, {receiver});
      if (rng() % 8 == 0) admitted.cosigned_by.clear();
      const std::string custodian_before = state().custodian();
      const Outcome outcome = Apply(admitted);
      if (std::holds_alternative<Rejection>(outcome)) continue;
      ++valid;
      ASSERT_FALSE(state().custodian().empty());
      ASSERT_TRUE(HasParty(state(), state().custodian()));
      if (type == v1::EVENT_TYPE_HANDOVER) {
        ASSERT_EQ(signer, custodian_before);
        ASSERT_EQ(state().custodian(), receiver);
        ASSERT_NE(receiver, custodian_before);
      } else {
        ASSERT_EQ(state().custodian(), custodian_before);
      }
    }
  }
  EXPECT_GT(valid, 500u);  // the walk does exercise the contract
}

}  // namespace
}  // namespace shipledger::contracts
