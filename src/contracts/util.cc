#include "contracts/util.h"

#include <algorithm>
#include <cstdio>

namespace shipledger::contracts {

// Appends rather than "'" + std::string(s) + "'": GCC 12 at -O3 (Release) reports a false
// -Wrestrict on the latter (GCC PR 105329), which -Werror turns into a build failure.
std::string Quote(std::string_view s) {
  std::string quoted;
  quoted.reserve(s.size() + 2);
  quoted.append(1, '\'').append(s).append(1, '\'');
  return quoted;
}

std::string FormatDuration(int64_t ms) {
  if (ms < 0) return "-" + FormatDuration(-ms);
  const int64_t s = ms / 1000;
  const int64_t days = s / 86400;
  const int64_t hours = (s % 86400) / 3600;
  const int64_t minutes = (s % 3600) / 60;
  const int64_t seconds = s % 60;
  std::string out;
  auto part = [&](int64_t value, const char* unit) {
    if (!out.empty()) out += ' ';
    out += std::to_string(value);
    out += ' ';
    out += unit;
  };
  if (days > 0) part(days, "d");
  if (hours > 0) part(hours, "h");
  if (minutes > 0) part(minutes, "min");
  if (seconds > 0 || out.empty()) part(seconds, "s");
  return out;
}

std::string FormatMilliC(int64_t milli_c) {
  char buf[48];
  const int64_t magnitude = milli_c < 0 ? -milli_c : milli_c;
  std::snprintf(buf, sizeof buf, "%s%lld.%03lld °C", milli_c < 0 ? "-" : "",
                static_cast<long long>(magnitude / 1000), static_cast<long long>(magnitude % 1000));
  return buf;
}

std::string DescribeLeg(const v1::LegPlan& plan, uint32_t leg, bool reverse) {
  std::string mode = "unspecified";
  switch (plan.mode()) {
    case v1::TRANSPORT_MODE_ROAD:
      mode = "road";
      break;
    case v1::TRANSPORT_MODE_RAIL:
      mode = "rail";
      break;
    case v1::TRANSPORT_MODE_SEA:
      mode = "sea";
      break;
    case v1::TRANSPORT_MODE_AIR:
      mode = "air";
      break;
    default:
      break;
  }
  return std::string(reverse ? "return leg " : "leg ") + std::to_string(leg) + " (" + mode + " " +
         plan.origin() + "→" + plan.destination() + ")";
}

bool IsParty(const v1::ShipmentState& state, std::string_view org) {
  return std::find(state.parties().begin(), state.parties().end(), org) != state.parties().end();
}

void AddParty(v1::ShipmentState* state, const std::string& org) {
  if (!org.empty() && !IsParty(*state, org)) state->add_parties(org);
}

}  // namespace shipledger::contracts
