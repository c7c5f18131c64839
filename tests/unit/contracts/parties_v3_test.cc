// Contract rules v3, DESIGN §8: only a party makes a party. A non-party's event on a shipment is
// rejected with exactly what an unknown shipment gets; parties are added by parties only (the
// booking, a hand-over's receiver, an assigned carrier, the customs authority a declaration
// names, private-field readers, party_added); a taken id is "not available" to everyone.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "contract_v2_fixture.h"
#include "contracts/util.h"

namespace shipledger::contracts::testutil {
namespace {

class RulesV3PartiesTest : public RulesV2Test {
 protected:
  RulesV3PartiesTest() { rules_ = 3; }
  void SetUp() override { ExpectValid(Booked(kExporter, {kImporter})); }

  // The receipt `event` gets at the next height on a chain where no shipment exists.
  v1::Receipt AsIfUnknown(const model::AdmittedEvent& event) const {
    shipledger::testing::MemoryChain empty;
    const model::BlockContext context{height_ + 1, NextBlockTime(), rules_};
    return ExecuteBlock({Share(event)}, empty, context).receipts[0];
  }
};

TEST_F(RulesV3PartiesTest, NonPartyEventsGetTheRejectionOfAnUnknownShipment) {
  model::AdmittedEvent party_added = MakeEvent(v1::EVENT_TYPE_PARTY_ADDED, kForwarder);
  party_added.event.add_parties(kForwarder);
  const std::vector<model::AdmittedEvent> events = {
      MakeEvent(v1::EVENT_TYPE_EXCEPTION, kForwarder),
      MakeEvent(v1::EVENT_TYPE_INSPECTION, kInspector),
      MakeEvent(v1::EVENT_TYPE_DUTIES_PAID, kCustoms),
      MakeEvent(v1::EVENT_TYPE_EXPORT_CUSTOMS_HELD, kCustoms),
      MakeEvent(v1::EVENT_TYPE_PICKUP, kCarrier),
      HandoverOf(kForwarder, kCarrier),
      Readings(kCarrier, {{kT0, 4000}}),
      ReturnRequest(kForwarder, "damaged", "opened"),
      Reassignment(kForwarder, 1, kCarrier),
      ErrorDeclaration(kForwarder, TestId(1), "wrong"),
      party_added,
  };
  for (const model::AdmittedEvent& e : events) {
    SCOPED_TRACE(TypeName(e));
    const v1::Receipt unknown = AsIfUnknown(e);
    const v1::Receipt got = Run(e);
    EXPECT_EQ(got.code(), v1::RESULT_CODE_REJECTED);
    EXPECT_EQ(got.SerializeAsString(), unknown.SerializeAsString())
        << got.reason() << " vs " << unknown.reason();
    EXPECT_FALSE(IsParty(Shipment(), e.event.signer_org()));
    EXPECT_EQ(Shipment().event_count(), 1u);
  }
}

TEST_F(RulesV3PartiesTest, UnderV2TheSameExceptionMadeItsSignerAParty) {
  rules_ = 2;  // the attack of issue 19, as rules v2 still (and forever) decide it
  ExpectValid(MakeEvent(v1::EVENT_TYPE_EXCEPTION, kForwarder));
  EXPECT_TRUE(IsParty(Shipment(), kForwarder));
}

TEST_F(RulesV3PartiesTest, APartyAddsParties) {
  model::AdmittedEvent add = MakeEvent(v1::EVENT_TYPE_PARTY_ADDED, kExporter);
  add.event.add_parties(kForwarder);
  add.event.add_parties(kInspector);
  ExpectValid(add);
  EXPECT_TRUE(IsParty(Shipment(), kForwarder));
  EXPECT_TRUE(IsParty(Shipment(), kInspector));
  ExpectValid(MakeEvent(v1::EVENT_TYPE_INSPECTION, kInspector));
  ExpectValid(MakeEvent(v1::EVENT_TYPE_EXCEPTION, kForwarder));
}

TEST_F(RulesV3PartiesTest, TheCustomsAuthorityADeclarationNamesBecomesAParty) {
  ExpectValid(MakeEvent(v1::EVENT_TYPE_PICKUP, kExporter));
  // Not named yet: customs is a stranger to the shipment.
  const v1::Receipt early = Run(MakeEvent(v1::EVENT_TYPE_EXPORT_CUSTOMS_HELD, kCustoms));
  EXPECT_EQ(early.reason(), "shipment " + std::string(kShipment) + " is not booked");
  model::AdmittedEvent declared = MakeEvent(v1::EVENT_TYPE_EXPORT_CUSTOMS_DECLARED, kExporter);
  declared.event.add_parties(kCustoms);
  ExpectValid(declared);
  EXPECT_TRUE(IsParty(Shipment(), kCustoms));
  ExpectValid(MakeEvent(v1::EVENT_TYPE_EXPORT_CUSTOMS_CLEARED, kCustoms));
}

TEST_F(RulesV3PartiesTest, HandoverReceiverAndReadersBecomeParties) {
  ExpectValid(MakeEvent(v1::EVENT_TYPE_PICKUP, kExporter));
  ExpectValid(HandoverOf(kExporter, kForwarder));
  EXPECT_TRUE(IsParty(Shipment(), kForwarder));
  model::AdmittedEvent sealed = MakeEvent(v1::EVENT_TYPE_EXCEPTION, kForwarder);
  sealed.event.mutable_private_envelope()->add_readers()->set_reader_org(kInspector);
  ExpectValid(sealed);
  EXPECT_TRUE(IsParty(Shipment(), kInspector));
}

TEST_F(RulesV3PartiesTest, ATakenIdIsNotAvailableToPartiesAndStrangersAlike) {
  const v1::Receipt by_party = Run(Booked(kExporter, {kImporter}));
  const v1::Receipt by_stranger = Run(Booked(kForwarder, {kImporter}));
  const std::string want = "shipment id " + std::string(kShipment) + " is not available";
  EXPECT_EQ(by_party.reason(), want);
  EXPECT_EQ(by_stranger.reason(), want);
  EXPECT_EQ(by_stranger.code(), v1::RESULT_CODE_REJECTED);
}

}  // namespace
}  // namespace shipledger::contracts::testutil
