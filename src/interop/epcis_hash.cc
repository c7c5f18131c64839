#include "interop/epcis_hash.h"

#include <algorithm>
#include <array>
#include <cctype>
#include <charconv>
#include <cmath>
#include <cstdio>
#include <ctime>
#include <functional>
#include <vector>

#include "crypto/sha256.h"
#include "interop/cbv.h"
#include "interop/gs1_keys.h"
#include "interop/json_fields.h"
#include "model/units.h"
#include "shipledger/bytes.h"

namespace shipledger::interop {

namespace {

namespace pb = google::protobuf;
using Pieces = std::vector<std::string>;

std::string_view Trim(std::string_view s) {
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.front()))) s.remove_prefix(1);
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.back()))) s.remove_suffix(1);
  return s;
}

// Concatenates `pieces` sorted byte-wise (what the standard's "lexical order" means here).
std::string Sorted(Pieces pieces) {
  std::sort(pieces.begin(), pieces.end());
  std::string out;
  for (const auto& p : pieces) out += p;
  return out;
}

// A CURIE value of the standard's own prefixes as its URI; other text unchanged.
std::string ExpandStandardCurie(std::string_view value, const Namespaces& ns) {
  const size_t colon = value.find(':');
  if (colon == std::string_view::npos) return std::string(value);
  const std::string_view prefix = value.substr(0, colon);
  if (prefix != "gs1" && prefix != "cbv" && prefix != "epcis") return std::string(value);
  const auto it = ns.find(prefix);
  return it->second + std::string(value.substr(colon + 1));
}

// "sl:handlingCode" -> "{https://.../ns/}handlingCode" when the prefix is declared.
std::string ExpandName(std::string_view key, const Namespaces& ns) {
  const size_t colon = key.find(':');
  if (colon == std::string_view::npos) return std::string(key);
  const auto it = ns.find(key.substr(0, colon));
  if (it == ns.end()) return std::string(key);
  return "{" + it->second + "}" + std::string(key.substr(colon + 1));
}

