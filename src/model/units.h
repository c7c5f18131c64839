// Times, durations and temperatures as people read them, in receipt reasons (where the text is part
// of what every node certifies, so it never changes) and in the CLI. Thread-safety: pure functions.
#pragma once

#include <cstdint>
#include <string>

namespace shipledger::model {

// "1 h 05 min", "45 min", "30 s", "12 d 3 h": a duration, exact to the second.
std::string FormatDuration(int64_t ms);
// "2026-11-19T10:00:00Z", or "2026-11-19T10:00:00.250Z" when there are milliseconds (UTC).
std::string FormatTimeMs(int64_t unix_ms);
// "2.000 °C" from thousandths of a degree Celsius.
std::string FormatMilliC(int64_t milli_c);

}  // namespace shipledger::model
