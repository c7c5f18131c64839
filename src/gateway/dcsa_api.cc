// The DCSA Track & Trace 2.2 resources of the gateway (docs/gateway.md, "DCSA T&T 2.2"):
// GET /v2/events, and /v2/event-subscriptions with its sub-resources. Errors are DCSA's Error.
#include <google/protobuf/util/json_util.h>

#include "gateway/gateway.h"
#include "gateway/http_util.h"
#include "interop/ledger_types.h"

namespace shipledger::gateway {

namespace pb = google::protobuf;

namespace {

rpc::HttpAnswer WithApiVersion(rpc::HttpAnswer a) {
  a.headers.emplace_back("API-Version", "2.2.0");
  return a;
}

rpc::HttpAnswer FromStatus(const rpc::HttpRequest& r, const Status& s) {
  switch (s.code()) {
    case Code::kInvalidArgument:
      return DcsaError(r, 400, "invalidInput", s.message());
    case Code::kNotFound:
      return DcsaError(r, 404, "notFound", s.message());
    case Code::kUnavailable:
      return DcsaError(r, 503, "unavailable", s.message());
    default:
      return DcsaError(r, 500, "internalError", s.message());
  }
}

Result<pb::Struct> JsonBody(const rpc::HttpRequest& r) {
  const std::string_view type = r.Header("content-type");
  const std::string_view media = type.substr(0, type.find(';'));
  if (!type.empty() && media != "application/json" && !media.ends_with("+json")) {
    return Status::InvalidArgument("send application/json");
  }
  pb::Struct body;
  if (const auto s = pb::util::JsonStringToMessage(r.body, &body); !s.ok()) {
    return Status::InvalidArgument("the body is not a JSON object: " + std::string(s.message()));
  }
  return body;
}

}  // namespace

rpc::HttpAnswer Gateway::HandleDcsa(const rpc::HttpRequest& r, const Target& target) {
  using boost::beast::http::verb;
  const std::string& path = target.path;
  auto not_allowed = [&](std::string_view allow) {
    rpc::HttpAnswer a = DcsaError(r, 405, "methodNotAllowed", "allowed: " + std::string(allow));
    a.headers.emplace_back("Allow", std::string(allow));
    return a;
  };
  if (path == "/v2/events") {
    if (r.method != verb::get) return not_allowed("GET");
    DcsaQuery q;
    q.limit = options_.default_per_page;
    std::vector<std::pair<std::string, std::string>> kept;
    for (const auto& [name, value] : target.params) {
      if (name == "sort") {
        return DcsaError(r, 400, "invalidQuery",
                         "sort is not supported: events come in commit order");
      }
      if (name != "cursor") kept.emplace_back(name, value);
      const Status s = AddDcsaParameter(name, value, &q);
      if (!s.ok()) return DcsaError(r, 400, "invalidQuery", s.message());
    }
    q.limit = std::min(q.limit, options_.max_per_page);
    auto page = index_->QueryDcsa(q);
    if (!page.ok()) return FromStatus(r, page.status());
    pb::Value list;
    list.mutable_list_value();
    for (auto& e : page->events)
      *list.mutable_list_value()->add_values()->mutable_struct_value() = e;
    rpc::HttpAnswer a = JsonAnswer(200, list);
    a.headers.emplace_back("Current-Page", PageLink(path, kept, "cursor",
                                                    q.after == 0 ? "" : std::to_string(q.after)));
    if (page->next != 0) {
      a.headers.emplace_back("Next-Page",
                             PageLink(path, kept, "cursor", std::to_string(page->next)));
    }
    return WithApiVersion(std::move(a));
  }
  constexpr std::string_view kSubs = "/v2/event-subscriptions";
  if (path == kSubs) {
    if (r.method == verb::post) {
      auto body = JsonBody(r);
      if (!body.ok()) return FromStatus(r, body.status());
      auto made = subscriptions_->Create(*body);
      if (!made.ok()) return FromStatus(r, made.status());
      rpc::HttpAnswer a = JsonAnswer(201, *made);
      a.headers.emplace_back("Location", std::string(kSubs) + "/" +
                                             made->fields().at("subscriptionID").string_value());
      return WithApiVersion(std::move(a));
    }
    if (r.method != verb::get) return not_allowed("GET, POST");
    size_t limit = options_.default_per_page;
    std::string after;
    std::vector<std::pair<std::string, std::string>> kept;
    for (const auto& [name, value] : target.params) {
      if (name == "limit") {
        DcsaQuery ignored;
        if (Status s = AddDcsaParameter(name, value, &ignored); !s.ok()) {
          return DcsaError(r, 400, "invalidQuery", s.message());
        }
        limit = std::min<size_t>(ignored.limit, options_.max_per_page);
        kept.emplace_back(name, value);
      } else if (name == "cursor") {
        after = value;
      } else {
        return DcsaError(r, 400, "invalidQuery", name + " is not a parameter of this resource");
      }
    }
    auto subs = subscriptions_->List(after, limit + 1);
    const bool more = subs.size() > limit;
    if (more) subs.resize(limit);
    pb::Value list;
    list.mutable_list_value();
    for (auto& s : subs) *list.mutable_list_value()->add_values()->mutable_struct_value() = s;
    rpc::HttpAnswer a = JsonAnswer(200, list);
    if (more) {
      a.headers.emplace_back(
          "Next-Page",
          PageLink(path, kept, "cursor", subs.back().fields().at("subscriptionID").string_value()));
    }
    return WithApiVersion(std::move(a));
  }
  if (path.starts_with(std::string(kSubs) + "/")) {
    std::string id = path.substr(kSubs.size() + 1);
    const bool secret = id.ends_with("/secret");
    if (secret) id.resize(id.size() - 7);
    if (id.empty() || id.find('/') != std::string::npos) {
      return DcsaError(r, 404, "notFound", "no resource " + path);
    }
    if (secret) {
      if (r.method != verb::put) return not_allowed("PUT");
      auto body = JsonBody(r);
      if (!body.ok()) return FromStatus(r, body.status());
      if (Status s = subscriptions_->ResetSecret(id, *body); !s.ok()) return FromStatus(r, s);
      return WithApiVersion(rpc::HttpAnswer(204, ""));
    }
    if (r.method == verb::get) {
      auto sub = subscriptions_->Get(id);
      if (!sub.ok()) return FromStatus(r, sub.status());
      return WithApiVersion(JsonAnswer(200, *sub));
    }
    if (r.method == verb::put) {
      auto body = JsonBody(r);
      if (!body.ok()) return FromStatus(r, body.status());
      auto sub = subscriptions_->Update(id, *body);
      if (!sub.ok()) return FromStatus(r, sub.status());
      return WithApiVersion(JsonAnswer(200, *sub));
    }
    if (r.method == verb::delete_) {
      if (Status s = subscriptions_->Delete(id); !s.ok()) return FromStatus(r, s);
      return WithApiVersion(rpc::HttpAnswer(204, ""));
    }
    return not_allowed("GET, PUT, DELETE");
  }
  return DcsaError(r, 404, "notFound", "no resource " + path);
}

}  // namespace shipledger::gateway
