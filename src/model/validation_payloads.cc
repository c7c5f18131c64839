#include "model/validation_payloads.h"

#include <algorithm>
#include <cstdint>
#include <set>
#include <string>

#include "model/digest.h"
#include "model/event.h"

namespace shipledger::model {

namespace {

// Bounds of the payloads that are not genesis limits: wide enough for any real use, small enough
// that the contracts never loop over much or overflow on them.
constexpr int64_t kMaxAbsMilli = 1'000'000;  // temperatures: ±1000 degrees
constexpr int kMaxAllowedReasons = 16;
constexpr int kMaxLanes = 32;
constexpr int kMaxCorrectiveEvents = 16;

Status Invalid(std::string m) { return Status::InvalidArgument(std::move(m)); }

bool IsUpperLetters(std::string_view s, size_t n) {
  return s.size() == n &&
         std::all_of(s.begin(), s.end(), [](char c) { return c >= 'A' && c <= 'Z'; });
}

// ISO 4217 shape: three uppercase ASCII letters, e.g. "EUR".
bool IsCurrency(std::string_view s) { return IsUpperLetters(s, 3); }

bool IsTransportMode(int mode) {
  return mode != v1::TRANSPORT_MODE_UNSPECIFIED && v1::TransportMode_IsValid(mode);
}

bool InMilliRange(int64_t v) { return v >= -kMaxAbsMilli && v <= kMaxAbsMilli; }

// OK when `org` is empty or an organisation of the genesis (the same rule as `parties`).
Status CheckOptionalOrg(const Genesis& genesis, const std::string& what, const std::string& org) {
  if (org.empty() || genesis.FindOrganisation(org) != nullptr) return Status::Ok();
  return Invalid(what + " '" + org + "' is not an organisation of this network");
}

// A payload only on its own type. Whether a type needs its payload is the contract's to judge
// (contract rules v2 reject an offer without `offer`, ...): rules v1 admitted those types bare
// and rejected them in execution, and `verify` re-validates old chains with this code.
Status CheckPlacement(const v1::Event& e) {
  struct Placement {
    v1::EventType type;
    const char* payload;
    bool present;
  };
  const Placement placements[] = {
      {v1::EVENT_TYPE_BOOKED, "booking", e.has_booking()},
      {v1::EVENT_TYPE_SENSOR_READINGS, "readings", e.readings_size() > 0},
      {v1::EVENT_TYPE_CARRIER_OFFER, "offer", e.has_offer()},
      {v1::EVENT_TYPE_LEG_REASSIGNMENT, "reassignment", e.has_reassignment()},
      {v1::EVENT_TYPE_RETURN_REQUESTED, "return_request", e.has_return_request()},
      {v1::EVENT_TYPE_ERROR_DECLARATION, "error_declaration", e.has_error_declaration()},
      {v1::EVENT_TYPE_CERTIFICATE_REVOCATION, "revocation", e.has_revocation()},
  };
  for (const Placement& p : placements) {
    if (p.present && e.type() != p.type) {
      return Invalid("only " + EventTypeName(p.type) + " events may carry " + p.payload);
    }
  }
  return Status::Ok();
}

Status CheckLeg(const v1::LegPlan& leg, const std::string& at, const Genesis& genesis) {
  if (!IsUnLocode(leg.origin())) {
    return Invalid(at + ".origin '" + leg.origin() + "' is not a UN/LOCODE (e.g. DEHAM)");
  }
  if (!IsUnLocode(leg.destination())) {
    return Invalid(at + ".destination '" + leg.destination() + "' is not a UN/LOCODE (e.g. DEHAM)");
  }
  if (!IsTransportMode(leg.mode())) {
    return Invalid(at + ".mode " + std::to_string(leg.mode()) +
                   " is not a transport mode (road, rail, sea, air)");
  }
  if (leg.latest_arrival_ms() < 0) {
    return Invalid(at + ".latest_arrival_ms must not be negative (0: none)");
  }
  return CheckOptionalOrg(genesis, at + ".carrier", leg.carrier());
}

Status CheckColdChain(const v1::ColdChainTerms& c) {
  if (!InMilliRange(c.min_milli_c()) || !InMilliRange(c.max_milli_c())) {
    return Invalid("booking.cold_chain temperatures must lie within ±" +
                   std::to_string(kMaxAbsMilli) + " milli-degrees C");
  }
  if (c.min_milli_c() > c.max_milli_c()) {
    return Invalid("booking.cold_chain.min_milli_c " + std::to_string(c.min_milli_c()) +
                   " is above max_milli_c " + std::to_string(c.max_milli_c()));
  }
  if (c.tolerance_ms() < 0) return Invalid("booking.cold_chain.tolerance_ms must not be negative");
  return Status::Ok();
}

Status CheckReturnTerms(const v1::ReturnTerms& r, const Genesis& genesis) {
  const uint32_t max_bytes = genesis.limits.max_field_bytes;
  if (r.window_ms() <= 0) return Invalid("booking.returns.window_ms must be positive");
  if (r.allowed_reasons_size() > kMaxAllowedReasons) {
    return Invalid("booking.returns has more than " + std::to_string(kMaxAllowedReasons) +
                   " allowed_reasons");
  }
  for (int i = 0; i < r.allowed_reasons_size(); ++i) {
    const std::string& reason = r.allowed_reasons(i);
    if (reason.empty() || reason.size() > max_bytes) {
      return Invalid("booking.returns.allowed_reasons[" + std::to_string(i) + "] must be 1.." +
                     std::to_string(max_bytes) + " bytes");
    }
  }
  if (r.condition_required().size() > max_bytes) {
    return Invalid("booking.returns.condition_required is longer than " +
                   std::to_string(max_bytes) + " bytes");
  }
  SL_RETURN_IF_ERROR(CheckOptionalOrg(genesis, "booking.returns.payer", r.payer()));
  if (!r.return_address().empty() && !IsUnLocode(r.return_address())) {
    return Invalid("booking.returns.return_address '" + r.return_address() +
                   "' is not a UN/LOCODE (e.g. DEHAM)");
  }
  return Status::Ok();
}

Status CheckBooking(const v1::BookingTerms& b, const Genesis& genesis) {
  SL_RETURN_IF_ERROR(CheckOptionalOrg(genesis, "booking.consignee", b.consignee()));
  const uint32_t max_legs = genesis.limits.max_legs;
  if (static_cast<uint32_t>(b.legs_size()) > max_legs) {
    return Invalid("booking has " + std::to_string(b.legs_size()) + " legs; at most " +
                   std::to_string(max_legs) + " allowed");
  }
  for (int i = 0; i < b.legs_size(); ++i) {
    SL_RETURN_IF_ERROR(CheckLeg(b.legs(i), "booking.legs[" + std::to_string(i) + "]", genesis));
  }
  if (!v1::MatchRule_IsValid(b.match_rule())) {
    return Invalid("booking.match_rule " + std::to_string(b.match_rule()) +
                   " is not a match rule (cheapest, first_registered)");
  }
  if (!b.currency().empty() && !IsCurrency(b.currency())) {
    return Invalid("booking.currency '" + b.currency() +
                   "' must be empty or 3 uppercase letters (ISO 4217)");
  }
  if (b.has_cold_chain()) SL_RETURN_IF_ERROR(CheckColdChain(b.cold_chain()));
  if (b.has_returns()) SL_RETURN_IF_ERROR(CheckReturnTerms(b.returns(), genesis));
  return Status::Ok();
}

Status CheckReadings(const v1::Event& e, const Limits& lim) {
  // At least one reading is the contract's rule (rules v2 reject an empty batch): a stateless
  // minimum would refuse the sensor_readings events of rules v1, which carry their readings in
  // details.
  if (static_cast<uint32_t>(e.readings_size()) > lim.max_readings) {
    return Invalid("sensor_readings carries " + std::to_string(e.readings_size()) +
                   " readings; at most " + std::to_string(lim.max_readings) + " allowed");
  }
  int64_t previous_ms = 0;
  for (int i = 0; i < e.readings_size(); ++i) {
    const v1::SensorReading& r = e.readings(i);
    const std::string at = "readings[" + std::to_string(i) + "]";
    if (r.unit() != "C" && r.unit() != "F") {
      return Invalid(at + ".unit '" + r.unit() + "' must be \"C\" or \"F\"");
    }
    if (r.time_ms() <= 0) return Invalid(at + ".time_ms must be a positive Unix time in ms");
    if (r.time_ms() < previous_ms) {
      return Invalid(at + ".time_ms is before the reading preceding it (a batch is in time order)");
    }
    previous_ms = r.time_ms();
    if (!InMilliRange(r.value_milli())) {
      return Invalid(at + ".value_milli must lie within ±" + std::to_string(kMaxAbsMilli));
    }
    if (r.device_id().size() > lim.max_field_bytes) {
      return Invalid(at + ".device_id is longer than " + std::to_string(lim.max_field_bytes) +
                     " bytes");
    }
  }
  return Status::Ok();
}

// A lane end: a country (2 uppercase letters) or a UN/LOCODE.
Status CheckLaneEnd(const std::string& end, const std::string& at) {
  if (IsUpperLetters(end, 2) || IsUnLocode(end)) return Status::Ok();
  return Invalid(at + " '" + end + "' is neither a country (e.g. DE) nor a UN/LOCODE (e.g. DEHAM)");
}

Status CheckOffer(const v1::CarrierOffer& o) {
  if (o.modes_size() == 0) return Invalid("offer names no transport mode");
  std::set<int> modes;
  for (int i = 0; i < o.modes_size(); ++i) {
    const int mode = o.modes(i);
    if (!IsTransportMode(mode)) {
      return Invalid("offer.modes[" + std::to_string(i) + "] " + std::to_string(mode) +
                     " is not a transport mode (road, rail, sea, air)");
    }
    if (!modes.insert(mode).second) {
      return Invalid("offer.modes[" + std::to_string(i) + "] repeats an earlier mode");
    }
  }
  if (o.lanes_size() == 0 || o.lanes_size() > kMaxLanes) {
    return Invalid("offer must name 1.." + std::to_string(kMaxLanes) + " lanes, names " +
                   std::to_string(o.lanes_size()));
  }
  for (int i = 0; i < o.lanes_size(); ++i) {
    const std::string at = "offer.lanes[" + std::to_string(i) + "]";
    SL_RETURN_IF_ERROR(CheckLaneEnd(o.lanes(i).origin(), at + ".origin"));
    SL_RETURN_IF_ERROR(CheckLaneEnd(o.lanes(i).destination(), at + ".destination"));
  }
  if (o.price_minor() < 0) return Invalid("offer.price_minor must not be negative");
  if (!IsCurrency(o.currency())) {
    return Invalid("offer.currency '" + o.currency() + "' must be 3 uppercase letters (ISO 4217)");
  }
  if (o.valid_from_ms() < 0) return Invalid("offer.valid_from_ms must not be negative");
  if (o.valid_until_ms() <= o.valid_from_ms()) {
    return Invalid("offer.valid_until_ms must be after valid_from_ms");
  }
  return Status::Ok();
}

Status CheckReassignment(const v1::LegReassignment& r, const Genesis& genesis) {
  const uint32_t max_legs = genesis.limits.max_legs;
  if (r.leg() < 1 || r.leg() > max_legs) {
    return Invalid("reassignment.leg " + std::to_string(r.leg()) + " is not in 1.." +
                   std::to_string(max_legs) + " (legs are numbered from 1)");
  }
  return CheckOptionalOrg(genesis, "reassignment.carrier", r.carrier());
}

Status CheckReturnRequest(const v1::ReturnRequest& r, const Limits& lim) {
  if (r.reason().size() > lim.max_field_bytes) {
    return Invalid("return_request.reason is longer than " + std::to_string(lim.max_field_bytes) +
                   " bytes");
  }
  if (r.condition().size() > lim.max_field_bytes) {
    return Invalid("return_request.condition is longer than " +
                   std::to_string(lim.max_field_bytes) + " bytes");
  }
  return Status::Ok();
}

Status CheckErrorDeclaration(const v1::ErrorDeclaration& d, const Limits& lim) {
  if (d.event_id().size() != kDigestSize) {
    return Invalid("error_declaration.event_id must be 32 bytes, got " +
                   std::to_string(d.event_id().size()));
  }
  if (d.reason().empty() || d.reason().size() > lim.max_field_bytes) {
    return Invalid("error_declaration.reason must be 1.." + std::to_string(lim.max_field_bytes) +
                   " bytes");
  }
  if (d.corrective_event_ids_size() > kMaxCorrectiveEvents) {
    return Invalid("error_declaration names more than " + std::to_string(kMaxCorrectiveEvents) +
                   " corrective_event_ids");
  }
  std::set<std::string, std::less<>> seen;
  for (int i = 0; i < d.corrective_event_ids_size(); ++i) {
    const std::string& id = d.corrective_event_ids(i);
    const std::string at = "error_declaration.corrective_event_ids[" + std::to_string(i) + "]";
    if (id.size() != kDigestSize) {
      return Invalid(at + " must be 32 bytes, got " + std::to_string(id.size()));
    }
    if (id == d.event_id()) return Invalid(at + " is the declared event itself");
    if (!seen.insert(id).second) return Invalid(at + " repeats an earlier id");
  }
  return Status::Ok();
}

}  // namespace

bool IsUnLocode(std::string_view s) {
  if (s.size() != 5) return false;
  for (size_t i = 0; i < 5; ++i) {
    const char c = s[i];
    const bool letter = c >= 'A' && c <= 'Z';
    const bool digit = c >= '2' && c <= '9';
    if (i < 2 ? !letter : !(letter || digit)) return false;
  }
  return true;
}

Status CheckPayloads(const v1::Event& e, const Genesis& genesis) {
  SL_RETURN_IF_ERROR(CheckPlacement(e));
  const Limits& lim = genesis.limits;
  if (e.has_booking()) SL_RETURN_IF_ERROR(CheckBooking(e.booking(), genesis));
  SL_RETURN_IF_ERROR(CheckReadings(e, lim));
  if (e.has_offer()) SL_RETURN_IF_ERROR(CheckOffer(e.offer()));
  if (e.has_reassignment()) SL_RETURN_IF_ERROR(CheckReassignment(e.reassignment(), genesis));
  if (e.has_return_request()) SL_RETURN_IF_ERROR(CheckReturnRequest(e.return_request(), lim));
  if (e.has_error_declaration()) {
    SL_RETURN_IF_ERROR(CheckErrorDeclaration(e.error_declaration(), lim));
  }
  if (e.has_revocation()) {
    if (e.revocation().fingerprint().size() != kDigestSize) {
      return Invalid("revocation.fingerprint must be the " + std::to_string(kDigestSize) +
                     "-byte SHA-256 fingerprint of a certificate (shipledger identity issue "
                     "prints it), not " +
                     std::to_string(e.revocation().fingerprint().size()) + " bytes");
    }
    if (e.revocation().reason().size() > lim.max_field_bytes) {
      return Invalid("revocation.reason is longer than " + std::to_string(lim.max_field_bytes) +
                     " bytes");
    }
  }
  return Status::Ok();
}

}  // namespace shipledger::model
