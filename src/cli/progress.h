// A progress line for long runs (verify of a big chain, loadgen) on a terminal: one line on
// stderr redrawn in place ("\r") at most every `interval`, with the count, the share of the
// total, the rate and the time left, erased when the run ends so that the result stands alone.
// Off when stderr is not a terminal: a log or a pipe gets only the result.
// Thread-safety: not thread-safe; one thread updates it (loadgen: a ticker thread).
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <ostream>
#include <string>

namespace shipledger::cli {

// Whether file descriptor `fd` is a terminal that can redraw a line (not TERM=dumb).
bool IsInteractiveTerminal(int fd);

class Progress {
 public:
  using Clock = std::function<std::chrono::steady_clock::time_point()>;

  // `label` starts the line ("verifying"), `unit` names what is counted ("blocks").
  // Draws nothing unless `enabled`.
  Progress(std::ostream& out, bool enabled, std::string label, std::string unit,
           Clock clock = std::chrono::steady_clock::now,
           std::chrono::milliseconds interval = std::chrono::milliseconds(200));
  Progress(const Progress&) = delete;
  Progress& operator=(const Progress&) = delete;
  ~Progress();

  // `done` of `total` (0: total unknown) so far; redraws when `interval` has passed since the
  // last drawing (the first call draws).
  void Update(uint64_t done, uint64_t total);
  // Erases the line (if one was drawn). Idempotent; the destructor calls it.
  void Finish();

  bool enabled() const { return enabled_; }
  // The line Update would draw now, without "\r" (for tests and for Finish).
  std::string Line(uint64_t done, uint64_t total) const;

 private:
  std::ostream& out_;
  const bool enabled_;
  const std::string label_;
  const std::string unit_;
  const Clock clock_;
  const std::chrono::milliseconds interval_;
  const std::chrono::steady_clock::time_point start_;
  std::chrono::steady_clock::time_point last_draw_{};
  bool drawn_ = false;
  size_t last_width_ = 0;
};

}  // namespace shipledger::cli
