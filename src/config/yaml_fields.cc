#include "config/yaml_fields.h"

#include <charconv>
#include <set>
#include <string>
#include <vector>

namespace shipledger::config::internal {
namespace {

// 1-based line of `node`, or 0 when it has none (a missing key).
int LineOf(const YAML::Node& node) {
  if (!node.IsDefined()) return 0;
  const YAML::Mark mark = node.Mark();
  return mark.is_null() ? 0 : mark.line + 1;
}

std::string Quoted(std::string_view s) {
  constexpr size_t kMaxShown = 40;
  std::string out = "'";
  out += s.size() > kMaxShown ? std::string(s.substr(0, kMaxShown)) + "..." : std::string(s);
  out += "'";
  return out;
}

}  // namespace

Result<YAML::Node> ParseYaml(std::string_view text, const std::string& file) {
  try {
    return YAML::Load(std::string(text));
  } catch (const YAML::Exception& e) {
    std::string message = file + ": ";
    if (!e.mark.is_null()) {
      message += "line " + std::to_string(e.mark.line + 1) + ", column " +
                 std::to_string(e.mark.column + 1) + ": ";
    }
    return Status::InvalidArgument(message + e.msg);
  }
}

YamlField::YamlField(YAML::Node node, std::string path, std::shared_ptr<const std::string> file,
                     int fallback_line)
    : node_(std::move(node)), path_(std::move(path)), file_(std::move(file)) {
  line_ = LineOf(node_);
  if (line_ == 0) line_ = fallback_line;
}

YamlField RootField(YAML::Node root, const std::string& file) {
  return YamlField(std::move(root), "", std::make_shared<const std::string>(file));
}

bool YamlField::IsMissing() const { return !node_.IsDefined() || node_.IsNull(); }

Status YamlField::Error(std::string_view message) const {
  std::string out = *file_ + ": ";
  if (!path_.empty()) out += path_ + ": ";
  out += message;
  if (line_ > 0) out += " (line " + std::to_string(line_) + ")";
  return Status::InvalidArgument(std::move(out));
}

Status YamlField::CheckMapWithAnyKeys() const {
  if (IsMissing()) return Error(path_.empty() ? "empty document" : "missing");
  if (!node_.IsMap()) return Error("expected a map of keys");
  std::set<std::string, std::less<>> seen;
  for (auto it = node_.begin(); it != node_.end(); ++it) {
    if (!it->first.IsScalar()) return Error("keys must be plain names");
    if (!seen.insert(it->first.Scalar()).second) {
      return Child(it->first.Scalar()).Error("duplicate key");
    }
  }
  return Status::Ok();
}

Status YamlField::CheckMap(std::span<const std::string_view> allowed,
                           std::span<const std::string_view> required) const {
  SL_RETURN_IF_ERROR(CheckMapWithAnyKeys());
  std::vector<std::string> unknown;
  for (auto it = node_.begin(); it != node_.end(); ++it) {
    const std::string& key = it->first.Scalar();
    bool known = false;
    for (std::string_view a : allowed) known = known || a == key;
    if (!known) unknown.push_back(key);
  }
  if (!unknown.empty()) {
    std::string list;
    for (const std::string& k : unknown) list += (list.empty() ? "" : ", ") + Quoted(k);
    std::string expected;
    for (std::string_view a : allowed) expected += (expected.empty() ? "" : ", ") + std::string(a);
    // Reported at the map's path, on the line of the first unknown key.
    const YamlField at(Child(unknown.front()).node_, path_, file_, line_);
    return at.Error("unknown key" + std::string(unknown.size() > 1 ? "s " : " ") + list +
                    " (expected: " + expected + ")");
  }
  for (std::string_view r : required) {
    if (Child(r).IsMissing()) return Child(r).Error("missing");
  }
  return Status::Ok();
}

Status YamlField::CheckSequence() const {
  if (IsMissing()) return Error("missing");
  if (!node_.IsSequence()) return Error("expected a list");
  return Status::Ok();
}

YamlField YamlField::Child(std::string_view key) const {
  std::string path = path_.empty() ? std::string(key) : path_ + "." + std::string(key);
  const YAML::Node& self = node_;
  YAML::Node child = self.IsDefined() && self.IsMap() ? self[std::string(key)] : YAML::Node();
  // A missing key keeps the parent's line, so that "missing" errors still point somewhere.
  return YamlField(std::move(child), std::move(path), file_, line_);
}

YamlField YamlField::Item(size_t i) const {
  const YAML::Node& self = node_;
  return YamlField(self[i], path_ + "[" + std::to_string(i) + "]", file_, line_);
}

Result<std::string> YamlField::AsString() const {
  if (IsMissing()) return Error("missing");
  if (!node_.IsScalar()) return Error("expected a single value");
  return node_.Scalar();
}

template <typename T>
Result<T> YamlField::AsInteger(T min, T max) const {
  SL_ASSIGN_OR_RETURN(const std::string text, AsString());
  T v = 0;
  const char* end = text.data() + text.size();
  const auto [ptr, ec] = std::from_chars(text.data(), end, v);
  if (text.empty() || ec != std::errc() || ptr != end || v < min || v > max) {
    return Error("expected an integer in [" + std::to_string(min) + ", " + std::to_string(max) +
                 "], got " + Quoted(text));
  }
  return v;
}

Result<uint64_t> YamlField::AsUint(uint64_t min, uint64_t max) const {
  return AsInteger<uint64_t>(min, max);
}

Result<int64_t> YamlField::AsInt(int64_t min, int64_t max) const {
  return AsInteger<int64_t>(min, max);
}

Status YamlField::ReadString(std::string_view key, bool required, std::string* out) const {
  const YamlField child = Child(key);
  if (!required && child.IsMissing()) return Status::Ok();
  SL_ASSIGN_OR_RETURN(*out, child.AsString());
  if (out->empty()) return child.Error("must not be empty");
  return Status::Ok();
}

Status YamlField::ReadU32(std::string_view key, bool required, uint32_t min, uint32_t* out) const {
  const YamlField child = Child(key);
  if (!required && child.IsMissing()) return Status::Ok();
  SL_ASSIGN_OR_RETURN(const uint64_t v, child.AsUint(min, UINT32_MAX));
  *out = static_cast<uint32_t>(v);
  return Status::Ok();
}

Status YamlField::ReadI64(std::string_view key, bool required, int64_t min, int64_t* out) const {
  const YamlField child = Child(key);
  if (!required && child.IsMissing()) return Status::Ok();
  SL_ASSIGN_OR_RETURN(*out, child.AsInt(min, INT64_MAX));
  return Status::Ok();
}

Status YamlField::ReadBool(std::string_view key, bool required, bool* out) const {
  const YamlField child = Child(key);
  if (!required && child.IsMissing()) return Status::Ok();
  SL_ASSIGN_OR_RETURN(const std::string text, child.AsString());
  if (text != "true" && text != "false") return child.Error("'" + text + "': use true or false");
  *out = text == "true";
  return Status::Ok();
}

}  // namespace shipledger::config::internal
