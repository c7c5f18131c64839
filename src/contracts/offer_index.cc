#include "contracts/offer_index.h"

#include <charconv>
#include <cstdio>
#include <set>
#include <tuple>

#include "contracts/routing.h"
#include "shipledger/check.h"

namespace shipledger::contracts {
namespace {

constexpr size_t kLegSuffix = 7;  // "/f/0001"

std::string Hex(uint64_t value, int width) {
  char buf[24];
  std::snprintf(buf, sizeof buf, "%0*llx", width, static_cast<unsigned long long>(value));
  return buf;
}

// Times in keys: block times, validity and latest arrivals are never negative after admission;
// a negative one would sort as 0.
std::string TimeHex(int64_t ms) { return Hex(ms < 0 ? 0 : static_cast<uint64_t>(ms), 16); }

std::string ModeLanePrefix(const char* prefix, int mode, const std::string& origin,
                           const std::string& destination) {
  return prefix + std::to_string(mode) + "/" + origin + "/" + destination + "/";
}

// The index entries of an offer: one per (mode, lane) it serves, each once, in key order.
std::set<std::string> LaneOfferKeys(const v1::OfferRecord& record) {
  const std::string tail =
      Hex(record.height(), 16) + "/" + Hex(record.index(), 8) + "/" + record.offer_id();
  std::set<std::string> keys;
  for (int mode : record.offer().modes()) {
    for (const v1::Lane& lane : record.offer().lanes()) {
      keys.insert(ModeLanePrefix(kLaneOfferPrefix, mode, lane.origin(), lane.destination()) + tail);
    }
  }
  return keys;
}

std::string ExpiryKey(const v1::OfferRecord& record) {
  return kOfferExpiryPrefix + TimeHex(record.offer().valid_until_ms()) + "/" + record.offer_id();
}

std::string CountKey(const std::string& org) { return kOpenOffersPrefix + org; }

void AddToCount(Workspace& ws, const std::string& org, int delta) {
  const uint64_t count = OpenOffers(ws, org);
  SHIPLEDGER_CHECK_MSG(delta > 0 || count > 0, "open-offer count below zero");
  const uint64_t next = delta > 0 ? count + 1 : count - 1;
  if (next == 0) {
    ws.DeleteRecord(CountKey(org));
  } else {
    ws.PutRecord(CountKey(org), std::to_string(next));
  }
}

// The lane forms a leg's ends match: each end as its UN/LOCODE and as its country.
std::set<std::pair<std::string, std::string>> LaneForms(const v1::LegPlan& plan) {
  std::set<std::pair<std::string, std::string>> forms;
  for (const std::string& origin : {plan.origin(), plan.origin().substr(0, 2)}) {
    for (const std::string& destination : {plan.destination(), plan.destination().substr(0, 2)}) {
      forms.emplace(origin, destination);
    }
  }
  return forms;
}

uint32_t Needs(bool cold_chain, bool dangerous_goods) {
  return (cold_chain ? 1u : 0u) | (dangerous_goods ? 2u : 0u);
}

std::string CurrencyPart(const std::string& currency) { return currency.empty() ? "*" : currency; }

std::set<std::string> LaneLegKeys(const v1::ShipmentState& state, bool reverse, uint32_t n) {
  const auto& legs = reverse ? state.return_legs() : state.legs();
  SHIPLEDGER_CHECK(n >= 1 && n <= static_cast<uint32_t>(legs.size()));
  const v1::LegPlan& plan = legs[static_cast<int>(n) - 1].plan();
  const std::string tail =
      std::to_string(Needs(plan.temperature_controlled(), plan.dangerous_goods())) + "/" +
      CurrencyPart(state.currency()) + "/" + TimeHex(plan.latest_arrival_ms()) + "/" +
      LegKeyTail(state.shipment_id(), reverse, n);
  std::set<std::string> keys;
  for (const auto& [origin, destination] : LaneForms(plan)) {
    keys.insert(ModeLanePrefix(kLaneLegPrefix, plan.mode(), origin, destination) + tail);
  }
  return keys;
}

}  // namespace

std::string LegKeyTail(const std::string& shipment_id, bool reverse, uint32_t leg) {
  char suffix[16];
  std::snprintf(suffix, sizeof suffix, "/%c/%04u", reverse ? 'r' : 'f', leg);
  return shipment_id + suffix;
}

LegRef ParseLegKeyTail(const std::string& key, size_t start) {
  SHIPLEDGER_CHECK_MSG(key.size() > start + kLegSuffix, "malformed open-leg record key");
  LegRef ref;
  ref.shipment_id = key.substr(start, key.size() - start - kLegSuffix);
  ref.reverse = key[key.size() - 6] == 'r';
  ref.leg = static_cast<uint32_t>(std::stoul(key.substr(key.size() - 4)));
  return ref;
}

const model::Limits& LimitsOf(const model::BlockContext& context) {
  static const model::Limits kDefaults;
  return context.limits != nullptr ? *context.limits : kDefaults;
}

void IndexOffer(Workspace& ws, const v1::OfferRecord& record) {
  v1::OfferRecord entry = record;
  entry.mutable_offer()->clear_modes();
  entry.mutable_offer()->clear_lanes();
  const Bytes value = entry.SerializeAsString();
  for (const std::string& key : LaneOfferKeys(record)) ws.PutRecord(key, value);
  ws.PutRecord(ExpiryKey(record), Bytes());
  AddToCount(ws, record.carrier(), +1);
}

bool UnindexOffer(Workspace& ws, const v1::OfferRecord& record) {
  const std::string expiry = ExpiryKey(record);
  if (!ws.Record(expiry).has_value()) return false;
  for (const std::string& key : LaneOfferKeys(record)) ws.DeleteRecord(key);
  ws.DeleteRecord(expiry);
  AddToCount(ws, record.carrier(), -1);
  return true;
}

uint64_t OpenOffers(Workspace& ws, const std::string& org) {
  const std::optional<Bytes> value = ws.Record(CountKey(org));
  if (!value.has_value()) return 0;
  uint64_t count = 0;
  const auto [end, error] = std::from_chars(value->data(), value->data() + value->size(), count);
  // Written by AddToCount; anything else means a broken store.
  SHIPLEDGER_CHECK_MSG(error == std::errc() && end == value->data() + value->size(),
                       "unreadable open-offer count");
  return count;
}

void ExpireOffers(Workspace& ws, int64_t now_ms) {
  const std::string begin = kOfferExpiryPrefix;
  for (const auto& [key, unused] : ws.ScanRange(begin, begin + TimeHex(now_ms))) {
    const std::string offer_id = key.substr(begin.size() + 17);  // "<valid_until:16>/"
    const std::optional<Bytes> bytes = ws.Record(kOfferPrefix + offer_id);
    v1::OfferRecord record;
    SHIPLEDGER_CHECK_MSG(bytes.has_value() && record.ParseFromString(*bytes),
                         "offer-expiry entry without a readable offer record");
    SHIPLEDGER_CHECK(UnindexOffer(ws, record));
  }
}

std::vector<std::string> LaneOfferPrefixes(const v1::LegPlan& plan) {
  std::vector<std::string> prefixes;
  for (const auto& [origin, destination] : LaneForms(plan)) {
    prefixes.push_back(ModeLanePrefix(kLaneOfferPrefix, plan.mode(), origin, destination));
  }
  return prefixes;
}

std::vector<v1::OfferRecord> IndexedOffers(Workspace& ws, const std::string& prefix) {
  std::vector<v1::OfferRecord> offers;
  for (const auto& [key, value] : ws.Scan(prefix)) {
    // Written by IndexOffer; unreadable bytes mean a broken store.
    SHIPLEDGER_CHECK_MSG(offers.emplace_back().ParseFromString(value),
                         "unreadable lane-offer record");
  }
  return offers;
}

void IndexOpenLeg(Workspace& ws, const v1::ShipmentState& state, bool reverse, uint32_t leg) {
  for (const std::string& key : LaneLegKeys(state, reverse, leg)) ws.PutRecord(key, Bytes());
}

void UnindexOpenLeg(Workspace& ws, const v1::ShipmentState& state, bool reverse, uint32_t leg) {
  for (const std::string& key : LaneLegKeys(state, reverse, leg)) ws.DeleteRecord(key);
}

std::vector<LegRef> IndexedLegsFor(Workspace& ws, const v1::OfferRecord& record, int64_t now_ms) {
  const v1::CarrierOffer& offer = record.offer();
  std::vector<LegRef> legs;
  if (offer.valid_from_ms() > now_ms) return legs;
  const uint32_t can = Needs(offer.cold_chain(), offer.dangerous_goods());
  // Legs due by valid_until at the latest: their key sorts below "<valid_until:16>0".
  const std::string until = TimeHex(offer.valid_until_ms()) + "0";
  std::set<std::tuple<std::string, bool, uint32_t>> seen;  // a leg has up to 4 lane forms
  std::set<std::string> prefixes;
  for (int mode : offer.modes()) {
    for (const v1::Lane& lane : offer.lanes()) {
      const std::string lane_prefix =
          ModeLanePrefix(kLaneLegPrefix, mode, lane.origin(), lane.destination());
      for (uint32_t needs = 0; needs < 4; ++needs) {
        if ((needs & ~can) != 0) continue;  // the leg needs what the offer lacks
        for (const std::string& currency : {std::string("*"), offer.currency()}) {
          prefixes.insert(lane_prefix + std::to_string(needs) + "/" + currency + "/");
        }
      }
    }
  }
  for (const std::string& prefix : prefixes) {
    for (const auto& [key, unused] : ws.ScanRange(prefix, prefix + until)) {
      // "<latest arrival:16>/" follows the prefix.
      LegRef ref = ParseLegKeyTail(key, prefix.size() + 17);
      if (seen.emplace(ref.shipment_id, ref.reverse, ref.leg).second)
        legs.push_back(std::move(ref));
    }
  }
  return legs;
}

}  // namespace shipledger::contracts
