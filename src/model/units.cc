#include "model/units.h"

#include <cstdio>
#include <ctime>
#include <iomanip>
#include <sstream>

namespace shipledger::model {

// Builds the sign in place rather than "-" + FormatDuration(-ms): the latter trips the same
// GCC 12 -Wrestrict false positive at -O3, and -ms overflows for INT64_MIN.
std::string FormatDuration(int64_t ms) {
  const uint64_t magnitude =
      ms < 0 ? uint64_t{0} - static_cast<uint64_t>(ms) : static_cast<uint64_t>(ms);
  const uint64_t s = magnitude / 1000;
  const uint64_t days = s / 86400;
  const uint64_t hours = (s % 86400) / 3600;
  const uint64_t minutes = (s % 3600) / 60;
  const uint64_t seconds = s % 60;
  std::string out = ms < 0 && s > 0 ? "-" : "";
  bool any = false;
  auto part = [&](uint64_t value, const char* unit) {
    if (any) out += ' ';
    any = true;
    out += std::to_string(value);
    out += ' ';
    out += unit;
  };
  if (days > 0) part(days, "d");
  if (hours > 0) part(hours, "h");
  if (minutes > 0) part(minutes, "min");
  if (seconds > 0 || !any) part(seconds, "s");
  return out;
}

std::string FormatMilliC(int64_t milli_c) {
  char buf[48];
  const uint64_t magnitude =
      milli_c < 0 ? uint64_t{0} - static_cast<uint64_t>(milli_c) : static_cast<uint64_t>(milli_c);
  std::snprintf(buf, sizeof buf, "%s%llu.%03llu °C", milli_c < 0 ? "-" : "",
                static_cast<unsigned long long>(magnitude / 1000),
                static_cast<unsigned long long>(magnitude % 1000));
  return buf;
}

std::string FormatTimeMs(int64_t unix_ms) {
  int64_t seconds = unix_ms / 1000;
  int64_t millis = unix_ms % 1000;
  if (millis < 0) {
    millis += 1000;
    --seconds;
  }
  const auto t = static_cast<std::time_t>(seconds);
  std::tm tm{};
  gmtime_r(&t, &tm);
  std::ostringstream out;
  out << std::put_time(&tm, "%Y-%m-%dT%H:%M:%S");
  if (millis != 0) out << '.' << std::setw(3) << std::setfill('0') << millis;
  out << 'Z';
  return out.str();
}

}  // namespace shipledger::model
