// Contract rules v3, issue 19: carrier offers and open legs indexed by (mode, lane), so that an
// offer examines only the open legs of its lanes and a leg only the offers of its lanes; offers
// leave the index when they expire or are withdrawn; the genesis bounds open offers per
// organisation and open legs per shipment. Matching still picks what rules v2 pick.
#include <algorithm>
#include <random>
#include <set>
#include <string>
#include <tuple>
#include <vector>

#include "contract_v2_fixture.h"
#include "contracts/offer_index.h"
#include "contracts/revocation.h"
#include "contracts/routing.h"

namespace shipledger::contracts::testutil {
namespace {

using ::testing::HasSubstr;
using Kind = v1::ContractOutput;

constexpr auto kRoad = v1::TRANSPORT_MODE_ROAD;
constexpr auto kSea = v1::TRANSPORT_MODE_SEA;
constexpr char kCarrierB[] = "carrier-b";

// Committed state whose record reads are remembered: every key GetRecord found and every key a
// scan returned.
class CountingReader : public model::StateReader {
 public:
  explicit CountingReader(const shipledger::testing::MemoryChain& state) : state_(state) {}

  std::optional<v1::ShipmentState> GetShipmentState(std::string_view shipment_id) const override {
    return state_.GetShipmentState(shipment_id);
  }
  bool HasEvent(ByteView event_id) const override { return state_.HasEvent(event_id); }
  std::optional<model::EventFacts> GetEventFacts(ByteView event_id) const override {
    return state_.GetEventFacts(event_id);
  }
  std::optional<Bytes> GetRecord(std::string_view key) const override {
    std::optional<Bytes> value = state_.GetRecord(key);
    if (value.has_value()) keys_.emplace_back(key);
    return value;
  }
  std::vector<std::pair<std::string, Bytes>> ScanRecords(std::string_view prefix) const override {
    return Note(state_.ScanRecords(prefix));
  }
  std::vector<std::pair<std::string, Bytes>> ScanRecordRange(std::string_view begin,
                                                             std::string_view end) const override {
    return Note(state_.ScanRecordRange(begin, end));
  }

  const std::vector<std::string>& keys() const { return keys_; }

 private:
  std::vector<std::pair<std::string, Bytes>> Note(
      std::vector<std::pair<std::string, Bytes>> records) const {
    for (const auto& [key, unused] : records) keys_.push_back(key);
    return records;
  }

  const shipledger::testing::MemoryChain& state_;
  mutable std::vector<std::string> keys_;
};

bool StartsWith(const std::string& s, const std::string& prefix) {
  return s.compare(0, prefix.size(), prefix) == 0;
}

model::AdmittedEvent Withdrawal(const std::string& carrier, const std::string& offer_id) {
  return MakeEvent(v1::EVENT_TYPE_CARRIER_WITHDRAWAL, carrier, {}, offer_id);
}

class RulesV3OffersTest : public RulesV2Test {
 protected:
  RulesV3OffersTest() { rules_ = 3; }

