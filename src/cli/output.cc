#include "cli/output.h"

#include <algorithm>
#include <array>
#include <cctype>
#include <charconv>
#include <ctime>
#include <iomanip>
#include <sstream>

#include "cli/json.h"
#include "model/enum_names.h"

namespace shipledger::cli {

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

// Parses the ISO-8601 forms ParseTime documents; false on anything else.
bool ParseIso(std::string_view text, int64_t* out_ms) {
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
        // Up to millisecond precision is kept; further digits are accepted and dropped.
        size_t digits = 0;
        while (pos < text.size() && std::isdigit(static_cast<unsigned char>(text[pos]))) {
          if (digits < 3) millis = millis * 10 + (text[pos] - '0');
          ++digits;
          ++pos;
        }
        if (digits == 0) return false;
        for (size_t i = digits; i < 3; ++i) millis *= 10;
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
}  // namespace

Result<int64_t> ParseTime(std::string_view text) {
  if (!text.empty() &&
      std::all_of(text.begin(), text.end(), [](char c) { return c >= '0' && c <= '9'; })) {
    int64_t ms = 0;
    const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), ms);
    if (ec == std::errc() && end == text.data() + text.size() && ms > 0) return ms;
  }
  int64_t ms = 0;
  if (ParseIso(text, &ms) && ms > 0) return ms;
  return Status::InvalidArgument("cannot read time '" + std::string(text) +
                                 "': use ISO-8601 (2026-11-19T10:30:00Z, "
                                 "2026-11-19T11:30:00+01:00) or Unix milliseconds");
}

std::string ResultCodeName(v1::ResultCode code) {
  return model::EnumLabel(v1::ResultCode_descriptor(), code);
}

std::string StatusLabel(v1::ShipmentStatus status) {
  return model::EnumLabel(v1::ShipmentStatus_descriptor(), status);
}

std::string ReceiptSummary(const v1::Receipt& receipt) {
  std::string out = ResultCodeName(receipt.code());
  if (!receipt.reason().empty()) out += ": " + receipt.reason();
  return out;
}

std::string ReferencesText(const v1::Event& event) {
  std::vector<std::string> items;
  for (const auto& r : event.references()) items.push_back(r.kind() + "=" + r.value());
  return items.empty() ? "-" : Join(items, ", ");
}

std::string Join(const std::vector<std::string>& items, std::string_view separator) {
  std::string out;
  for (size_t i = 0; i < items.size(); ++i) {
    if (i > 0) out += separator;
    out += items[i];
  }
  return out;
}

namespace {

// Columns a UTF-8 cell takes on a terminal: its code points ("→" and "°" are one each).
size_t DisplayWidth(const std::string& cell) {
  size_t width = 0;
  for (const char c : cell) {
    if ((static_cast<unsigned char>(c) & 0xC0) != 0x80) ++width;  // not a continuation byte
  }
  return width;
}

}  // namespace

void TextTable::AddRow(std::vector<std::string> cells) {
  rows_.push_back(std::move(cells));
  notes_.push_back(false);
}

void TextTable::AddNote(std::string text) {
  rows_.push_back({std::move(text)});
  notes_.push_back(true);
}

void TextTable::Print(std::ostream& out, std::string_view indent) const {
  std::vector<size_t> widths;
  for (size_t r = 0; r < rows_.size(); ++r) {
    if (notes_[r]) continue;
    const auto& row = rows_[r];
    if (widths.size() < row.size()) widths.resize(row.size(), 0);
    for (size_t i = 0; i < row.size(); ++i) widths[i] = std::max(widths[i], DisplayWidth(row[i]));
  }
  for (size_t r = 0; r < rows_.size(); ++r) {
    const auto& row = rows_[r];
    std::string line(indent);
    if (notes_[r]) {
      out << line << "  " << row.front() << '\n';
      continue;
    }
    for (size_t i = 0; i < row.size(); ++i) {
      line += row[i];
      if (i + 1 < row.size()) line.append(widths[i] - DisplayWidth(row[i]) + 2, ' ');
    }
    out << line << '\n';
  }
}

void PrintFields(std::ostream& out,
                 const std::vector<std::pair<std::string, std::string>>& fields) {
  TextTable table;
  for (const auto& [key, value] : fields) table.AddRow({key, value});
  table.Print(out);
}
}  // namespace shipledger::cli
