// The node's log line formats (node.yaml `log_format`, docs/configuration.md): `text`, for
// people, and `json`, one JSON object per line for log pipelines. A JSON line is valid JSON
// whatever the message holds: quotes, backslashes and control characters are escaped, and bytes
// that are not UTF-8 (a peer's or client's text can be anything) become U+FFFD.
// Thread-safety: a formatter is used by one sink at a time (spdlog clones it per sink).
#pragma once

#include <spdlog/formatter.h>

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

namespace shipledger::node {

// {"time":"2026-12-07T11:27:16.123Z","level":"info","replica":0,"component":"consensus",
// "msg":"..."} and a newline (no "component" for a line of the default logger).
class JsonLogFormatter final : public spdlog::formatter {
 public:
  explicit JsonLogFormatter(uint32_t replica_id) : replica_id_(replica_id) {}
  void format(const spdlog::details::log_msg& msg, spdlog::memory_buf_t& dest) override;
  std::unique_ptr<spdlog::formatter> clone() const override;

 private:
  uint32_t replica_id_;
};

// Makes every spdlog line of this process use `format` ("text" or "json"); false for another
// name. `replica_id` goes into every line.
bool SetLogFormat(std::string_view format, uint32_t replica_id);

}  // namespace shipledger::node