  // Committed records whose key starts with `prefix`.
  std::vector<std::string> Keys(const std::string& prefix) const {
    std::vector<std::string> keys;
    for (const auto& [key, unused] : state_.records()) {
      if (StartsWith(key, prefix)) keys.push_back(key);
    }
    return keys;
  }
  // The index entries (lane-offer and offer-expiry) of `offer_id`.
  size_t IndexEntriesOf(const std::string& offer_id) const {
    size_t n = 0;
    for (const char* prefix : {kLaneOfferPrefix, kOfferExpiryPrefix}) {
      for (const std::string& key : Keys(prefix)) {
        n += key.size() > offer_id.size() &&
             key.compare(key.size() - offer_id.size() - 1, std::string::npos, "/" + offer_id) == 0;
      }
    }
    return n;
  }
  std::string OpenOffersRecord(const std::string& org) const {
    auto it = state_.records().find(kOpenOffersPrefix + org);
    return it == state_.records().end() ? "none" : it->second;
  }
  // Executes `events` as the next block against a reader that notes the committed records read.
  std::vector<std::string> KeysReadBy(const std::vector<model::AdmittedEvent>& events,
                                      std::vector<v1::Receipt>* receipts = nullptr) {
    ++height_;
    std::vector<model::EventPtr> ptrs;
    for (const model::AdmittedEvent& e : events) ptrs.push_back(Share(e));
    CountingReader reader(state_);
    const model::BlockEffects effects =
        ExecuteBlock(ptrs, reader, {height_, BlockTime(height_), rules_, &limits_});
    state_.Commit(ptrs, effects);
    if (receipts != nullptr) *receipts = effects.receipts;
    // Less the revocation bookkeeping every v3 event does (its certificates' records,
    // revocation.h), which is the same for any event and has nothing to do with offers.
    std::vector<std::string> keys;
    for (const std::string& key : reader.keys()) {
      if (!StartsWith(key, kCertPrefix) && !StartsWith(key, kRevokedPrefix)) keys.push_back(key);
    }
    return keys;
  }
  // Twenty lanes between five European ports, each with a sea offer and an open road leg the
  // other way (which no offer serves): blocks 1..40.
  void BookTwentyLanes() {
    const std::vector<std::string> ports = {"DEHAM", "BEANR", "FRLEH", "ESVLC", "ITGOA"};
    int n = 0;
    for (const std::string& from : ports) {
      for (const std::string& to : ports) {
        if (from == to) continue;
        ++n;
        ExpectValid(Offer(kForwarder, "OTHER-" + std::to_string(n), kSea, from, to, 100));
        ExpectValid(BookedWith({Leg(to, from, kRoad)}, {}, "SHP-" + std::to_string(n)));
      }
    }
  }
};

TEST_F(RulesV3OffersTest, AnOfferIsIndexedPerModeAndLaneAndAnOpenLegUnderItsFourLaneForms) {
  model::AdmittedEvent offer = Offer(kCarrierB, "OFFER-1", kSea, "CN", "NLRTM", 100);
  offer.event.mutable_offer()->add_modes(kRoad);
  ExpectValid(offer);
  EXPECT_EQ(Keys(kLaneOfferPrefix),
            (std::vector<std::string>{"lane-offer/1/CN/NLRTM/0000000000000001/00000000/OFFER-1",
                                      "lane-offer/3/CN/NLRTM/0000000000000001/00000000/OFFER-1"}));
  EXPECT_EQ(Keys(kOfferExpiryPrefix).size(), 1u);
  EXPECT_EQ(OpenOffersRecord(kCarrierB), "1");

  // Needs cold chain, which the offer lacks: open, indexed with its needs and currency.
  v1::LegPlan leg = Leg("CNSHA", "NLRTM", kSea);
  leg.set_temperature_controlled(true);
  leg.set_latest_arrival_ms(0x20);
  v1::BookingTerms terms;
  terms.set_currency("EUR");
  const v1::Receipt r = ExpectValid(BookedWith({leg}, terms));
  ASSERT_EQ(r.outputs_size(), 1);
  EXPECT_EQ(r.outputs(0).kind(), Kind::KIND_LEG_OPEN);
  EXPECT_EQ(Keys(kLaneLegPrefix), (std::vector<std::string>{
                                      "lane-leg/3/CN/NL/1/EUR/0000000000000020/SHP-1/f/0001",
                                      "lane-leg/3/CN/NLRTM/1/EUR/0000000000000020/SHP-1/f/0001",
                                      "lane-leg/3/CNSHA/NL/1/EUR/0000000000000020/SHP-1/f/0001",
                                      "lane-leg/3/CNSHA/NLRTM/1/EUR/0000000000000020/SHP-1/f/0001",
                                  }));
  EXPECT_TRUE(Keys(kOpenLegPrefix).empty());  // the v2 index is not kept under v3
}

TEST_F(RulesV3OffersTest, CheapestAndFirstRegisteredPickAsUnderV2WithTiesByRegistration) {
  ExpectValid(Offer(kCarrierB, "OFFER-A", kSea, "CNSHA", "NLRTM", 120000));
  RunBlock({Offer(kForwarder, "OFFER-Z", kSea, "CN", "NL", 80000),
            Offer(kCarrier, "OFFER-B", kSea, "CNSHA", "NL", 80000)});
  ExpectValid(BookedWith({Leg("CNSHA", "NLRTM", kSea)}));
  EXPECT_EQ(Shipment().legs(0).offer_id(), "OFFER-Z");  // registered first in the block

  v1::BookingTerms first;
  first.set_match_rule(v1::MATCH_RULE_FIRST_REGISTERED);
  ExpectValid(BookedWith({Leg("CNSHA", "NLRTM", kSea)}, first, "SHP-2"));
  EXPECT_EQ(Shipment("SHP-2").legs(0).offer_id(), "OFFER-A");
}

TEST_F(RulesV3OffersTest, AnArrivingOfferIsMatchedToTheOpenLegsOfItsLanesInItsReceipt) {
  ExpectValid(BookedWith({Leg("CNSHA", "NLRTM", kSea)}));
  ExpectValid(BookedWith({Leg("CNSHA", "NLRTM", kRoad)}, {}, "SHP-2"));
  const v1::Receipt r = ExpectValid(Offer(kCarrierB, "OFFER-1", kSea, "CN", "NL", 900));
  ASSERT_EQ(r.outputs_size(), 1);
  EXPECT_EQ(r.outputs(0).kind(), Kind::KIND_LEG_ASSIGNED);
  EXPECT_EQ(r.outputs(0).shipment_id(), kShipment);
  EXPECT_EQ(Shipment().legs(0).carrier(), kCarrierB);
  EXPECT_EQ(Shipment("SHP-2").legs(0).status(), v1::LEG_STATUS_OPEN);
  // SHP-1's leg left the index; SHP-2's road leg is still there.
  for (const std::string& key : Keys(kLaneLegPrefix)) EXPECT_THAT(key, HasSubstr("/SHP-2/f/"));
  EXPECT_EQ(Keys(kLaneLegPrefix).size(), 4u);
}

// Issue 19: under v2 an offer loaded every offer and tried every open leg. Under v3 it reads the
// open legs of its own index keys and nothing of other lanes, needs or currencies.
TEST_F(RulesV3OffersTest, AnOfferReadsOnlyTheIndexEntriesOfItsOwnLanes) {
  BookTwentyLanes();
  v1::LegPlan cold = Leg("CNSHA", "NLRTM", kSea);
  cold.set_temperature_controlled(true);
  ExpectValid(BookedWith({cold}, {}, "SHP-COLD"));
  v1::BookingTerms usd;
  usd.set_currency("USD");
  ExpectValid(BookedWith({Leg("CNSHA", "NLRTM", kSea)}, usd, "SHP-USD"));
  v1::LegPlan late = Leg("CNSHA", "NLRTM", kSea);
  late.set_latest_arrival_ms(kT0 + 2000 * kMinute);  // after every offer here expires
  ExpectValid(BookedWith({late}, {}, "SHP-LATE"));
  ASSERT_EQ(Keys(kLaneLegPrefix).size(), 4u * (20 + 3));

  // A EUR offer without cold chain on the lane of the three open legs: none qualifies, and it
  // reads no record but the index marker (its own keys are absent).
  std::vector<v1::Receipt> receipts;
  const std::vector<std::string> read =
      KeysReadBy({Offer(kCarrierB, "OFFER-NEW", kSea, "CNSHA", "NLRTM", 100)}, &receipts);
  ASSERT_EQ(receipts[0].code(), v1::RESULT_CODE_VALID) << receipts[0].reason();
  EXPECT_TRUE(receipts[0].outputs().empty());
  EXPECT_EQ(read, std::vector<std::string>{kIndexedV3Key});

  EXPECT_EQ(Shipment("SHP-LATE").legs(0).status(), v1::LEG_STATUS_OPEN);

  // A cold-chain USD offer on that lane reads the two legs it qualifies for and the offers of
  // their lanes (OFFER-NEW): not one record of another lane, nor the late leg.
  model::AdmittedEvent fit = Offer(kCarrier, "OFFER-FIT", kSea, "CN", "NLRTM", 100);
  fit.event.mutable_offer()->set_cold_chain(true);
  fit.event.mutable_offer()->set_currency("USD");
  const std::vector<std::string> read_fit = KeysReadBy({fit}, &receipts);
  ASSERT_EQ(receipts[0].outputs_size(), 2);
  EXPECT_EQ(Shipment("SHP-COLD").legs(0).offer_id(), "OFFER-FIT");
  EXPECT_EQ(Shipment("SHP-USD").legs(0).offer_id(), "OFFER-FIT");
  ASSERT_EQ(read_fit.size(), 4u);
  EXPECT_EQ(read_fit[0], kIndexedV3Key);
  EXPECT_TRUE(StartsWith(read_fit[1], "lane-leg/3/CN/NLRTM/0/USD/")) << read_fit[1];
  EXPECT_TRUE(StartsWith(read_fit[2], "lane-leg/3/CN/NLRTM/1/*/")) << read_fit[2];
  EXPECT_TRUE(StartsWith(read_fit[3], "lane-offer/3/CNSHA/NLRTM/")) << read_fit[3];
}

TEST_F(RulesV3OffersTest, AnOfferNotYetValidExaminesNoLegAndIsFoundByTheShipmentsNextEvent) {
  ExpectValid(BookedWith({Leg("CNSHA", "NLRTM", kSea)}));  // block 1
  model::AdmittedEvent later = Offer(kCarrierB, "OFFER-LATER", kSea, "CN", "NL", 100);
  later.event.mutable_offer()->set_valid_from_ms(BlockTime(4));
  std::vector<v1::Receipt> receipts;
  EXPECT_EQ(KeysReadBy({later}, &receipts), std::vector<std::string>{kIndexedV3Key});  // block 2
  EXPECT_TRUE(receipts[0].outputs().empty());
  EXPECT_EQ(ExpectValid(MakeEvent(v1::EVENT_TYPE_EXCEPTION, kExporter)).outputs_size(), 0);
  // Block 4: valid from now on; the shipment's next VALID event retries its open legs.
  const v1::Receipt r = ExpectValid(MakeEvent(v1::EVENT_TYPE_EXCEPTION, kExporter));
  ASSERT_EQ(r.outputs_size(), 1);
  EXPECT_EQ(r.outputs(0).offer_id(), "OFFER-LATER");
  EXPECT_TRUE(Keys(kLaneLegPrefix).empty());
}

TEST_F(RulesV3OffersTest, UnderV2TheSameOfferReadsEveryOfferAndEveryOpenLeg) {
  rules_ = 2;  // the contrast: what the index saves
  BookTwentyLanes();
  const std::vector<std::string> read =
      KeysReadBy({Offer(kCarrierB, "OFFER-NEW", kSea, "CNSHA", "NLRTM", 100)});
  EXPECT_EQ(read.size(), 20u + 20u);  // "offer/OTHER-*" and "open/SHP-*"
}

TEST_F(RulesV3OffersTest, MatchingALegReadsOnlyTheOffersOfItsFourLaneForms) {
  BookTwentyLanes();
  ExpectValid(Offer(kForwarder, "CN-NL", kSea, "CN", "NL", 300));
  ExpectValid(Offer(kCarrier, "LOCODES", kSea, "CNSHA", "NLRTM", 200));
  ExpectValid(Offer(kCarrierB, "OTHER-MODE", kRoad, "CNSHA", "NLRTM", 100));
  std::vector<v1::Receipt> receipts;
  const std::vector<std::string> read =
      KeysReadBy({BookedWith({Leg("CNSHA", "NLRTM", kSea)}, {}, "SHP-NEW")}, &receipts);
  ASSERT_EQ(receipts[0].outputs_size(), 1);
  EXPECT_EQ(receipts[0].outputs(0).offer_id(), "LOCODES");
  std::vector<std::string> offers_read;
  for (const std::string& key : read) {
    if (StartsWith(key, kLaneOfferPrefix)) offers_read.push_back(key);
  }
  EXPECT_EQ(offers_read, (std::vector<std::string>{
                             "lane-offer/3/CN/NL/0000000000000029/00000000/CN-NL",
                             "lane-offer/3/CNSHA/NLRTM/000000000000002a/00000000/LOCODES"}));
  EXPECT_EQ(read.size(), 1u + 2u);  // and the index marker
}

TEST_F(RulesV3OffersTest, ALegOpenReasonCountsOnlyTheOffersOfItsLanes) {
  ExpectValid(Offer(kCarrierB, "OFFER-WARM", kSea, "CN", "NL", 100));
  model::AdmittedEvent usd = Offer(kForwarder, "OFFER-USD", kSea, "CNSHA", "NLRTM", 100);
  usd.event.mutable_offer()->set_cold_chain(true);
  usd.event.mutable_offer()->set_currency("USD");
  ExpectValid(usd);
  ExpectValid(Offer(kCarrier, "OFFER-ELSEWHERE", kSea, "DEHAM", "NLRTM", 100));
  v1::LegPlan leg = Leg("CNSHA", "NLRTM", kSea);
  leg.set_temperature_controlled(true);
  v1::BookingTerms eur;
  eur.set_currency("EUR");
  v1::Receipt r = ExpectValid(BookedWith({leg}, eur));
  ASSERT_EQ(r.outputs_size(), 1);
  EXPECT_EQ(r.outputs(0).reason(),
            "no qualifying offer among 2 serving this mode and lane: 1 lack cold chain, 1 quote "
            "another currency");
  EXPECT_EQ(Shipment().legs(0).open_reason(), r.outputs(0).reason());

  r = ExpectValid(BookedWith({Leg("DEHAM", "NLRTM", kRoad)}, {}, "SHP-2"));
  EXPECT_EQ(r.outputs(0).reason(), "no live carrier offer serves this mode and lane");
}

TEST_F(RulesV3OffersTest, AnOfferLeavesTheIndexAtTheFirstBlockPastItsValidUntil) {
  // Registered at block 1; valid until block 3's time.
  ExpectValid(Offer(kCarrierB, "OFFER-1", kSea, "CN", "NL", 100, BlockTime(3)));
  RunBlock({});  // block 2
  RunBlock({});  // block 3: block time == valid_until, still valid
  EXPECT_EQ(IndexEntriesOf("OFFER-1"), 2u);
  EXPECT_EQ(OpenOffersRecord(kCarrierB), "1");
  RunBlock({});  // block 4, past valid_until: expired before any event, even in an empty block
  EXPECT_EQ(IndexEntriesOf("OFFER-1"), 0u);
  EXPECT_EQ(OpenOffersRecord(kCarrierB), "none");
  EXPECT_EQ(state_.records().count("offer/OFFER-1"), 1u);  // the registration stays on record
  const v1::Receipt r = ExpectValid(BookedWith({Leg("CNSHA", "NLRTM", kSea)}));
  EXPECT_EQ(r.outputs(0).reason(), "no live carrier offer serves this mode and lane");
  // Its id stays taken, and withdrawing it now changes no count.
  ExpectRejected(Offer(kCarrierB, "OFFER-1", kSea, "CN", "NL", 100),
                 "offer 'OFFER-1' is already registered");
  ExpectValid(Withdrawal(kCarrierB, "OFFER-1"));
  EXPECT_EQ(OpenOffersRecord(kCarrierB), "none");
}

TEST_F(RulesV3OffersTest, AnOfferExpiringInTheBlockIsGoneForItsEvents) {
  ExpectValid(Offer(kCarrierB, "OFFER-1", kSea, "CN", "NL", 100, BlockTime(1)));
  // Block 2's booking sees no offer: the expiry ran first.
  const v1::Receipt r = ExpectValid(BookedWith({Leg("CNSHA", "NLRTM", kSea)}));
  EXPECT_EQ(r.outputs(0).kind(), Kind::KIND_LEG_OPEN);
  EXPECT_EQ(IndexEntriesOf("OFFER-1"), 0u);
}

TEST_F(RulesV3OffersTest, AWithdrawnOfferLeavesTheIndexAndItsCount) {
  ExpectValid(Offer(kCarrierB, "OFFER-1", kSea, "CN", "NL", 100));
  ExpectValid(Offer(kCarrierB, "OFFER-2", kRoad, "CN", "NL", 100));
  EXPECT_EQ(OpenOffersRecord(kCarrierB), "2");
  ExpectValid(Withdrawal(kCarrierB, "OFFER-1"));
  EXPECT_EQ(IndexEntriesOf("OFFER-1"), 0u);
  EXPECT_EQ(IndexEntriesOf("OFFER-2"), 2u);
  EXPECT_EQ(OpenOffersRecord(kCarrierB), "1");
  const v1::Receipt r = ExpectValid(BookedWith({Leg("CNSHA", "NLRTM", kSea)}));
  EXPECT_EQ(r.outputs(0).reason(), "no live carrier offer serves this mode and lane");
  ExpectRejected(Withdrawal(kCarrierB, "OFFER-1"), "offer 'OFFER-1' is already withdrawn");
}

TEST_F(RulesV3OffersTest, OpenOffersPerOrganisationAreBoundedByTheGenesis) {
  limits_.max_open_offers_per_org = 2;
  ExpectValid(Offer(kCarrierB, "OFFER-1", kSea, "CN", "NL", 100, BlockTime(4)));
  ExpectValid(Offer(kCarrierB, "OFFER-2", kSea, "CN", "NL", 100));
  ExpectRejected(Offer(kCarrierB, "OFFER-3", kSea, "CN", "NL", 100),
                 "organisation 'carrier-b' has 2 open offers, the most the genesis allows "
                 "(limits.max_open_offers_per_org = 2); withdraw one or wait until one expires");
  ExpectValid(Offer(kForwarder, "OFFER-F", kSea, "CN", "NL", 100));  // counted per organisation
  ExpectValid(Withdrawal(kCarrierB, "OFFER-2"));
  ExpectValid(Offer(kCarrierB, "OFFER-3", kSea, "CN", "NL", 100));  // block 6: OFFER-1 expired
  ExpectValid(Offer(kCarrierB, "OFFER-4", kSea, "CN", "NL", 100));
  EXPECT_EQ(OpenOffersRecord(kCarrierB), "2");
  ExpectRejected(Offer(kCarrierB, "OFFER-5", kSea, "CN", "NL", 100), "has 2 open offers");
}

TEST_F(RulesV3OffersTest, ABookingLeavingMoreLegsOpenThanTheGenesisAllowsIsRejected) {
  limits_.max_open_legs_per_shipment = 2;
  RunBlock({});  // the chain's first v3 block writes the index marker
  const std::vector<v1::LegPlan> route = {Leg("CNSZX", "CNSHA", kRoad), Leg("CNSHA", "NLRTM", kSea),
                                          Leg("NLRTM", "DEHAM", kRoad)};
  ExpectRejected(BookedWith(route),
                 "shipment SHP-1 would have 3 open legs (no carrier named or matched), more than "
                 "the genesis allows (limits.max_open_legs_per_shipment = 2)");
  EXPECT_TRUE(Keys(kLaneLegPrefix).empty());
  // With an offer for the sea leg, two stay open: within the limit.
  ExpectValid(Offer(kCarrierB, "OFFER-1", kSea, "CN", "NL", 100));
  ExpectValid(BookedWith(route));
  EXPECT_EQ(OpenLegCount(Shipment()), 2u);
}

TEST_F(RulesV3OffersTest, ReopeningALegBeyondTheLimitIsRejected) {
  limits_.max_open_legs_per_shipment = 1;
  ExpectValid(BookedWith({Leg("CNSHA", "NLRTM", kSea), Leg("NLRTM", "DEHAM", kRoad, kForwarder)}));
  ExpectRejected(Reassignment(kExporter, 2, ""), "shipment SHP-1 would have 2 open legs");
  // Naming a carrier for the open leg, then reopening the other, stays within it.
  ExpectValid(Reassignment(kExporter, 1, kCarrier));
  EXPECT_TRUE(Keys(kLaneLegPrefix).empty());
  ExpectValid(Reassignment(kExporter, 2, ""));
  EXPECT_EQ(Keys(kLaneLegPrefix).size(), 4u);
}

TEST_F(RulesV3OffersTest, AReturnRouteLeavingTooManyLegsOpenIsRejected) {
  limits_.max_open_legs_per_shipment = 1;
  v1::BookingTerms terms;
  terms.mutable_returns()->set_window_ms(1000 * kMinute);
  ExpectValid(BookedWith(
      {Leg("DEHAM", "NLRTM", kRoad, kCarrier), Leg("NLRTM", "BEANR", kRoad, kCarrier)}, terms));
  ExpectValid(HandoverOf(kExporter, kCarrier));
  for (v1::EventType type :
       {v1::EVENT_TYPE_PICKUP, v1::EVENT_TYPE_LOADED, v1::EVENT_TYPE_DEPARTED,
        v1::EVENT_TYPE_ARRIVED, v1::EVENT_TYPE_OUT_FOR_DELIVERY, v1::EVENT_TYPE_DELIVERED}) {
    ExpectValid(MakeEvent(type, kCarrier));
  }
  ExpectRejected(ReturnRequest(kImporter, "damaged", "opened"),
                 "shipment SHP-1 would have 2 open legs");
  EXPECT_EQ(Shipment().status(), v1::SHIPMENT_STATUS_DELIVERED);
  // With an offer for one reverse leg, the return is approved.
  ExpectValid(Offer(kCarrierB, "OFFER-1", kRoad, "NL", "DE", 100));
  ExpectValid(ReturnRequest(kImporter, "damaged", "opened"));
  EXPECT_EQ(OpenLegCount(Shipment()), 1u);
}

TEST_F(RulesV3OffersTest, TheFirstV3BlockIndexesWhatRulesV2Recorded) {
  rules_ = 2;
  ExpectValid(Offer(kCarrierB, "LIVE", kSea, "DE", "NL", 100));
  ExpectValid(Offer(kCarrierB, "GONE", kSea, "DE", "NL", 100));
  ExpectValid(Withdrawal(kCarrierB, "GONE"));
  ExpectValid(Offer(kForwarder, "EXPIRING", kSea, "DE", "NL", 100, BlockTime(5)));
  ExpectValid(BookedWith({Leg("CNSHA", "NLRTM", kSea)}));  // block 5: open
  ASSERT_EQ(Keys(kOpenLegPrefix).size(), 1u);
  EXPECT_TRUE(Keys(kLaneOfferPrefix).empty());

  rules_ = 3;
  RunBlock({});  // block 6
  EXPECT_TRUE(Keys(kOpenLegPrefix).empty());
  EXPECT_EQ(Keys(kLaneLegPrefix).size(), 4u);
  EXPECT_EQ(IndexEntriesOf("LIVE"), 2u);
  EXPECT_EQ(IndexEntriesOf("GONE"), 0u);
  EXPECT_EQ(IndexEntriesOf("EXPIRING"), 0u);
  EXPECT_EQ(OpenOffersRecord(kCarrierB), "1");
  EXPECT_EQ(OpenOffersRecord(kForwarder), "none");
  EXPECT_EQ(state_.records().count(kIndexedV3Key), 1u);
  // A genesis limit the shipment already exceeds rejects only events that open more legs.
  limits_.max_open_legs_per_shipment = 0;
  ExpectValid(MakeEvent(v1::EVENT_TYPE_EXCEPTION, kExporter));
  // The leg v2 left open is matched by a v3 offer of its lane.
  const v1::Receipt r = ExpectValid(Offer(kForwarder, "NEW", kSea, "CN", "NL", 100));
  ASSERT_EQ(r.outputs_size(), 1);
  EXPECT_EQ(Shipment().legs(0).offer_id(), "NEW");
}

// Differential check: random offers, withdrawals, bookings (named, open, with needs, currencies,
// latest arrivals, both rules) and reopenings, executed under v2 and under v3, assign the same
// offers to the same legs — every offer valid from the start, the case where v2's "every open leg
// against every offer" can find nothing the index would not.
class RandomMarket {
 public:
  explicit RandomMarket(uint32_t seed) : rng_(seed) {}

