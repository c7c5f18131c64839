#include "node/log_format.h"

#include <spdlog/spdlog.h>

#include <chrono>
#include <cstdio>

#include "model/units.h"
#include "shipledger/json_text.h"

namespace shipledger::node {

void JsonLogFormatter::format(const spdlog::details::log_msg& msg, spdlog::memory_buf_t& dest) {
  const int64_t unix_ms =
      std::chrono::duration_cast<std::chrono::milliseconds>(msg.time.time_since_epoch()).count();
  std::string line = "{\"time\":\"";
  line += model::FormatTimeMs(unix_ms);
  line += "\",\"level\":\"";
  const auto level = spdlog::level::to_string_view(msg.level);
  line.append(level.data(), level.size());
  line += "\",\"replica\":";
  line += std::to_string(replica_id_);
  if (msg.logger_name.size() > 0) {
    line += ",\"component\":\"";
    AppendJsonString(std::string_view(msg.logger_name.data(), msg.logger_name.size()), &line);
    line += '"';
  }
  line += ",\"msg\":\"";
  AppendJsonString(std::string_view(msg.payload.data(), msg.payload.size()), &line);
  line += "\"}\n";
  dest.append(line.data(), line.data() + line.size());
}

std::unique_ptr<spdlog::formatter> JsonLogFormatter::clone() const {
  return std::make_unique<JsonLogFormatter>(replica_id_);
}

bool SetLogFormat(std::string_view format, uint32_t replica_id) {
  if (format == "json") {
    spdlog::set_formatter(std::make_unique<JsonLogFormatter>(replica_id));
    return true;
  }
  if (format == "text") {
    spdlog::set_pattern("%Y-%m-%dT%H:%M:%S.%e %^%l%$ [replica " + std::to_string(replica_id) +
                        "] %n: %v");
    return true;
  }
  return false;
}

}  // namespace shipledger::node
