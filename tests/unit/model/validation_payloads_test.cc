// Stateless checks of the contract rules v2 payloads (model/validation_payloads.h), through
// EventValidator::Validate: one valid event per payload, and every rejection with its message.
#include "model/validation_payloads.h"

#include <gtest/gtest.h>

#include <functional>
#include <ostream>
#include <string>
#include <vector>

#include "validation_fixture.h"

namespace shipledger::model {
namespace {

using Edit = std::function<void(v1::Event&)>;

struct PayloadCase {
  std::string name;
  v1::EventType type;  // of the valid event the case starts from
  Edit edit;           // empty: the valid event as it is
  std::string error;   // empty: must validate; else a substring of the INVALID_ARGUMENT message
};

// gtest prints a failing parameter with this instead of its bytes.
[[maybe_unused]] void PrintTo(const PayloadCase& c, std::ostream* os) { *os << c.name; }

void SetBooking(v1::Event& e) {
  v1::BookingTerms* b = e.mutable_booking();
  b->set_consignee("importer");
  v1::LegPlan* road = b->add_legs();
  road->set_origin("DEHAM");
  road->set_destination("NLRTM");
  road->set_mode(v1::TRANSPORT_MODE_ROAD);
  road->set_carrier("forwarder");
  v1::LegPlan* sea = b->add_legs();
  sea->set_origin("NLRTM");
  sea->set_destination("CNSHA");
  sea->set_mode(v1::TRANSPORT_MODE_SEA);
  sea->set_temperature_controlled(true);
  sea->set_latest_arrival_ms(1);
  b->set_match_rule(v1::MATCH_RULE_FIRST_REGISTERED);
  b->set_currency("EUR");
  v1::ColdChainTerms* c = b->mutable_cold_chain();
  c->set_min_milli_c(-1'000'000);
  c->set_max_milli_c(1'000'000);
  c->set_tolerance_ms(0);
  v1::ReturnTerms* r = b->mutable_returns();
  r->set_window_ms(14 * kDayMs);
  r->add_allowed_reasons("damaged");
  r->add_allowed_reasons(std::string(256, 'w'));
  r->set_condition_required(std::string(256, 'u'));
  r->set_payer("exporter");
  r->set_return_address("DEHAM");
}

v1::SensorReading* AddReading(v1::Event& e, int64_t time_ms, int64_t value_milli,
                              const std::string& unit) {
  v1::SensorReading* r = e.add_readings();
  r->set_time_ms(time_ms);
  r->set_value_milli(value_milli);
  r->set_unit(unit);
  return r;
}

void SetReadings(v1::Event& e) {
  AddReading(e, 1000, -18'000, "C")->set_device_id(std::string(256, 'd'));
  AddReading(e, 1000, -1'000'000, "F");  // equal times are in order
  AddReading(e, 2000, 1'000'000, "C");
}

void SetOffer(v1::Event& e) {
  v1::CarrierOffer* o = e.mutable_offer();
  o->add_modes(v1::TRANSPORT_MODE_ROAD);
  o->add_modes(v1::TRANSPORT_MODE_SEA);
  v1::Lane* country_to_port = o->add_lanes();
  country_to_port->set_origin("DE");
  country_to_port->set_destination("CNSHA");
  v1::Lane* port_to_country = o->add_lanes();
  port_to_country->set_origin("DEHAM");
  port_to_country->set_destination("NL");
  o->set_cold_chain(true);
  o->set_price_minor(0);
  o->set_currency("EUR");
  o->set_valid_from_ms(0);
  o->set_valid_until_ms(1);
}

void SetReassignment(v1::Event& e) {
  v1::LegReassignment* r = e.mutable_reassignment();
  r->set_leg(16);
  r->set_reverse(true);
  r->set_carrier("forwarder");
}

void SetReturnRequest(v1::Event& e) {
  e.mutable_return_request()->set_reason(std::string(256, 'r'));
  e.mutable_return_request()->set_condition(std::string(256, 'c'));
}

void SetErrorDeclaration(v1::Event& e) {
  v1::ErrorDeclaration* d = e.mutable_error_declaration();
  d->set_event_id(Bytes(32, 'a'));
  d->set_reason("recorded at the wrong port");
  d->add_corrective_event_ids(Bytes(32, 'b'));
  d->add_corrective_event_ids(Bytes(32, 'c'));
}

// --- edits ----------------------------------------------------------------------------------

v1::BookingTerms& B(v1::Event& e) { return *e.mutable_booking(); }
v1::LegPlan& Leg0(v1::Event& e) { return *e.mutable_booking()->mutable_legs(0); }
v1::ColdChainTerms& Cold(v1::Event& e) { return *e.mutable_booking()->mutable_cold_chain(); }
v1::ReturnTerms& Returns(v1::Event& e) { return *e.mutable_booking()->mutable_returns(); }
v1::CarrierOffer& Offer(v1::Event& e) { return *e.mutable_offer(); }
v1::ErrorDeclaration& Decl(v1::Event& e) { return *e.mutable_error_declaration(); }

Edit SetType(v1::EventType type) {
  return [type](v1::Event& e) { e.set_type(type); };
}

Edit AddLegs(int n) {
  return [n](v1::Event& e) {
    while (B(e).legs_size() < n) *B(e).add_legs() = B(e).legs(0);
  };
}

Edit FillReadings(int n) {
  return [n](v1::Event& e) {
    e.clear_readings();
    for (int i = 0; i < n; ++i) AddReading(e, 1000 + i, -18'000, "C");
  };
}

std::vector<PayloadCase> Cases() {
  using T = v1::EventType;
  const T kBooked = v1::EVENT_TYPE_BOOKED;
  const T kSensor = v1::EVENT_TYPE_SENSOR_READINGS;
  const T kOffer = v1::EVENT_TYPE_CARRIER_OFFER;
  const T kReassign = v1::EVENT_TYPE_LEG_REASSIGNMENT;
  const T kReturn = v1::EVENT_TYPE_RETURN_REQUESTED;
  const T kError = v1::EVENT_TYPE_ERROR_DECLARATION;
  return {
      // Valid: one per payload, at the inclusive bounds; optional payloads may be absent.
      {"BookingValid", kBooked, {}, ""},
      {"BookingMaxLegsValid", kBooked, AddLegs(16), ""},
      {"BookingEmptyOptionalsValid", kBooked,
       [](v1::Event& e) {
         B(e).clear_consignee();
         B(e).clear_currency();
         Leg0(e).clear_carrier();
         Returns(e).clear_payer();
         Returns(e).clear_return_address();
         B(e).set_match_rule(v1::MATCH_RULE_UNSPECIFIED);
       },
       ""},
      {"ReadingsValid", kSensor, {}, ""},
      {"ReadingsMaxValid", kSensor, FillReadings(500), ""},
      // Rules v1 sensor events carry readings in details; rules v2 reject an empty batch.
      {"SensorReadingsWithoutReadingsValid", kSensor, [](v1::Event& e) { e.clear_readings(); }, ""},
      {"OfferValid", kOffer, {}, ""},
      {"ReassignmentValid", kReassign, {}, ""},
      {"ReassignmentReopenValid", kReassign,
       [](v1::Event& e) { e.mutable_reassignment()->clear_carrier(); }, ""},
      {"ReturnRequestValid", kReturn, {}, ""},
      {"ReturnRequestedWithoutPayloadValid", kReturn,
       [](v1::Event& e) { e.clear_return_request(); }, ""},
      {"ErrorDeclarationValid", kError, {}, ""},
      {"ErrorDeclarationWithoutCorrectionsValid", kError,
       [](v1::Event& e) { Decl(e).clear_corrective_event_ids(); }, ""},

      // Each payload only on its type; three are required there.
      {"BookingOnPickup", kBooked, SetType(v1::EVENT_TYPE_PICKUP),
       "only booked events may carry booking"},
      {"ReadingsOnBooked", kSensor, SetType(kBooked),
       "only sensor_readings events may carry readings"},
      {"OfferOnBooked", kOffer, SetType(kBooked), "only carrier_offer events may carry offer"},
      {"ReassignmentOnBooked", kReassign, SetType(kBooked),
       "only leg_reassignment events may carry reassignment"},
      {"ReturnRequestOnBooked", kReturn, SetType(kBooked),
       "only return_requested events may carry return_request"},
      {"ErrorDeclarationOnBooked", kError, SetType(kBooked),
       "only error_declaration events may carry error_declaration"},

      // BookingTerms.
      {"BookingConsigneeUnknown", kBooked, [](v1::Event& e) { B(e).set_consignee("nobody"); },
       "booking.consignee 'nobody' is not an organisation of this network"},
      {"BookingTooManyLegs", kBooked, AddLegs(17), "booking has 17 legs; at most 16 allowed"},
      {"LegOriginNotLocode", kBooked, [](v1::Event& e) { Leg0(e).set_origin("Hamburg"); },
       "booking.legs[0].origin 'Hamburg' is not a UN/LOCODE"},
      {"LegOriginEmpty", kBooked, [](v1::Event& e) { Leg0(e).clear_origin(); },
       "booking.legs[0].origin '' is not a UN/LOCODE"},
      {"LegDestinationNotLocode", kBooked,
       [](v1::Event& e) { B(e).mutable_legs(1)->set_destination("cnsha"); },
       "booking.legs[1].destination 'cnsha' is not a UN/LOCODE"},
      {"LegModeUnspecified", kBooked,
       [](v1::Event& e) { Leg0(e).set_mode(v1::TRANSPORT_MODE_UNSPECIFIED); },
       "booking.legs[0].mode 0 is not a transport mode"},
      {"LegModeUnknown", kBooked,
       [](v1::Event& e) { Leg0(e).set_mode(static_cast<v1::TransportMode>(9)); },
       "booking.legs[0].mode 9 is not a transport mode"},
      {"LegLatestArrivalNegative", kBooked, [](v1::Event& e) { Leg0(e).set_latest_arrival_ms(-1); },
       "booking.legs[0].latest_arrival_ms must not be negative"},
      {"LegCarrierUnknown", kBooked, [](v1::Event& e) { Leg0(e).set_carrier("nobody"); },
       "booking.legs[0].carrier 'nobody' is not an organisation of this network"},
      {"MatchRuleUnknown", kBooked,
       [](v1::Event& e) { B(e).set_match_rule(static_cast<v1::MatchRule>(7)); },
       "booking.match_rule 7 is not a match rule"},
      {"BookingCurrencyLowercase", kBooked, [](v1::Event& e) { B(e).set_currency("eur"); },
       "booking.currency 'eur' must be empty or 3 uppercase letters"},
      {"BookingCurrencyTooLong", kBooked, [](v1::Event& e) { B(e).set_currency("EURO"); },
       "booking.currency 'EURO' must be empty or 3 uppercase letters"},
      {"ColdChainMinAboveMax", kBooked,
       [](v1::Event& e) {
         Cold(e).set_min_milli_c(5);
         Cold(e).set_max_milli_c(4);
       },
       "booking.cold_chain.min_milli_c 5 is above max_milli_c 4"},
      {"ColdChainMinOutOfRange", kBooked, [](v1::Event& e) { Cold(e).set_min_milli_c(-1'000'001); },
       "booking.cold_chain temperatures must lie within ±1000000"},
      {"ColdChainMaxOutOfRange", kBooked, [](v1::Event& e) { Cold(e).set_max_milli_c(1'000'001); },
       "booking.cold_chain temperatures must lie within ±1000000"},
      {"ColdChainToleranceNegative", kBooked, [](v1::Event& e) { Cold(e).set_tolerance_ms(-1); },
       "booking.cold_chain.tolerance_ms must not be negative"},
      {"ReturnsWindowZero", kBooked, [](v1::Event& e) { Returns(e).set_window_ms(0); },
       "booking.returns.window_ms must be positive"},
      {"ReturnsTooManyReasons", kBooked,
       [](v1::Event& e) {
         while (Returns(e).allowed_reasons_size() < 17) Returns(e).add_allowed_reasons("x");
       },
       "booking.returns has more than 16 allowed_reasons"},
      {"ReturnsReasonEmpty", kBooked, [](v1::Event& e) { Returns(e).set_allowed_reasons(1, ""); },
       "booking.returns.allowed_reasons[1] must be 1..256 bytes"},
      {"ReturnsReasonTooLong", kBooked,
       [](v1::Event& e) { Returns(e).set_allowed_reasons(0, std::string(257, 'w')); },
       "booking.returns.allowed_reasons[0] must be 1..256 bytes"},
      {"ReturnsConditionTooLong", kBooked,
       [](v1::Event& e) { Returns(e).set_condition_required(std::string(257, 'u')); },
       "booking.returns.condition_required is longer than 256 bytes"},
      {"ReturnsPayerUnknown", kBooked, [](v1::Event& e) { Returns(e).set_payer("nobody"); },
       "booking.returns.payer 'nobody' is not an organisation of this network"},
      {"ReturnsAddressNotLocode", kBooked,
       [](v1::Event& e) { Returns(e).set_return_address("DE"); },
       "booking.returns.return_address 'DE' is not a UN/LOCODE"},

      // readings.
      {"TooManyReadings", kSensor, FillReadings(501),
       "sensor_readings carries 501 readings; at most 500 allowed"},
      {"ReadingUnitKelvin", kSensor, [](v1::Event& e) { e.mutable_readings(1)->set_unit("K"); },
       "readings[1].unit 'K' must be \"C\" or \"F\""},
      {"ReadingUnitLowercase", kSensor, [](v1::Event& e) { e.mutable_readings(0)->set_unit("c"); },
       "readings[0].unit 'c' must be \"C\" or \"F\""},
      {"ReadingTimeZero", kSensor, [](v1::Event& e) { e.mutable_readings(0)->set_time_ms(0); },
       "readings[0].time_ms must be a positive Unix time in ms"},
      {"ReadingTimeDecreasing", kSensor,
       [](v1::Event& e) { e.mutable_readings(2)->set_time_ms(999); },
       "readings[2].time_ms is before the reading preceding it"},
      {"ReadingValueTooHigh", kSensor,
       [](v1::Event& e) { e.mutable_readings(2)->set_value_milli(1'000'001); },
       "readings[2].value_milli must lie within ±1000000"},
      {"ReadingValueTooLow", kSensor,
       [](v1::Event& e) { e.mutable_readings(1)->set_value_milli(-1'000'001); },
       "readings[1].value_milli must lie within ±1000000"},
      {"ReadingDeviceIdTooLong", kSensor,
       [](v1::Event& e) { e.mutable_readings(0)->set_device_id(std::string(257, 'd')); },
       "readings[0].device_id is longer than 256 bytes"},

      // offer.
      {"OfferNoModes", kOffer, [](v1::Event& e) { Offer(e).clear_modes(); },
       "offer names no transport mode"},
      {"OfferModeUnspecified", kOffer,
       [](v1::Event& e) { Offer(e).set_modes(0, v1::TRANSPORT_MODE_UNSPECIFIED); },
       "offer.modes[0] 0 is not a transport mode"},
      {"OfferModeUnknown", kOffer,
       [](v1::Event& e) { Offer(e).set_modes(1, static_cast<v1::TransportMode>(9)); },
       "offer.modes[1] 9 is not a transport mode"},
      {"OfferModeRepeated", kOffer,
       [](v1::Event& e) { Offer(e).add_modes(v1::TRANSPORT_MODE_ROAD); },
       "offer.modes[2] repeats an earlier mode"},
      {"OfferNoLanes", kOffer, [](v1::Event& e) { Offer(e).clear_lanes(); },
       "offer must name 1..32 lanes, names 0"},
      {"OfferTooManyLanes", kOffer,
       [](v1::Event& e) {
         while (Offer(e).lanes_size() < 33) *Offer(e).add_lanes() = Offer(e).lanes(0);
       },
       "offer must name 1..32 lanes, names 33"},
      {"OfferLaneOriginLowercase", kOffer,
       [](v1::Event& e) { Offer(e).mutable_lanes(0)->set_origin("de"); },
       "offer.lanes[0].origin 'de' is neither a country"},
      {"OfferLaneOriginEmpty", kOffer,
       [](v1::Event& e) { Offer(e).mutable_lanes(1)->clear_origin(); },
       "offer.lanes[1].origin '' is neither a country"},
      {"OfferLaneDestinationBad", kOffer,
       [](v1::Event& e) { Offer(e).mutable_lanes(1)->set_destination("NLD"); },
       "offer.lanes[1].destination 'NLD' is neither a country"},
      {"OfferPriceNegative", kOffer, [](v1::Event& e) { Offer(e).set_price_minor(-1); },
       "offer.price_minor must not be negative"},
      {"OfferCurrencyEmpty", kOffer, [](v1::Event& e) { Offer(e).clear_currency(); },
       "offer.currency '' must be 3 uppercase letters"},
      {"OfferCurrencyLowercase", kOffer, [](v1::Event& e) { Offer(e).set_currency("Eur"); },
       "offer.currency 'Eur' must be 3 uppercase letters"},
      {"OfferValidFromNegative", kOffer,
       [](v1::Event& e) {
         Offer(e).set_valid_from_ms(-2);
         Offer(e).set_valid_until_ms(-1);
       },
       "offer.valid_from_ms must not be negative"},
      {"OfferValidUntilNotAfterFrom", kOffer,
       [](v1::Event& e) { Offer(e).set_valid_until_ms(Offer(e).valid_from_ms()); },
       "offer.valid_until_ms must be after valid_from_ms"},

      // reassignment.
      {"ReassignmentLegZero", kReassign, [](v1::Event& e) { e.mutable_reassignment()->set_leg(0); },
       "reassignment.leg 0 is not in 1..16"},
      {"ReassignmentLegAboveMaxLegs", kReassign,
       [](v1::Event& e) { e.mutable_reassignment()->set_leg(17); },
       "reassignment.leg 17 is not in 1..16"},
      {"ReassignmentCarrierUnknown", kReassign,
       [](v1::Event& e) { e.mutable_reassignment()->set_carrier("nobody"); },
       "reassignment.carrier 'nobody' is not an organisation of this network"},

      // return_request.
      {"ReturnReasonTooLong", kReturn,
       [](v1::Event& e) { e.mutable_return_request()->set_reason(std::string(257, 'r')); },
       "return_request.reason is longer than 256 bytes"},
      {"ReturnConditionTooLong", kReturn,
       [](v1::Event& e) { e.mutable_return_request()->set_condition(std::string(257, 'c')); },
       "return_request.condition is longer than 256 bytes"},

      // error_declaration.
      {"DeclaredEventIdShort", kError, [](v1::Event& e) { Decl(e).set_event_id(Bytes(31, 'a')); },
       "error_declaration.event_id must be 32 bytes, got 31"},
      {"DeclaredEventIdLong", kError, [](v1::Event& e) { Decl(e).set_event_id(Bytes(33, 'a')); },
       "error_declaration.event_id must be 32 bytes, got 33"},
      {"DeclarationReasonEmpty", kError, [](v1::Event& e) { Decl(e).clear_reason(); },
       "error_declaration.reason must be 1..256 bytes"},
      {"DeclarationReasonTooLong", kError,
       [](v1::Event& e) { Decl(e).set_reason(std::string(257, 'r')); },
       "error_declaration.reason must be 1..256 bytes"},
      {"TooManyCorrectiveEvents", kError,
       [](v1::Event& e) {
         Decl(e).clear_corrective_event_ids();
         for (char c = 'b'; c < 'b' + 17; ++c) Decl(e).add_corrective_event_ids(Bytes(32, c));
       },
       "error_declaration names more than 16 corrective_event_ids"},
      {"CorrectiveEventIdShort", kError,
       [](v1::Event& e) { Decl(e).set_corrective_event_ids(1, Bytes(31, 'c')); },
       "error_declaration.corrective_event_ids[1] must be 32 bytes, got 31"},
      {"CorrectiveEventIsDeclaredEvent", kError,
       [](v1::Event& e) { Decl(e).set_corrective_event_ids(1, Bytes(32, 'a')); },
       "error_declaration.corrective_event_ids[1] is the declared event itself"},
      {"CorrectiveEventRepeated", kError,
       [](v1::Event& e) { Decl(e).set_corrective_event_ids(1, Bytes(32, 'b')); },
       "error_declaration.corrective_event_ids[1] repeats an earlier id"},
  };
}

class PayloadValidationTest : public EventValidatorTest,
                              public ::testing::WithParamInterface<PayloadCase> {
 protected:
  // A valid event of `type` with its payload, by an organisation whose role may sign it.
  v1::Event ValidEvent(v1::EventType type) const {
    const std::string signer = type == v1::EVENT_TYPE_RETURN_REQUESTED ? "importer" : "forwarder";
    v1::Event e = net_->NewEvent(signer, type, "SHP-1");
    switch (type) {
      case v1::EVENT_TYPE_BOOKED:
        SetBooking(e);
        break;
      case v1::EVENT_TYPE_SENSOR_READINGS:
        SetReadings(e);
        break;
      case v1::EVENT_TYPE_CARRIER_OFFER:
        e.set_shipment_id("OFFER-fwd-1");  // the offer id
        SetOffer(e);
        break;
      case v1::EVENT_TYPE_LEG_REASSIGNMENT:
        SetReassignment(e);
        break;
      case v1::EVENT_TYPE_RETURN_REQUESTED:
        SetReturnRequest(e);
        break;
      case v1::EVENT_TYPE_ERROR_DECLARATION:
        SetErrorDeclaration(e);
        break;
      default:
        ADD_FAILURE() << "no payload for " << EventTypeName(type);
    }
    return e;
  }
};

TEST_P(PayloadValidationTest, ValidatesOrRejectsWithMessage) {
  const PayloadCase& c = GetParam();
  v1::Event e = ValidEvent(c.type);
  if (c.edit) c.edit(e);
  const auto r = Validate(Sign(e, e.signer_org()));
  if (c.error.empty()) {
    EXPECT_TRUE(r.ok()) << r.status().ToString();
  } else {
    EXPECT_TRUE(Rejected(r, Code::kInvalidArgument, c.error));
  }
}

INSTANTIATE_TEST_SUITE_P(Payloads, PayloadValidationTest, ::testing::ValuesIn(Cases()),
                         [](const ::testing::TestParamInfo<PayloadCase>& param) {
                           return param.param.name;
                         });

// EventValidatorTest is a different class in each file (anonymous namespace): one suite each.
class PayloadLimitsTest : public EventValidatorTest {};

// The bounds come from the genesis limits, not from their defaults.
TEST_F(PayloadLimitsTest, BoundsFollowGenesisLimits) {
  auto small = ValidatorWith([](Genesis& g) {
    g.limits.max_legs = 1;
    g.limits.max_readings = 2;
  });
  v1::Event booking = net_->NewEvent("forwarder", v1::EVENT_TYPE_BOOKED, "SHP-1");
  SetBooking(booking);
  EXPECT_TRUE(Rejected(small->Validate(Sign(booking, "forwarder"), opts_), Code::kInvalidArgument,
                       "booking has 2 legs; at most 1 allowed"));
  v1::Event sensors = net_->NewEvent("forwarder", v1::EVENT_TYPE_SENSOR_READINGS, "SHP-1");
  SetReadings(sensors);
  EXPECT_TRUE(Rejected(small->Validate(Sign(sensors, "forwarder"), opts_), Code::kInvalidArgument,
                       "sensor_readings carries 3 readings; at most 2"));
  v1::Event reassign = net_->NewEvent("forwarder", v1::EVENT_TYPE_LEG_REASSIGNMENT, "SHP-1");
  SetReassignment(reassign);
  reassign.mutable_reassignment()->set_leg(2);
  EXPECT_TRUE(Rejected(small->Validate(Sign(reassign, "forwarder"), opts_), Code::kInvalidArgument,
                       "reassignment.leg 2 is not in 1..1"));
  reassign.mutable_reassignment()->set_leg(1);
  const auto ok = small->Validate(Sign(reassign, "forwarder"), opts_);
  EXPECT_TRUE(ok.ok()) << ok.status().ToString();
}

TEST(IsUnLocode, AcceptsCountryAndThreeLettersOrDigitsTwoToNine) {
  EXPECT_TRUE(IsUnLocode("DEHAM"));
  EXPECT_TRUE(IsUnLocode("US2NY"));
  EXPECT_FALSE(IsUnLocode("US1NY"));
  EXPECT_FALSE(IsUnLocode("D3HAM"));
  EXPECT_FALSE(IsUnLocode("DEHA"));
  EXPECT_FALSE(IsUnLocode(""));
}

}  // namespace
}  // namespace shipledger::model
