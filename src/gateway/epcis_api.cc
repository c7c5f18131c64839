// The EPCIS 2.0 REST resources of the gateway (docs/gateway.md, "EPCIS 2.0"): /capture,
// /capture/{id}, /events (GET: the query; POST: one event), /events/{eventID}.
#include <google/protobuf/util/json_util.h>

#include "gateway/gateway.h"
#include "gateway/http_util.h"
#include "interop/epcis_export.h"
#include "interop/epcis_import.h"
#include "interop/json_fields.h"
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

pb::Value Str(std::string_view s) {
  pb::Value v;
  v.set_string_value(std::string(s));
  return v;
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
  if (!event.has_struct_value() ||
      !IsEpcisEventType(interop::TextOf(event.struct_value(), "type"))) {
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
  // At most half the handler threads wait for their event; beyond that the answer is the job.
  const uint32_t max_waiters = std::max<uint32_t>(1, options_.handler_threads / 2);
  const bool may_wait = ++event_waiters_ <= max_waiters;
  const bool finished = may_wait && capture_->Wait(*id, 65000);
  --event_waiters_;
  if (!finished) {
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
    if (name != "nextPageToken") kept.emplace_back(name, value);
    const Status s = AddEpcisParameter(name, value, &q);
    if (s.code() == Code::kNotFound) {
      return Problem(400, kQueryParameter, "Unsupported query parameter", s.message());
    }
    if (!s.ok()) return Problem(400, kQueryParameter, "Bad query parameter", s.message());
  }
  q.per_page = std::min(q.per_page, options_.max_per_page);
  auto page = index_->Query(q);
  if (!page.ok()) return Unavailable(page.status());
  rpc::HttpAnswer a =
      JsonAnswer(200, EpcisQueryDocument(std::move(page->events)), "application/ld+json");
  if (page->next != 0) {
    const std::string link = PageLink("/events", kept, "nextPageToken", std::to_string(page->next));
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
  return JsonAnswer(200, EpcisQueryDocument(std::move(one)), "application/ld+json");
}

}  // namespace shipledger::gateway
