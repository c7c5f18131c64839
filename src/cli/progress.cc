#include "cli/progress.h"

#include <unistd.h>

#include <cstdlib>
#include <cstring>
#include <sstream>

namespace shipledger::cli {

bool IsInteractiveTerminal(int fd) {
  if (isatty(fd) != 1) return false;
  const char* term = std::getenv("TERM");
  return term == nullptr || std::strcmp(term, "dumb") != 0;
}

Progress::Progress(std::ostream& out, bool enabled, std::string label, std::string unit,
                   Clock clock, std::chrono::milliseconds interval)
    : out_(out),
      enabled_(enabled),
      label_(std::move(label)),
      unit_(std::move(unit)),
      clock_(std::move(clock)),
      interval_(interval),
      start_(clock_()) {}

Progress::~Progress() { Finish(); }

std::string Progress::Line(uint64_t done, uint64_t total) const {
  std::ostringstream line;
  line << label_ << ": " << done;
  if (total > 0) line << " / " << total;
  line << ' ' << unit_;
  if (total > 0) line << " (" << (done >= total ? 100 : done * 100 / total) << "%)";
  const double seconds = std::chrono::duration<double>(clock_() - start_).count();
  // A rate over less than half a second says little.
  if (seconds >= 0.5 && done > 0) {
    const double rate = static_cast<double>(done) / seconds;
    line << ", " << static_cast<uint64_t>(rate + 0.5) << ' ' << unit_ << "/s";
    if (total > done) {
      const auto left = static_cast<uint64_t>(static_cast<double>(total - done) / rate + 0.5);
      line << ", about " << left << " s left";
    }
  }
  return line.str();
}

void Progress::Update(uint64_t done, uint64_t total) {
  if (!enabled_) return;
  const auto now = clock_();
  if (drawn_ && now - last_draw_ < interval_) return;
  const std::string line = Line(done, total);
  // Pad over what a longer previous line left on the terminal.
  const size_t pad = last_width_ > line.size() ? last_width_ - line.size() : 0;
  out_ << '\r' << line << std::string(pad, ' ') << std::flush;
  last_width_ = line.size();
  last_draw_ = now;
  drawn_ = true;
}

void Progress::Finish() {
  if (!drawn_) return;
  out_ << '\r' << std::string(last_width_, ' ') << '\r' << std::flush;
  drawn_ = false;
  last_width_ = 0;
}

}  // namespace shipledger::cli
