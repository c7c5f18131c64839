// Executes events under contract rules v2 (or later: rules_) through ExecuteBlock against a
// shipledger::testing::MemoryChain, one block per call, and builds the v2 payloads (booking terms,
// offers, readings, returns, corrections).
#pragma once

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <string>
#include <utility>
#include <vector>

#include "contracts/executor.h"
#include "model/genesis.h"
#include "test_events.h"
#include "testing/memory_chain.h"

namespace shipledger::contracts::testutil {

inline constexpr int64_t kT0 = 1'800'000'000'000;
inline constexpr int64_t kMinute = 60'000;

inline v1::LegPlan Leg(const std::string& origin, const std::string& destination,
                       v1::TransportMode mode, const std::string& carrier = "") {
  v1::LegPlan leg;
  leg.set_origin(origin);
  leg.set_destination(destination);
  leg.set_mode(mode);
  leg.set_carrier(carrier);
  return leg;
}

// Booked by the exporter for the importer (consignee), with `legs`.
inline model::AdmittedEvent BookedWith(const std::vector<v1::LegPlan>& legs,
                                       v1::BookingTerms terms = {},
                                       const std::string& shipment = kShipment) {
  model::AdmittedEvent e = Booked(kExporter, {kImporter}, shipment);
  if (terms.consignee().empty()) terms.set_consignee(kImporter);
  for (const v1::LegPlan& leg : legs) *terms.add_legs() = leg;
  *e.event.mutable_booking() = std::move(terms);
  return e;
}

inline model::AdmittedEvent Offer(const std::string& carrier, const std::string& offer_id,
                                  v1::TransportMode mode, const std::string& from,
                                  const std::string& to, int64_t price,
                                  int64_t valid_until = kT0 + 1000 * kMinute) {
  model::AdmittedEvent e = MakeEvent(v1::EVENT_TYPE_CARRIER_OFFER, carrier, {}, offer_id);
  v1::CarrierOffer* offer = e.event.mutable_offer();
  offer->add_modes(mode);
  v1::Lane* lane = offer->add_lanes();
  lane->set_origin(from);
  lane->set_destination(to);
  offer->set_price_minor(price);
  offer->set_currency("EUR");
  offer->set_valid_from_ms(kT0);
  offer->set_valid_until_ms(valid_until);
  return e;
}

inline model::AdmittedEvent HandoverOf(const std::string& from, const std::string& to,
                                       const std::string& shipment = kShipment) {
  return MakeEvent(v1::EVENT_TYPE_HANDOVER, from, {to}, shipment);
}

// Readings (time ms, value in thousandths of a degree C) by `signer`.
inline model::AdmittedEvent Readings(const std::string& signer,
                                     const std::vector<std::pair<int64_t, int64_t>>& values,
                                     const std::string& unit = "C") {
  model::AdmittedEvent e = MakeEvent(v1::EVENT_TYPE_SENSOR_READINGS, signer);
  for (const auto& [time, value] : values) {
    v1::SensorReading* r = e.event.add_readings();
    r->set_time_ms(time);
    r->set_value_milli(value);
    r->set_unit(unit);
    r->set_device_id("logger-1");
  }
  return e;
}

inline model::AdmittedEvent ReturnRequest(const std::string& signer, const std::string& reason,
                                          const std::string& condition) {
  model::AdmittedEvent e = MakeEvent(v1::EVENT_TYPE_RETURN_REQUESTED, signer);
  e.event.mutable_return_request()->set_reason(reason);
  e.event.mutable_return_request()->set_condition(condition);
  return e;
}

inline model::AdmittedEvent ErrorDeclaration(const std::string& signer, const Bytes& target,
                                             const std::string& reason,
                                             const std::vector<Bytes>& corrective = {}) {
  model::AdmittedEvent e = MakeEvent(v1::EVENT_TYPE_ERROR_DECLARATION, signer);
  v1::ErrorDeclaration* d = e.event.mutable_error_declaration();
  d->set_event_id(target);
  d->set_reason(reason);
  for (const Bytes& id : corrective) d->add_corrective_event_ids(id);
  return e;
}

inline model::AdmittedEvent Reassignment(const std::string& signer, uint32_t leg,
                                         const std::string& carrier, bool reverse = false) {
  model::AdmittedEvent e = MakeEvent(v1::EVENT_TYPE_LEG_REASSIGNMENT, signer);
  e.event.mutable_reassignment()->set_leg(leg);
  e.event.mutable_reassignment()->set_carrier(carrier);
  e.event.mutable_reassignment()->set_reverse(reverse);
  return e;
}

class RulesV2Test : public ::testing::Test {
 protected:
  // One block at the next height, block time kT0 + height minutes, rules v2.
  std::vector<v1::Receipt> RunBlock(const std::vector<model::AdmittedEvent>& events) {
    ++height_;
    std::vector<model::EventPtr> ptrs;
    for (const model::AdmittedEvent& e : events) ptrs.push_back(Share(e));
    const model::BlockContext context{height_, BlockTime(height_), rules_, &limits_};
    const model::BlockEffects effects = ExecuteBlock(ptrs, state_, context);
    state_.Commit(ptrs, effects);
    return effects.receipts;
  }
  v1::Receipt Run(const model::AdmittedEvent& event) { return RunBlock({event})[0]; }
  static int64_t BlockTime(uint64_t height) { return kT0 + static_cast<int64_t>(height) * kMinute; }
  int64_t NextBlockTime() const { return BlockTime(height_ + 1); }

  v1::Receipt ExpectValid(const model::AdmittedEvent& event) {
    v1::Receipt r = Run(event);
    EXPECT_EQ(r.code(), v1::RESULT_CODE_VALID) << TypeName(event) << ": " << r.reason();
    return r;
  }
  // REJECTED with `reason` as a substring, and no state or record changed.
  void ExpectRejected(const model::AdmittedEvent& event, const std::string& reason) {
    const auto states = state_.states();
    const auto records = state_.records();
    const v1::Receipt r = Run(event);
    EXPECT_EQ(r.code(), v1::RESULT_CODE_REJECTED) << TypeName(event);
    EXPECT_THAT(r.reason(), ::testing::HasSubstr(reason));
    EXPECT_TRUE(r.outputs().empty());
    EXPECT_EQ(state_.records(), records);
    ASSERT_EQ(state_.states().size(), states.size());
    for (const auto& [id, s] : states) {
      EXPECT_EQ(state_.states().at(id).SerializeAsString(), s.SerializeAsString()) << id;
    }
  }
  static std::string TypeName(const model::AdmittedEvent& e) {
    return v1::EventType_Name(e.event.type());
  }

  const v1::ShipmentState& Shipment(const std::string& id = kShipment) const {
    return state_.states().at(id);
  }

  uint64_t height_ = 0;
  uint32_t rules_ = 2;    // the contract rules version the blocks run
  model::Limits limits_;  // the genesis limits they run under (rules v3 enforce some)
  shipledger::testing::MemoryChain state_;
};

}  // namespace shipledger::contracts::testutil
