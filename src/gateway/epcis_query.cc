#include "gateway/epcis_query.h"

#include <algorithm>
#include <charconv>
#include <set>

#include "gateway/http_util.h"
#include "interop/cbv.h"
#include "interop/epcis_export.h"
#include "interop/epcis_hash.h"
#include "interop/json_fields.h"
#include "model/units.h"
#include "shipledger/clock.h"

namespace shipledger::gateway {

namespace pb = google::protobuf;

namespace {

// Index field letters.
constexpr char kFieldType = 't';
constexpr char kFieldBizStep = 'b';
constexpr char kFieldDisposition = 'd';
constexpr char kFieldBizLocation = 'l';
constexpr char kFieldReadPoint = 'r';
constexpr char kFieldEpc = 'e';
constexpr char kFieldBizTransaction = 'x';

std::string Expanded(interop::Vocabulary vocabulary, const std::string& word) {
  return interop::ExpandBareWord(vocabulary, word).value_or(word);
}

std::string IdOf(const pb::Struct& event, std::string_view field) {
  const pb::Value* v = interop::FieldOf(event, field);
  return v != nullptr && v->has_struct_value() ? interop::TextOf(v->struct_value(), "id")
                                               : std::string();
}

std::vector<std::string> EpcsOf(const pb::Struct& event) {
  std::vector<std::string> out;
  for (const char* list : {"epcList", "childEPCs", "inputEPCList", "outputEPCList"}) {
    const pb::Value* v = interop::FieldOf(event, list);
    if (v == nullptr || !v->has_list_value()) continue;
    for (const auto& e : v->list_value().values()) {
      if (e.has_string_value()) out.push_back(e.string_value());
    }
  }
  return out;
}

// (type URI, value) of each business transaction.
std::vector<std::pair<std::string, std::string>> BizTransactionsOf(const pb::Struct& event) {
  std::vector<std::pair<std::string, std::string>> out;
  const pb::Value* v = interop::FieldOf(event, "bizTransactionList");
  if (v == nullptr || !v->has_list_value()) return out;
  for (const auto& e : v->list_value().values()) {
    if (!e.has_struct_value()) continue;
    out.emplace_back(Expanded(interop::Vocabulary::kBizTransactionType,
                              interop::TextOf(e.struct_value(), "type")),
                     interop::TextOf(e.struct_value(), "bizTransaction"));
  }
  return out;
}

bool TimeIn(const pb::Struct& event, std::string_view field, const std::optional<int64_t>& ge,
            const std::optional<int64_t>& lt) {
  if (!ge && !lt) return true;
  int64_t ms = 0;
  if (!model::ParseIsoTime(interop::TextOf(event, field), &ms, model::FractionMode::kTruncate)) {
    return false;
  }
  return (!ge || ms >= *ge) && (!lt || ms < *lt);
}

bool AnyOf(const std::vector<std::string>& wanted, const std::string& value) {
  return wanted.empty() || std::find(wanted.begin(), wanted.end(), value) != wanted.end();
}

bool EpcMatches(const std::string& pattern, const std::string& epc) {
  if (!pattern.empty() && pattern.back() == '*') {
    return epc.compare(0, pattern.size() - 1, pattern, 0, pattern.size() - 1) == 0;
  }
  return pattern == epc;
}

pb::Value StringValue(std::string_view s) {
  pb::Value v;
  v.set_string_value(std::string(s));
  return v;
}

bool IsEventType(const std::string& t) {
  return t == "ObjectEvent" || t == "AggregationEvent" || t == "TransactionEvent" ||
         t == "TransformationEvent" || t == "AssociationEvent";
}

// "urn:epc:idpat:sgtin:0614141.107346.*" matches the EPCs "urn:epc:id:sgtin:0614141.107346.…".
std::string EpcPattern(const std::string& value) {
  constexpr std::string_view kIdPat = "urn:epc:idpat:";
  if (value.starts_with(kIdPat)) return "urn:epc:id:" + value.substr(kIdPat.size());
  return value;
}

}  // namespace

std::vector<std::pair<char, std::string>> EpcisIndexEntries(const pb::Struct& event) {
  std::vector<std::pair<char, std::string>> out;
  out.emplace_back(kFieldType, interop::TextOf(event, "type"));
  if (auto s = interop::TextOf(event, "bizStep"); !s.empty())
    out.emplace_back(kFieldBizStep, Expanded(interop::Vocabulary::kBizStep, s));
  if (auto s = interop::TextOf(event, "disposition"); !s.empty())
    out.emplace_back(kFieldDisposition, Expanded(interop::Vocabulary::kDisposition, s));
  if (auto s = IdOf(event, "bizLocation"); !s.empty()) out.emplace_back(kFieldBizLocation, s);
  if (auto s = IdOf(event, "readPoint"); !s.empty()) out.emplace_back(kFieldReadPoint, s);
  std::set<std::string> epcs;
  for (auto& e : EpcsOf(event)) {
    if (epcs.insert(e).second) out.emplace_back(kFieldEpc, e);
  }
  std::set<std::string> transactions;
  for (auto& [type, value] : BizTransactionsOf(event)) {
    std::string key = type + '\x01' + value;
    if (transactions.insert(key).second) out.emplace_back(kFieldBizTransaction, std::move(key));
  }
  return out;
}

std::optional<std::pair<char, std::vector<std::string>>> EpcisDrivingIndex(const EventQuery& q) {
  // The most selective parameter with exact values.
  if (!q.biz_transactions.empty()) {
    std::vector<std::string> values;
    for (const auto& v : q.biz_transactions.front().second) {
      values.push_back(q.biz_transactions.front().first + '\x01' + v);
    }
    return std::pair(kFieldBizTransaction, std::move(values));
  }
  const bool exact_epcs = std::none_of(q.epcs.begin(), q.epcs.end(), [](const std::string& e) {
    return !e.empty() && e.back() == '*';
  });
  if (exact_epcs && !q.epcs.empty()) return std::pair(kFieldEpc, q.epcs);
  if (!q.biz_locations.empty()) return std::pair(kFieldBizLocation, q.biz_locations);
  if (!q.read_points.empty()) return std::pair(kFieldReadPoint, q.read_points);
  if (!q.biz_steps.empty()) return std::pair(kFieldBizStep, q.biz_steps);
  if (!q.dispositions.empty()) return std::pair(kFieldDisposition, q.dispositions);
  if (!q.event_types.empty()) return std::pair(kFieldType, q.event_types);
  return std::nullopt;
}

bool IsEpcisEventType(const std::string& type) { return IsEventType(type); }

bool Matches(const pb::Struct& event, const EventQuery& q) {
  if (!AnyOf(q.event_types, interop::TextOf(event, "type"))) return false;
  if (!q.biz_steps.empty() && !AnyOf(q.biz_steps, Expanded(interop::Vocabulary::kBizStep,
                                                           interop::TextOf(event, "bizStep")))) {
    return false;
  }
  if (!q.dispositions.empty() &&
      !AnyOf(q.dispositions,
             Expanded(interop::Vocabulary::kDisposition, interop::TextOf(event, "disposition")))) {
    return false;
  }
  if (!q.biz_locations.empty() && !AnyOf(q.biz_locations, IdOf(event, "bizLocation"))) return false;
  if (!q.read_points.empty() && !AnyOf(q.read_points, IdOf(event, "readPoint"))) return false;
  if (!q.epcs.empty()) {
    const auto epcs = EpcsOf(event);
    bool found = false;
    for (const auto& pattern : q.epcs) {
      for (const auto& epc : epcs) found = found || EpcMatches(pattern, epc);
    }
    if (!found) return false;
  }
  if (!q.biz_transactions.empty()) {
    const auto transactions = BizTransactionsOf(event);
    for (const auto& [type, values] : q.biz_transactions) {
      bool found = false;
      for (const auto& [t, v] : transactions) found = found || (t == type && AnyOf(values, v));
      if (!found) return false;
    }
  }
  return TimeIn(event, "eventTime", q.ge_event_time_ms, q.lt_event_time_ms) &&
         TimeIn(event, "recordTime", q.ge_record_time_ms, q.lt_record_time_ms);
}

Status AddEpcisParameter(const std::string& name, const std::string& value, EventQuery* q) {
  if (value.empty()) return Status::InvalidArgument(name + " has no value");
  const auto values = SplitList(value, '|');
  if (name == "eventType") {
    for (const auto& v : values) {
      if (!IsEventType(v))
        return Status::InvalidArgument(name + ": '" + v + "' is not an EPCIS event type");
      q->event_types.push_back(v);
    }
  } else if (name == "EQ_bizStep") {
    for (const auto& v : values) q->biz_steps.push_back(Expanded(interop::Vocabulary::kBizStep, v));
  } else if (name == "EQ_disposition") {
    for (const auto& v : values) {
      q->dispositions.push_back(Expanded(interop::Vocabulary::kDisposition, v));
    }
  } else if (name == "EQ_bizLocation") {
    q->biz_locations.insert(q->biz_locations.end(), values.begin(), values.end());
  } else if (name == "EQ_readPoint") {
    q->read_points.insert(q->read_points.end(), values.begin(), values.end());
  } else if (name == "MATCH_epc") {
    for (const auto& v : values) q->epcs.push_back(EpcPattern(v));
  } else if (name.starts_with("EQ_bizTransaction_") && name.size() > 18) {
    q->biz_transactions.emplace_back(
        Expanded(interop::Vocabulary::kBizTransactionType, name.substr(18)), values);
  } else if (name == "GE_eventTime" || name == "LT_eventTime" || name == "GE_recordTime" ||
             name == "LT_recordTime") {
    int64_t ms = 0;
    if (!model::ParseIsoTime(value, &ms)) {
      return Status::InvalidArgument(name + ": '" + value + "' is not an ISO 8601 time");
    }
    (name == "GE_eventTime"    ? q->ge_event_time_ms
     : name == "LT_eventTime"  ? q->lt_event_time_ms
     : name == "GE_recordTime" ? q->ge_record_time_ms
                               : q->lt_record_time_ms) = ms;
  } else if (name == "perPage") {
    uint32_t n = 0;
    const auto [end, ec] = std::from_chars(value.data(), value.data() + value.size(), n);
    if (ec != std::errc() || end != value.data() + value.size() || n == 0) {
      return Status::InvalidArgument(name + ": must be a whole number from 1");
    }
    q->per_page = n;
  } else if (name == "nextPageToken") {
    const auto [end, ec] = std::from_chars(value.data(), value.data() + value.size(), q->after);
    if (ec != std::errc() || end != value.data() + value.size()) {
      return Status::InvalidArgument(name + ": is not a token this gateway gave");
    }
  } else {
    return Status::NotFound(name +
                            " is not a query parameter this gateway answers (docs/gateway.md)");
  }
  return Status::Ok();
}

pb::Struct EpcisQueryDocument(std::vector<pb::Struct> events) {
  pb::Struct doc;
  auto& f = *doc.mutable_fields();
  f["@context"] = interop::ExportContext();
  f["type"] = StringValue("EPCISQueryDocument");
  f["schemaVersion"] = StringValue("2.0");
  f["creationDate"] = StringValue(interop::EpcisTime(SystemClock::Get().NowMs()));
  pb::Struct results;
  (*results.mutable_fields())["queryName"] = StringValue("SimpleEventQuery");
  pb::Struct body;
  auto* list = (*body.mutable_fields())["eventList"].mutable_list_value();
  for (auto& e : events) *list->add_values()->mutable_struct_value() = std::move(e);
  *(*results.mutable_fields())["resultsBody"].mutable_struct_value() = std::move(body);
  pb::Struct epcis_body;
  *(*epcis_body.mutable_fields())["queryResults"].mutable_struct_value() = std::move(results);
  *f["epcisBody"].mutable_struct_value() = std::move(epcis_body);
  return doc;
}

}  // namespace shipledger::gateway
