// Text printing for the operator CLI: ISO-8601 times, enum names, aligned tables. JSON output
// is in cli/json.h.
// Thread-safety: free functions and value types.
#pragma once

#include <cstdint>
#include <ostream>
#include <string>
#include <string_view>
#include <vector>

#include "model/units.h"
#include "shipledger/status.h"
#include "shipledger/v1/types.pb.h"

namespace shipledger::cli {

using model::FormatTimeMs;  // "2026-11-19T10:00:00Z" (model/units.h)
// Parses Unix milliseconds ("1795000000000") or ISO-8601 UTC / with an offset
// ("2026-11-19T10:00:00Z", "2026-11-19T10:00:00.250+01:00", "2026-11-19"). INVALID_ARGUMENT
// with an example of the accepted forms otherwise.
Result<int64_t> ParseTime(std::string_view text);

// "VALID", "REJECTED", "DUPLICATE" ("UNSPECIFIED" for 0).
std::string ResultCodeName(v1::ResultCode code);
// "IN_TRANSIT", ... (model::ShipmentStatusName is the lower-case form of reasons).
std::string StatusLabel(v1::ShipmentStatus status);
// "VALID", or "REJECTED: reason".
std::string ReceiptSummary(const v1::Receipt& receipt);
// "booking=BK1, container=MSCU1234567" ("-" when empty).
std::string ReferencesText(const v1::Event& event);
std::string Join(const std::vector<std::string>& items, std::string_view separator);

// Rows of cells printed with each column padded to its widest cell (the last one unpadded),
// widths counted in UTF-8 code points.
class TextTable {
 public:
  void AddRow(std::vector<std::string> cells);
  // A line printed as is after the rows added so far, indented by two spaces beyond `indent`;
  // it does not widen the columns.
  void AddNote(std::string text);
  void Print(std::ostream& out, std::string_view indent = "") const;
  bool empty() const { return rows_.empty(); }

 private:
  std::vector<std::vector<std::string>> rows_;
  std::vector<bool> notes_;  // per row: a note (one cell, printed as is)
};

// Prints "key   value" lines with the keys aligned.
void PrintFields(std::ostream& out, const std::vector<std::pair<std::string, std::string>>& fields);

}  // namespace shipledger::cli