bool IsTimeName(std::string_view name) {
  std::string lower(name);
  std::transform(lower.begin(), lower.end(), lower.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return lower.find("time") != std::string::npos && lower.find("offset") == std::string::npos;
}

// The canonical text of a standard field's scalar value: times normalised, bare CBV words of
// the field's vocabulary and the standard CURIEs expanded, then CanonicalValue.
std::string StandardValue(std::string_view name, const pb::Value& v, Vocabulary vocabulary,
                          const Namespaces& ns) {
  const auto text = ScalarText(v);
  if (!text) return "";
  const std::string trimmed(Trim(*text));
  if (IsTimeName(name)) {
    if (auto t = CanonicalTime(trimmed)) return *t;
    return trimmed;
  }
  if (auto word = ExpandBareWord(vocabulary, trimmed)) return *word;
  return CanonicalValue(ExpandStandardCurie(trimmed, ns));
}

// "name=value" of a scalar standard field, or nothing when absent or empty.
std::string Leaf(const pb::Struct& object, std::string_view name, Vocabulary vocabulary,
                 const Namespaces& ns) {
  const auto it = object.fields().find(std::string(name));
  if (it == object.fields().end()) return "";
  const std::string value = StandardValue(name, it->second, vocabulary, ns);
  return value.empty() ? "" : std::string(name) + "=" + value;
}

// The items of a list field (a JSON array; a single value counts as a list of one).
std::vector<const pb::Value*> Items(const pb::Struct& object, std::string_view name) {
  std::vector<const pb::Value*> out;
  const auto it = object.fields().find(std::string(name));
  if (it == object.fields().end()) return out;
  if (it->second.has_list_value()) {
    for (const auto& item : it->second.list_value().values()) out.push_back(&item);
  } else {
    out.push_back(&it->second);
  }
  return out;
}

// "epcList" + the sorted "epc=..." of a list of identifiers.
std::string IdList(const pb::Struct& event, std::string_view list, const Namespaces& ns) {
  Pieces pieces;
  for (const pb::Value* item : Items(event, list)) {
    const std::string value = StandardValue("epc", *item, Vocabulary::kNone, ns);
    if (!value.empty()) pieces.push_back("epc=" + value);
  }
  return pieces.empty() ? "" : std::string(list) + Sorted(std::move(pieces));
}

std::string QuantityList(const pb::Struct& event, std::string_view list, const Namespaces& ns) {
  Pieces pieces;
  for (const pb::Value* item : Items(event, list)) {
    if (!item->has_struct_value()) continue;
    const pb::Struct& q = item->struct_value();
    pieces.push_back("quantityElement" + Leaf(q, "epcClass", Vocabulary::kNone, ns) +
                     Leaf(q, "quantity", Vocabulary::kNone, ns) +
                     Leaf(q, "uom", Vocabulary::kNone, ns));
  }
  return pieces.empty() ? "" : std::string(list) + Sorted(std::move(pieces));
}

// bizTransactionList, sourceList, destinationList: entries as type=... then the id, sorted.
std::string TypedList(const pb::Struct& event, std::string_view list, std::string_view id_key,
                      Vocabulary vocabulary, const Namespaces& ns) {
  Pieces pieces;
  for (const pb::Value* item : Items(event, list)) {
    if (!item->has_struct_value()) continue;
    const pb::Struct& entry = item->struct_value();
    pieces.push_back(Leaf(entry, "type", vocabulary, ns) +
                     Leaf(entry, id_key, Vocabulary::kNone, ns));
  }
  return pieces.empty() ? "" : std::string(list) + Sorted(std::move(pieces));
}

constexpr std::array<std::string_view, 8> kSensorMetadataOrder = {"time",
                                                                  "startTime",
                                                                  "endTime",
                                                                  "deviceID",
                                                                  "deviceMetadata",
                                                                  "rawData",
                                                                  "dataProcessingMethod",
                                                                  "bizRules"};
constexpr std::array<std::string_view, 23> kSensorReportOrder = {"type",
                                                                 "exception",
                                                                 "deviceID",
                                                                 "deviceMetadata",
                                                                 "rawData",
                                                                 "dataProcessingMethod",
                                                                 "time",
                                                                 "microorganism",
                                                                 "chemicalSubstance",
                                                                 "value",
                                                                 "component",
                                                                 "stringValue",
                                                                 "booleanValue",
                                                                 "hexBinaryValue",
                                                                 "uriValue",
                                                                 "minValue",
                                                                 "maxValue",
                                                                 "meanValue",
                                                                 "sDev",
                                                                 "percRank",
                                                                 "percValue",
                                                                 "uom",
                                                                 "coordinateReferenceSystem"};

Vocabulary SensorVocabulary(std::string_view field) {
  if (field == "type" || field == "exception") return Vocabulary::kMeasurement;
  if (field == "component") return Vocabulary::kComponent;
  return Vocabulary::kNone;
}

template <size_t N>
std::string Ordered(const pb::Struct& object, const std::array<std::string_view, N>& order,
                    const Namespaces& ns) {
  std::string out;
  for (std::string_view field : order) out += Leaf(object, field, SensorVocabulary(field), ns);
  return out;
}

// Keys that carry no event content: comments, and XML text a JSON conversion may leave.
bool IsComment(std::string_view key) {
  return key == "#text" || key == "rdfs:comment" || key == "comment";
}

// The generic rendering of extension and ILMD content: scalars as name=value (canonical, no
// time normalisation), objects as their name followed by their children sorted, lists as
// repeated siblings of one name.
void Generic(const std::string& name, const pb::Value& value, const Namespaces& ns, Pieces* out) {
  if (value.has_list_value()) {
    for (const auto& item : value.list_value().values()) Generic(name, item, ns, out);
    return;
  }
  if (value.has_struct_value()) {
    Pieces children;
    for (const auto& [key, child] : value.struct_value().fields()) {
      if (IsComment(key)) continue;
      Generic(ExpandName(key, ns), child, ns, &children);
    }
    out->push_back(name + Sorted(std::move(children)));
    return;
  }
  const auto text = ScalarText(value);
  if (!text) return;
  const std::string trimmed(Trim(*text));
  if (trimmed.empty()) return;
  out->push_back(name + "=" + CanonicalValue(ExpandStandardCurie(trimmed, ns)));
}

// The extension pieces of a standard object: its keys outside `standard`.
template <size_t N>
Pieces Extensions(const pb::Struct& object, const std::array<std::string_view, N>& standard,
                  const Namespaces& ns) {
  Pieces out;
  for (const auto& [key, value] : object.fields()) {
    if (std::find(standard.begin(), standard.end(), key) != standard.end()) continue;
    if (IsComment(key)) continue;
    Generic(ExpandName(key, ns), value, ns, &out);
  }
  return out;
}

constexpr std::array<std::string_view, 1> kPointFields = {"id"};

struct SensorParts {
  std::string standard;    // "sensorElement" + metadata + sorted reports
  std::string extensions;  // the same path with only extension pieces, or empty
};

SensorParts SensorElement(const pb::Struct& element, const Namespaces& ns) {
  SensorParts parts;
  parts.standard = "sensorElement";
  std::string ext_path;
  const auto meta = element.fields().find("sensorMetadata");
  if (meta != element.fields().end() && meta->second.has_struct_value()) {
    parts.standard +=
        "sensorMetadata" + Ordered(meta->second.struct_value(), kSensorMetadataOrder, ns);
    Pieces ext = Extensions(meta->second.struct_value(), kSensorMetadataOrder, ns);
    if (!ext.empty()) ext_path += "sensorMetadata" + Sorted(std::move(ext));
  }
  Pieces reports;
  Pieces report_ext;
  for (const pb::Value* report : Items(element, "sensorReport")) {
    if (!report->has_struct_value()) continue;
    reports.push_back("sensorReport" + Ordered(report->struct_value(), kSensorReportOrder, ns));
    Pieces ext = Extensions(report->struct_value(), kSensorReportOrder, ns);
    if (!ext.empty()) report_ext.push_back("sensorReport" + Sorted(std::move(ext)));
  }
  parts.standard += Sorted(std::move(reports));
  ext_path += Sorted(std::move(report_ext));
  static constexpr std::array<std::string_view, 2> kElementFields = {"sensorMetadata",
                                                                     "sensorReport"};
  ext_path += Sorted(Extensions(element, kElementFields, ns));
  if (!ext_path.empty()) parts.extensions = "sensorElement" + ext_path;
  return parts;
}

constexpr std::array<std::string_view, 25> kStandardEventFields = {"eventTime",
                                                                   "eventTimeZoneOffset",
                                                                   "epcList",
                                                                   "parentID",
                                                                   "inputEPCList",
                                                                   "childEPCs",
                                                                   "quantityList",
                                                                   "childQuantityList",
                                                                   "inputQuantityList",
                                                                   "outputEPCList",
                                                                   "outputQuantityList",
                                                                   "action",
                                                                   "transformationID",
                                                                   "bizStep",
                                                                   "disposition",
                                                                   "persistentDisposition",
                                                                   "readPoint",
                                                                   "bizLocation",
                                                                   "bizTransactionList",
                                                                   "sourceList",
                                                                   "destinationList",
                                                                   "sensorElementList",
                                                                   "ilmd",
                                                                   "type",
                                                                   "@context"};
// Never hashed (CBV 2.0 §8.9): the id itself, when it was recorded, later corrections,
// certification references, comments.
constexpr std::array<std::string_view, 6> kExcluded = {
    "eventID", "recordTime", "errorDeclaration", "certificationInfo", "rdfs:comment", "comment"};

}  // namespace

