// The EPCIS 2.0 REST resources of the gateway (docs/gateway.md, "EPCIS 2.0"): /capture,
// /capture/{id}, /events (GET: the query; POST: one event), /events/{eventID}.
#include <google/protobuf/util/json_util.h>

#include <charconv>

#include "gateway/gateway.h"
#include "gateway/http_util.h"
#include "interop/cbv.h"
#include "interop/epcis_export.h"
#include "interop/epcis_import.h"
#include "interop/json_fields.h"
#include "model/units.h"
#include "shipledger/clock.h"

namespace shipledger::gateway {

namespace pb = google::protobuf;

namespace {

constexpr std::string_view kValidation = "epcisException:ValidationException";
constexpr std::string_view kQueryParameter = "epcisException:QueryParameterException";
constexpr std::string_view kNoSuchResource = "epcisException:NoSuchResourceException";
constexpr std::string_view kImplementation = "epcisException:ImplementationException";

rpc::HttpAnswer Unavailable(const Status& s) {
  return Problem(s.code() == Code::kUnavailable ? 503 : 500, kImplementation,
                 "The gateway cannot answer now", s.message());
}

std::string ExpandedWord(interop::Vocabulary v, const std::string& word) {
  return interop::ExpandBareWord(v, word).value_or(word);
}

// "urn:epc:idpat:sgtin:0614141.107346.*" matches the EPCs "urn:epc:id:sgtin:0614141.107346.…".
std::string EpcPattern(const std::string& value) {
  constexpr std::string_view kIdPat = "urn:epc:idpat:";
  if (value.starts_with(kIdPat)) return "urn:epc:id:" + value.substr(kIdPat.size());
  return value;
}

bool IsEventType(const std::string& t) {
  return t == "ObjectEvent" || t == "AggregationEvent" || t == "TransactionEvent" ||
         t == "TransformationEvent" || t == "AssociationEvent";
}

pb::Value Str(std::string_view s) {
  pb::Value v;
  v.set_string_value(std::string(s));
  return v;
}

// An EPCISQueryDocument holding `events`.
pb::Struct QueryDocument(std::vector<pb::Struct> events) {
  pb::Struct doc;
  auto& f = *doc.mutable_fields();
  f["@context"] = interop::ExportContext();
  f["type"] = Str("EPCISQueryDocument");
  f["schemaVersion"] = Str("2.0");
  f["creationDate"] = Str(interop::EpcisTime(SystemClock::Get().NowMs()));
  pb::Struct results;
  (*results.mutable_fields())["queryName"] = Str("SimpleEventQuery");
  pb::Struct body;
  auto* list = (*body.mutable_fields())["eventList"].mutable_list_value();
  for (auto& e : events) *list->add_values()->mutable_struct_value() = std::move(e);
  *(*results.mutable_fields())["resultsBody"].mutable_struct_value() = std::move(body);
  pb::Struct epcis_body;
  *(*epcis_body.mutable_fields())["queryResults"].mutable_struct_value() = std::move(results);
  *f["epcisBody"].mutable_struct_value() = std::move(epcis_body);
  return doc;
}

bool JsonContentType(std::string_view type) {
  return type.empty() || type.starts_with("application/json") ||
         type.starts_with("application/ld+json");
}

}  // namespace

rpc::HttpAnswer Gateway::PostCapture(const rpc::HttpRequest& request, const Target&) {
  if (!JsonContentType(request.Header("content-type"))) {
    return Problem(415, kValidation, "Unsupported media type",
                   "send an EPCISDocument as application/json or application/ld+json");
  }
  CaptureOptions capture;
  const std::string_view behaviour = request.Header("gs1-capture-error-behaviour");
  if (behaviour == "proceed") {
    capture.proceed = true;
  } else if (!behaviour.empty() && behaviour != "rollback") {
    return Problem(400, kValidation, "Bad GS1-Capture-Error-Behaviour",
                   "this gateway supports rollback (the default) and proceed");
  }
  pb::Value doc;
  if (const auto s = pb::util::JsonStringToMessage(request.body, &doc); !s.ok()) {
    return Problem(400, kValidation, "Not JSON", std::string(s.message()));
  }
  if (!doc.has_struct_value() || interop::TextOf(doc.struct_value(), "type") != "EPCISDocument") {
    return Problem(400, kValidation, "Not an EPCISDocument",
                   "POST /capture takes an EPCISDocument (\"type\": \"EPCISDocument\"); POST "
                   "/events takes one event");
  }
  auto events = interop::EpcisEventsOf(doc.struct_value());
  if (!events.ok())
    return Problem(400, kValidation, "Not an EPCISDocument", events.status().message());
  const std::string limit = std::to_string(options_.max_capture_events);
  if (events->size() > options_.max_capture_events) {
    rpc::HttpAnswer a =
        Problem(413, "epcisException:CaptureLimitExceededException", "Too many events",
                std::to_string(events->size()) + " events; this gateway takes " + limit +
                    " per capture (GS1-CAPTURE-limit)");
    a.headers.emplace_back("GS1-CAPTURE-limit", limit);
    return a;
  }
  if (events->empty())
    return Problem(400, kValidation, "No events", "epcisBody.eventList is empty");
  auto id = capture_->Accept(request.body, capture);
  if (!id.ok()) return Unavailable(id.status());
  rpc::HttpAnswer a(202, "");
  a.headers.emplace_back("Location", "/capture/" + *id);
  a.headers.emplace_back("GS1-CAPTURE-limit", limit);
  a.headers.emplace_back("GS1-CAPTURE-file-size-limit", std::to_string(options_.max_body_bytes));
  return a;
}

rpc::HttpAnswer Gateway::GetCapture(const std::string& id) {
  auto job = capture_->Job(id);
  if (!job.ok()) {
    if (job.status().code() == Code::kNotFound) {
      return Problem(404, kNoSuchResource, "No such capture job", "no capture job " + id);
    }
    return Unavailable(job.status());
  }
  pb::Struct parsed;
  if (!pb::util::JsonStringToMessage(*job, &parsed).ok()) {
    return Unavailable(Status::DataLoss("capture job " + id + " does not parse"));
  }
  parsed.mutable_fields()->erase("indexWaitMs");
  return JsonAnswer(200, parsed);
}

rpc::HttpAnswer Gateway::PostEvent(const rpc::HttpRequest& request) {
  if (!JsonContentType(request.Header("content-type"))) {
    return Problem(415, kValidation, "Unsupported media type",
                   "send one EPCIS event as application/json or application/ld+json");
  }
  pb::Value event;
  if (const auto s = pb::util::JsonStringToMessage(request.body, &event); !s.ok()) {
    return Problem(400, kValidation, "Not JSON", std::string(s.message()));
  }
  if (!event.has_struct_value() || !IsEventType(interop::TextOf(event.struct_value(), "type"))) {
    return Problem(400, kValidation, "Not an EPCIS event",
                   "POST /events takes one EPCIS event; POST /capture takes an EPCISDocument");
  }
  // The event as a document of one, with its own @context when it brings one.
  pb::Struct doc;
  auto& f = *doc.mutable_fields();
  const pb::Value* context = interop::FieldOf(event.struct_value(), "@context");
  f["@context"] = context != nullptr ? *context : interop::ExportContext();
  f["type"] = Str("EPCISDocument");
  f["schemaVersion"] = Str("2.0");
  f["creationDate"] = Str(interop::EpcisTime(SystemClock::Get().NowMs()));
  pb::Struct body;
  *(*body.mutable_fields())["eventList"].mutable_list_value()->add_values() = event;
  *f["epcisBody"].mutable_struct_value() = std::move(body);
  std::string text;
  (void)pb::util::MessageToJsonString(doc, &text);
  auto id = capture_->Accept(text, {});
  if (!id.ok()) return Unavailable(id.status());
  const std::string job_location = "/capture/" + *id;
  if (!capture_->Wait(*id, 65000)) {
    rpc::HttpAnswer a(202, "");
    a.headers.emplace_back("Location", job_location);
    return a;
  }
  auto job_text = capture_->Job(*id);
  pb::Struct job;
  if (!job_text.ok() || !pb::util::JsonStringToMessage(*job_text, &job).ok()) {
    return Unavailable(job_text.ok() ? Status::DataLoss("capture job does not parse")
                                     : job_text.status());
  }
  job.mutable_fields()->erase("indexWaitMs");
  const auto& fields = job.fields();
  if (!fields.at("success").bool_value()) {
    std::string detail;
    for (const auto& e : fields.at("errors").list_value().values()) {
      detail += (detail.empty() ? "" : "; ") + interop::TextOf(e.struct_value(), "detail");
    }
    rpc::HttpAnswer a = Problem(400, kValidation, "The event was not captured", detail);
    a.headers.emplace_back("Content-Location", job_location);
    return a;
  }
  const auto& outcomes = fields.at("events").list_value();
  const std::string event_id = outcomes.values_size() > 0
                                   ? interop::TextOf(outcomes.values(0).struct_value(), "eventID")
                                   : std::string();
  rpc::HttpAnswer a = JsonAnswer(201, job);
  a.headers.emplace_back("Location", "/events/" + interop::PercentEncode(event_id));
  a.headers.emplace_back("Content-Location", job_location);
  return a;
}

rpc::HttpAnswer Gateway::GetEvents(const Target& target) {
  EventQuery q;
  q.per_page = options_.default_per_page;
  std::vector<std::pair<std::string, std::string>> kept;  // for the next page's link
  for (const auto& [name, value] : target.params) {
    auto bad = [&](std::string_view why) {
      return Problem(400, kQueryParameter, "Bad query parameter", name + ": " + std::string(why));
    };
    if (name != "nextPageToken") kept.emplace_back(name, value);
    if (value.empty()) return bad("has no value");
    const auto values = SplitList(value, '|');
    if (name == "eventType") {
      for (const auto& v : values) {
        if (!IsEventType(v)) return bad("'" + v + "' is not an EPCIS event type");
        q.event_types.push_back(v);
      }
    } else if (name == "EQ_bizStep") {
      for (const auto& v : values)
        q.biz_steps.push_back(ExpandedWord(interop::Vocabulary::kBizStep, v));
    } else if (name == "EQ_disposition") {
      for (const auto& v : values) {
        q.dispositions.push_back(ExpandedWord(interop::Vocabulary::kDisposition, v));
      }
    } else if (name == "EQ_bizLocation") {
      q.biz_locations.insert(q.biz_locations.end(), values.begin(), values.end());
    } else if (name == "EQ_readPoint") {
      q.read_points.insert(q.read_points.end(), values.begin(), values.end());
    } else if (name == "MATCH_epc") {
      for (const auto& v : values) q.epcs.push_back(EpcPattern(v));
    } else if (name.starts_with("EQ_bizTransaction_") && name.size() > 18) {
      q.biz_transactions.emplace_back(
          ExpandedWord(interop::Vocabulary::kBizTransactionType, name.substr(18)), values);
    } else if (name == "GE_eventTime" || name == "LT_eventTime" || name == "GE_recordTime" ||
               name == "LT_recordTime") {
      int64_t ms = 0;
      if (!model::ParseIsoTime(value, &ms)) return bad("'" + value + "' is not an ISO 8601 time");
      (name == "GE_eventTime"    ? q.ge_event_time_ms
       : name == "LT_eventTime"  ? q.lt_event_time_ms
       : name == "GE_recordTime" ? q.ge_record_time_ms
                                 : q.lt_record_time_ms) = ms;
    } else if (name == "perPage") {
      uint32_t n = 0;
      const auto [end, ec] = std::from_chars(value.data(), value.data() + value.size(), n);
      if (ec != std::errc() || end != value.data() + value.size() || n == 0) {
        return bad("must be a whole number from 1");
      }
      q.per_page = std::min(n, options_.max_per_page);
    } else if (name == "nextPageToken") {
      const auto [end, ec] = std::from_chars(value.data(), value.data() + value.size(), q.after);
      if (ec != std::errc() || end != value.data() + value.size()) {
        return bad("is not a token this gateway gave");
      }
    } else {
      return Problem(400, kQueryParameter, "Unsupported query parameter",
                     name + " is not a query parameter this gateway answers (docs/gateway.md)");
    }
  }
  auto page = index_->Query(q);
  if (!page.ok()) return Unavailable(page.status());
  rpc::HttpAnswer a =
      JsonAnswer(200, QueryDocument(std::move(page->events)), "application/ld+json");
  if (page->next != 0) {
    std::string link = "/events?";
    for (const auto& [name, value] : kept) {
      link += interop::PercentEncode(name) + "=" + interop::PercentEncode(value) + "&";
    }
    link += "nextPageToken=" + std::to_string(page->next);
    a.headers.emplace_back("Link", "<" + link + ">; rel=\"next\"");
    a.headers.emplace_back("GS1-Next-Page-Token", std::to_string(page->next));
  }
  return a;
}

rpc::HttpAnswer Gateway::GetEvent(const std::string& event_id) {
  auto event = index_->Get(event_id);
  if (!event.ok()) {
    if (event.status().code() == Code::kNotFound) {
      return Problem(404, kNoSuchResource, "No such event",
                     "no event " + event_id + " that this party may read");
    }
    return Unavailable(event.status());
  }
  std::vector<pb::Struct> one;
  one.push_back(std::move(*event));
  return JsonAnswer(200, QueryDocument(std::move(one)), "application/ld+json");
}

}  // namespace shipledger::gateway
