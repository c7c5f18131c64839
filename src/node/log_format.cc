#include "node/log_format.h"

#include <spdlog/spdlog.h>

#include <chrono>
#include <cstdio>

#include "model/units.h"

namespace shipledger::node {
namespace {

// The length of the well-formed UTF-8 sequence at the start of `s` (RFC 3629: no overlong
// forms, no surrogates, at most U+10FFFF), or 0 when it is not one.
size_t Utf8SequenceLength(std::string_view s) {
  const auto byte = [&](size_t i) { return static_cast<unsigned char>(s[i]); };
  const auto continuation = [&](size_t i) { return i < s.size() && (byte(i) & 0xC0) == 0x80; };
  const unsigned char b0 = byte(0);
  if (b0 < 0x80) return 1;
  if (b0 >= 0xC2 && b0 <= 0xDF) return continuation(1) ? 2 : 0;
  if (b0 >= 0xE0 && b0 <= 0xEF) {
    if (!continuation(1) || !continuation(2)) return 0;
    if (b0 == 0xE0 && byte(1) < 0xA0) return 0;   // overlong
    if (b0 == 0xED && byte(1) >= 0xA0) return 0;  // surrogates
    return 3;
  }
  if (b0 >= 0xF0 && b0 <= 0xF4) {
    if (!continuation(1) || !continuation(2) || !continuation(3)) return 0;
    if (b0 == 0xF0 && byte(1) < 0x90) return 0;   // overlong
    if (b0 == 0xF4 && byte(1) >= 0x90) return 0;  // above U+10FFFF
    return 4;
  }
  return 0;
}

}  // namespace

void AppendJsonString(std::string_view text, std::string* out) {
  while (!text.empty()) {
    const unsigned char c = static_cast<unsigned char>(text.front());
    size_t used = 1;
    switch (c) {
      case '"':
        *out += "\\\"";
        break;
      case '\\':
        *out += "\\\\";
        break;
      case '\n':
        *out += "\\n";
        break;
      case '\r':
        *out += "\\r";
        break;
      case '\t':
        *out += "\\t";
        break;
      default:
        if (c < 0x20 || c == 0x7F) {
          char escaped[8];
          std::snprintf(escaped, sizeof escaped, "\\u%04x", c);
          *out += escaped;
        } else if (c < 0x80) {
          *out += static_cast<char>(c);
        } else if (const size_t n = Utf8SequenceLength(text); n > 0) {
          out->append(text.substr(0, n));
          used = n;
        } else {
          *out += "\\ufffd";  // not UTF-8: one replacement character per bad byte
        }
    }
    text.remove_prefix(used);
  }
}

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
    line += ",\"logger\":\"";
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
                        "] %v");
    return true;
  }
  return false;
}

}  // namespace shipledger::node
