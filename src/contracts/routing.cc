#include "contracts/routing.h"

#include <algorithm>
#include <map>
#include <set>
#include <string_view>
#include <tuple>

#include "contracts/offer_index.h"
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
  return kOpenLegPrefix + LegKeyTail(shipment_id, reverse, leg);
}

LegRef ParseOpenKey(const std::string& key) {
  return ParseLegKeyTail(key, sizeof(kOpenLegPrefix) - 1);
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

// Empty when `record` qualifies for the leg, else the category of the mismatch. `route`: judge
// the offer's modes and lanes too (rules v2, every offer); rules v3 judge offers of the leg's
// (mode, lane) index keys only, whose entries carry neither.
std::string Mismatch(const v1::OfferRecord& record, const v1::LegPlan& plan,
                     const std::string& currency, int64_t now_ms, bool route) {
  const v1::CarrierOffer& offer = record.offer();
  if (now_ms < offer.valid_from_ms() || now_ms > offer.valid_until_ms()) return "not valid now";
  if (plan.latest_arrival_ms() > 0 && offer.valid_until_ms() < plan.latest_arrival_ms()) {
    return "expire before the latest arrival";
  }
  if (route) {
    if (std::find(offer.modes().begin(), offer.modes().end(), plan.mode()) == offer.modes().end()) {
      return "serve another mode";
    }
    const bool lane =
        std::any_of(offer.lanes().begin(), offer.lanes().end(), [&](const v1::Lane& l) {
          return LaneEndMatches(l.origin(), plan.origin()) &&
                 LaneEndMatches(l.destination(), plan.destination());
        });
    if (!lane) return "serve no matching lane";
  }
  if (plan.temperature_controlled() && !offer.cold_chain()) return "lack cold chain";
  if (plan.dangerous_goods() && !offer.dangerous_goods()) return "lack dangerous goods";
  if (!currency.empty() && offer.currency() != currency) return "quote another currency";
  return {};
}

struct Match {
  const v1::OfferRecord* best = nullptr;
  std::string reason;  // when none qualifies
};

// `v3`: `offers` are the indexed offers of the leg's (mode, lane) keys (LaneOfferPrefixes), which
// serve its mode and lanes, and the reason says so.
Match FindOffer(const std::vector<const v1::OfferRecord*>& offers, const v1::LegPlan& plan,
                v1::MatchRule rule, const std::string& currency, int64_t now_ms, bool v3) {
  Match match;
  std::map<std::string, int> misses;  // category -> count, for the reason
  size_t live = 0;
  for (const v1::OfferRecord* offer : offers) {
    const v1::OfferRecord& record = *offer;
    if (record.withdrawn()) continue;
    ++live;
    const std::string miss = Mismatch(record, plan, currency, now_ms, !v3);
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
      match.reason =
          v3 ? "no live carrier offer serves this mode and lane" : "no carrier offer is registered";
    } else {
      match.reason = "no qualifying offer among " + std::to_string(live) +
                     (v3 ? " serving this mode and lane:" : ":");
      bool first = true;
      for (const auto& [category, count] : misses) {
        match.reason += (first ? " " : ", ") + std::to_string(count) + " " + category;
        first = false;
      }
    }
  }
  return match;
}

// The offers one event matches legs against: under rules v2 every offer ever registered (loaded
// once), under v3 the indexed offers of the leg's (mode, lane) keys (each key scanned once per
// event: legs of one event often share their country-to-country key). A Match points into this
// source: it lives as long as the source.
class OfferSource {
 public:
  OfferSource(Workspace& ws, const model::BlockContext& context) : ws_(ws), context_(context) {}
  OfferSource(const OfferSource&) = delete;
  OfferSource& operator=(const OfferSource&) = delete;

  Match Find(const v1::LegPlan& plan, v1::MatchRule rule, const std::string& currency) {
    if (context_.rules_version < 3) {
      return FindOffer(AllOffers(), plan, rule, currency, context_.block_time_ms, false);
    }
    return FindOffer(LaneOffers(plan), plan, rule, currency, context_.block_time_ms, true);
  }

