#include "shipledger/log.h"

#include <spdlog/sinks/sink.h>
#include <spdlog/spdlog.h>

#include <memory>
#include <mutex>

namespace shipledger {

namespace {

constexpr std::array<std::string_view, kLogComponentCount> kNames = {
    "node", "consensus", "net", "rpc", "tracking", "operations"};
constexpr std::string_view kLevels = "trace, debug, info, warn, error, off";

// Hands every line to the default logger's sinks as they are now. The sinks format the line
// with their own formatter, so this sink has none.
class DefaultSinks final : public spdlog::sinks::sink {
 public:
  void log(const spdlog::details::log_msg& msg) override {
    for (const spdlog::sink_ptr& target : spdlog::default_logger_raw()->sinks()) {
      if (target->should_log(msg.level)) target->log(msg);
    }
  }
  void flush() override {
    for (const spdlog::sink_ptr& target : spdlog::default_logger_raw()->sinks()) target->flush();
  }
  void set_pattern(const std::string&) override {}
  void set_formatter(std::unique_ptr<spdlog::formatter>) override {}
};

std::array<std::shared_ptr<spdlog::logger>, kLogComponentCount> MakeLoggers() {
  auto sink = std::make_shared<DefaultSinks>();
  std::array<std::shared_ptr<spdlog::logger>, kLogComponentCount> loggers;
  for (size_t i = 0; i < kLogComponentCount; ++i) {
    loggers[i] = std::make_shared<spdlog::logger>(std::string(kNames[i]), sink);
    loggers[i]->set_level(spdlog::default_logger_raw()->level());
    // Registered, so spdlog::set_level reaches them too (tests quiet a node that way).
    spdlog::register_logger(loggers[i]);
  }
  return loggers;
}

const std::array<std::shared_ptr<spdlog::logger>, kLogComponentCount>& Loggers() {
  static const auto loggers = MakeLoggers();
  return loggers;
}

// Our level names (spdlog's own say "warning", "critical").
constexpr std::pair<std::string_view, spdlog::level::level_enum> kLevelNames[] = {
    {"trace", spdlog::level::trace}, {"debug", spdlog::level::debug}, {"info", spdlog::level::info},
    {"warn", spdlog::level::warn},   {"error", spdlog::level::err},   {"off", spdlog::level::off}};

std::optional<spdlog::level::level_enum> ParseLevel(std::string_view text) {
  for (const auto& [name, level] : kLevelNames) {
    if (name == text) return level;
  }
  return std::nullopt;
}

std::string_view LevelName(spdlog::level::level_enum level) {
  for (const auto& [name, value] : kLevelNames) {
    if (value == level) return name;
  }
  return "critical";  // set by no spec of ours
}

std::string_view Trim(std::string_view s) {
  while (!s.empty() && s.front() == ' ') s.remove_prefix(1);
  while (!s.empty() && s.back() == ' ') s.remove_suffix(1);
  return s;
}

std::string AllNames() {
  std::string out;
  for (std::string_view name : kNames) out += (out.empty() ? "" : ", ") + std::string(name);
  return out;
}

}  // namespace

std::string_view LogComponentName(LogComponent component) {
  return kNames[static_cast<size_t>(component)];
}

spdlog::logger& Log(LogComponent component) { return *Loggers()[static_cast<size_t>(component)]; }

Result<LogSpec> ParseLogSpec(std::string_view text) {
  LogSpec spec;
  bool base_seen = false;
  std::string_view rest = text;
  if (Trim(rest).empty()) return Status::InvalidArgument("empty log spec (e.g. info,net=debug)");
  while (true) {
    const size_t comma = rest.find(',');
    const std::string_view part = Trim(rest.substr(0, comma));
    const size_t eq = part.find('=');
    if (eq == std::string_view::npos) {
      const auto level = ParseLevel(part);
      if (!level) {
        return Status::InvalidArgument("unknown log level '" + std::string(part) + "' (" +
                                       std::string(kLevels) + ")");
      }
      if (base_seen) {
        return Status::InvalidArgument("two base levels in log spec '" + std::string(text) +
                                       "': give one, then COMPONENT=LEVEL pairs");
      }
      base_seen = true;
      spec.base = *level;
    } else {
      const std::string_view name = Trim(part.substr(0, eq));
      const std::string_view level_text = Trim(part.substr(eq + 1));
      size_t index = kLogComponentCount;
      for (size_t i = 0; i < kLogComponentCount; ++i) {
        if (kNames[i] == name) index = i;
      }
      if (index == kLogComponentCount) {
        return Status::InvalidArgument("unknown log component '" + std::string(name) + "' (" +
                                       AllNames() + ")");
      }
      const auto level = ParseLevel(level_text);
      if (!level) {
        return Status::InvalidArgument("unknown log level '" + std::string(level_text) + "' for " +
                                       std::string(name) + " (" + std::string(kLevels) + ")");
      }
      spec.component[index] = *level;
    }
    if (comma == std::string_view::npos) break;
    rest.remove_prefix(comma + 1);
  }
  // Overrides equal to the base say nothing: drop them, so equal specs compare equal.
  for (auto& level : spec.component) {
    if (level == spec.base) level.reset();
  }
  return spec;
}

std::string LogSpecText(const LogSpec& spec) {
  std::string out(LevelName(spec.base));
  for (size_t i = 0; i < kLogComponentCount; ++i) {
    if (spec.component[i] && *spec.component[i] != spec.base) {
      out += "," + std::string(kNames[i]) + "=" + std::string(LevelName(*spec.component[i]));
    }
  }
  return out;
}

void ApplyLogSpec(const LogSpec& spec) {
  spdlog::default_logger_raw()->set_level(spec.base);
  const auto& loggers = Loggers();
  for (size_t i = 0; i < kLogComponentCount; ++i) {
    loggers[i]->set_level(spec.component[i].value_or(spec.base));
  }
}

LogSpec CurrentLogSpec() {
  LogSpec spec;
  spec.base = spdlog::default_logger_raw()->level();
  const auto& loggers = Loggers();
  for (size_t i = 0; i < kLogComponentCount; ++i) {
    const spdlog::level::level_enum level = loggers[i]->level();
    if (level != spec.base) spec.component[i] = level;
  }
  return spec;
}

}  // namespace shipledger
