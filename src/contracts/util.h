// Small helpers the contract rules share: quoting and formatting for receipt reasons, and the
// shipment's party list. Thread-safety: pure functions.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "model/units.h"
#include "shipledger/v1/types.pb.h"

namespace shipledger::contracts {

// 'text' (for reasons).
std::string Quote(std::string_view s);
// Durations and temperatures in reasons are written as model/units.h writes them.
using model::FormatDuration;
using model::FormatMilliC;
// "leg 2 (sea CNSHA→NLRTM)", "return leg 1 (road NLRTM→DEHAM)".
std::string DescribeLeg(const v1::LegPlan& plan, uint32_t leg, bool reverse);

bool IsParty(const v1::ShipmentState& state, std::string_view org);
void AddParty(v1::ShipmentState* state, const std::string& org);

}  // namespace shipledger::contracts
