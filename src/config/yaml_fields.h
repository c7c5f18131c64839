// Internal to config/: strict, exception-free reading of YAML documents (genesis.yaml,
// node.yaml) whose every error names the file, the key path and the line. Never included by a
// public header, so yaml-cpp types stay inside the module.
// Thread-safety: value types; a YamlField is used by one thread.
#pragma once

#include <yaml-cpp/yaml.h>

#include <cstdint>
#include <initializer_list>
#include <memory>
#include <span>
#include <string>
#include <string_view>

#include "shipledger/status.h"

namespace shipledger::config::internal {

// Parses YAML text; INVALID_ARGUMENT "FILE: line L, column C: reason" on a syntax error.
// yaml-cpp's exceptions never escape.
Result<YAML::Node> ParseYaml(std::string_view text, const std::string& file);

// One node of a parsed document with its key path ("organisations[2].role"), for errors.
class YamlField {
 public:
  // `fallback_line`: the line errors cite when `node` has no position (a missing key).
  YamlField(YAML::Node node, std::string path, std::shared_ptr<const std::string> file,
            int fallback_line = 0);

  const std::string& path() const { return path_; }
  const YAML::Node& node() const { return node_; }
  // Absent or null (`key:` / `key: ~`).
  bool IsMissing() const;

  // INVALID_ARGUMENT "FILE: PATH: message (line L)".
  Status Error(std::string_view message) const;

  // OK when this is a map whose keys are distinct scalars, all in `allowed`, and which holds
  // every key of `required`. The error lists unknown keys, so typos are caught.
  Status CheckMap(std::initializer_list<std::string_view> allowed,
                  std::initializer_list<std::string_view> required) const {
    return CheckMap(std::span(allowed.begin(), allowed.size()),
                    std::span(required.begin(), required.size()));
  }
  Status CheckMap(std::span<const std::string_view> allowed,
                  std::span<const std::string_view> required) const;
  // OK when this is a map whose keys are distinct scalars (any names: the caller checks them).
  Status CheckMapWithAnyKeys() const;
  // OK when this is a sequence (REQUIRES nothing; an absent node is an error).
  Status CheckSequence() const;

  // Map member `key` (may be missing) / sequence element `i`.
  YamlField Child(std::string_view key) const;
  YamlField Item(size_t i) const;
  size_t size() const { return node_.size(); }

  // Scalar conversions: INVALID_ARGUMENT naming the path when missing, not a scalar, out of
  // range or malformed. Integers are decimal, without sign for unsigned types.
  Result<std::string> AsString() const;
  Result<uint64_t> AsUint(uint64_t min, uint64_t max) const;
  Result<int64_t> AsInt(int64_t min, int64_t max) const;

  // Convenience: read map member `key` into `out`, leaving it unchanged when the key is missing
  // and `required` is false.
  Status ReadString(std::string_view key, bool required, std::string* out) const;
  Status ReadU32(std::string_view key, bool required, uint32_t min, uint32_t* out) const;
  Status ReadI64(std::string_view key, bool required, int64_t min, int64_t* out) const;
  // `true` or `false` only (not yes/no/on/off, which YAML 1.1 readers disagree on).
  Status ReadBool(std::string_view key, bool required, bool* out) const;

 private:
  template <typename T>
  Result<T> AsInteger(T min, T max) const;
  YAML::Node node_;
  std::string path_;
  std::shared_ptr<const std::string> file_;
  int line_ = 0;  // 1-based; 0 = unknown
};

// The root of a document, with an empty path.
YamlField RootField(YAML::Node root, const std::string& file);

}  // namespace shipledger::config::internal
