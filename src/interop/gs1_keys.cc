#include "interop/gs1_keys.h"

#include <algorithm>
#include <array>
#include <utility>
#include <vector>

namespace shipledger::interop {

namespace {

bool AllDigits(std::string_view s) {
  return !s.empty() && std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; });
}

std::vector<std::string_view> Split(std::string_view s, char sep) {
  std::vector<std::string_view> out;
  size_t start = 0;
  while (true) {
    const size_t at = s.find(sep, start);
    out.push_back(
        s.substr(start, at == std::string_view::npos ? std::string_view::npos : at - start));
    if (at == std::string_view::npos) return out;
    start = at + 1;
  }
}

// A serial or other alphanumeric component as a Digital Link path segment: the characters the
// constrained form escapes are percent-encoded (escapes already in the URN stay).
std::string EncodeComponent(std::string_view s) {
  static constexpr std::string_view kEscaped = "!()*+,:";
  std::string out;
  for (char c : s) {
    if (kEscaped.find(c) != std::string_view::npos) {
      static constexpr char kHex[] = "0123456789ABCDEF";
      out += '%';
      out += kHex[(static_cast<unsigned char>(c) >> 4) & 0xF];
      out += kHex[static_cast<unsigned char>(c) & 0xF];
    } else {
      out += c;
    }
  }
  return out;
}

// Company prefix + reference (+ the indicator or extension digit in front) with its check digit,
// when the digits come to `length` without it.
std::optional<std::string> WithCheck(std::string digits, size_t length) {
  if (!AllDigits(digits) || digits.size() != length) return std::nullopt;
  digits += Gs1CheckDigit(digits);
  return digits;
}

const std::string kHost = "https://id.gs1.org";

}  // namespace

char Gs1CheckDigit(std::string_view digits) {
  int sum = 0;
  int weight = 3;  // the rightmost digit weighs 3, then 1, 3, ...
  for (auto it = digits.rbegin(); it != digits.rend(); ++it) {
    sum += (*it - '0') * weight;
    weight = 4 - weight;
  }
  return static_cast<char>('0' + (10 - sum % 10) % 10);
}

std::optional<std::string> EpcUrnToDigitalLink(std::string_view urn) {
  constexpr std::string_view kId = "urn:epc:id:";
  constexpr std::string_view kLgtin = "urn:epc:class:lgtin:";
  std::string_view scheme, body;
  if (urn.substr(0, kLgtin.size()) == kLgtin) {
    scheme = "lgtin";
    body = urn.substr(kLgtin.size());
  } else if (urn.substr(0, kId.size()) == kId) {
    const std::string_view rest = urn.substr(kId.size());
    const size_t colon = rest.find(':');
    if (colon == std::string_view::npos) return std::nullopt;
    scheme = rest.substr(0, colon);
    body = rest.substr(colon + 1);
  } else {
    return std::nullopt;
  }
  const std::vector<std::string_view> p = Split(body, '.');
  const auto part = [&](size_t i) { return std::string(p[i]); };
  if ((scheme == "sgtin" || scheme == "lgtin") && p.size() == 3 && !p[1].empty() &&
      AllDigits(p[0]) && AllDigits(p[1]) && !p[2].empty()) {
    auto gtin = WithCheck(part(1).substr(0, 1) + part(0) + part(1).substr(1), 13);
    if (!gtin) return std::nullopt;
    return kHost + "/01/" + *gtin + (scheme == "sgtin" ? "/21/" : "/10/") + EncodeComponent(p[2]);
  }
  if (scheme == "sscc" && p.size() == 2 && !p[1].empty() && AllDigits(p[0])) {
    auto sscc = WithCheck(part(1).substr(0, 1) + part(0) + part(1).substr(1), 17);
    if (!sscc) return std::nullopt;
    return kHost + "/00/" + *sscc;
  }
  if (scheme == "sgln" && p.size() == 3 && AllDigits(p[0])) {
    auto gln = WithCheck(part(0) + part(1), 12);
    if (!gln || p[2].empty()) return std::nullopt;
    return kHost + "/414/" + *gln + (p[2] == "0" ? "" : "/254/" + EncodeComponent(p[2]));
  }
  if (scheme == "grai" && p.size() == 3 && AllDigits(p[0])) {
    auto grai = WithCheck("0" + part(0) + part(1), 13);
    if (!grai) return std::nullopt;
    return kHost + "/8003/" + *grai + EncodeComponent(p[2]);
  }
  if (scheme == "giai" && p.size() == 2 && AllDigits(p[0]) && !p[1].empty()) {
    return kHost + "/8004/" + part(0) + EncodeComponent(p[1]);
  }
  if (scheme == "gsrn" && p.size() == 2 && AllDigits(p[0])) {
    auto gsrn = WithCheck(part(0) + part(1), 17);
    if (!gsrn) return std::nullopt;
    return kHost + "/8018/" + *gsrn;
  }
  if (scheme == "gdti" && p.size() == 3 && AllDigits(p[0])) {
    auto gdti = WithCheck(part(0) + part(1), 12);
    if (!gdti) return std::nullopt;
    return kHost + "/253/" + *gdti + EncodeComponent(p[2]);
  }
  if (scheme == "pgln" && p.size() == 2 && AllDigits(p[0])) {
    auto pgln = WithCheck(part(0) + part(1), 12);
    if (!pgln) return std::nullopt;
    return kHost + "/417/" + *pgln;
  }
  return std::nullopt;
}

