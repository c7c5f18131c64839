#include "cli/contract_flags.h"

#include <algorithm>
#include <cctype>
#include <charconv>
#include <limits>

#include "cli/commands.h"
#include "cli/event_builder.h"
#include "cli/output.h"
#include "crypto/x509.h"
#include "model/digest.h"
#include "model/event.h"

namespace shipledger::cli {

namespace {

using T = v1::EventType;

std::string Lower(std::string_view text) {
  std::string out(text);
  std::transform(out.begin(), out.end(), out.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return out;
}

std::vector<std::string> Split(std::string_view text, char separator) {
  std::vector<std::string> parts;
  size_t start = 0;
  while (true) {
    const size_t end = text.find(separator, start);
    parts.emplace_back(text.substr(start, end - start));
    if (end == std::string_view::npos) return parts;
    start = end + 1;
  }
}

Status Invalid(std::string_view flag, std::string_view text, std::string_view expected) {
  return Status::InvalidArgument(std::string(flag) + " expects " + std::string(expected) +
                                 ", got '" + std::string(text) + "'");
}

Result<int64_t> ParseInt(std::string_view text, std::string_view flag, std::string_view expected) {
  int64_t value = 0;
  const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (text.empty() || ec != std::errc() || end != text.data() + text.size()) {
    return Invalid(flag, text, expected);
  }
  return value;
}

// One payload flag: whether it was given and the event types it belongs to.
struct FlagUse {
  const char* flag;
  bool given;
  std::vector<T> types;
};

std::vector<FlagUse> FlagUses(const ContractFlags& f) {
  const std::vector<T> booked = {v1::EVENT_TYPE_BOOKED};
  const std::vector<T> readings = {v1::EVENT_TYPE_SENSOR_READINGS};
  const std::vector<T> offer = {v1::EVENT_TYPE_CARRIER_OFFER};
  const std::vector<T> reassign = {v1::EVENT_TYPE_LEG_REASSIGNMENT};
  const std::vector<T> error = {v1::EVENT_TYPE_ERROR_DECLARATION};
  return {
      {"--consignee", !f.consignee.empty(), booked},
      {"--leg", !f.legs.empty(), booked},
      {"--latest-arrival", !f.latest_arrivals.empty(), booked},
      {"--match", !f.match.empty(), booked},
      {"--currency", !f.currency.empty(), {v1::EVENT_TYPE_BOOKED, v1::EVENT_TYPE_CARRIER_OFFER}},
      {"--temp-range", !f.temp_range.empty(), booked},
      {"--tolerance", !f.tolerance.empty(), booked},
      {"--return-window", !f.return_window.empty(), booked},
      {"--return-reason", !f.return_reasons.empty(), booked},
      {"--return-condition", !f.return_condition.empty(), booked},
      {"--return-payer", !f.return_payer.empty(), booked},
      {"--return-address", !f.return_address.empty(), booked},
      {"--reading", !f.readings.empty(), readings},
      {"--readings-file", !f.readings_file.empty(), readings},
      {"--mode", !f.modes.empty(), offer},
      {"--lane", !f.lanes.empty(), offer},
      {"--cold-chain", f.cold_chain, offer},
      {"--dangerous-goods", f.dangerous_goods, offer},
      {"--price", !f.price.empty(), offer},
      {"--valid-from", !f.valid_from.empty(), offer},
      {"--valid-until", !f.valid_until.empty(), offer},
      {"--leg-number", !f.leg_number.empty(), reassign},
      {"--reverse", f.reverse, reassign},
      {"--carrier", !f.carrier.empty(), reassign},
      {"--reason",
       !f.reason.empty(),
       {v1::EVENT_TYPE_RETURN_REQUESTED, v1::EVENT_TYPE_ERROR_DECLARATION,
        v1::EVENT_TYPE_CERTIFICATE_REVOCATION}},
      {"--fingerprint", !f.fingerprint.empty(), {v1::EVENT_TYPE_CERTIFICATE_REVOCATION}},
      {"--condition", !f.condition.empty(), {v1::EVENT_TYPE_RETURN_REQUESTED}},
      {"--erroneous-event", !f.erroneous_event.empty(), error},
      {"--corrective", !f.corrective.empty(), error},
  };
}

Status CheckFlagsBelong(const ContractFlags& flags, T type) {
  for (const FlagUse& use : FlagUses(flags)) {
    if (!use.given) continue;
    if (std::find(use.types.begin(), use.types.end(), type) != use.types.end()) continue;
    std::vector<std::string> names;
    for (T t : use.types) names.push_back(model::EventTypeName(t));
    return Status::InvalidArgument(std::string(use.flag) + " does not apply to a " +
                                   model::EventTypeName(type) + " event (it is for " +
                                   Join(names, ", ") + ")");
  }
  return Status::Ok();
}

Status ApplyBooking(const ContractFlags& f, v1::BookingTerms* b) {
  b->set_consignee(f.consignee);
  for (const auto& text : f.legs) {
    SL_ASSIGN_OR_RETURN(*b->add_legs(), ParseLegPlan(text));
  }
  for (const auto& text : f.latest_arrivals) {
    SL_ASSIGN_OR_RETURN(auto kv, ParseKeyValue(text, "--latest-arrival", "1=2026-12-20"));
    SL_ASSIGN_OR_RETURN(int64_t leg, ParseInt(kv.first, "--latest-arrival", "LEG=TIME"));
    if (leg < 1 || leg > b->legs_size()) {
      return Status::InvalidArgument("--latest-arrival " + text + ": there is no --leg " +
                                     kv.first + " (" + std::to_string(b->legs_size()) + " given)");
    }
    auto time = ParseTime(kv.second);
    if (!time.ok()) return time.status().WithContext("--latest-arrival");
    b->mutable_legs(static_cast<int>(leg) - 1)->set_latest_arrival_ms(*time);
  }
  if (!f.match.empty()) {
    const std::string rule = Lower(f.match);
    if (rule == "cheapest") {
      b->set_match_rule(v1::MATCH_RULE_CHEAPEST);
    } else if (rule == "first") {
      b->set_match_rule(v1::MATCH_RULE_FIRST_REGISTERED);
    } else {
      return Invalid("--match", f.match, "cheapest or first");
    }
  }
  b->set_currency(f.currency);
  if (!f.temp_range.empty() || !f.tolerance.empty()) {
    if (f.temp_range.empty()) {
      return Status::InvalidArgument("--tolerance needs --temp-range MIN:MAX (°C, e.g. 2:8)");
    }
    // Split at the ':' that follows the first value, so "-5:-2" works.
    const size_t colon = f.temp_range.find(':', 1);
    if (colon == std::string::npos) return Invalid("--temp-range", f.temp_range, "MIN:MAX in °C");
    v1::ColdChainTerms* cold = b->mutable_cold_chain();
    SL_ASSIGN_OR_RETURN(int64_t min, ParseMilli(f.temp_range.substr(0, colon), "--temp-range"));
    SL_ASSIGN_OR_RETURN(int64_t max, ParseMilli(f.temp_range.substr(colon + 1), "--temp-range"));
    if (min > max) return Invalid("--temp-range", f.temp_range, "MIN:MAX with MIN <= MAX");
    cold->set_min_milli_c(min);
    cold->set_max_milli_c(max);
    if (!f.tolerance.empty()) {
      SL_ASSIGN_OR_RETURN(int64_t tolerance, ParseDurationMs(f.tolerance, "--tolerance"));
      cold->set_tolerance_ms(tolerance);
    }
  }
  const bool returns = !f.return_window.empty() || !f.return_reasons.empty() ||
                       !f.return_condition.empty() || !f.return_payer.empty() ||
                       !f.return_address.empty();
  if (returns) {
    if (f.return_window.empty()) {
      return Status::InvalidArgument(
          "return terms need --return-window DURATION (e.g. 30d, after delivery)");
    }
    v1::ReturnTerms* r = b->mutable_returns();
    SL_ASSIGN_OR_RETURN(int64_t window, ParseDurationMs(f.return_window, "--return-window"));
    r->set_window_ms(window);
    for (const auto& reason : f.return_reasons) r->add_allowed_reasons(reason);
    r->set_condition_required(f.return_condition);
    r->set_payer(f.return_payer);
    r->set_return_address(f.return_address);
  }
  return Status::Ok();
}

Status ApplyReadings(const ContractFlags& f, v1::Event* event) {
  for (const auto& text : f.readings) {
    SL_ASSIGN_OR_RETURN(*event->add_readings(), ParseReading(text));
  }
  if (!f.readings_file.empty()) {
    auto text = crypto::ReadFile(f.readings_file);
    if (!text.ok()) return text.status().WithContext("--readings-file");
    SL_ASSIGN_OR_RETURN(auto readings, ParseReadingsCsv(*text, f.readings_file));
    for (auto& r : readings) *event->add_readings() = std::move(r);
  }
  if (event->readings().empty()) {
    return Status::InvalidArgument(
        "a sensor_readings event needs --reading TIME,VALUE,UNIT,DEVICE or --readings-file CSV");
  }
  return Status::Ok();
}

Status ApplyOffer(const ContractFlags& f, int64_t now_ms, v1::CarrierOffer* o) {
  for (const auto& mode : f.modes) {
    SL_ASSIGN_OR_RETURN(v1::TransportMode m, ParseTransportMode(mode, "--mode"));
    o->add_modes(m);
  }
  for (const auto& text : f.lanes) {
    const std::vector<std::string> ends = Split(text, ':');
    if (ends.size() != 2 || ends[0].empty() || ends[1].empty()) {
      return Invalid("--lane", text, "ORIGIN:DEST (country code or UN/LOCODE, e.g. DE:NLRTM)");
    }
    v1::Lane* lane = o->add_lanes();
    lane->set_origin(ends[0]);
    lane->set_destination(ends[1]);
  }
  o->set_cold_chain(f.cold_chain);
  o->set_dangerous_goods(f.dangerous_goods);
  if (!f.price.empty()) {
    SL_ASSIGN_OR_RETURN(int64_t price,
                        ParseInt(f.price, "--price", "minor units (e.g. 120000 for 1200.00)"));
    if (price < 0) return Invalid("--price", f.price, "a price of 0 or more minor units");
    o->set_price_minor(price);
  }
  o->set_currency(f.currency);
  if (!f.valid_from.empty()) {
    SL_ASSIGN_OR_RETURN(int64_t from, ParseTimeOrOffset(f.valid_from, "--valid-from", now_ms));
    o->set_valid_from_ms(from);
  }
  if (!f.valid_until.empty()) {
    SL_ASSIGN_OR_RETURN(int64_t until, ParseTimeOrOffset(f.valid_until, "--valid-until", now_ms));
    o->set_valid_until_ms(until);
  }
  return Status::Ok();
}

Status ApplyReassignment(const ContractFlags& f, v1::LegReassignment* r) {
  if (f.leg_number.empty() || f.carrier.empty()) {
    return Status::InvalidArgument(
        "a leg_reassignment needs --leg-number N and --carrier ORG (or --carrier open to reopen "
        "the leg)");
  }
  SL_ASSIGN_OR_RETURN(int64_t leg, ParseInt(f.leg_number, "--leg-number", "a leg number from 1"));
  if (leg < 1 || leg > std::numeric_limits<uint32_t>::max()) {
    return Invalid("--leg-number", f.leg_number, "a leg number from 1");
  }
  r->set_leg(static_cast<uint32_t>(leg));
  r->set_reverse(f.reverse);
  r->set_carrier(Lower(f.carrier) == "open" ? std::string() : f.carrier);
  return Status::Ok();
}

Status ApplyErrorDeclaration(const ContractFlags& f, v1::ErrorDeclaration* d) {
  if (f.erroneous_event.empty() || f.reason.empty()) {
    return Status::InvalidArgument(
        "an error_declaration needs --erroneous-event EVENT_ID and --reason TEXT");
  }
  auto id = ParseEventId(f.erroneous_event);
  if (!id.ok()) return id.status().WithContext("--erroneous-event");
  d->set_event_id(*id);
  d->set_reason(f.reason);
  for (const auto& hex : f.corrective) {
    auto corrective = ParseEventId(hex);
    if (!corrective.ok()) return corrective.status().WithContext("--corrective");
    d->add_corrective_event_ids(*corrective);
  }
  return Status::Ok();
}

// certificate_revocation: the fingerprint as `shipledger identity issue` or `openssl x509
// -fingerprint -sha256` prints it (colons and either case allowed).
Status ApplyRevocation(const ContractFlags& f, v1::Event* event) {
  if (f.fingerprint.empty()) {
    return Status::InvalidArgument(
        "a certificate_revocation needs --fingerprint F, the SHA-256 fingerprint of the "
        "certificate to revoke (shipledger identity issue prints it)");
  }
  std::string hex;
  for (char c : f.fingerprint) {
    if (c != ':') hex.push_back(static_cast<char>(std::tolower(static_cast<unsigned char>(c))));
  }
  auto bytes = FromHex(hex);
  if (!bytes || bytes->size() != model::kDigestSize) {
    return Status::InvalidArgument("--fingerprint '" + f.fingerprint +
                                   "' is not a SHA-256 fingerprint: 64 hex digits (colons "
                                   "allowed)");
  }
  event->mutable_revocation()->set_fingerprint(*bytes);
  event->mutable_revocation()->set_reason(f.reason);
  if (event->shipment_id().empty()) event->set_shipment_id("revocation-" + hex);
  return Status::Ok();
}

}  // namespace

bool AnyContractFlag(const ContractFlags& flags) {
  const auto uses = FlagUses(flags);
  return std::any_of(uses.begin(), uses.end(), [](const FlagUse& u) { return u.given; });
}

Status ApplyContractFlags(const ContractFlags& flags, int64_t now_ms, v1::Event* event) {
  SL_RETURN_IF_ERROR(CheckFlagsBelong(flags, event->type()));
  switch (event->type()) {
    case v1::EVENT_TYPE_BOOKED: {
      v1::BookingTerms booking;
      SL_RETURN_IF_ERROR(ApplyBooking(flags, &booking));
      // An event without booking flags stays a v1 booking (no terms at all).
      if (booking.ByteSizeLong() > 0) *event->mutable_booking() = std::move(booking);
      return Status::Ok();
    }
    case v1::EVENT_TYPE_SENSOR_READINGS:
      return ApplyReadings(flags, event);
    case v1::EVENT_TYPE_CARRIER_OFFER:
      return ApplyOffer(flags, now_ms, event->mutable_offer());
    case v1::EVENT_TYPE_LEG_REASSIGNMENT:
      return ApplyReassignment(flags, event->mutable_reassignment());
    case v1::EVENT_TYPE_RETURN_REQUESTED:
      if (flags.reason.empty()) {
        return Status::InvalidArgument("a return_requested event needs --reason TEXT");
      }
      event->mutable_return_request()->set_reason(flags.reason);
      event->mutable_return_request()->set_condition(flags.condition);
      return Status::Ok();
    case v1::EVENT_TYPE_ERROR_DECLARATION:
      return ApplyErrorDeclaration(flags, event->mutable_error_declaration());
    case v1::EVENT_TYPE_CERTIFICATE_REVOCATION:
      return ApplyRevocation(flags, event);
    default:
      return Status::Ok();
  }
}

Result<int64_t> ParseDurationMs(std::string_view text, std::string_view flag) {
  constexpr std::string_view kExpected = "a duration such as 45s, 30m, 2h, 30d or 1h30m";
  if (text.empty()) return Invalid(flag, text, kExpected);
  int64_t total = 0;
  size_t i = 0;
  while (i < text.size()) {
    size_t digits = i;
    while (digits < text.size() && std::isdigit(static_cast<unsigned char>(text[digits]))) {
      ++digits;
    }
    size_t unit_end = digits;
    while (unit_end < text.size() && std::isalpha(static_cast<unsigned char>(text[unit_end]))) {
      ++unit_end;
    }
    if (digits == i || unit_end == digits) return Invalid(flag, text, kExpected);
    SL_ASSIGN_OR_RETURN(int64_t n, ParseInt(text.substr(i, digits - i), flag, kExpected));
    const std::string_view unit = text.substr(digits, unit_end - digits);
    int64_t scale = 0;
    if (unit == "ms") scale = 1;
    if (unit == "s") scale = 1000;
    if (unit == "m") scale = 60 * 1000;
    if (unit == "h") scale = 3600 * 1000;
    if (unit == "d") scale = 24 * 3600 * 1000;
    if (scale == 0) return Invalid(flag, text, kExpected);
    if (n > (std::numeric_limits<int64_t>::max() - total) / scale) {
      return Invalid(flag, text, kExpected);
    }
    total += n * scale;
    i = unit_end;
  }
  return total;
}

Result<int64_t> ParseMilli(std::string_view text, std::string_view flag) {
  constexpr std::string_view kExpected = "a decimal number with at most 3 decimals (e.g. -2.5)";
  std::string_view rest = text;
  const bool negative = !rest.empty() && rest.front() == '-';
  if (negative) rest.remove_prefix(1);
  const size_t dot = rest.find('.');
  const std::string_view whole = rest.substr(0, dot);
  std::string fraction(dot == std::string_view::npos ? "" : rest.substr(dot + 1));
  if (whole.empty() || fraction.size() > 3 || (dot != std::string_view::npos && fraction.empty()) ||
      whole.front() == '+') {
    return Invalid(flag, text, kExpected);
  }
  SL_ASSIGN_OR_RETURN(int64_t units, ParseInt(whole, flag, kExpected));
  fraction.append(3 - fraction.size(), '0');
  SL_ASSIGN_OR_RETURN(int64_t milli, ParseInt(fraction, flag, kExpected));
  if (units > std::numeric_limits<int64_t>::max() / 1000 - 1) return Invalid(flag, text, kExpected);
  const int64_t value = units * 1000 + milli;
  return negative ? -value : value;
}

Result<v1::TransportMode> ParseTransportMode(std::string_view text, std::string_view flag) {
  const std::string mode = Lower(text);
  if (mode == "road") return v1::TRANSPORT_MODE_ROAD;
  if (mode == "rail") return v1::TRANSPORT_MODE_RAIL;
  if (mode == "sea") return v1::TRANSPORT_MODE_SEA;
  if (mode == "air") return v1::TRANSPORT_MODE_AIR;
  return Invalid(flag, text, "a transport mode: road, rail, sea or air");
}

Result<v1::LegPlan> ParseLegPlan(std::string_view text) {
  constexpr std::string_view kExpected =
      "ORIGIN:DEST:MODE[:CARRIER|open][:cold][:dg] (e.g. DEHAM:USNYC:sea:open:cold)";
  const std::vector<std::string> parts = Split(text, ':');
  if (parts.size() < 3 || parts[0].empty() || parts[1].empty()) {
    return Invalid("--leg", text, kExpected);
  }
  v1::LegPlan plan;
  plan.set_origin(parts[0]);
  plan.set_destination(parts[1]);
  SL_ASSIGN_OR_RETURN(v1::TransportMode mode, ParseTransportMode(parts[2], "--leg"));
  plan.set_mode(mode);
  for (size_t i = 3; i < parts.size(); ++i) {
    const std::string word = Lower(parts[i]);
    if (word == "cold" && !plan.temperature_controlled()) {
      plan.set_temperature_controlled(true);
    } else if (word == "dg" && !plan.dangerous_goods()) {
      plan.set_dangerous_goods(true);
    } else if (i == 3 && !parts[i].empty()) {
      if (word != "open") plan.set_carrier(parts[i]);
    } else {
      return Invalid("--leg", text, kExpected);
    }
  }
  return plan;
}

Result<v1::SensorReading> ParseReading(std::string_view text) {
  constexpr std::string_view kExpected =
      "TIME,VALUE,UNIT,DEVICE (e.g. 2026-11-19T10:00:00Z,4.5,C,probe-1)";
  const std::vector<std::string> cols = Split(text, ',');
  if (cols.size() != 4 || cols[3].empty()) return Invalid("--reading", text, kExpected);
  v1::SensorReading reading;
  auto time = ParseTime(cols[0]);
  if (!time.ok()) return time.status().WithContext("--reading time");
  reading.set_time_ms(*time);
  SL_ASSIGN_OR_RETURN(int64_t value, ParseMilli(cols[1], "--reading value"));
  reading.set_value_milli(value);
  const std::string unit = cols[2] == "c" ? "C" : (cols[2] == "f" ? "F" : cols[2]);
  if (unit != "C" && unit != "F") return Invalid("--reading unit", cols[2], "C or F");
  reading.set_unit(unit);
  reading.set_device_id(cols[3]);
  return reading;
}

Result<std::vector<v1::SensorReading>> ParseReadingsCsv(std::string_view text,
                                                        std::string_view name) {
  std::vector<v1::SensorReading> readings;
  const std::vector<std::string> lines = Split(text, '\n');
  for (size_t n = 0; n < lines.size(); ++n) {
    std::string line = lines[n];
    if (!line.empty() && line.back() == '\r') line.pop_back();
    const size_t start = line.find_first_not_of(" \t");
    if (start == std::string::npos || line[start] == '#') continue;
    if (n == 0 && Lower(line.substr(start)).rfind("time", 0) == 0) continue;  // header
    auto reading = ParseReading(line.substr(start));
    if (!reading.ok()) {
      return reading.status().WithContext(std::string(name) + " line " + std::to_string(n + 1));
    }
    readings.push_back(std::move(reading).value());
  }
  return readings;
}

Result<int64_t> ParseTimeOrOffset(std::string_view text, std::string_view flag, int64_t now_ms) {
  if (!text.empty() && text.front() == '+') {
    SL_ASSIGN_OR_RETURN(int64_t offset, ParseDurationMs(text.substr(1), flag));
    return now_ms + offset;
  }
  auto time = ParseTime(text);
  if (!time.ok()) {
    return time.status().WithContext(std::string(flag) + " (or +DURATION from now, e.g. +30d)");
  }
  return time;
}

}  // namespace shipledger::cli