 private:
  const std::vector<const v1::OfferRecord*>& AllOffers() {
    if (!all_.has_value()) {
      all_ = LoadOffers(ws_);
      for (const v1::OfferRecord& record : *all_) all_offers_.push_back(&record);
    }
    return all_offers_;
  }
  // Each offer once: an offer serving several lane forms of the leg is under several keys.
  std::vector<const v1::OfferRecord*> LaneOffers(const v1::LegPlan& plan) {
    std::vector<const v1::OfferRecord*> offers;
    std::set<std::string_view> seen;
    for (const std::string& prefix : LaneOfferPrefixes(plan)) {
      auto [it, inserted] = by_prefix_.try_emplace(prefix);
      if (inserted) it->second = IndexedOffers(ws_, prefix);
      for (const v1::OfferRecord& record : it->second) {
        if (seen.insert(record.offer_id()).second) offers.push_back(&record);
      }
    }
    return offers;
  }

  Workspace& ws_;
  const model::BlockContext& context_;
  std::optional<std::vector<v1::OfferRecord>> all_;  // rules v2: every offer, once loaded
  std::vector<const v1::OfferRecord*> all_offers_;   // pointing into *all_
  std::map<std::string, std::vector<v1::OfferRecord>> by_prefix_;  // rules v3
};

// The open-leg index: "open/..." under rules v2, the lane index under v3.
void MarkOpen(Workspace& ws, const model::BlockContext& context, const v1::ShipmentState& state,
              bool reverse, uint32_t n) {
  if (context.rules_version >= 3) {
    IndexOpenLeg(ws, state, reverse, n);
  } else {
    ws.PutRecord(OpenKey(state.shipment_id(), reverse, n), Bytes());
  }
}
void MarkNotOpen(Workspace& ws, const model::BlockContext& context, const v1::ShipmentState& state,
                 bool reverse, uint32_t n) {
  if (context.rules_version >= 3) {
    UnindexOpenLeg(ws, state, reverse, n);
  } else {
    ws.DeleteRecord(OpenKey(state.shipment_id(), reverse, n));
  }
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
                 OfferSource& offers, const model::BlockContext& context, Outputs* out) {
  v1::Leg* leg = MutableLeg(state, reverse, n);
  const bool was_open = leg->status() == v1::LEG_STATUS_OPEN;
  const Match match = offers.Find(leg->plan(), state->match_rule(), state->currency());
  if (match.best != nullptr) {
    Assign(state, reverse, n, *match.best, out);
    if (was_open) MarkNotOpen(ws, context, *state, reverse, n);
    return;
  }
  leg->set_status(v1::LEG_STATUS_OPEN);
  leg->clear_carrier();
  leg->clear_offer_id();
  leg->clear_price_minor();
  leg->set_open_reason(match.reason);
  if (!was_open) MarkOpen(ws, context, *state, reverse, n);
  v1::ContractOutput& o = out->emplace_back();
  o.set_kind(v1::ContractOutput::KIND_LEG_OPEN);
  o.set_shipment_id(state->shipment_id());
  o.set_leg(n);
  o.set_reverse(reverse);
  o.set_reason(match.reason);
}