Namespaces NamespacesOf(const google::protobuf::Value& context) {
  Namespaces out;
  std::function<void(const pb::Value&)> add = [&](const pb::Value& v) {
    if (v.has_list_value()) {
      for (const auto& item : v.list_value().values()) add(item);
    } else if (v.has_struct_value()) {
      for (const auto& [prefix, uri] : v.struct_value().fields()) {
        if (uri.has_string_value()) out[prefix] = uri.string_value();
      }
    }
  };
  add(context);
  // The standard's own prefixes, whatever a document says (GS1's reference does the same for
  // gs1:, which older documents declare as https://gs1.org/voc/).
  out["gs1"] = "https://ref.gs1.org/voc/";
  out["cbv"] = "https://ref.gs1.org/cbv/";
  out["epcis"] = "https://ref.gs1.org/epcis/";
  out["cbvmda"] = "urn:epcglobal:cbv:mda";
  return out;
}

std::string EpcisTime(int64_t unix_ms) {
  int64_t seconds = unix_ms / 1000;
  int64_t millis = unix_ms % 1000;
  if (millis < 0) {
    millis += 1000;
    seconds -= 1;
  }
  const auto t = static_cast<std::time_t>(seconds);
  std::tm tm{};
  gmtime_r(&t, &tm);
  char buf[64];
  std::snprintf(buf, sizeof buf, "%04d-%02d-%02dT%02d:%02d:%02d.%03dZ", tm.tm_year + 1900,
                tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec,
                static_cast<int>(millis));
  return buf;
}

std::optional<std::string> CanonicalTime(std::string_view text) {
  int64_t ms = 0;
  if (!model::ParseIsoTime(Trim(text), &ms, model::FractionMode::kRoundHalfUp)) return std::nullopt;
  // Four digits of year always, as Python writes it ("0026-03-01T00:00:00.000Z"): the
  // fuzzer found that a year below 1000 came out shorter and did not read back.
  return EpcisTime(ms);
}

