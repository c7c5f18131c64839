// Cold chain (contract rules v2, docs/contracts.md): sensor readings in batches from the
// custodian, figures per custody stretch, and the excursion flag once the time out of range
// exceeds the booking's tolerance. Time out of range is counted sample-and-hold: from an
// out-of-range reading to the next reading of the shipment.
#pragma once

#include <string>
#include <vector>

#include "contracts/verdict.h"
#include "model/event.h"
#include "shipledger/v1/types.pb.h"

namespace shipledger::contracts {

// Why the batch cannot be applied to the shipment (no readings, readings not newer than the
// shipment's last one, or not in time order within the batch).
Check CheckReadings(const v1::ShipmentState& state, const v1::Event& event);
// Applies the batch (checked by CheckReadings); appends an EXCURSION output when the shipment
// crosses its tolerance.
void ApplyReadings(v1::ShipmentState* state, const v1::Event& event, int64_t block_time_ms,
                   std::vector<v1::ContractOutput>* out);
// A reading's value in thousandths of a degree Celsius (unit "C" or "F", checked statelessly).
int64_t ReadingMilliC(const v1::SensorReading& reading);
// Whether a value in thousandths of a degree Celsius is outside the terms' range (the bounds are
// in range).
bool OutOfRange(const v1::ColdChainTerms& terms, int64_t milli_c);

}  // namespace shipledger::contracts
