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