std::optional<std::string> CanonicalNumber(std::string_view text) {
  // sign? (digits [. digits?] | . digits) ([eE] sign? digits)?
  size_t i = 0;
  const bool negative = i < text.size() && text[i] == '-';
  if (i < text.size() && (text[i] == '+' || text[i] == '-')) ++i;
  std::string digits;  // the coefficient's digits, point removed
  int64_t exponent = 0;
  size_t int_digits = 0, frac_digits = 0;
  while (i < text.size() && std::isdigit(static_cast<unsigned char>(text[i]))) {
    digits += text[i++];
    ++int_digits;
  }
  if (i < text.size() && text[i] == '.') {
    ++i;
    while (i < text.size() && std::isdigit(static_cast<unsigned char>(text[i]))) {
      digits += text[i++];
      ++frac_digits;
    }
  }
  if (int_digits + frac_digits == 0) return std::nullopt;
  exponent -= static_cast<int64_t>(frac_digits);
  if (i < text.size() && (text[i] == 'e' || text[i] == 'E')) {
    ++i;
    int64_t sign = 1;
    if (i < text.size() && (text[i] == '+' || text[i] == '-')) sign = text[i++] == '-' ? -1 : 1;
    int64_t e = 0;
    const size_t start = i;
    while (i < text.size() && std::isdigit(static_cast<unsigned char>(text[i])) && e < 100000) {
      e = e * 10 + (text[i++] - '0');
    }
    if (i == start) return std::nullopt;
    exponent += sign * e;
  }
  if (i != text.size()) return std::nullopt;
  // Leading zeros carry nothing.
  const size_t nonzero = digits.find_first_not_of('0');
  digits = nonzero == std::string::npos ? "0" : digits.substr(nonzero);
  const std::string sign = negative ? "-" : "";
  // Integral: all digits after the point are zeros.
  int64_t trailing_zeros = 0;
  for (auto it = digits.rbegin(); it != digits.rend() && *it == '0' && digits != "0"; ++it) {
    ++trailing_zeros;
  }
  if (exponent >= 0) {
    if (exponent == 0) return sign + digits;
    // A positive exponent stays in scientific form, as Python's Decimal writes it.
    const int64_t adjusted = exponent + static_cast<int64_t>(digits.size()) - 1;
    std::string out = sign + digits.substr(0, 1);
    if (digits.size() > 1) out += "." + digits.substr(1);
    return out + "E+" + std::to_string(adjusted);
  }
  if (digits == "0") return sign + "0";
  if (trailing_zeros >= -exponent) {  // integral: drop the fraction of zeros
    return sign + digits.substr(0, digits.size() - static_cast<size_t>(-exponent));
  }
  // Normalise: strip trailing zeros, then write without exponent.
  digits.erase(digits.size() - static_cast<size_t>(trailing_zeros));
  exponent += trailing_zeros;
  const auto point = static_cast<int64_t>(digits.size()) + exponent;  // digits before the point
  if (point > 0) {
    return sign + digits.substr(0, static_cast<size_t>(point)) + "." +
           digits.substr(static_cast<size_t>(point));
  }
  return sign + "0." + std::string(static_cast<size_t>(-point), '0') + digits;
}

std::string CanonicalValue(std::string_view text) {
  std::string value(Trim(text));
  value = CbvUrnToWebUri(value);
  if (auto number = CanonicalNumber(value)) return *number;
  if (value.find('.') == std::string::npos) return value;
  if (auto dl = EpcUrnToDigitalLink(value)) return *dl;
  if (auto dl = CanonicalDigitalLink(value)) return *dl;
  return value;
}

