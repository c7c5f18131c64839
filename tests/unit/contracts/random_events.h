// A seeded generator of blocks of AdmittedEvents that exercise contract rules v2: bookings with
// route, cold-chain and return terms, carrier offers and withdrawals, scripted journeys that
// mostly follow the legs, sensor readings, returns, reassignments, error declarations,
// duplicates and garbage. Used by property_test.cc; the same seed gives the same events.
#pragma once

#include <algorithm>
#include <cstdint>
#include <map>
#include <optional>
#include <random>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "model/event.h"
#include "model/execution.h"
#include "shipledger/v1/types.pb.h"

namespace shipledger::contracts::testutil {

class RandomEvents {
 public:
  explicit RandomEvents(uint64_t seed) : rng_(seed) {}

  // The events of the next block at `block_time_ms`; `state` is the committed state the
  // journeys are scripted against (so hand-overs to the leg carriers often succeed).
  std::vector<model::AdmittedEvent> NextBlock(const model::StateReader& state,
                                              int64_t block_time_ms) {
    now_ms_ = block_time_ms;
    std::vector<model::AdmittedEvent> block;
    const int n = Uniform(1, 12);
    for (int i = 0; i < n; ++i) {
      const int pick = Uniform(0, 99);
      if (pick < 10 || shipments_.empty()) {
        block.push_back(Booking());
      } else if (pick < 18) {
        block.push_back(Offer());
      } else if (pick < 21) {
        block.push_back(Withdrawal());
      } else if (pick < 58) {
        block.push_back(JourneyStep(state));
      } else if (pick < 66) {
        block.push_back(Readings(RandomShipment(), state));
      } else if (pick < 72) {
        block.push_back(Reassignment(state));
      } else if (pick < 79) {
        block.push_back(ErrorDeclaration());
      } else if (pick < 85) {
        if (!block.empty() && Chance(40)) {
          block.push_back(
              block[static_cast<size_t>(Uniform(0, static_cast<int>(block.size()) - 1))]);
        } else if (!history_.empty()) {
          block.push_back(
              history_[static_cast<size_t>(Uniform(0, static_cast<int>(history_.size()) - 1))]);
        } else {
          block.push_back(Garbage());
        }
      } else {
        block.push_back(Garbage());
      }
    }
    for (const model::AdmittedEvent& e : block) Remember(e);
    return block;
  }

 private:
  static constexpr const char* kOrgs[] = {"exporter-co", "forwarder-co", "carrier-co",
                                          "carrier-b",   "carrier-c",    "customs-de",
                                          "importer-co", "inspector-co"};
  static constexpr const char* kCarriers[] = {"carrier-co", "carrier-b", "carrier-c",
                                              "forwarder-co"};
  static constexpr const char* kLocodes[] = {"DEHAM", "DEBRE", "NLRTM", "NLAMS",
                                             "CNSHA", "USNYC", "GBFXT"};
  static constexpr const char* kCountries[] = {"DE", "NL", "CN", "US", "GB"};
  static constexpr const char* kReasons[] = {"damaged", "wrong_item", "late"};
  static constexpr const char* kConditions[] = {"unopened", "opened", ""};

  static model::Role RoleOf(const std::string& org) {
    if (org == "forwarder-co") return model::Role::kForwarder;
    if (org.rfind("carrier-", 0) == 0) return model::Role::kCarrier;
    if (org == "customs-de") return model::Role::kCustoms;
    if (org == "importer-co") return model::Role::kImporter;
    if (org == "inspector-co") return model::Role::kInspector;
    return model::Role::kExporter;
  }

  int Uniform(int lo, int hi) { return std::uniform_int_distribution<int>(lo, hi)(rng_); }
  int64_t Uniform64(int64_t lo, int64_t hi) {
    return std::uniform_int_distribution<int64_t>(lo, hi)(rng_);
  }
  bool Chance(int percent) { return Uniform(0, 99) < percent; }
  template <typename T, size_t N>
  T Pick(const T (&items)[N]) {
    return items[static_cast<size_t>(Uniform(0, static_cast<int>(N) - 1))];
  }
  std::string Org() { return Pick(kOrgs); }
  std::string Carrier() { return Pick(kCarriers); }
  std::string OrgOtherThan(const std::string& org) {
    std::string other = Org();
    while (other == org) other = Org();
    return other;
  }