std::optional<std::string> CanonicalDigitalLink(std::string_view uri) {
  size_t at = 0;
  if (uri.substr(0, 8) == "https://") {
    at = 8;
  } else if (uri.substr(0, 7) == "http://") {
    at = 7;
  } else {
    return std::nullopt;
  }
  const size_t slash = uri.find('/', at);
  if (slash == std::string_view::npos) return std::nullopt;
  std::string_view path = uri.substr(slash + 1);
  path = path.substr(0, std::min(path.find('?'), path.find('#')));
  const std::vector<std::string_view> segments = Split(path, '/');
  if (segments.size() < 2 || segments.size() % 2 != 0) return std::nullopt;
  static constexpr std::array<std::pair<std::string_view, std::string_view>, 20> kShortNames = {{
      {"gtin", "01"},   {"itip", "8006"}, {"cpv", "22"},     {"lot", "10"},    {"ser", "21"},
      {"sscc", "00"},   {"gln", "414"},   {"glnx", "254"},   {"party", "417"}, {"gdti", "253"},
      {"ginc", "401"},  {"gsin", "402"},  {"grai", "8003"},  {"giai", "8004"}, {"cpid", "8010"},
      {"cpsn", "8011"}, {"gsrn", "8018"}, {"gsrnp", "8017"}, {"gcn", "255"},   {"upui", "235"},
  }};
  std::vector<std::pair<std::string, std::string>> pairs;
  for (size_t i = 0; i < segments.size(); i += 2) {
    std::string ai(segments[i]);
    for (const auto& [name, number] : kShortNames) {
      if (ai == name) ai = std::string(number);
    }
    if (!AllDigits(ai) || segments[i + 1].empty()) return std::nullopt;
    pairs.emplace_back(ai, std::string(segments[i + 1]));
  }
  if (pairs[0].first == "01") {
    std::string& gtin = pairs[0].second;
    if (!AllDigits(gtin) ||
        (gtin.size() != 8 && gtin.size() != 12 && gtin.size() != 13 && gtin.size() != 14)) {
      return std::nullopt;
    }
    gtin.insert(0, 14 - gtin.size(), '0');
  }
  std::erase_if(pairs, [](const auto& p) { return p.first == "22"; });
  const auto has = [&](std::string_view ai) {
    return std::any_of(pairs.begin(), pairs.end(), [&](const auto& p) { return p.first == ai; });
  };
  if (has("10") && has("21")) {
    std::erase_if(pairs, [](const auto& p) { return p.first == "10"; });
  }
  std::string keys;
  for (const auto& [ai, value] : pairs) keys += (keys.empty() ? "" : "+") + ai;
  static constexpr std::array<std::string_view, 21> kAllowed = {
      "00",   "01",      "01+21",   "01+10",   "01+235",    "253",  "255",
      "401",  "402",     "414",     "414+254", "417",       "8003", "8004",
      "8006", "8006+21", "8006+10", "8010",    "8010+8011", "8017", "8018"};
  if (std::find(kAllowed.begin(), kAllowed.end(), keys) == kAllowed.end()) return std::nullopt;
  std::string out = kHost;
  for (const auto& [ai, value] : pairs) out += "/" + ai + "/" + value;
  return out;
}

}  // namespace shipledger::interop
