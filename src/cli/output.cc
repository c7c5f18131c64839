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

Result<int64_t> ParseTime(std::string_view text) {
  if (!text.empty() &&
      std::all_of(text.begin(), text.end(), [](char c) { return c >= '0' && c <= '9'; })) {
    int64_t ms = 0;
    const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), ms);
    if (ec == std::errc() && end == text.data() + text.size() && ms > 0) return ms;
  }
  int64_t ms = 0;
  if (model::ParseIsoTime(text, &ms) && ms > 0) return ms;
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
