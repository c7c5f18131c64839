// Times, durations and temperatures as people read them, in receipt reasons (where the text is part
// of what every node certifies, so it never changes) and in the CLI. Thread-safety: pure functions.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace shipledger::model {

// "1 h 05 min", "45 min", "30 s", "12 d 3 h": a duration, exact to the second.
std::string FormatDuration(int64_t ms);
// "2026-11-19T10:00:00Z", or "2026-11-19T10:00:00.250Z" when there are milliseconds (UTC).
std::string FormatTimeMs(int64_t unix_ms);
// What ParseIsoTime does with digits of a second beyond the millisecond.
enum class FractionMode { kTruncate, kRoundHalfUp };
// Parses ISO-8601 "2026-11-19", "2026-11-19T10:30Z", "2026-11-19T10:30:00.250+01:00" (a space
// may stand for the T; no zone is UTC) into Unix milliseconds; false on anything else.
bool ParseIsoTime(std::string_view text, int64_t* unix_ms,
                  FractionMode fraction = FractionMode::kTruncate);
// "2.000 °C" from thousandths of a degree Celsius.
std::string FormatMilliC(int64_t milli_c);

}  // namespace shipledger::model