  std::vector<model::EventPtr> Block(int64_t block_time_ms) {
    std::vector<model::EventPtr> events;
    const int n = Pick(1, 6);
    for (int i = 0; i < n; ++i) {
      const int kind = Pick(0, 9);
      if (kind < 4) {
        events.push_back(Share(RandomOffer(block_time_ms)));
      } else if (kind < 5 && !offers_.empty()) {
        const auto& [carrier, id] = offers_[static_cast<size_t>(Pick(0, Size(offers_) - 1))];
        events.push_back(Share(Withdrawal(carrier, id)));
      } else if (kind < 8 || shipments_.empty()) {
        events.push_back(Share(RandomBooking(block_time_ms)));
      } else {
        const std::string& shipment =
            shipments_[static_cast<size_t>(Pick(0, Size(shipments_) - 1))];
        model::AdmittedEvent e = Reassignment(kExporter, static_cast<uint32_t>(Pick(1, 3)),
                                              Pick(0, 3) == 0 ? kCarrier : "");
        e.event.set_shipment_id(shipment);
        events.push_back(Share(std::move(e)));
      }
    }
    return events;
  }

 private:
  int Pick(int lo, int hi) { return std::uniform_int_distribution<int>(lo, hi)(rng_); }
  template <typename T>
  static int Size(const std::vector<T>& v) {
    return static_cast<int>(v.size());
  }
  std::string Port() {
    static const char* kPorts[] = {"CNSHA", "CNSZX", "NLRTM", "NLAMS", "DEHAM"};
    return kPorts[Pick(0, 4)];
  }
  std::string End() {
    const std::string port = Port();
    return Pick(0, 1) == 0 ? port : port.substr(0, 2);
  }
  v1::TransportMode Mode() { return Pick(0, 1) == 0 ? kRoad : kSea; }