// Open leg `ref`, found in the open-leg index, assigned to its best offer if one qualifies now.
void MatchIndexedLeg(Workspace& ws, const LegRef& ref, OfferSource& offers,
                     const model::BlockContext& context, Outputs* out) {
  const v1::ShipmentState* current = ws.Shipment(ref.shipment_id);
  SHIPLEDGER_CHECK_MSG(current != nullptr, "open leg of an unknown shipment");
  v1::ShipmentState state = *current;
  const v1::Leg& leg = *MutableLeg(&state, ref.reverse, ref.leg);
  SHIPLEDGER_CHECK_MSG(leg.status() == v1::LEG_STATUS_OPEN, "open-leg index out of date");
  const Match match = offers.Find(leg.plan(), state.match_rule(), state.currency());
  if (match.best == nullptr) return;
  Assign(&state, ref.reverse, ref.leg, *match.best, out);
  MarkNotOpen(ws, context, state, ref.reverse, ref.leg);
  ws.PutShipment(std::move(state));
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

Check RegisterOffer(Workspace& ws, const model::AdmittedEvent& admitted,
                    const model::BlockContext& context, uint32_t index, Outputs* out) {
  const v1::Event& event = admitted.event;
  const std::string& offer_id = event.shipment_id();
  const std::string key = kOfferPrefix + offer_id;
  if (!event.has_offer())
    return Rejection("carrier_offer " + Quote(offer_id) + " carries no offer");
  if (std::optional<Bytes> existing = ws.Record(key); existing.has_value()) {
    v1::OfferRecord record;
    SHIPLEDGER_CHECK_MSG(record.ParseFromString(*existing), "unreadable offer record");
    return Rejection("offer " + Quote(offer_id) + " is already registered by " +
                     Quote(record.carrier()) + " at height " + std::to_string(record.height()));
  }
  if (event.offer().valid_until_ms() < context.block_time_ms) {
    return Rejection("offer " + Quote(offer_id) + " expired at " +
                     std::to_string(event.offer().valid_until_ms()) + " ms, before block time " +
                     std::to_string(context.block_time_ms) + " ms");
  }
  const bool v3 = context.rules_version >= 3;
  if (v3) {
    const uint32_t limit = LimitsOf(context).max_open_offers_per_org;
    if (const uint64_t open = OpenOffers(ws, event.signer_org()); open >= limit) {
      return Rejection(
          "organisation " + Quote(event.signer_org()) + " has " + std::to_string(open) +
          " open offers, the most the genesis allows (limits.max_open_offers_per_org = " +
          std::to_string(limit) + "); withdraw one or wait until one expires");
    }
  }
  v1::OfferRecord record;
  record.set_offer_id(offer_id);
  record.set_carrier(event.signer_org());
  *record.mutable_offer() = event.offer();
  record.set_height(context.height);
  record.set_index(index);
  ws.PutRecord(key, record.SerializeAsString());

  OfferSource offers(ws, context);
  if (v3) {
    // Only the open legs this offer qualifies for by their keys; each gets its best offer.
    IndexOffer(ws, record);
    for (const LegRef& ref : IndexedLegsFor(ws, record, context.block_time_ms)) {
      MatchIndexedLeg(ws, ref, offers, context, out);
    }
    return std::nullopt;
  }
  // Rules v2: every open leg, in key order, against every offer (this one included).
  for (const auto& [open_key, unused] : ws.Scan(kOpenLegPrefix)) {
    MatchIndexedLeg(ws, ParseOpenKey(open_key), offers, context, out);
  }
  return std::nullopt;
}

Check WithdrawOffer(Workspace& ws, const model::AdmittedEvent& admitted,
                    const model::BlockContext& context) {
  const v1::Event& event = admitted.event;
  const std::string& offer_id = event.shipment_id();
  const std::string key = kOfferPrefix + offer_id;
  std::optional<Bytes> existing = ws.Record(key);
  if (!existing.has_value()) return Rejection("no offer " + Quote(offer_id) + " is registered");
  v1::OfferRecord record;
  SHIPLEDGER_CHECK_MSG(record.ParseFromString(*existing), "unreadable offer record");
  if (record.carrier() != event.signer_org()) {
    return Rejection("offer " + Quote(offer_id) + " belongs to " + Quote(record.carrier()) +
                     ", not " + Quote(event.signer_org()));
  }
  if (record.withdrawn()) return Rejection("offer " + Quote(offer_id) + " is already withdrawn");
  record.set_withdrawn(true);
  ws.PutRecord(key, record.SerializeAsString());
  if (context.rules_version >= 3) UnindexOffer(ws, record);  // false when it expired before
  return std::nullopt;
}

void BeginBlockV3(Workspace& ws, const model::BlockContext& context) {
  if (!ws.Record(kIndexedV3Key).has_value()) {
    // The chain's first v3 block (its genesis moves from v2, or starts at v3: then both are
    // empty): what v2 recorded enters the v3 indexes, once.
    for (const v1::OfferRecord& record : LoadOffers(ws)) {
      if (!record.withdrawn() && record.offer().valid_until_ms() >= context.block_time_ms) {
        IndexOffer(ws, record);
      }
    }
    for (const auto& [open_key, unused] : ws.Scan(kOpenLegPrefix)) {
      const LegRef ref = ParseOpenKey(open_key);
      const v1::ShipmentState* state = ws.Shipment(ref.shipment_id);
      SHIPLEDGER_CHECK_MSG(state != nullptr, "open leg of an unknown shipment");
      IndexOpenLeg(ws, *state, ref.reverse, ref.leg);
      ws.DeleteRecord(open_key);
    }
    ws.PutRecord(kIndexedV3Key, Bytes());
  }
  ExpireOffers(ws, context.block_time_ms);
}

void InitRoute(Workspace& ws, v1::ShipmentState* state, const v1::BookingTerms& terms,
               const model::BlockContext& context, Outputs* out) {
  state->set_consignee(terms.consignee());
  AddParty(state, terms.consignee());
  state->set_match_rule(terms.match_rule());
  state->set_currency(terms.currency());
  if (terms.has_cold_chain()) *state->mutable_cold_chain() = terms.cold_chain();
  if (terms.has_returns()) *state->mutable_return_terms() = terms.returns();
  OfferSource offers(ws, context);
  for (int i = 0; i < terms.legs_size(); ++i) {
    v1::Leg* leg = state->add_legs();
    *leg->mutable_plan() = terms.legs(i);
    if (!terms.legs(i).carrier().empty()) {
      leg->set_status(v1::LEG_STATUS_ASSIGNED);
      leg->set_carrier(terms.legs(i).carrier());
      AddParty(state, terms.legs(i).carrier());
      continue;
    }
    leg->set_status(v1::LEG_STATUS_UNSPECIFIED);  // not yet indexed as open
    MatchOrOpen(ws, state, false, static_cast<uint32_t>(i + 1), offers, context, out);
  }
}

void OpenReturnRoute(Workspace& ws, v1::ShipmentState* state, const model::BlockContext& context,
                     Outputs* out) {
  if (state->legs().empty()) return;
  OfferSource offers(ws, context);
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
  OfferSource offers(ws, context);
  for (bool reverse : {false, true}) {
    const int n = reverse ? state->return_legs_size() : state->legs_size();
    for (int i = 0; i < n; ++i) {
      const v1::Leg& leg = reverse ? state->return_legs(i) : state->legs(i);
      if (leg.status() != v1::LEG_STATUS_OPEN) continue;
      const Match match = offers.Find(leg.plan(), state->match_rule(), state->currency());
      if (match.best == nullptr) continue;
      Assign(state, reverse, static_cast<uint32_t>(i + 1), *match.best, out);
      MarkNotOpen(ws, context, *state, reverse, static_cast<uint32_t>(i + 1));
    }
  }
}

Check Reassign(Workspace& ws, v1::ShipmentState* state, const model::AdmittedEvent& admitted,
               const model::BlockContext& context, Outputs* out) {
  const v1::Event& event = admitted.event;
  const v1::LegReassignment& r = event.reassignment();
  if (!event.has_reassignment()) return Rejection("leg_reassignment carries no reassignment");
  if (event.signer_org() != state->booked_by()) {
    return Rejection("only the shipper " + Quote(state->booked_by()) +
                     " may reassign legs of shipment " + state->shipment_id());
  }
  const int n = r.reverse() ? state->return_legs_size() : state->legs_size();
  // Unsigned comparison: a leg >= 2^31 cast to int would pass as negative and index out of range.
  if (r.leg() < 1 || r.leg() > static_cast<uint32_t>(n)) {
    return Rejection("shipment " + state->shipment_id() + " has " + std::to_string(n) +
                     (r.reverse() ? " return" : "") + " legs; there is no leg " +
                     std::to_string(r.leg()));
  }
  v1::Leg* leg = MutableLeg(state, r.reverse(), r.leg());
  const std::string what = DescribeLeg(leg->plan(), r.leg(), r.reverse());
  if (leg->status() == v1::LEG_STATUS_ACTIVE || leg->status() == v1::LEG_STATUS_DONE) {
    return Rejection(what + " is already under way with " + Quote(leg->carrier()) +
                     "; a leg can be reassigned only before its pickup");
  }
  if (r.carrier().empty()) {
    OfferSource offers(ws, context);
    MatchOrOpen(ws, state, r.reverse(), r.leg(), offers, context, out);
    return std::nullopt;
  }
  if (leg->status() == v1::LEG_STATUS_ASSIGNED && leg->carrier() == r.carrier()) {
    return Rejection(what + " is already assigned to " + Quote(r.carrier()));
  }
  if (leg->status() == v1::LEG_STATUS_OPEN) MarkNotOpen(ws, context, *state, r.reverse(), r.leg());
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
  return std::nullopt;
}

uint32_t OpenLegCount(const v1::ShipmentState& state) {
  uint32_t open = 0;
  for (const auto* legs : {&state.legs(), &state.return_legs()}) {
    for (const v1::Leg& leg : *legs) open += leg.status() == v1::LEG_STATUS_OPEN ? 1 : 0;
  }
  return open;
}

Check CheckOpenLegLimit(const v1::ShipmentState& state, uint32_t open_before,
                        const model::BlockContext& context) {
  if (context.rules_version < 3) return std::nullopt;
  const uint32_t limit = LimitsOf(context).max_open_legs_per_shipment;
  const uint32_t open = OpenLegCount(state);
  if (open <= limit || open <= open_before) return std::nullopt;
  return Rejection("shipment " + state.shipment_id() + " would have " + std::to_string(open) +
                   " open legs (no carrier named or matched), more than the genesis allows " +
                   "(limits.max_open_legs_per_shipment = " + std::to_string(limit) +
                   "); name carriers for some legs, or wait for offers");
}

bool RouteApplies(const v1::ShipmentState& state) {
  if (InReturn(state)) return !state.return_legs().empty();
  return !state.legs().empty() && state.status() != v1::SHIPMENT_STATUS_DELIVERED;
}

Check CheckRouteHandover(const v1::ShipmentState& state, const std::string& receiver) {
  if (!RouteApplies(state)) return std::nullopt;
  const bool reverse = InReturn(state);
  const auto& legs = reverse ? state.return_legs() : state.legs();
  const uint32_t k = NextLeg(state, reverse);
  if (k > static_cast<uint32_t>(legs.size())) {
    const std::string& final_party = reverse ? state.booked_by() : state.consignee();
    if (!final_party.empty() && receiver != final_party) {
      return Rejection(std::string("the ") + (reverse ? "return " : "") +
                       "route's legs are done; the goods go to " + Quote(final_party) + ", not " +
                       Quote(receiver));
    }
    return std::nullopt;
  }
  const v1::Leg& leg = legs[static_cast<int>(k) - 1];
  const std::string what = DescribeLeg(leg.plan(), k, reverse);
  if (leg.status() == v1::LEG_STATUS_OPEN) {
    return Rejection(what + " has no carrier yet (" + leg.open_reason() +
                     "); the hand-over must wait for a matching offer or a reassignment");
  }
  if (receiver != leg.carrier()) {
    return Rejection("hand-over to " + Quote(receiver) + ", but " + what + " is carried by " +
                     Quote(leg.carrier()));
  }
  return std::nullopt;
}

Check CheckRouteComplete(const v1::ShipmentState& state) {
  if (!RouteApplies(state)) return std::nullopt;
  const bool reverse = InReturn(state);
  const auto& legs = reverse ? state.return_legs() : state.legs();
  const uint32_t k = NextLeg(state, reverse);
  if (k > static_cast<uint32_t>(legs.size())) return std::nullopt;
  const v1::Leg& leg = legs[static_cast<int>(k) - 1];
  return Rejection(
      DescribeLeg(leg.plan(), k, reverse) + " is still to be carried" +
      (leg.status() == v1::LEG_STATUS_OPEN ? " (no carrier yet)" : " by " + Quote(leg.carrier())) +
      "; the goods must travel every leg first");
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
