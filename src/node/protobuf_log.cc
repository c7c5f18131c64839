#include "node/protobuf_log.h"

#include <google/protobuf/stubs/logging.h>
#include <spdlog/spdlog.h>

#include <atomic>
#include <chrono>
#include <string>

#include "shipledger/log.h"

namespace shipledger::node {

using enum LogComponent;
namespace {

constexpr int64_t kIntervalMs = 10000;  // at most one line per 10 s
std::atomic<int64_t> next_line_ms{0};
std::atomic<uint64_t> suppressed{0};

void Handler(google::protobuf::LogLevel level, const char* filename, int line,
             const std::string& message) {
  if (level == google::protobuf::LOGLEVEL_FATAL) {
    Log(kNode).critical("protobuf {}:{}: {}", filename, line, message);
    return;
  }
  const int64_t now = std::chrono::duration_cast<std::chrono::milliseconds>(
                          std::chrono::steady_clock::now().time_since_epoch())
                          .count();
  int64_t next = next_line_ms.load();
  if (now < next || !next_line_ms.compare_exchange_strong(next, now + kIntervalMs)) {
    suppressed.fetch_add(1);
    return;
  }
  const uint64_t skipped = suppressed.exchange(0);
  Log(kNode).warn("protobuf: {}{}", message,
                  skipped > 0 ? " (" + std::to_string(skipped) + " similar lines suppressed)" : "");
}

}  // namespace

void RouteProtobufLogs() { google::protobuf::SetLogHandler(&Handler); }

}  // namespace shipledger::node
