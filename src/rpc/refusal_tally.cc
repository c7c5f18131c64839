#include "rpc/refusal_tally.h"

#include <cctype>
#include <string>

#include "shipledger/log.h"

namespace shipledger::rpc {

using enum LogComponent;

std::string ReasonLabel(Code code) {
  std::string out(CodeName(code));
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

RefusalTally::RefusalTally(metrics::Registry* registry, int64_t log_interval_ms)
    : log_interval_ms_(log_interval_ms) {
  if (registry != nullptr) {
    family_ = &registry->AddCounter(
        "shipledger_admission_refusals_total",
        "Events refused at admission (SubmitEvents results that are not OK), by status code.",
        {"reason"});
  }
}

void RefusalTally::Refused(Code code, int64_t now_ms, uint64_t count) {
  if (count == 0) return;
  if (family_ != nullptr) family_->With({ReasonLabel(code)}).Inc(count);
  std::map<Code, uint64_t> line;
  int64_t since_ms = 0;
  {
    std::lock_guard<std::mutex> lock(mu_);
    unlogged_[code] += count;
    if (logged_once_ && now_ms - logged_ms_ < log_interval_ms_) return;
    line.swap(unlogged_);
    since_ms = logged_once_ ? now_ms - logged_ms_ : 0;
    logged_ms_ = now_ms;
    logged_once_ = true;
  }
  uint64_t total = 0;
  std::string reasons;
  for (const auto& [c, n] : line) {
    total += n;
    reasons += (reasons.empty() ? "" : ", ") + std::to_string(n) + " " + std::string(CodeName(c));
  }
  if (since_ms == 0) {
    Log(kRpc).info("admission refused {} event{}: {}", total, total == 1 ? "" : "s", reasons);
  } else {
    Log(kRpc).info("admission refused {} event{} in the last {} s: {}", total,
                   total == 1 ? "" : "s", since_ms / 1000, reasons);
  }
}

}  // namespace shipledger::rpc
