// cli::Progress: the progress line of long runs on a terminal.
#include "cli/progress.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <sstream>

namespace shipledger::cli {
namespace {

using std::chrono::milliseconds;
using std::chrono::steady_clock;

struct FakeClock {
  steady_clock::time_point now{};
  Progress::Clock fn() {
    return [this] { return now; };
  }
};

TEST(Progress, DrawsTheFirstUpdateAndThenAtMostEveryInterval) {
  FakeClock clock;
  std::ostringstream out;
  Progress p(out, true, "verifying", "blocks", clock.fn(), milliseconds(200));
  p.Update(1, 100);
  EXPECT_EQ(out.str(), "\rverifying: 1 / 100 blocks (1%)");
  clock.now += milliseconds(100);
  p.Update(2, 100);  // too soon: nothing
  EXPECT_EQ(out.str(), "\rverifying: 1 / 100 blocks (1%)");
  clock.now += milliseconds(900);  // 1 s after the start, 50 done: 50/s, 50 left: 1 s
  p.Update(50, 100);
  EXPECT_EQ(out.str(),
            "\rverifying: 1 / 100 blocks (1%)"
            "\rverifying: 50 / 100 blocks (50%), 50 blocks/s, about 1 s left");
}

TEST(Progress, FinishErasesTheLineOnce) {
  FakeClock clock;
  std::ostringstream out;
  {
    Progress p(out, true, "load", "events", clock.fn());
    p.Update(3, 0);  // total unknown: no share, no time left
    EXPECT_EQ(out.str(), "\rload: 3 events");
    p.Finish();
    EXPECT_EQ(out.str(), "\rload: 3 events\r" + std::string(14, ' ') + "\r");
  }  // the destructor finishes again: nothing more
  EXPECT_EQ(out.str(), "\rload: 3 events\r" + std::string(14, ' ') + "\r");
}

TEST(Progress, AShorterLineCoversTheLongerOneBeforeIt) {
  FakeClock clock;
  std::ostringstream out;
  Progress p(out, true, "v", "b", clock.fn(), milliseconds(0));
  clock.now += milliseconds(1000);
  p.Update(10, 20);  // "v: 10 / 20 b (50%), 10 b/s, about 1 s left"
  const size_t first = out.str().size() - 1;
  clock.now += milliseconds(1000);
  p.Update(20, 20);  // "v: 20 / 20 b (100%), 10 b/s": shorter, padded to the first's width
  EXPECT_EQ(out.str().size() - first - 1 - 1, first) << out.str();
  EXPECT_NE(out.str().find("(100%), 10 b/s"), std::string::npos) << out.str();
}

TEST(Progress, DisabledDrawsNothing) {
  FakeClock clock;
  std::ostringstream out;
  {
    Progress p(out, false, "verifying", "blocks", clock.fn());
    p.Update(1, 2);
    p.Update(2, 2);
    p.Finish();
  }
  EXPECT_EQ(out.str(), "");
}

TEST(Progress, APipeIsNotAnInteractiveTerminal) {
  int fds[2];
  ASSERT_EQ(::pipe(fds), 0);
  EXPECT_FALSE(IsInteractiveTerminal(fds[0]));
  EXPECT_FALSE(IsInteractiveTerminal(fds[1]));
  ::close(fds[0]);
  ::close(fds[1]);
}

}  // namespace
}  // namespace shipledger::cli
