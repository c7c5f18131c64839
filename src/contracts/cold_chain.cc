#include "contracts/cold_chain.h"

#include <algorithm>

#include "contracts/routing.h"
#include "contracts/util.h"

namespace shipledger::contracts {
namespace {

bool OutOfRange(const v1::ShipmentState& state, int64_t milli_c) {
  return state.has_cold_chain() && contracts::OutOfRange(state.cold_chain(), milli_c);
}

// The custody stretch readings go to now: the last one if the custodian and leg are the same,
// else a new one from this block.
v1::CustodySegment* CurrentSegment(v1::ShipmentState* state, int64_t block_time_ms) {
  bool reverse = false;
  const uint32_t leg = CurrentLeg(*state, &reverse);
  if (!state->segments().empty()) {
    v1::CustodySegment* last = state->mutable_segments(state->segments_size() - 1);
    if (last->custodian() == state->custodian() && last->leg() == leg &&
        last->reverse() == reverse) {
      return last;
    }
  }
  v1::CustodySegment* segment = state->add_segments();
  segment->set_leg(leg);
  segment->set_reverse(reverse);
  segment->set_custodian(state->custodian());
  segment->set_from_ms(block_time_ms);
  return segment;
}

}  // namespace

bool OutOfRange(const v1::ColdChainTerms& terms, int64_t milli_c) {
  return milli_c < terms.min_milli_c() || milli_c > terms.max_milli_c();
}

int64_t ReadingMilliC(const v1::SensorReading& reading) {
  if (reading.unit() == "F") return (reading.value_milli() - 32000) * 5 / 9;
  return reading.value_milli();
}

Check CheckReadings(const v1::ShipmentState& state, const v1::Event& event) {
  if (event.readings().empty()) return Rejection("sensor_readings carries no readings");
  const int64_t first = event.readings(0).time_ms();
  if (state.last_reading_ms() != 0 && first <= state.last_reading_ms()) {
    return Rejection("readings must be newer than the shipment's last reading at " +
                     std::to_string(state.last_reading_ms()) + " ms; this batch starts at " +
                     std::to_string(first) + " ms");
  }
  // Out-of-order readings would subtract time out of range (ApplyReadings counts the time
  // between consecutive readings); nothing before the contract checks the order.
  for (int i = 1; i < event.readings_size(); ++i) {
    if (event.readings(i).time_ms() < event.readings(i - 1).time_ms()) {
      return Rejection("readings must be in time order; reading " + std::to_string(i + 1) + " at " +
                       std::to_string(event.readings(i).time_ms()) + " ms precedes reading " +
                       std::to_string(i) + " at " +
                       std::to_string(event.readings(i - 1).time_ms()) + " ms");
    }
  }
  return std::nullopt;
}

void ApplyReadings(v1::ShipmentState* state, const v1::Event& event, int64_t block_time_ms,
                   std::vector<v1::ContractOutput>* out) {
  v1::CustodySegment* segment = CurrentSegment(state, block_time_ms);
  for (const v1::SensorReading& reading : event.readings()) {
    const int64_t value = ReadingMilliC(reading);
    if (state->last_reading_out() && state->last_reading_ms() != 0) {
      const int64_t held = reading.time_ms() - state->last_reading_ms();
      segment->set_out_of_range_ms(segment->out_of_range_ms() + held);
      state->set_out_of_range_ms(state->out_of_range_ms() + held);
    }
    if (segment->readings() == 0) {
      segment->set_min_milli_c(value);
      segment->set_max_milli_c(value);
    } else {
      segment->set_min_milli_c(std::min(segment->min_milli_c(), value));
      segment->set_max_milli_c(std::max(segment->max_milli_c(), value));
    }
    segment->set_readings(segment->readings() + 1);
    state->set_last_reading_ms(reading.time_ms());
    state->set_last_reading_out(OutOfRange(*state, value));
  }
  if (!state->has_cold_chain() || state->excursion() ||
      state->out_of_range_ms() <= state->cold_chain().tolerance_ms()) {
    return;
  }
  state->set_excursion(true);
  v1::ContractOutput& o = out->emplace_back();
  o.set_kind(v1::ContractOutput::KIND_EXCURSION);
  o.set_shipment_id(state->shipment_id());
  o.set_leg(segment->leg());
  o.set_reverse(segment->reverse());
  o.set_carrier(segment->custodian());
  o.set_out_of_range_ms(state->out_of_range_ms());
  o.set_reason(FormatDuration(state->out_of_range_ms()) + " outside " +
               FormatMilliC(state->cold_chain().min_milli_c()) + " to " +
               FormatMilliC(state->cold_chain().max_milli_c()) + " (tolerance " +
               FormatDuration(state->cold_chain().tolerance_ms()) + "); in custody of " +
               Quote(segment->custodian()) +
               (segment->leg() > 0
                    ? ", " + std::string(segment->reverse() ? "return leg " : "leg ") +
                          std::to_string(segment->leg())
                    : std::string()));
}

}  // namespace shipledger::contracts
