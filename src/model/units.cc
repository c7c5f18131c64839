#include "model/units.h"

#include <array>
#include <cctype>
#include <cstdio>
#include <ctime>
#include <iomanip>
#include <sstream>

namespace shipledger::model {

namespace {

// Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant's days_from_civil).
int64_t DaysFromCivil(int64_t y, unsigned m, unsigned d) {
  y -= m <= 2 ? 1 : 0;
  const int64_t era = (y >= 0 ? y : y - 399) / 400;
  const auto yoe = static_cast<unsigned>(y - era * 400);
  const unsigned doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1;
  const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + static_cast<int64_t>(doe) - 719468;
}

bool IsLeap(int64_t y) { return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0; }

unsigned DaysInMonth(int64_t y, unsigned m) {
  static constexpr std::array<unsigned, 12> kDays = {31, 28, 31, 30, 31, 30,
                                                     31, 31, 30, 31, 30, 31};
  return m == 2 && IsLeap(y) ? 29 : kDays[m - 1];
}

// Reads exactly `n` decimal digits at text[*pos].
bool ReadDigits(std::string_view text, size_t* pos, size_t n, int64_t* out) {
  if (*pos + n > text.size()) return false;
  int64_t v = 0;
  for (size_t i = 0; i < n; ++i) {
    const char c = text[*pos + i];
    if (c < '0' || c > '9') return false;
    v = v * 10 + (c - '0');
  }
  *pos += n;
  *out = v;
  return true;
}

bool Consume(std::string_view text, size_t* pos, char c) {
  if (*pos < text.size() && text[*pos] == c) {
    ++*pos;
    return true;
  }
  return false;
}

}  // namespace

bool ParseIsoTime(std::string_view text, int64_t* out_ms, FractionMode fraction) {
  size_t pos = 0;
  int64_t year = 0, month = 0, day = 0, hour = 0, minute = 0, second = 0, millis = 0;
  if (!ReadDigits(text, &pos, 4, &year) || !Consume(text, &pos, '-') ||
      !ReadDigits(text, &pos, 2, &month) || !Consume(text, &pos, '-') ||
      !ReadDigits(text, &pos, 2, &day)) {
    return false;
  }
  if (month < 1 || month > 12 || day < 1 || day > DaysInMonth(year, static_cast<unsigned>(month))) {
    return false;
  }
  int64_t offset_minutes = 0;
  if (pos < text.size()) {
    if (!Consume(text, &pos, 'T') && !Consume(text, &pos, ' ')) return false;
    if (!ReadDigits(text, &pos, 2, &hour) || !Consume(text, &pos, ':') ||
        !ReadDigits(text, &pos, 2, &minute)) {
      return false;
    }
    if (Consume(text, &pos, ':')) {
      if (!ReadDigits(text, &pos, 2, &second)) return false;
      if (Consume(text, &pos, '.')) {
        // Millisecond precision is kept; further digits are dropped or round half up.
        size_t digits = 0;
        bool round_up = false;
        while (pos < text.size() && std::isdigit(static_cast<unsigned char>(text[pos]))) {
          if (digits < 3) millis = millis * 10 + (text[pos] - '0');
          if (digits == 3) round_up = fraction == FractionMode::kRoundHalfUp && text[pos] >= '5';
          ++digits;
          ++pos;
        }
        if (digits == 0) return false;
        for (size_t i = digits; i < 3; ++i) millis *= 10;
        if (round_up) ++millis;  // 999 + 1 carries into the seconds below
      }
    }
    if (hour > 23 || minute > 59 || second > 59) return false;
    if (Consume(text, &pos, 'Z')) {
      // UTC
    } else if (pos < text.size() && (text[pos] == '+' || text[pos] == '-')) {
      const int64_t sign = text[pos] == '-' ? -1 : 1;
      ++pos;
      int64_t oh = 0, om = 0;
      if (!ReadDigits(text, &pos, 2, &oh)) return false;
      Consume(text, &pos, ':');
      if (!ReadDigits(text, &pos, 2, &om) || oh > 23 || om > 59) return false;
      offset_minutes = sign * (oh * 60 + om);
    }
    if (pos != text.size()) return false;
  }
  const int64_t days =
      DaysFromCivil(year, static_cast<unsigned>(month), static_cast<unsigned>(day));
  const int64_t seconds = days * 86400 + hour * 3600 + minute * 60 + second - offset_minutes * 60;
  *out_ms = seconds * 1000 + millis;
  return true;
}

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
