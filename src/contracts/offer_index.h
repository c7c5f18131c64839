// Contract rules v3 (docs/contracts.md, "Version 3: bounded offer matching"): carrier offers and
// open legs indexed by (mode, lane), offers leaving the index at expiry or withdrawal, and the
// per-organisation count of live offers the genesis limit is checked against. Every index entry
// is a contract record written through the Workspace, so it is in the state-writes digest and
// atomic per event. Deterministic: reads block time and records, never a clock.
// Thread-safety: functions over one Workspace (one block's execution, one thread).
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "contracts/workspace.h"
#include "model/execution.h"
#include "model/genesis.h"

namespace shipledger::contracts {

// Record keys of rules v3. Numbers are fixed-width lowercase hex, so key order is numeric order;
// a lane end is a 2-letter country or a 5-character UN/LOCODE (admission checks both shapes).
//
//   lane-offer/<mode>/<origin>/<destination>/<height:16>/<index:8>/<offer id>
//       → the OfferRecord without its modes and lanes: one entry per (mode, lane) it serves.
//   lane-leg/<mode>/<origin>/<destination>/<needs>/<currency>/<latest arrival:16>/
//       <shipment>/<f|r>/<leg, 4 digits>
//       → empty: one entry per form of an open leg's lane (origin as UN/LOCODE and as country,
//       times destination likewise: 4 keys); <needs> is 1 for cold chain + 2 for dangerous
//       goods; <currency> the booking's, or "*" when it names none.
//   offer-expiry/<valid_until:16>/<offer id> → empty, while the offer is in the index.
//   open-offers/<organisation> → the decimal count of its offers in the index.
//   index-v3 → empty, once the indexes hold every live offer and open leg (the first block under
//       rules v3 writes it, after indexing what rules v2 recorded).
inline constexpr char kLaneOfferPrefix[] = "lane-offer/";
inline constexpr char kLaneLegPrefix[] = "lane-leg/";
inline constexpr char kOfferExpiryPrefix[] = "offer-expiry/";
inline constexpr char kOpenOffersPrefix[] = "open-offers/";
inline constexpr char kIndexedV3Key[] = "index-v3";

// A leg of a shipment's route.
struct LegRef {
  std::string shipment_id;
  bool reverse = false;  // a leg of the return route
  uint32_t leg = 0;      // 1-based
};

// "<shipment>/<f|r>/<leg, 4 digits>": how the open-leg index entries of every rules version end
// (v2 "open/", v3 "lane-leg/").
std::string LegKeyTail(const std::string& shipment_id, bool reverse, uint32_t leg);
// The leg such a tail names, the tail starting at `start` in `key`; its suffix has a fixed width,
// so shipment ids may hold any character. Stops the node (SHIPLEDGER_CHECK) on a malformed key:
// only this code writes them.
LegRef ParseLegKeyTail(const std::string& key, size_t start);

// The genesis limits of the block (BlockContext::limits), or the defaults.
const model::Limits& LimitsOf(const model::BlockContext& context);

// Puts a registered offer in the lane and expiry indexes and counts it for its carrier.
// REQUIRES: not indexed.
void IndexOffer(Workspace& ws, const v1::OfferRecord& record);
// Takes an offer out of the indexes and its carrier's count. Returns false (and writes nothing)
// when it was not in them (it expired, or was withdrawn, before).
bool UnindexOffer(Workspace& ws, const v1::OfferRecord& record);
// How many offers of `org` are in the index: registered, not expired, not withdrawn.
uint64_t OpenOffers(Workspace& ws, const std::string& org);
// Takes out of the indexes every offer whose valid_until is before `now_ms` (block time).
void ExpireOffers(Workspace& ws, int64_t now_ms);

// The index prefixes of the offers that serve `plan`'s mode on a lane whose ends match its
// origin and destination: one per lane form (each end as UN/LOCODE and as country), at most 4, in
// key order. Only their offers can qualify for the leg; an offer may be under several of them.
std::vector<std::string> LaneOfferPrefixes(const v1::LegPlan& plan);
// The offers indexed under one of those prefixes, in key order (registration order), without
// their modes and lanes.
std::vector<v1::OfferRecord> IndexedOffers(Workspace& ws, const std::string& prefix);

// Indexes leg `leg` of `state` as open under its 4 lane forms. The keys depend on the leg's plan
// and the shipment's currency only, which do not change while the leg is open.
void IndexOpenLeg(Workspace& ws, const v1::ShipmentState& state, bool reverse, uint32_t leg);
void UnindexOpenLeg(Workspace& ws, const v1::ShipmentState& state, bool reverse, uint32_t leg);
// The open legs `record` qualifies for at `now_ms` by their keys alone — its modes and lanes,
// needs its capabilities cover, the booking's currency or none, a latest arrival it is valid
// until — each once, in key order of the offer's (mode, lane) entries, then of the legs. Empty
// when the offer is not valid yet at `now_ms`.
std::vector<LegRef> IndexedLegsFor(Workspace& ws, const v1::OfferRecord& record, int64_t now_ms);

}  // namespace shipledger::contracts