Result<std::string> EventPreHash(const google::protobuf::Struct& event,
                                 const Namespaces& namespaces) {
  const Namespaces& ns = namespaces;
  const auto type = event.fields().find("type");
  static constexpr std::array<std::string_view, 5> kTypes = {
      "ObjectEvent", "AggregationEvent", "TransactionEvent", "TransformationEvent",
      "AssociationEvent"};
  if (type == event.fields().end() || !type->second.has_string_value() ||
      std::find(kTypes.begin(), kTypes.end(), type->second.string_value()) == kTypes.end()) {
    return Status::InvalidArgument(
        "an EPCIS event's type must be ObjectEvent, AggregationEvent, TransactionEvent, "
        "TransformationEvent or AssociationEvent");
  }
  std::string out = "eventType=" + type->second.string_value();
  out += Leaf(event, "eventTime", Vocabulary::kNone, ns);
  out += Leaf(event, "eventTimeZoneOffset", Vocabulary::kNone, ns);
  out += IdList(event, "epcList", ns);
  out += Leaf(event, "parentID", Vocabulary::kNone, ns);
  out += IdList(event, "inputEPCList", ns);
  out += IdList(event, "childEPCs", ns);
  out += QuantityList(event, "quantityList", ns);
  out += QuantityList(event, "childQuantityList", ns);
  out += QuantityList(event, "inputQuantityList", ns);
  out += IdList(event, "outputEPCList", ns);
  out += QuantityList(event, "outputQuantityList", ns);
  out += Leaf(event, "action", Vocabulary::kNone, ns);
  out += Leaf(event, "transformationID", Vocabulary::kNone, ns);
  out += Leaf(event, "bizStep", Vocabulary::kBizStep, ns);
  out += Leaf(event, "disposition", Vocabulary::kDisposition, ns);
  const auto persistent = event.fields().find("persistentDisposition");
  if (persistent != event.fields().end() && persistent->second.has_struct_value()) {
    Pieces set, unset;
    for (const pb::Value* v : Items(persistent->second.struct_value(), "set")) {
      set.push_back("set=" + StandardValue("set", *v, Vocabulary::kDisposition, ns));
    }
    for (const pb::Value* v : Items(persistent->second.struct_value(), "unset")) {
      unset.push_back("unset=" + StandardValue("unset", *v, Vocabulary::kDisposition, ns));
    }
    if (!set.empty() || !unset.empty()) {
      out += "persistentDisposition" + Sorted(std::move(set)) + Sorted(std::move(unset));
    }
  }
  std::string point_extensions;
  for (std::string_view point : {"readPoint", "bizLocation"}) {
    const auto it = event.fields().find(std::string(point));
    if (it == event.fields().end() || !it->second.has_struct_value()) continue;
    const std::string id = Leaf(it->second.struct_value(), "id", Vocabulary::kNone, ns);
    if (!id.empty()) out += std::string(point) + id;
    Pieces ext = Extensions(it->second.struct_value(), kPointFields, ns);
    if (!ext.empty()) point_extensions += std::string(point) + Sorted(std::move(ext));
  }
  out +=
      TypedList(event, "bizTransactionList", "bizTransaction", Vocabulary::kBizTransactionType, ns);
  out += TypedList(event, "sourceList", "source", Vocabulary::kSourceDestinationType, ns);
  out += TypedList(event, "destinationList", "destination", Vocabulary::kSourceDestinationType, ns);
  Pieces sensors;
  Pieces sensor_extensions;
  for (const pb::Value* element : Items(event, "sensorElementList")) {
    if (!element->has_struct_value()) continue;
    SensorParts parts = SensorElement(element->struct_value(), ns);
    sensors.push_back(std::move(parts.standard));
    if (!parts.extensions.empty()) sensor_extensions.push_back(std::move(parts.extensions));
  }
  out += Sorted(std::move(sensors));

  // The trailing block: ILMD, extensions inside standard fields, then the event's own.
  const auto ilmd = event.fields().find("ilmd");
  if (ilmd != event.fields().end() && ilmd->second.has_struct_value()) {
    Pieces pieces;
    for (const auto& [key, value] : ilmd->second.struct_value().fields()) {
      Generic(ExpandName(key, ns), value, ns, &pieces);
    }
    if (!pieces.empty()) out += "ilmd" + Sorted(std::move(pieces));
  }
  out += point_extensions;
  out += Sorted(std::move(sensor_extensions));
  Pieces event_extensions;
  for (const auto& [key, value] : event.fields()) {
    if (std::find(kStandardEventFields.begin(), kStandardEventFields.end(), key) !=
            kStandardEventFields.end() ||
        std::find(kExcluded.begin(), kExcluded.end(), key) != kExcluded.end() || IsComment(key)) {
      continue;
    }
    Generic(ExpandName(key, ns), value, ns, &event_extensions);
  }
  out += Sorted(std::move(event_extensions));
  return out;
}

std::string HashIdOfPreHash(std::string_view pre_hash) {
  return "ni:///sha-256;" + ToHex(crypto::Sha256(ByteView(pre_hash))) + "?ver=CBV2.0";
}

Result<std::string> EventHashId(const google::protobuf::Struct& event,
                                const Namespaces& namespaces) {
  auto pre_hash = EventPreHash(event, namespaces);
  if (!pre_hash.ok()) return pre_hash.status();
  return HashIdOfPreHash(*pre_hash);
}

}  // namespace shipledger::interop
