// Contract rules v2: return decisions against the booking's terms, reverse legs, error
// declarations.
#include "contract_v2_fixture.h"

namespace shipledger::contracts {
namespace {

using namespace testutil;  // NOLINT(google-build-using-namespace): test helpers
using Kind = v1::ContractOutput;

constexpr auto kRoad = v1::TRANSPORT_MODE_ROAD;
constexpr int64_t kDay = 24 * 60 * kMinute;

class ReturnsTest : public RulesV2Test {
 protected:
  // Booked with one road leg by carrier-co and return terms (1 day, damaged|wrong_item, unopened,
  // payer exporter, back to DEHAM); delivered to the importer.
  void BookAndDeliver(bool with_terms = true) {
    v1::BookingTerms terms;
    if (with_terms) {
      v1::ReturnTerms* r = terms.mutable_returns();
      r->set_window_ms(kDay);
      r->add_allowed_reasons("damaged");
      r->add_allowed_reasons("wrong_item");
      r->set_condition_required("unopened");
      r->set_payer(kExporter);
      r->set_return_address("DEHAM");
    }
    ExpectValid(BookedWith({Leg("DEHAM", "FRPAR", kRoad, kCarrier)}, terms));
    ExpectValid(HandoverOf(kExporter, kCarrier));
    ExpectValid(MakeEvent(v1::EVENT_TYPE_PICKUP, kCarrier));
    ExpectValid(MakeEvent(v1::EVENT_TYPE_LOADED, kCarrier));
    ExpectValid(MakeEvent(v1::EVENT_TYPE_DEPARTED, kCarrier));
    ExpectValid(MakeEvent(v1::EVENT_TYPE_ARRIVED, kCarrier));
    ExpectValid(MakeEvent(v1::EVENT_TYPE_OUT_FOR_DELIVERY, kCarrier));
    ExpectValid(MakeEvent(v1::EVENT_TYPE_DELIVERED, kCarrier));
  }
};

TEST_F(ReturnsTest, DeliveryPassesCustodyToTheConsignee) {
  BookAndDeliver();
  EXPECT_EQ(Shipment().custodian(), kImporter);
  EXPECT_EQ(Shipment().legs(0).status(), v1::LEG_STATUS_DONE);
}

TEST_F(ReturnsTest, RequestWithinTermsIsApprovedAndOpensTheReverseRoute) {
  BookAndDeliver();
  ExpectValid(Offer(kForwarder, "OFFER-R", kRoad, "FR", "DE", 500));
  const v1::Receipt r = ExpectValid(ReturnRequest(kImporter, "damaged", "unopened"));
  ASSERT_EQ(r.outputs_size(), 2);
  EXPECT_EQ(r.outputs(0).kind(), Kind::KIND_RETURN_APPROVED);
  EXPECT_EQ(r.outputs(0).reason(), "paid by 'exporter-co'");
  EXPECT_EQ(r.outputs(1).kind(), Kind::KIND_LEG_ASSIGNED);
  EXPECT_TRUE(r.outputs(1).reverse());
  const v1::ShipmentState& s = Shipment();
  EXPECT_EQ(s.status(), v1::SHIPMENT_STATUS_RETURN_REQUESTED);
  ASSERT_EQ(s.return_legs_size(), 1);
  EXPECT_EQ(s.return_legs(0).plan().origin(), "FRPAR");
  EXPECT_EQ(s.return_legs(0).plan().destination(), "DEHAM");
  EXPECT_EQ(s.return_legs(0).carrier(), kForwarder);
  ASSERT_EQ(s.returns_size(), 1);
  EXPECT_TRUE(s.returns(0).approved());
  // The reverse journey: consignee → return carrier → back to the shipper.
  ExpectRejected(HandoverOf(kImporter, kCarrier),
                 "but return leg 1 (road FRPAR→DEHAM) is carried by 'forwarder-co'");
  ExpectValid(HandoverOf(kImporter, kForwarder));
  ExpectValid(MakeEvent(v1::EVENT_TYPE_RETURN_PICKED_UP, kForwarder));
  ExpectValid(MakeEvent(v1::EVENT_TYPE_EXPORT_CUSTOMS_DECLARED, kForwarder));  // on the way back
  ExpectValid(MakeEvent(v1::EVENT_TYPE_RETURNED, kForwarder));
  EXPECT_EQ(Shipment().status(), v1::SHIPMENT_STATUS_RETURNED);
  EXPECT_EQ(Shipment().custodian(), kExporter);
  EXPECT_EQ(Shipment().return_legs(0).status(), v1::LEG_STATUS_DONE);
}

struct Rejection {
  const char* name;
  const char* reason;
  const char* condition;
  int64_t wait_ms;  // block time after delivery
  bool with_terms;
  const char* expected;
};

TEST_F(ReturnsTest, RequestsOutsideTheTermsAreRejectedByTheContractWithTheReason) {
  const Rejection cases[] = {
      {"out of window", "damaged", "unopened", 2 * kDay, true,
       "requested 2 d 1 min after delivery; the return window is 1 d"},
      {"reason", "changed_mind", "unopened", 0, true,
       "reason 'changed_mind' is not among the allowed reasons (damaged, wrong_item)"},
      {"condition", "damaged", "used", 0, true,
       "condition 'used' does not meet the required 'unopened'"},
      {"no terms", "damaged", "unopened", 0, false, "the booking carries no return terms"},
  };
  for (const Rejection& c : cases) {
    SCOPED_TRACE(c.name);
    state_ = shipledger::testing::MemoryChain();
    height_ = 0;
    BookAndDeliver(c.with_terms);
    height_ += static_cast<uint64_t>(c.wait_ms / kMinute);
    const v1::Receipt r = ExpectValid(ReturnRequest(kImporter, c.reason, c.condition));
    ASSERT_EQ(r.outputs_size(), 1);
    EXPECT_EQ(r.outputs(0).kind(), Kind::KIND_RETURN_REJECTED);
    EXPECT_EQ(r.outputs(0).reason(), c.expected);
    EXPECT_EQ(Shipment().status(), v1::SHIPMENT_STATUS_DELIVERED);
    ASSERT_EQ(Shipment().returns_size(), 1);
    EXPECT_FALSE(Shipment().returns(0).approved());
    EXPECT_EQ(Shipment().returns(0).decision(), c.expected);
    EXPECT_TRUE(Shipment().return_legs().empty());
  }
}

TEST_F(ReturnsTest, OnlyTheConsigneeMayRequestAReturn) {
  BookAndDeliver();
  ExpectRejected(ReturnRequest(kExporter, "damaged", "unopened"),
                 "only the consignee 'importer-co' may request a return of shipment SHP-1");
}

TEST_F(ReturnsTest, ARejectedRequestMayBeFollowedByOneWithinTheTerms) {
  BookAndDeliver();
  ExpectValid(ReturnRequest(kImporter, "changed_mind", "unopened"));
  const v1::Receipt r = ExpectValid(ReturnRequest(kImporter, "wrong_item", "unopened"));
  EXPECT_EQ(r.outputs(0).kind(), Kind::KIND_RETURN_APPROVED);
  EXPECT_EQ(Shipment().returns_size(), 2);
}

TEST_F(RulesV2Test, ErrorDeclarationMarksTheEventAndNeverUndoesCustody) {
  ExpectValid(BookedWith({}));
  ExpectValid(MakeEvent(v1::EVENT_TYPE_PICKUP, kExporter));
  const model::AdmittedEvent handover = HandoverOf(kExporter, kForwarder);
  ExpectValid(handover);
  const model::AdmittedEvent wrong =
      WithDetail(MakeEvent(v1::EVENT_TYPE_LOADED, kForwarder), "vessel", "MAERSK ESSEX");
  ExpectValid(wrong);
  const model::AdmittedEvent fix = WithDetail(MakeEvent(v1::EVENT_TYPE_INSPECTION, kCustoms),
                                              "note", "loaded on MAERSK EDMONTON");
  ExpectValid(fix);
  const model::AdmittedEvent rejected = MakeEvent(v1::EVENT_TYPE_PICKUP, kExporter);
  EXPECT_EQ(Run(rejected).code(), v1::RESULT_CODE_REJECTED);

  ExpectRejected(ErrorDeclaration(kExporter, wrong.id, "wrong vessel"),
                 "was signed by 'forwarder-co'; only that organisation may declare it erroneous");
  ExpectRejected(ErrorDeclaration(kForwarder, TestId(999999), "x"),
                 "is not an event of shipment SHP-1");
  ExpectRejected(ErrorDeclaration(kExporter, rejected.id, "x"), "was not applied");
  ExpectRejected(ErrorDeclaration(kForwarder, wrong.id, "wrong vessel", {TestId(999998)}),
                 "is not a VALID event of shipment SHP-1");

  const v1::Receipt r =
      ExpectValid(ErrorDeclaration(kForwarder, wrong.id, "wrong vessel", {fix.id}));
  ASSERT_EQ(r.outputs_size(), 1);
  EXPECT_EQ(r.outputs(0).kind(), Kind::KIND_EVENT_ERRONEOUS);
  EXPECT_EQ(r.outputs(0).event_id(), wrong.id);
  ASSERT_EQ(Shipment().errors_size(), 1);
  EXPECT_EQ(Shipment().errors(0).reason(), "wrong vessel");
  EXPECT_EQ(Shipment().errors(0).corrective_event_ids(0), fix.id);
  EXPECT_EQ(Shipment().status(), v1::SHIPMENT_STATUS_LOADED);
  ExpectRejected(ErrorDeclaration(kForwarder, wrong.id, "again"),
                 "was already declared erroneous at height");

  // Declaring the hand-over erroneous leaves custody where it is: that needs a reverse
  // hand-over.
  ExpectValid(ErrorDeclaration(kExporter, handover.id, "handed to the wrong forwarder"));
  EXPECT_EQ(Shipment().custodian(), kForwarder);
}

TEST_F(RulesV2Test, ErrorDeclarationOfAnEventEarlierInTheSameBlockIsAccepted) {
  ExpectValid(BookedWith({}));
  const model::AdmittedEvent pickup = MakeEvent(v1::EVENT_TYPE_PICKUP, kExporter);
  const std::vector<v1::Receipt> r =
      RunBlock({pickup, ErrorDeclaration(kExporter, pickup.id, "recorded twice by mistake")});
  EXPECT_EQ(r[1].code(), v1::RESULT_CODE_VALID) << r[1].reason();
}

}  // namespace
}  // namespace shipledger::contracts
