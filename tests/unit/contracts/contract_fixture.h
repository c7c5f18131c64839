// A fixture that drives one shipment through ApplyShipmentEvent, one event per height, and the
// reference journey of the shipment contract's issue.
#pragma once

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <optional>
#include <string>
#include <variant>
#include <vector>

#include "contracts/lifecycle.h"
#include "contracts/shipment_contract.h"
#include "test_events.h"

namespace shipledger::contracts::testutil {

// booked -> pickup -> export declared -> export cleared -> handover (exporter -> forwarder) ->
// loaded -> departed -> arrived -> import held -> import released -> out for delivery ->
// delivered. Journey()[i] is the (i+1)-th step.
inline std::vector<model::AdmittedEvent> Journey() {
  return {
      Booked(kExporter, {kImporter}),
      MakeEvent(v1::EVENT_TYPE_PICKUP, kExporter),
      MakeEvent(v1::EVENT_TYPE_EXPORT_CUSTOMS_DECLARED, kExporter),
      MakeEvent(v1::EVENT_TYPE_EXPORT_CUSTOMS_CLEARED, kCustoms),
      Handover(kExporter, kForwarder),
      MakeEvent(v1::EVENT_TYPE_LOADED, kForwarder),
      MakeEvent(v1::EVENT_TYPE_DEPARTED, kForwarder),
      MakeEvent(v1::EVENT_TYPE_ARRIVED, kForwarder),
      WithDetail(MakeEvent(v1::EVENT_TYPE_IMPORT_CUSTOMS_HELD, kCustoms), "reason",
                 "documents missing"),
      MakeEvent(v1::EVENT_TYPE_IMPORT_CUSTOMS_RELEASED, kCustoms),
      MakeEvent(v1::EVENT_TYPE_OUT_FOR_DELIVERY, kForwarder),
      MakeEvent(v1::EVENT_TYPE_DELIVERED, kForwarder),
  };
}

// Journey prefixes by the status (or hold) they leave the shipment in.
inline constexpr size_t kBookedSteps = 1;
inline constexpr size_t kPickedUpSteps = 2;
inline constexpr size_t kAtExportCustomsSteps = 3;
inline constexpr size_t kExportClearedSteps = 4;
inline constexpr size_t kHandedOverSteps = 5;  // custodian: forwarder
inline constexpr size_t kLoadedSteps = 6;
inline constexpr size_t kInTransitSteps = 7;
inline constexpr size_t kArrivedSteps = 8;
inline constexpr size_t kImportHeldSteps = 9;
inline constexpr size_t kImportClearedSteps = 10;
inline constexpr size_t kOutForDeliverySteps = 11;
inline constexpr size_t kDeliveredSteps = 12;

class ContractTest : public ::testing::Test {
 protected:
  // Applies `admitted` at the next height (block time = 1000 * height); a VALID outcome
  // becomes the shipment's state.
  Outcome Apply(const model::AdmittedEvent& admitted) {
    ++height_;
    const model::BlockContext context{height_, static_cast<int64_t>(1000 * height_)};
    Outcome outcome =
        ApplyShipmentEvent(state_.has_value() ? &*state_ : nullptr, admitted, context);
    if (const auto* state = std::get_if<v1::ShipmentState>(&outcome)) state_ = *state;
    return outcome;
  }

  void ExpectValid(const model::AdmittedEvent& admitted) {
    const Outcome outcome = Apply(admitted);
    const auto* rejection = std::get_if<Rejection>(&outcome);
    EXPECT_EQ(rejection, nullptr) << model::EventTypeName(admitted.event.type()) << ": "
                                  << (rejection != nullptr ? rejection->reason : "");
  }

  // Expects REJECTED with a reason containing `reason` and the state unchanged.
  void ExpectRejected(const model::AdmittedEvent& admitted, const std::string& reason) {
    const std::string before = state_.has_value() ? state_->SerializeAsString() : "<none>";
    const Outcome outcome = Apply(admitted);
    const auto* rejection = std::get_if<Rejection>(&outcome);
    ASSERT_NE(rejection, nullptr) << model::EventTypeName(admitted.event.type());
    EXPECT_THAT(rejection->reason, ::testing::HasSubstr(reason));
    EXPECT_EQ(state_.has_value() ? state_->SerializeAsString() : "<none>", before);
  }

  // Applies the first `steps` events of Journey(), each expected VALID.
  void Advance(size_t steps) {
    const std::vector<model::AdmittedEvent> journey = Journey();
    for (size_t i = 0; i < steps && i < journey.size(); ++i) {
      SCOPED_TRACE("journey step " + std::to_string(i + 1));
      ExpectValid(journey[i]);
    }
  }

  const v1::ShipmentState& state() const { return *state_; }

  uint64_t height_ = 0;
  std::optional<v1::ShipmentState> state_;
};

}  // namespace shipledger::contracts::testutil
