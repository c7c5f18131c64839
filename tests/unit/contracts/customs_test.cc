// Shipment contract: customs declarations, clearance, holds and releases.
#include <string>

#include "contract_fixture.h"

namespace shipledger::contracts {
namespace {

using namespace testutil;  // NOLINT(google-build-using-namespace): test helpers

constexpr char kImportHoldReason[] =
    "shipment SHP-1 is held by import customs: documents missing; only customs can release it";

TEST_F(ContractTest, ImportHoldStopsEveryGoodsMovement) {
  Advance(kImportHeldSteps);
  ASSERT_EQ(state().hold(), v1::CUSTOMS_SIDE_IMPORT);
  EXPECT_EQ(state().hold_reason(), "documents missing");
  EXPECT_EQ(state().status(), v1::SHIPMENT_STATUS_AT_IMPORT_CUSTOMS);
  const v1::EventType moving[] = {
      v1::EVENT_TYPE_PICKUP,           v1::EVENT_TYPE_HANDOVER,  v1::EVENT_TYPE_LOADED,
      v1::EVENT_TYPE_DEPARTED,         v1::EVENT_TYPE_ARRIVED,   v1::EVENT_TYPE_DISCHARGED,
      v1::EVENT_TYPE_OUT_FOR_DELIVERY, v1::EVENT_TYPE_DELIVERED, v1::EVENT_TYPE_RETURN_PICKED_UP,
      v1::EVENT_TYPE_RETURNED,
  };
  for (v1::EventType type : moving) {
    SCOPED_TRACE(model::EventTypeName(type));
    ExpectRejected(MakeEvent(type, kForwarder, {kImporter}), kImportHoldReason);
  }
}

TEST_F(ContractTest, HoldAllowsReadingsInspectionsExceptionsDutiesAndCustoms) {
  Advance(kImportHeldSteps);
  ExpectValid(MakeEvent(v1::EVENT_TYPE_SENSOR_READINGS, kForwarder));
  ExpectValid(MakeEvent(v1::EVENT_TYPE_INSPECTION, kInspector));
  ExpectValid(MakeEvent(v1::EVENT_TYPE_EXCEPTION, kForwarder));
  ExpectValid(MakeEvent(v1::EVENT_TYPE_DUTIES_PAID, kImporter));
  ExpectValid(MakeEvent(v1::EVENT_TYPE_IMPORT_CUSTOMS_DECLARED, kImporter));
  EXPECT_EQ(state().hold(), v1::CUSTOMS_SIDE_IMPORT);
  EXPECT_EQ(state().status(), v1::SHIPMENT_STATUS_AT_IMPORT_CUSTOMS);
  ExpectValid(MakeEvent(v1::EVENT_TYPE_IMPORT_CUSTOMS_RELEASED, kCustoms));
  ExpectValid(MakeEvent(v1::EVENT_TYPE_OUT_FOR_DELIVERY, kForwarder));
}

TEST_F(ContractTest, HoldWithoutReasonStillNamesTheSide) {
  Advance(kArrivedSteps);
  ExpectValid(MakeEvent(v1::EVENT_TYPE_IMPORT_CUSTOMS_HELD, kCustoms));
  EXPECT_EQ(state().status(), v1::SHIPMENT_STATUS_AT_IMPORT_CUSTOMS);
  ExpectRejected(MakeEvent(v1::EVENT_TYPE_OUT_FOR_DELIVERY, kForwarder),
                 "shipment SHP-1 is held by import customs; only customs can release it");
}

TEST_F(ContractTest, ClearanceWhileHeldIsRejected) {
  Advance(kImportHeldSteps);
  ExpectRejected(MakeEvent(v1::EVENT_TYPE_IMPORT_CUSTOMS_CLEARED, kCustoms),
                 "shipment SHP-1 cannot be cleared while held by import customs; the hold must be "
                 "released");
}

TEST_F(ContractTest, ASecondHoldIsRejected) {
  Advance(kImportHeldSteps);
  ExpectRejected(MakeEvent(v1::EVENT_TYPE_IMPORT_CUSTOMS_HELD, kCustoms),
                 "shipment SHP-1 is already held by import customs");
}

TEST_F(ContractTest, ReleaseWithoutHoldIsRejected) {
  Advance(kArrivedSteps);
  ExpectValid(MakeEvent(v1::EVENT_TYPE_IMPORT_CUSTOMS_DECLARED, kImporter));
  ExpectRejected(MakeEvent(v1::EVENT_TYPE_IMPORT_CUSTOMS_RELEASED, kCustoms),
                 "shipment SHP-1 has no import customs hold to release");
  height_ = 0;
  state_.reset();
  Advance(kAtExportCustomsSteps);
  ExpectRejected(MakeEvent(v1::EVENT_TYPE_EXPORT_CUSTOMS_RELEASED, kCustoms),
                 "shipment SHP-1 has no export customs hold to release");
}

TEST_F(ContractTest, ReleaseLiftsTheHoldAndCountsAsClearance) {
  Advance(kImportClearedSteps);
  EXPECT_EQ(state().hold(), v1::CUSTOMS_SIDE_NONE);
  EXPECT_TRUE(state().hold_reason().empty());
  EXPECT_TRUE(state().import_cleared());
  EXPECT_EQ(state().status(), v1::SHIPMENT_STATUS_IMPORT_CLEARED);
}

TEST_F(ContractTest, DeclaredThenClearedImport) {
  Advance(kArrivedSteps);
  ExpectValid(MakeEvent(v1::EVENT_TYPE_IMPORT_CUSTOMS_DECLARED, kImporter));
  ExpectRejected(MakeEvent(v1::EVENT_TYPE_OUT_FOR_DELIVERY, kForwarder),
                 "'out_for_delivery' is not allowed (out for delivery follows arrival, and import "
                 "clearance once import customs is involved)");
  ExpectValid(MakeEvent(v1::EVENT_TYPE_IMPORT_CUSTOMS_CLEARED, kCustoms));
  EXPECT_TRUE(state().import_cleared());
  EXPECT_EQ(state().status(), v1::SHIPMENT_STATUS_IMPORT_CLEARED);
  ExpectValid(MakeEvent(v1::EVENT_TYPE_OUT_FOR_DELIVERY, kForwarder));
}

TEST_F(ContractTest, ExportHoldAtPickupStopsLoadingUntilReleased) {
  Advance(kPickedUpSteps);
  ExpectValid(WithDetail(MakeEvent(v1::EVENT_TYPE_EXPORT_CUSTOMS_HELD, kCustoms), "reason",
                         "dual-use goods"));
  EXPECT_EQ(state().status(), v1::SHIPMENT_STATUS_AT_EXPORT_CUSTOMS);
  EXPECT_EQ(state().hold(), v1::CUSTOMS_SIDE_EXPORT);
  ExpectRejected(MakeEvent(v1::EVENT_TYPE_LOADED, kExporter),
                 "shipment SHP-1 is held by export customs: dual-use goods; only customs can "
                 "release it");
  ExpectRejected(MakeEvent(v1::EVENT_TYPE_EXPORT_CUSTOMS_CLEARED, kCustoms),
                 "cannot be cleared while held by export customs");
  ExpectValid(MakeEvent(v1::EVENT_TYPE_EXPORT_CUSTOMS_RELEASED, kCustoms));
  EXPECT_EQ(state().status(), v1::SHIPMENT_STATUS_EXPORT_CLEARED);
  EXPECT_TRUE(state().export_cleared());
  ExpectValid(MakeEvent(v1::EVENT_TYPE_LOADED, kExporter));
}

TEST_F(ContractTest, ExportHoldAfterClearanceSuspendsIt) {
  Advance(kExportClearedSteps);
  ExpectValid(MakeEvent(v1::EVENT_TYPE_EXPORT_CUSTOMS_HELD, kCustoms));
  EXPECT_EQ(state().status(), v1::SHIPMENT_STATUS_EXPORT_CLEARED);
  EXPECT_FALSE(state().export_cleared());
  ExpectRejected(Handover(kExporter, kForwarder), "is held by export customs");
  ExpectValid(MakeEvent(v1::EVENT_TYPE_EXPORT_CUSTOMS_RELEASED, kCustoms));
  EXPECT_TRUE(state().export_cleared());
  ExpectValid(Handover(kExporter, kForwarder));
}

TEST_F(ContractTest, ExportHoldOfALoadedShipmentStopsDeparture) {
  Advance(kLoadedSteps);
  ExpectValid(MakeEvent(v1::EVENT_TYPE_EXPORT_CUSTOMS_HELD, kCustoms));
  EXPECT_EQ(state().status(), v1::SHIPMENT_STATUS_LOADED);
  ExpectRejected(MakeEvent(v1::EVENT_TYPE_DEPARTED, kForwarder), "is held by export customs");
  ExpectValid(MakeEvent(v1::EVENT_TYPE_EXPORT_CUSTOMS_RELEASED, kCustoms));
  EXPECT_EQ(state().status(), v1::SHIPMENT_STATUS_LOADED);
  ExpectValid(MakeEvent(v1::EVENT_TYPE_DEPARTED, kForwarder));
}

TEST_F(ContractTest, OnlyCustomsRecordsCustomsDecisions) {
  const struct {
    size_t steps;
    v1::EventType type;
  } cases[] = {
      {kAtExportCustomsSteps, v1::EVENT_TYPE_EXPORT_CUSTOMS_CLEARED},
      {kAtExportCustomsSteps, v1::EVENT_TYPE_EXPORT_CUSTOMS_HELD},
      {kArrivedSteps, v1::EVENT_TYPE_IMPORT_CUSTOMS_HELD},
      {kImportHeldSteps, v1::EVENT_TYPE_IMPORT_CUSTOMS_RELEASED},
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(model::EventTypeName(c.type));
    height_ = 0;
    state_.reset();
    Advance(c.steps);
    // Defence in depth: even if role policy let it through, a non-customs signer is refused.
    model::AdmittedEvent admitted = MakeEvent(c.type, kCustoms);
    admitted.signer_role = model::Role::kImporter;
    ExpectRejected(admitted, "customs decision '" + model::EventTypeName(c.type) +
                                 "' signed by 'customs-de', which is not a customs organisation");
    ExpectRejected(MakeEvent(c.type, kExporter), "which is not a customs organisation");
  }
}

TEST_F(ContractTest, CustomsDeclarationNeedsAParty) {
  Advance(kPickedUpSteps);
  ExpectRejected(MakeEvent(v1::EVENT_TYPE_EXPORT_CUSTOMS_DECLARED, kCarrier),
                 "event 'export_customs_declared' may be recorded only by a party to shipment "
                 "SHP-1, and 'carrier-co' is not one");
  ExpectValid(MakeEvent(v1::EVENT_TYPE_EXPORT_CUSTOMS_DECLARED, kImporter));
  EXPECT_EQ(state().status(), v1::SHIPMENT_STATUS_AT_EXPORT_CUSTOMS);
  // An amended declaration keeps the shipment at export customs.
  ExpectValid(MakeEvent(v1::EVENT_TYPE_EXPORT_CUSTOMS_DECLARED, kExporter));
  EXPECT_EQ(state().status(), v1::SHIPMENT_STATUS_AT_EXPORT_CUSTOMS);
}

TEST_F(ContractTest, CustomsSignerBecomesAParty) {
  Advance(kExportClearedSteps);
  EXPECT_THAT(state().parties(), ::testing::Contains(kCustoms));
}

}  // namespace
}  // namespace shipledger::contracts