  Bytes NextId() {
    Bytes id(32, 'p');
    const uint64_t n = next_id_++;
    for (int i = 0; i < 8; ++i)
      id[static_cast<size_t>(i)] = static_cast<char>((n >> (8 * i)) & 0xff);
    return id;
  }

  model::AdmittedEvent Make(v1::EventType type, const std::string& signer,
                            const std::string& shipment, const std::string& cosigner = {}) {
    model::AdmittedEvent admitted;
    admitted.id = NextId();
    v1::Event& e = admitted.event;
    e.set_chain_id("prop-chain");
    e.set_shipment_id(shipment);
    e.set_type(type);
    e.set_signer_org(signer);
    e.set_occurred_at_ms(now_ms_ - Uniform(0, 60'000));
    if (Chance(30)) e.set_location(Pick(kLocodes));
    if (!cosigner.empty()) {
      e.add_cosigner_orgs(cosigner);
      // Most co-signatures verified; a few are missing (the contract rejects those).
      if (Chance(95)) admitted.cosigned_by.push_back(cosigner);
    }
    admitted.signer_role = RoleOf(signer);
    return admitted;
  }

  std::string RandomShipment() {
    if (shipments_.empty() || Chance(3)) return "S-unknown-" + std::to_string(Uniform(0, 3));
    return shipments_[static_cast<size_t>(Uniform(0, static_cast<int>(shipments_.size()) - 1))];
  }

  model::AdmittedEvent Booking() {
    std::string id = "S-" + std::to_string(shipments_.size());
    if (!shipments_.empty() && Chance(3)) id = RandomShipment();  // booked twice
    const std::string booker = Chance(70) ? "exporter-co" : "forwarder-co";
    model::AdmittedEvent admitted = Make(v1::EVENT_TYPE_BOOKED, booker, id);
    if (Chance(50)) admitted.event.add_parties("importer-co");
    FillBooking(admitted.event.mutable_booking());
    if (std::find(shipments_.begin(), shipments_.end(), id) == shipments_.end()) {
      shipments_.push_back(id);
    }
    return admitted;
  }

  void FillBooking(v1::BookingTerms* terms) {
    if (Chance(80)) terms->set_consignee(Chance(85) ? "importer-co" : Org());
    const bool cold = Chance(40);
    std::string from = Pick(kLocodes);
    const int legs = Uniform(1, 4);
    for (int i = 0; i < legs; ++i) {
      v1::LegPlan* leg = terms->add_legs();
      std::string to = Pick(kLocodes);
      while (to == from) to = Pick(kLocodes);
      leg->set_origin(from);
      leg->set_destination(to);
      leg->set_mode(static_cast<v1::TransportMode>(Uniform(1, 4)));
      leg->set_temperature_controlled(cold && Chance(70));
      leg->set_dangerous_goods(Chance(10));
      if (Chance(25)) leg->set_latest_arrival_ms(now_ms_ + Uniform64(3'600'000, 20LL * 86'400'000));
      if (Chance(50)) leg->set_carrier(Carrier());
      from = to;
    }
    terms->set_match_rule(static_cast<v1::MatchRule>(Uniform(0, 2)));
    const int currency = Uniform(0, 2);
    if (currency > 0) terms->set_currency(currency == 1 ? "EUR" : "USD");
    if (cold) {
      v1::ColdChainTerms* cc = terms->mutable_cold_chain();
      cc->set_min_milli_c(2000);
      cc->set_max_milli_c(8000);
      cc->set_tolerance_ms(Uniform64(0, 2 * 3'600'000));
    }
    if (Chance(60)) {
      v1::ReturnTerms* rt = terms->mutable_returns();
      rt->set_window_ms(Uniform64(3'600'000, 3 * 86'400'000));
      for (const char* reason : kReasons) {
        if (Chance(40)) rt->add_allowed_reasons(reason);
      }
      if (Chance(40)) rt->set_condition_required("unopened");
      if (Chance(50)) rt->set_payer(Org());
      if (Chance(50)) rt->set_return_address(Pick(kLocodes));
    }
  }

  std::string LaneEnd() { return Chance(40) ? std::string(Pick(kCountries)) : Pick(kLocodes); }

  model::AdmittedEvent Offer() {
    std::string id = "O-" + std::to_string(offers_.size());
    if (!offers_.empty() && Chance(5))
      id = offers_[static_cast<size_t>(Uniform(0, static_cast<int>(offers_.size()) - 1))].first;
    const std::string carrier = Carrier();
    model::AdmittedEvent admitted = Make(v1::EVENT_TYPE_CARRIER_OFFER, carrier, id);
    FillOffer(admitted.event.mutable_offer());
    offers_.emplace_back(id, carrier);
    return admitted;
  }

  void FillOffer(v1::CarrierOffer* offer) {
    for (int mode = 1; mode <= 4; ++mode) {
      if (Chance(50)) offer->add_modes(static_cast<v1::TransportMode>(mode));
    }
    const int lanes = Uniform(1, 3);
    for (int i = 0; i < lanes; ++i) {
      v1::Lane* lane = offer->add_lanes();
      lane->set_origin(LaneEnd());
      lane->set_destination(LaneEnd());
    }
    offer->set_cold_chain(Chance(50));
    offer->set_dangerous_goods(Chance(30));
    offer->set_price_minor(Uniform64(100, 10'000));
    offer->set_currency(Chance(70) ? "EUR" : "USD");
    offer->set_valid_from_ms(now_ms_ + Uniform64(-2 * 3'600'000, 3'600'000));
    offer->set_valid_until_ms(now_ms_ + Uniform64(-3'600'000, 30LL * 86'400'000));
  }

  model::AdmittedEvent Withdrawal() {
    if (offers_.empty()) return Garbage();
    const auto& [id, carrier] =
        offers_[static_cast<size_t>(Uniform(0, static_cast<int>(offers_.size()) - 1))];
    return Make(v1::EVENT_TYPE_CARRIER_WITHDRAWAL, Chance(85) ? carrier : Carrier(), id);
  }

  // The organisation the route says the goods go to next (as routing.cc's NextLeg does), or a
  // random carrier when the leg is open or no route applies.
  std::string NextReceiver(const v1::ShipmentState& s) {
    const bool reverse = s.status() == v1::SHIPMENT_STATUS_RETURN_REQUESTED ||
                         s.status() == v1::SHIPMENT_STATUS_RETURN_IN_TRANSIT;
    const auto& legs = reverse ? s.return_legs() : s.legs();
    uint32_t k = (reverse ? s.current_return_leg() : s.current_leg()) + 1;
    while (k <= static_cast<uint32_t>(legs.size()) &&
           legs[static_cast<int>(k) - 1].status() != v1::LEG_STATUS_OPEN &&
           legs[static_cast<int>(k) - 1].carrier() == s.custodian()) {
      ++k;
    }
    std::string receiver;
    if (k <= static_cast<uint32_t>(legs.size())) {
      receiver = legs[static_cast<int>(k) - 1].carrier();
    } else {
      receiver = reverse ? s.booked_by() : s.consignee();
    }
    if (receiver.empty() || receiver == s.custodian() || Chance(10)) {
      receiver = OrgOtherThan(s.custodian());
    }
    return receiver;
  }

  model::AdmittedEvent Handover(const v1::ShipmentState& s) {
    const std::string signer = Chance(90) ? s.custodian() : Org();
    std::string receiver = NextReceiver(s);
    if (receiver == signer) receiver = OrgOtherThan(signer);
    return Make(v1::EVENT_TYPE_HANDOVER, signer, s.shipment_id(), receiver);
  }

  model::AdmittedEvent ByCustodian(v1::EventType type, const v1::ShipmentState& s) {
    return Make(type, Chance(90) ? s.custodian() : Org(), s.shipment_id());
  }

  model::AdmittedEvent JourneyStep(const model::StateReader& state) {
    const std::string id = RandomShipment();
    const std::optional<v1::ShipmentState> current = state.GetShipmentState(id);
    if (!current.has_value()) return Garbage();
    const v1::ShipmentState& s = *current;
    if (Chance(15)) return Readings(id, state);
    if (Chance(25)) return Handover(s);
    switch (s.status()) {
      case v1::SHIPMENT_STATUS_BOOKED:
        return ByCustodian(v1::EVENT_TYPE_PICKUP, s);
      case v1::SHIPMENT_STATUS_PICKED_UP:
        if (Chance(40)) return Make(v1::EVENT_TYPE_EXPORT_CUSTOMS_DECLARED, s.custodian(), id);
        return ByCustodian(v1::EVENT_TYPE_LOADED, s);
      case v1::SHIPMENT_STATUS_AT_EXPORT_CUSTOMS: {
        const v1::EventType types[] = {v1::EVENT_TYPE_EXPORT_CUSTOMS_CLEARED,
                                       v1::EVENT_TYPE_EXPORT_CUSTOMS_HELD,
                                       v1::EVENT_TYPE_EXPORT_CUSTOMS_RELEASED};
        return Make(Pick(types), "customs-de", id);
      }
      case v1::SHIPMENT_STATUS_EXPORT_CLEARED:
        return ByCustodian(v1::EVENT_TYPE_LOADED, s);
      case v1::SHIPMENT_STATUS_LOADED:
        return ByCustodian(v1::EVENT_TYPE_DEPARTED, s);
      case v1::SHIPMENT_STATUS_IN_TRANSIT:
        return ByCustodian(Chance(80) ? v1::EVENT_TYPE_ARRIVED : v1::EVENT_TYPE_DISCHARGED, s);
      case v1::SHIPMENT_STATUS_ARRIVED:
        if (Chance(20)) return Make(v1::EVENT_TYPE_IMPORT_CUSTOMS_DECLARED, s.custodian(), id);
        if (Chance(40)) return ByCustodian(v1::EVENT_TYPE_LOADED, s);
        return ByCustodian(v1::EVENT_TYPE_OUT_FOR_DELIVERY, s);
      case v1::SHIPMENT_STATUS_AT_IMPORT_CUSTOMS:
        return Make(
            Chance(80) ? v1::EVENT_TYPE_IMPORT_CUSTOMS_CLEARED : v1::EVENT_TYPE_IMPORT_CUSTOMS_HELD,
            "customs-de", id);
      case v1::SHIPMENT_STATUS_IMPORT_CLEARED:
        return ByCustodian(v1::EVENT_TYPE_OUT_FOR_DELIVERY, s);
      case v1::SHIPMENT_STATUS_OUT_FOR_DELIVERY:
        return ByCustodian(v1::EVENT_TYPE_DELIVERED, s);
      case v1::SHIPMENT_STATUS_DELIVERED:
        return ReturnRequest(s);
      case v1::SHIPMENT_STATUS_RETURN_REQUESTED:
        return ByCustodian(v1::EVENT_TYPE_RETURN_PICKED_UP, s);
      case v1::SHIPMENT_STATUS_RETURN_IN_TRANSIT:
        return ByCustodian(v1::EVENT_TYPE_RETURNED, s);
      default:
        return Garbage();
    }
  }

  model::AdmittedEvent ReturnRequest(const v1::ShipmentState& s) {
    std::string signer = s.consignee().empty() || Chance(15) ? Org() : s.consignee();
    model::AdmittedEvent admitted = Make(v1::EVENT_TYPE_RETURN_REQUESTED, signer, s.shipment_id());
    admitted.event.mutable_return_request()->set_reason(Pick(kReasons));
    admitted.event.mutable_return_request()->set_condition(Pick(kConditions));
    return admitted;
  }

  model::AdmittedEvent Readings(const std::string& id, const model::StateReader& state) {
    const std::optional<v1::ShipmentState> s = state.GetShipmentState(id);
    const std::string signer = s.has_value() && Chance(90) ? s->custodian() : Org();
    model::AdmittedEvent admitted = Make(v1::EVENT_TYPE_SENSOR_READINGS, signer, id);
    int64_t& last = last_reading_ms_[id];
    int64_t t = last == 0 ? now_ms_ - 3'600'000 : last;
    if (Chance(10)) {
      t -= Uniform64(0, 3'600'000);  // starts before the last reading: rejected
    } else {
      t += Uniform64(1, 600'000);
    }
    const int count = Uniform(1, 5);
    for (int i = 0; i < count; ++i) {
      v1::SensorReading* r = admitted.event.add_readings();
      // Mostly 0..10 C around a 2..8 C range: in and out of range.
      const int64_t milli_c = Chance(70) ? Uniform64(2000, 8000) : Uniform64(-5000, 15000);
      if (Chance(30)) {
        r->set_unit("F");
        r->set_value_milli(milli_c * 9 / 5 + 32000);
      } else {
        r->set_unit("C");
        r->set_value_milli(milli_c);
      }
      r->set_device_id("dev-1");
      r->set_time_ms(t);
      if (i + 1 < count) t += Uniform64(0, 40 * 60'000);
      // Rarely a batch out of time order: no admission check rejects one (validation.cc
      // checks no v2 payload), so the contract must cope.
      if (i + 1 < count && Chance(2)) t -= Uniform64(1, 3 * 3'600'000);
    }
    last = std::max(last, t);
    return admitted;
  }

  model::AdmittedEvent Reassignment(const model::StateReader& state) {
    const std::string id = RandomShipment();
    const std::optional<v1::ShipmentState> s = state.GetShipmentState(id);
    const std::string signer = s.has_value() && Chance(85) ? s->booked_by() : Org();
    model::AdmittedEvent admitted = Make(v1::EVENT_TYPE_LEG_REASSIGNMENT, signer, id);
    v1::LegReassignment* r = admitted.event.mutable_reassignment();
    r->set_reverse(s.has_value() && !s->return_legs().empty() && Chance(50));
    const int legs = !s.has_value() ? 2 : r->reverse() ? s->return_legs_size() : s->legs_size();
    r->set_leg(static_cast<uint32_t>(
        Uniform(Chance(5) ? 0 : 1, std::max(1, legs) + (Chance(10) ? 1 : 0))));
    if (Chance(2)) r->set_leg(0x80000000u + static_cast<uint32_t>(Uniform(0, 1000)));  // any uint32
    if (Chance(70)) r->set_carrier(Carrier());
    return admitted;
  }

  model::AdmittedEvent ErrorDeclaration() {
    const std::string id = RandomShipment();
    std::vector<const model::AdmittedEvent*> own;
    for (const model::AdmittedEvent& e : history_) {
      if (e.event.shipment_id() == id) own.push_back(&e);
    }
    const model::AdmittedEvent* target = nullptr;
    if (!own.empty() && Chance(70)) {
      target = own[static_cast<size_t>(Uniform(0, static_cast<int>(own.size()) - 1))];
    } else if (!history_.empty() && Chance(60)) {
      target = &history_[static_cast<size_t>(Uniform(0, static_cast<int>(history_.size()) - 1))];
    }
    const std::string signer = target != nullptr && Chance(80) ? target->event.signer_org() : Org();
    model::AdmittedEvent admitted = Make(v1::EVENT_TYPE_ERROR_DECLARATION, signer, id);
    v1::ErrorDeclaration* d = admitted.event.mutable_error_declaration();
    d->set_event_id(target != nullptr ? target->id : Bytes(32, 'x'));  // unknown id
    d->set_reason("typo");
    for (int i = Uniform(0, 2); i > 0 && !own.empty(); --i) {
      d->add_corrective_event_ids(
          own[static_cast<size_t>(Uniform(0, static_cast<int>(own.size()) - 1))]->id);
    }
    return admitted;
  }

  // Any type, signer, shipment and payload; co-signer rules the node checks still hold.
  model::AdmittedEvent Garbage() {
    const auto type = static_cast<v1::EventType>(Uniform(1, 29));
    const std::string signer = Org();
    std::string shipment = RandomShipment();
    if (!offers_.empty() && Chance(20)) {
      shipment =
          offers_[static_cast<size_t>(Uniform(0, static_cast<int>(offers_.size()) - 1))].first;
    }
    const bool cosign = type == v1::EVENT_TYPE_HANDOVER || Chance(10);
    model::AdmittedEvent admitted =
        Make(type, signer, shipment, cosign ? OrgOtherThan(signer) : std::string());
    v1::Event& e = admitted.event;
    switch (Uniform(0, 5)) {
      case 0:
        FillBooking(e.mutable_booking());
        break;
      case 1:
        FillOffer(e.mutable_offer());
        break;
      case 2:
        e.mutable_reassignment()->set_leg(static_cast<uint32_t>(Uniform(0, 5)));
        e.mutable_reassignment()->set_reverse(Chance(50));
        break;
      case 3:
        e.mutable_return_request()->set_reason(Pick(kReasons));
        break;
      case 4: {
        v1::SensorReading* r = e.add_readings();
        r->set_time_ms(now_ms_);
        r->set_value_milli(Uniform64(-20000, 20000));
        r->set_unit("C");
        break;
      }
      default:
        break;
    }
    return admitted;
  }

  void Remember(const model::AdmittedEvent& e) {
    if (history_ids_.insert(e.id).second) history_.push_back(e);
  }

  std::mt19937_64 rng_;
  int64_t now_ms_ = 0;
  uint64_t next_id_ = 1;
  std::vector<std::string> shipments_;
  std::vector<std::pair<std::string, std::string>> offers_;  // (offer id, carrier)
  std::map<std::string, int64_t> last_reading_ms_;
  std::vector<model::AdmittedEvent> history_;  // every distinct event so far
  std::set<Bytes> history_ids_;
};

}  // namespace shipledger::contracts::testutil