  model::AdmittedEvent RandomOffer(int64_t now_ms) {
    static const char* kCarriers[] = {kCarrier, kCarrierB, kForwarder};
    const std::string carrier = kCarriers[Pick(0, 2)];
    const std::string id = "O-" + std::to_string(++next_offer_);
    model::AdmittedEvent e =
        Offer(carrier, id, Mode(), End(), End(), 100 * Pick(1, 3), now_ms + kMinute * Pick(0, 30));
    v1::CarrierOffer* offer = e.event.mutable_offer();
    if (Pick(0, 2) == 0) offer->add_modes(offer->modes(0) == kRoad ? kSea : kRoad);
    if (Pick(0, 2) == 0)
      *offer->add_lanes() = [&] {
        v1::Lane lane;
        lane.set_origin(End());
        lane.set_destination(End());
        return lane;
      }();
    offer->set_cold_chain(Pick(0, 2) == 0);
    offer->set_dangerous_goods(Pick(0, 3) == 0);
    if (Pick(0, 3) == 0) offer->set_currency("USD");
    offers_.emplace_back(carrier, id);
    return e;
  }

  model::AdmittedEvent RandomBooking(int64_t now_ms) {
    std::vector<v1::LegPlan> legs;
    const int n = Pick(1, 3);
    for (int i = 0; i < n; ++i) {
      v1::LegPlan leg = Leg(Port(), Port(), Mode(), Pick(0, 4) == 0 ? kCarrier : "");
      leg.set_temperature_controlled(Pick(0, 3) == 0);
      leg.set_dangerous_goods(Pick(0, 5) == 0);
      if (Pick(0, 2) == 0) leg.set_latest_arrival_ms(now_ms + kMinute * Pick(0, 40));
      legs.push_back(leg);
    }
    v1::BookingTerms terms;
    static const char* kCurrencies[] = {"", "EUR", "USD"};
    terms.set_currency(kCurrencies[Pick(0, 2)]);
    if (Pick(0, 1) == 0) terms.set_match_rule(v1::MATCH_RULE_FIRST_REGISTERED);
    shipments_.push_back("S-" + std::to_string(shipments_.size() + 1));
    return BookedWith(legs, terms, shipments_.back());
  }

