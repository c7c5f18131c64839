// Reading tests/data/format_vectors.txt (its header defines the format; docs/formats.md says
// what each kind computes). Used by format_vectors_test.cc only.
//
//   domain <name> "<tag>"
//   <kind> <name> <key>=<value> ... => <output>      values: 0x<hex>, "<text>" or <decimal>
#pragma once

#include <gtest/gtest.h>

#include <algorithm>
#include <charconv>
#include <cstdint>
#include <fstream>
#include <initializer_list>
#include <map>
#include <optional>
#include <set>
#include <sstream>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "shipledger/bytes.h"

namespace shipledger::model::testutil {

// The whole file; a test failure (and an empty string) when it cannot be read.
inline std::string ReadFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  EXPECT_TRUE(in.good()) << "cannot read " << path;
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

// One input value: bytes (0x… or "…") or a decimal integer, kept as written.
struct Value {
  bool is_int = false;
  Bytes bytes;
  std::string digits;
};

inline std::optional<Value> ParseValue(std::string_view text) {
  Value v;
  if (text.size() >= 2 && text.front() == '"' && text.back() == '"') {
    v.bytes = Bytes(text.substr(1, text.size() - 2));
    return v;
  }
  if (text.substr(0, 2) == "0x") {
    std::optional<Bytes> bytes = FromHex(text.substr(2));
    if (!bytes.has_value()) return std::nullopt;
    v.bytes = std::move(*bytes);
    return v;
  }
  std::string_view digits = text;
  if (!digits.empty() && digits.front() == '-') digits.remove_prefix(1);
  if (digits.empty() ||
      !std::all_of(digits.begin(), digits.end(), [](char c) { return c >= '0' && c <= '9'; })) {
    return std::nullopt;
  }
  v.is_int = true;
  v.digits = std::string(text);
  return v;
}

// The inputs of one vector by key, each key's values in the order written. An accessor notes
// the first missing or mistyped input in error() and returns a default, so that a bad line fails
// its own vector only; Unused() names the keys no accessor asked for (misspelt, or not an input
// of the kind).
class Inputs {
 public:
  void Add(const std::string& key, Value value) { values_[key].push_back(std::move(value)); }

  // Every value of `key` (none when absent).
  std::vector<Bytes> Bs(const std::string& key) const {
    std::vector<Bytes> out;
    for (const Value* v : List(key)) {
      if (v->is_int) Fail("input " + key + " must be bytes (0x... or \"...\")");
      out.push_back(v->bytes);
    }
    return out;
  }
  std::vector<uint64_t> Us(const std::string& key) const {
    std::vector<uint64_t> out;
    for (const Value* v : List(key)) out.push_back(Parse<uint64_t>(key, *v));
    return out;
  }
  std::vector<int64_t> Is(const std::string& key) const {
    std::vector<int64_t> out;
    for (const Value* v : List(key)) out.push_back(Parse<int64_t>(key, *v));
    return out;
  }
  // The one value of `key`.
  Bytes B(const std::string& key) const { return One(key, Bs(key)); }
  uint64_t U(const std::string& key) const { return One(key, Us(key)); }
  int64_t I(const std::string& key) const { return One(key, Is(key)); }
  uint32_t U32(const std::string& key) const {
    const uint64_t v = U(key);
    if (v > UINT32_MAX) Fail("input " + key + " does not fit 32 bits");
    return static_cast<uint32_t>(v);
  }
  // The common length of lists read index by index; a failure noted when they differ.
  size_t SameSize(std::initializer_list<size_t> sizes) const {
    const size_t n = sizes.size() == 0 ? 0 : *sizes.begin();
    for (size_t s : sizes) {
      if (s != n) Fail("lists read index by index have different lengths");
    }
    return n;
  }

  void Fail(const std::string& message) const {
    if (error_.empty()) error_ = message;
  }
  const std::string& error() const { return error_; }
  std::vector<std::string> Unused() const {
    std::vector<std::string> out;
    for (const auto& entry : values_) {
      if (used_.count(entry.first) == 0) out.push_back(entry.first);
    }
    return out;
  }

