// RefusalTally: what admission refused, by reason (the status code), for the metrics
// (shipledger_admission_refusals_total{reason}) and for the log: one summary line per interval,
// never one per event (docs/operations.md, "Logs"). The first refusal after a quiet interval is
// logged at once; the ones that follow within the interval are summed into the next line.
// Thread-safety: thread-safe.
#pragma once

#include <cstdint>
#include <map>
#include <mutex>

#include "shipledger/metrics.h"
#include "shipledger/status.h"

namespace shipledger::rpc {

class RefusalTally {
 public:
  static constexpr int64_t kDefaultLogIntervalMs = 60000;
  // `registry` may be null (not counted in metrics).
  explicit RefusalTally(metrics::Registry* registry,
                        int64_t log_interval_ms = kDefaultLogIntervalMs);
  // `count` events refused with `code` at `now_ms`.
  void Refused(Code code, int64_t now_ms, uint64_t count = 1);

 private:
  metrics::Family<metrics::Counter>* family_ = nullptr;
  const int64_t log_interval_ms_;
  std::mutex mu_;
  std::map<Code, uint64_t> unlogged_;  // GUARDED_BY(mu_)
  int64_t logged_ms_ = 0;              // GUARDED_BY(mu_); when the last line was written
  bool logged_once_ = false;           // GUARDED_BY(mu_)
};

// "invalid_argument": a status code as a metric label.
std::string ReasonLabel(Code code);

}  // namespace shipledger::rpc
