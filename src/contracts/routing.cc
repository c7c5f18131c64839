#include "contracts/routing.h"

#include <algorithm>
#include <cstdio>
#include <map>
#include <tuple>

#include "contracts/util.h"
#include "shipledger/check.h"

namespace shipledger::contracts {
namespace {

bool InReturn(const v1::ShipmentState& state) {
  return state.status() == v1::SHIPMENT_STATUS_RETURN_REQUESTED ||
         state.status() == v1::SHIPMENT_STATUS_RETURN_IN_TRANSIT ||
         state.status() == v1::SHIPMENT_STATUS_RETURNED;
}

std::string OpenKey(const std::string& shipment_id, bool reverse, uint32_t leg) {
  char suffix[16];
  std::snprintf(suffix, sizeof suffix, "/%c/%04u", reverse ? 'r' : 'f', leg);
  return kOpenLegPrefix + shipment_id + suffix;
}

// Inverse of OpenKey; the suffix has a fixed width, so shipment ids may hold any character.
struct OpenRef {
  std::string shipment_id;
  bool reverse = false;
  uint32_t leg = 0;
};
OpenRef ParseOpenKey(const std::string& key) {
  constexpr size_t kPrefix = sizeof(kOpenLegPrefix) - 1;
  constexpr size_t kSuffix = 7;  // "/f/0001"
  SHIPLEDGER_CHECK_MSG(key.size() > kPrefix + kSuffix, "malformed open-leg record key");
  OpenRef ref;
  ref.shipment_id = key.substr(kPrefix, key.size() - kPrefix - kSuffix);
  ref.reverse = key[key.size() - 6] == 'r';
  ref.leg = static_cast<uint32_t>(std::stoul(key.substr(key.size() - 4)));
  return ref;
}

std::vector<v1::OfferRecord> LoadOffers(Workspace& ws) {
  std::vector<v1::OfferRecord> offers;
  for (const auto& [key, value] : ws.Scan(kOfferPrefix)) {
    v1::OfferRecord& record = offers.emplace_back();
    // Written by this code after validation; unreadable bytes mean a broken store.
    SHIPLEDGER_CHECK_MSG(record.ParseFromString(value), "unreadable offer record");
  }
  return offers;
}

bool LaneEndMatches(const std::string& end, const std::string& locode) {
  if (end.size() == 2) return locode.compare(0, 2, end) == 0;
  return end == locode;
}

// Empty when `record` qualifies for the leg, else the category of the mismatch.
std::string Mismatch(const v1::OfferRecord& record, const v1::LegPlan& plan,
                     const std::string& currency, int64_t now_ms) {
  const v1::CarrierOffer& offer = record.offer();
  if (now_ms < offer.valid_from_ms() || now_ms > offer.valid_until_ms()) return "not valid now";
  if (plan.latest_arrival_ms() > 0 && offer.valid_until_ms() < plan.latest_arrival_ms()) {
    return "expire before the latest arrival";
  }
  if (std::find(offer.modes().begin(), offer.modes().end(), plan.mode()) == offer.modes().end()) {
    return "serve another mode";
  }
  const bool lane = std::any_of(offer.lanes().begin(), offer.lanes().end(), [&](const v1::Lane& l) {
    return LaneEndMatches(l.origin(), plan.origin()) &&
           LaneEndMatches(l.destination(), plan.destination());
  });
  if (!lane) return "serve no matching lane";
  if (plan.temperature_controlled() && !offer.cold_chain()) return "lack cold chain";
  if (plan.dangerous_goods() && !offer.dangerous_goods()) return "lack dangerous goods";
  if (!currency.empty() && offer.currency() != currency) return "quote another currency";
  return {};
}

struct Match {
  const v1::OfferRecord* best = nullptr;
  std::string reason;  // when none qualifies
};

Match FindOffer(const std::vector<v1::OfferRecord>& offers, const v1::LegPlan& plan,
                v1::MatchRule rule, const std::string& currency, int64_t now_ms) {
  Match match;
  std::map<std::string, int> misses;  // category -> count, for the reason
  size_t live = 0;
  for (const v1::OfferRecord& record : offers) {
    if (record.withdrawn()) continue;
    ++live;
    const std::string miss = Mismatch(record, plan, currency, now_ms);
    if (!miss.empty()) {
      ++misses[miss];
      continue;
    }
    if (match.best == nullptr) {
      match.best = &record;
      continue;
    }
    auto key = [&](const v1::OfferRecord& r) {
      const int64_t price = rule == v1::MATCH_RULE_FIRST_REGISTERED ? 0 : r.offer().price_minor();
      return std::make_tuple(price, r.height(), r.index(), r.offer_id());
    };
    if (key(record) < key(*match.best)) match.best = &record;
  }
  if (match.best == nullptr) {
    if (live == 0) {
      match.reason = "no carrier offer is registered";
    } else {
      match.reason = "no qualifying offer among " + std::to_string(live) + ":";
      bool first = true;
      for (const auto& [category, count] : misses) {
        match.reason += (first ? " " : ", ") + std::to_string(count) + " " + category;
        first = false;
      }
    }
  }
  return match;
}

v1::Leg* MutableLeg(v1::ShipmentState* state, bool reverse, uint32_t leg) {
  auto* legs = reverse ? state->mutable_return_legs() : state->mutable_legs();
  SHIPLEDGER_CHECK(leg >= 1 && leg <= static_cast<uint32_t>(legs->size()));
  return legs->Mutable(static_cast<int>(leg) - 1);
}

void Assign(v1::ShipmentState* state, bool reverse, uint32_t n, const v1::OfferRecord& offer,
            Outputs* out) {
  v1::Leg* leg = MutableLeg(state, reverse, n);
  leg->set_status(v1::LEG_STATUS_ASSIGNED);
  leg->set_carrier(offer.carrier());
  leg->set_offer_id(offer.offer_id());
  leg->set_price_minor(offer.offer().price_minor());
  leg->clear_open_reason();
  AddParty(state, offer.carrier());
  v1::ContractOutput& o = out->emplace_back();
  o.set_kind(v1::ContractOutput::KIND_LEG_ASSIGNED);
  o.set_shipment_id(state->shipment_id());
  o.set_leg(n);
  o.set_reverse(reverse);
  o.set_carrier(offer.carrier());
  o.set_offer_id(offer.offer_id());
  o.set_price_minor(offer.offer().price_minor());
}

// Matches leg `n` now; an unmatched leg is left OPEN with its reason and indexed for later.
void MatchOrOpen(Workspace& ws, v1::ShipmentState* state, bool reverse, uint32_t n,
                 const std::vector<v1::OfferRecord>& offers, const model::BlockContext& context,
                 Outputs* out) {
  v1::Leg* leg = MutableLeg(state, reverse, n);
  const bool was_open = leg->status() == v1::LEG_STATUS_OPEN;
  const Match match =
      FindOffer(offers, leg->plan(), state->match_rule(), state->currency(), context.block_time_ms);
  if (match.best != nullptr) {
    Assign(state, reverse, n, *match.best, out);
    if (was_open) ws.DeleteRecord(OpenKey(state->shipment_id(), reverse, n));
    return;
  }
  leg->set_status(v1::LEG_STATUS_OPEN);
  leg->clear_carrier();
  leg->clear_offer_id();
  leg->clear_price_minor();
  leg->set_open_reason(match.reason);
  if (!was_open) ws.PutRecord(OpenKey(state->shipment_id(), reverse, n), Bytes());
  v1::ContractOutput& o = out->emplace_back();
  o.set_kind(v1::ContractOutput::KIND_LEG_OPEN);
  o.set_shipment_id(state->shipment_id());
  o.set_leg(n);
  o.set_reverse(reverse);
  o.set_reason(match.reason);
}

// The next leg whose carrier takes the goods from the custodian: legs the custodian itself
// carries next are skipped. Returns legs.size() + 1 when the route is done.
uint32_t NextLeg(const v1::ShipmentState& state, bool reverse) {
  const auto& legs = reverse ? state.return_legs() : state.legs();
  uint32_t k = (reverse ? state.current_return_leg() : state.current_leg()) + 1;
  while (k <= static_cast<uint32_t>(legs.size()) &&
         legs[static_cast<int>(k) - 1].status() != v1::LEG_STATUS_OPEN &&
         legs[static_cast<int>(k) - 1].carrier() == state.custodian()) {
    ++k;
  }
  return k;
}

}  // namespace

std::string RegisterOffer(Workspace& ws, const model::AdmittedEvent& admitted,
                          const model::BlockContext& context, uint32_t index, Outputs* out) {
  const v1::Event& event = admitted.event;
  const std::string& offer_id = event.shipment_id();
  const std::string key = kOfferPrefix + offer_id;
  if (!event.has_offer()) return "carrier_offer " + Quote(offer_id) + " carries no offer";
  if (std::optional<Bytes> existing = ws.Record(key); existing.has_value()) {
    v1::OfferRecord record;
    SHIPLEDGER_CHECK_MSG(record.ParseFromString(*existing), "unreadable offer record");
    return "offer " + Quote(offer_id) + " is already registered by " + Quote(record.carrier()) +
           " at height " + std::to_string(record.height());
  }
  if (event.offer().valid_until_ms() < context.block_time_ms) {
    return "offer " + Quote(offer_id) + " expired at " +
           std::to_string(event.offer().valid_until_ms()) + " ms, before block time " +
           std::to_string(context.block_time_ms) + " ms";
  }
  v1::OfferRecord record;
  record.set_offer_id(offer_id);
  record.set_carrier(event.signer_org());
  *record.mutable_offer() = event.offer();
  record.set_height(context.height);
  record.set_index(index);
  ws.PutRecord(key, record.SerializeAsString());

  // Every open leg, in key order, against every offer (this one included).
  const std::vector<v1::OfferRecord> offers = LoadOffers(ws);
  for (const auto& [open_key, unused] : ws.Scan(kOpenLegPrefix)) {
    const OpenRef ref = ParseOpenKey(open_key);
    const v1::ShipmentState* current = ws.Shipment(ref.shipment_id);
    SHIPLEDGER_CHECK_MSG(current != nullptr, "open leg of an unknown shipment");
    v1::ShipmentState state = *current;
    const v1::Leg& leg = *MutableLeg(&state, ref.reverse, ref.leg);
    SHIPLEDGER_CHECK_MSG(leg.status() == v1::LEG_STATUS_OPEN, "open-leg index out of date");
    const Match match =
        FindOffer(offers, leg.plan(), state.match_rule(), state.currency(), context.block_time_ms);
    if (match.best == nullptr) continue;
    Assign(&state, ref.reverse, ref.leg, *match.best, out);
    ws.DeleteRecord(open_key);
    ws.PutShipment(std::move(state));
  }
  return {};
}

std::string WithdrawOffer(Workspace& ws, const model::AdmittedEvent& admitted) {
  const v1::Event& event = admitted.event;
  const std::string& offer_id = event.shipment_id();
  const std::string key = kOfferPrefix + offer_id;
  std::optional<Bytes> existing = ws.Record(key);
  if (!existing.has_value()) return "no offer " + Quote(offer_id) + " is registered";
  v1::OfferRecord record;
  SHIPLEDGER_CHECK_MSG(record.ParseFromString(*existing), "unreadable offer record");
  if (record.carrier() != event.signer_org()) {
    return "offer " + Quote(offer_id) + " belongs to " + Quote(record.carrier()) + ", not " +
           Quote(event.signer_org());
  }
  if (record.withdrawn()) return "offer " + Quote(offer_id) + " is already withdrawn";
  record.set_withdrawn(true);
  ws.PutRecord(key, record.SerializeAsString());
  return {};
}

void InitRoute(Workspace& ws, v1::ShipmentState* state, const v1::BookingTerms& terms,
               const model::BlockContext& context, Outputs* out) {
  state->set_consignee(terms.consignee());
  AddParty(state, terms.consignee());
  state->set_match_rule(terms.match_rule());
  state->set_currency(terms.currency());
  if (terms.has_cold_chain()) *state->mutable_cold_chain() = terms.cold_chain();
  if (terms.has_returns()) *state->mutable_return_terms() = terms.returns();
  std::vector<v1::OfferRecord> offers;
  bool loaded = false;
  for (int i = 0; i < terms.legs_size(); ++i) {
    v1::Leg* leg = state->add_legs();
    *leg->mutable_plan() = terms.legs(i);
    if (!terms.legs(i).carrier().empty()) {
      leg->set_status(v1::LEG_STATUS_ASSIGNED);
      leg->set_carrier(terms.legs(i).carrier());
      AddParty(state, terms.legs(i).carrier());
      continue;
    }
    if (!loaded) {
      offers = LoadOffers(ws);
      loaded = true;
    }
    leg->set_status(v1::LEG_STATUS_UNSPECIFIED);  // not yet indexed as open
    MatchOrOpen(ws, state, false, static_cast<uint32_t>(i + 1), offers, context, out);
  }
}

void OpenReturnRoute(Workspace& ws, v1::ShipmentState* state, const model::BlockContext& context,
                     Outputs* out) {
  if (state->legs().empty()) return;
  const std::vector<v1::OfferRecord> offers = LoadOffers(ws);
  const int n = state->legs_size();
  for (int i = n - 1; i >= 0; --i) {
    v1::Leg* leg = state->add_return_legs();
    v1::LegPlan* plan = leg->mutable_plan();
    *plan = state->legs(i).plan();
    plan->set_origin(state->legs(i).plan().destination());
    plan->set_destination(state->legs(i).plan().origin());
    plan->clear_carrier();
    plan->clear_latest_arrival_ms();
  }
  if (!state->return_terms().return_address().empty()) {
    state->mutable_return_legs(n - 1)->mutable_plan()->set_destination(
        state->return_terms().return_address());
  }
  state->set_current_return_leg(0);
  for (int i = 0; i < n; ++i) {
    MatchOrOpen(ws, state, true, static_cast<uint32_t>(i + 1), offers, context, out);
  }
}

void RetryOpenLegs(Workspace& ws, v1::ShipmentState* state, const model::BlockContext& context,
                   Outputs* out) {
  auto has_open = [](const auto& legs) {
    return std::any_of(legs.begin(), legs.end(),
                       [](const v1::Leg& l) { return l.status() == v1::LEG_STATUS_OPEN; });
  };
  if (!has_open(state->legs()) && !has_open(state->return_legs())) return;
  const std::vector<v1::OfferRecord> offers = LoadOffers(ws);
  for (bool reverse : {false, true}) {
    const int n = reverse ? state->return_legs_size() : state->legs_size();
    for (int i = 0; i < n; ++i) {
      const v1::Leg& leg = reverse ? state->return_legs(i) : state->legs(i);
      if (leg.status() != v1::LEG_STATUS_OPEN) continue;
      const Match match = FindOffer(offers, leg.plan(), state->match_rule(), state->currency(),
                                    context.block_time_ms);
      if (match.best == nullptr) continue;
      Assign(state, reverse, static_cast<uint32_t>(i + 1), *match.best, out);
      ws.DeleteRecord(OpenKey(state->shipment_id(), reverse, static_cast<uint32_t>(i + 1)));
    }
  }
}

std::string Reassign(Workspace& ws, v1::ShipmentState* state, const model::AdmittedEvent& admitted,
                     const model::BlockContext& context, Outputs* out) {
  const v1::Event& event = admitted.event;
  const v1::LegReassignment& r = event.reassignment();
  if (!event.has_reassignment()) return "leg_reassignment carries no reassignment";
  if (event.signer_org() != state->booked_by()) {
    return "only the shipper " + Quote(state->booked_by()) + " may reassign legs of shipment " +
           state->shipment_id();
  }
  const int n = r.reverse() ? state->return_legs_size() : state->legs_size();
  // Unsigned comparison: a leg >= 2^31 cast to int would pass as negative and index out of range.
  if (r.leg() < 1 || r.leg() > static_cast<uint32_t>(n)) {
    return "shipment " + state->shipment_id() + " has " + std::to_string(n) +
           (r.reverse() ? " return" : "") + " legs; there is no leg " + std::to_string(r.leg());
  }
  v1::Leg* leg = MutableLeg(state, r.reverse(), r.leg());
  const std::string what = DescribeLeg(leg->plan(), r.leg(), r.reverse());
  if (leg->status() == v1::LEG_STATUS_ACTIVE || leg->status() == v1::LEG_STATUS_DONE) {
    return what + " is already under way with " + Quote(leg->carrier()) +
           "; a leg can be reassigned only before its pickup";
  }
  if (r.carrier().empty()) {
    MatchOrOpen(ws, state, r.reverse(), r.leg(), LoadOffers(ws), context, out);
    return {};
  }
  if (leg->status() == v1::LEG_STATUS_ASSIGNED && leg->carrier() == r.carrier()) {
    return what + " is already assigned to " + Quote(r.carrier());
  }
  if (leg->status() == v1::LEG_STATUS_OPEN) {
    ws.DeleteRecord(OpenKey(state->shipment_id(), r.reverse(), r.leg()));
  }
  leg->set_status(v1::LEG_STATUS_ASSIGNED);
  leg->set_carrier(r.carrier());
  leg->clear_offer_id();
  leg->clear_price_minor();
  leg->clear_open_reason();
  AddParty(state, r.carrier());
  v1::ContractOutput& o = out->emplace_back();
  o.set_kind(v1::ContractOutput::KIND_LEG_ASSIGNED);
  o.set_shipment_id(state->shipment_id());
  o.set_leg(r.leg());
  o.set_reverse(r.reverse());
  o.set_carrier(r.carrier());
  o.set_reason("reassigned by the shipper");
  return {};
}

bool RouteApplies(const v1::ShipmentState& state) {
  if (InReturn(state)) return !state.return_legs().empty();
  return !state.legs().empty() && state.status() != v1::SHIPMENT_STATUS_DELIVERED;
}

std::string CheckRouteHandover(const v1::ShipmentState& state, const std::string& receiver) {
  if (!RouteApplies(state)) return {};
  const bool reverse = InReturn(state);
  const auto& legs = reverse ? state.return_legs() : state.legs();
  const uint32_t k = NextLeg(state, reverse);
  if (k > static_cast<uint32_t>(legs.size())) {
    const std::string& final_party = reverse ? state.booked_by() : state.consignee();
    if (!final_party.empty() && receiver != final_party) {
      return std::string("the ") + (reverse ? "return " : "") +
             "route's legs are done; the goods go to " + Quote(final_party) + ", not " +
             Quote(receiver);
    }
    return {};
  }
  const v1::Leg& leg = legs[static_cast<int>(k) - 1];
  const std::string what = DescribeLeg(leg.plan(), k, reverse);
  if (leg.status() == v1::LEG_STATUS_OPEN) {
    return what + " has no carrier yet (" + leg.open_reason() +
           "); the hand-over must wait for a matching offer or a reassignment";
  }
  if (receiver != leg.carrier()) {
    return "hand-over to " + Quote(receiver) + ", but " + what + " is carried by " +
           Quote(leg.carrier());
  }
  return {};
}

std::string CheckRouteComplete(const v1::ShipmentState& state) {
  if (!RouteApplies(state)) return {};
  const bool reverse = InReturn(state);
  const auto& legs = reverse ? state.return_legs() : state.legs();
  const uint32_t k = NextLeg(state, reverse);
  if (k > static_cast<uint32_t>(legs.size())) return {};
  const v1::Leg& leg = legs[static_cast<int>(k) - 1];
  return DescribeLeg(leg.plan(), k, reverse) + " is still to be carried" +
         (leg.status() == v1::LEG_STATUS_OPEN ? " (no carrier yet)"
                                              : " by " + Quote(leg.carrier())) +
         "; the goods must travel every leg first";
}

void AdvanceRoute(v1::ShipmentState* state, const v1::ShipmentState& before,
                  const std::string& receiver) {
  if (!RouteApplies(before)) return;
  const bool reverse = InReturn(before);
  auto* legs = reverse ? state->mutable_return_legs() : state->mutable_legs();
  const uint32_t k = NextLeg(before, reverse);
  const uint32_t n = static_cast<uint32_t>(legs->size());
  for (uint32_t i = 1; i < k && i <= n; ++i) {
    legs->Mutable(static_cast<int>(i) - 1)->set_status(v1::LEG_STATUS_DONE);
  }
  if (k <= n) {
    SHIPLEDGER_CHECK(legs->Get(static_cast<int>(k) - 1).carrier() == receiver);
    legs->Mutable(static_cast<int>(k) - 1)->set_status(v1::LEG_STATUS_ACTIVE);
  }
  const uint32_t current = std::min(k, n);
  if (reverse) {
    state->set_current_return_leg(current);
  } else {
    state->set_current_leg(current);
  }
}

uint32_t CurrentLeg(const v1::ShipmentState& state, bool* reverse) {
  *reverse = InReturn(state) && !state.return_legs().empty();
  const auto& legs = *reverse ? state.return_legs() : state.legs();
  const uint32_t current = *reverse ? state.current_return_leg() : state.current_leg();
  if (current == 0 || current > static_cast<uint32_t>(legs.size())) return 0;
  return legs[static_cast<int>(current) - 1].status() == v1::LEG_STATUS_ACTIVE ? current : 0;
}

void CompleteRoute(v1::ShipmentState* state, bool reverse) {
  auto* legs = reverse ? state->mutable_return_legs() : state->mutable_legs();
  for (v1::Leg& leg : *legs) {
    if (leg.status() == v1::LEG_STATUS_ACTIVE) leg.set_status(v1::LEG_STATUS_DONE);
  }
}

}  // namespace shipledger::contracts