  std::mt19937 rng_;
  int next_offer_ = 0;
  std::vector<std::pair<std::string, std::string>> offers_;  // (carrier, id)
  std::vector<std::string> shipments_;
};

// What a receipt decided about legs, reasons aside (their wording differs by version), in a
// fixed order (an offer's receipt lists its assignments in index order under v3).
std::vector<std::string> LegDecisions(const v1::Receipt& receipt) {
  std::vector<std::string> out;
  for (const v1::ContractOutput& o : receipt.outputs()) {
    out.push_back(v1::ContractOutput::Kind_Name(o.kind()) + " " + o.shipment_id() + "/" +
                  (o.reverse() ? "r" : "f") + std::to_string(o.leg()) + " " + o.carrier() + " " +
                  o.offer_id() + " " + std::to_string(o.price_minor()));
  }
  std::sort(out.begin(), out.end());
  return out;
}

TEST(RulesV3Matching, RandomMarketsAssignTheSameOffersAsRulesV2) {
  model::Limits limits;
  limits.max_open_legs_per_shipment = 16;
  size_t assigned = 0;
  for (uint32_t seed = 1; seed <= 40; ++seed) {
    SCOPED_TRACE("seed " + std::to_string(seed));
    RandomMarket market(seed);
    shipledger::testing::MemoryChain v2;
    shipledger::testing::MemoryChain v3;
    for (uint64_t height = 1; height <= 40; ++height) {
      const int64_t block_time_ms = kT0 + static_cast<int64_t>(height) * kMinute;
      const std::vector<model::EventPtr> events = market.Block(block_time_ms);
      const model::BlockEffects e2 = ExecuteBlock(events, v2, {height, block_time_ms, 2});
      const model::BlockEffects e3 = ExecuteBlock(events, v3, {height, block_time_ms, 3, &limits});
      ASSERT_EQ(e2.receipts.size(), e3.receipts.size());
      for (size_t i = 0; i < e2.receipts.size(); ++i) {
        ASSERT_EQ(e2.receipts[i].code(), e3.receipts[i].code())
            << "height " << height << " event " << i << ": " << e2.receipts[i].reason() << " / "
            << e3.receipts[i].reason();
        ASSERT_EQ(LegDecisions(e2.receipts[i]), LegDecisions(e3.receipts[i]))
            << "height " << height << " event " << i;
        for (const v1::ContractOutput& o : e3.receipts[i].outputs()) {
          assigned += o.kind() == Kind::KIND_LEG_ASSIGNED && !o.offer_id().empty();
        }
      }
      v2.Commit(events, e2);
      v3.Commit(events, e3);
    }
    ASSERT_EQ(v2.states().size(), v3.states().size());
    for (const auto& [id, state] : v2.states()) {
      const v1::ShipmentState& other = v3.states().at(id);
      ASSERT_EQ(state.legs_size(), other.legs_size());
      for (int i = 0; i < state.legs_size(); ++i) {
        EXPECT_EQ(state.legs(i).status(), other.legs(i).status()) << id << " leg " << i + 1;
        EXPECT_EQ(state.legs(i).offer_id(), other.legs(i).offer_id()) << id << " leg " << i + 1;
      }
    }
  }
  EXPECT_GT(assigned, 200u);  // the markets matched plenty, at booking and at registration
}

}  // namespace
}  // namespace shipledger::contracts::testutil