 private:
  std::vector<const Value*> List(const std::string& key) const {
    used_.insert(key);
    std::vector<const Value*> out;
    if (auto it = values_.find(key); it != values_.end()) {
      for (const Value& v : it->second) out.push_back(&v);
    }
    return out;
  }
  template <typename T>
  T Parse(const std::string& key, const Value& v) const {
    T out{};
    const char* end = v.digits.data() + v.digits.size();
    if (!v.is_int || std::from_chars(v.digits.data(), end, out).ptr != end) {
      Fail("input " + key + " must be an integer that fits its field");
    }
    return out;
  }
  template <typename T>
  T One(const std::string& key, std::vector<T> list) const {
    if (list.size() != 1) {
      Fail("input " + key + " must be given once");
      return T{};
    }
    return std::move(list[0]);
  }

  std::map<std::string, std::vector<Value>> values_;
  mutable std::set<std::string> used_;
  mutable std::string error_;
};

struct Vector {
  int line = 0;
  std::string kind;
  std::string name;
  Inputs inputs;
  std::string expected;
};

struct DomainLine {
  int line = 0;
  std::string name;
  std::string tag;
};

struct VectorFile {
  std::vector<std::string> lines;  // as read (without line ends), for the write mode
  std::vector<Vector> vectors;
  std::vector<DomainLine> domains;
};

// Splits at blanks; a "…" run belongs to its token, blanks included. nullopt: an open quote.
inline std::optional<std::vector<std::string>> Tokens(std::string_view line) {
  std::vector<std::string> out;
  std::string token;
  bool in_token = false;
  bool quoted = false;
  for (char c : line) {
    if (quoted) {
      token.push_back(c);
      if (c == '"') quoted = false;
      continue;
    }
    if (c == ' ' || c == '\t') {
      if (in_token) out.push_back(token);
      token.clear();
      in_token = false;
      continue;
    }
    in_token = true;
    token.push_back(c);
    if (c == '"') quoted = true;
  }
  if (quoted) return std::nullopt;
  if (in_token) out.push_back(token);
  return out;
}

// Reads the vector file at `path`. A malformed line is a test failure naming it, and is skipped.
inline VectorFile LoadVectorFile(const std::string& path) {
  VectorFile file;
  std::istringstream in(ReadFile(path));
  std::string line;
  std::set<std::string> names;
  int number = 0;
  while (std::getline(in, line)) {
    ++number;
    if (!line.empty() && line.back() == '\r') line.pop_back();
    file.lines.push_back(line);
    if (line.empty() || line[0] == '#') continue;
    const std::string where = path + ":" + std::to_string(number) + ": ";
    const std::optional<std::vector<std::string>> tokens = Tokens(line);
    if (!tokens.has_value()) {
      ADD_FAILURE() << where << "unterminated quote";
      continue;
    }
    if (tokens->empty()) continue;
    const std::vector<std::string>& t = *tokens;
    if (t[0] == "domain") {
      if (t.size() != 3 || t[2].size() < 2 || t[2].front() != '"' || t[2].back() != '"') {
        ADD_FAILURE() << where << "expected: domain <name> \"<tag>\"";
        continue;
      }
      file.domains.push_back({number, t[1], t[2].substr(1, t[2].size() - 2)});
      continue;
    }
    if (t.size() < 4 || t[t.size() - 2] != "=>") {
      ADD_FAILURE() << where << "expected: <kind> <name> <key>=<value>... => <output>";
      continue;
    }
    Vector v;
    v.line = number;
    v.kind = t[0];
    v.name = t[1];
    v.expected = t.back();
    if (!names.insert(v.kind + " " + v.name).second) {
      ADD_FAILURE() << where << "a second vector named " << v.kind << " " << v.name;
    }
    bool ok = true;
    for (size_t i = 2; i + 2 < t.size(); ++i) {
      const size_t eq = t[i].find('=');
      std::optional<Value> value;
      if (eq != std::string::npos && eq > 0) {
        value = ParseValue(std::string_view(t[i]).substr(eq + 1));
      }
      if (!value.has_value()) {
        ADD_FAILURE() << where << "cannot read input '" << t[i] << "'";
        ok = false;
        break;
      }
      v.inputs.Add(t[i].substr(0, eq), std::move(*value));
    }
    if (ok) file.vectors.push_back(std::move(v));
  }
  return file;
}

}  // namespace shipledger::model::testutil
