// Small helpers the contract rules share: quoting and formatting for receipt reasons, and the
// shipment's party list. Thread-safety: pure functions.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "shipledger/v1/types.pb.h"

namespace shipledger::contracts {

// 'text' (for reasons).
std::string Quote(std::string_view s);
// "1 h 05 min", "45 min", "30 s", "12 d 3 h": a duration for reasons, exact to the second.
std::string FormatDuration(int64_t ms);
// "2.000 °C" from thousandths of a degree Celsius.
std::string FormatMilliC(int64_t milli_c);
// "leg 2 (sea CNSHA→NLRTM)", "return leg 1 (road NLRTM→DEHAM)".
std::string DescribeLeg(const v1::LegPlan& plan, uint32_t leg, bool reverse);

bool IsParty(const v1::ShipmentState& state, std::string_view org);
void AddParty(v1::ShipmentState* state, const std::string& org);

}  // namespace shipledger::contracts
