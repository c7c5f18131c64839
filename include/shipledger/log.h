// The node's loggers, one per component (node.yaml `log_level`, docs/configuration.md
// "Logging"): every line names its component, and each component has its own level, set at
// start from a spec like "info,consensus=debug" and changed at run time through the
// operations endpoint's /logspec. Component loggers write through the default logger's sinks
// as they are when the line is written, so a format set on them (SetLogFormat) or a sink a test
// adds applies to every component.
// Thread-safety: Log is thread-safe; ApplyLogSpec may run while other threads log.
#pragma once

#include <spdlog/logger.h>

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "shipledger/status.h"

namespace shipledger {

enum class LogComponent : uint8_t {
  kNode,        // start, stop, files, the data dir
  kConsensus,   // views, view changes, checkpoints, state transfer, peer messages (debug)
  kNet,         // peer links: connects, losses, protocol errors
  kRpc,         // the client API: Watch streams, admission refusal summaries
  kTracking,    // the public tracking service
  kOperations,  // the operations endpoint (metrics, health, logspec)
};
inline constexpr size_t kLogComponentCount = 6;

// "node", "consensus", "net", "rpc", "tracking", "operations".
std::string_view LogComponentName(LogComponent component);
spdlog::logger& Log(LogComponent component);

// A level for every component: `base`, except where `component` says otherwise.
struct LogSpec {
  spdlog::level::level_enum base = spdlog::level::info;
  std::array<std::optional<spdlog::level::level_enum>, kLogComponentCount> component{};
  bool operator==(const LogSpec&) const = default;
};

// "LEVEL[,COMPONENT=LEVEL...]" or "COMPONENT=LEVEL,..." (base info); levels trace, debug,
// info, warn, error, off. INVALID_ARGUMENT naming the part that is wrong and what is allowed.
Result<LogSpec> ParseLogSpec(std::string_view text);
// The canonical text: the base level, then each component whose level differs from it.
std::string LogSpecText(const LogSpec& spec);
// Sets every logger's level (the default logger and every component).
void ApplyLogSpec(const LogSpec& spec);
// The levels now in force.
LogSpec CurrentLogSpec();

}  // namespace shipledger
