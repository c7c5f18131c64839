#include "gateway/http_util.h"

#include <google/protobuf/util/json_util.h>

#include <boost/beast/http/status.hpp>
#include <boost/beast/http/verb.hpp>

#include "cli/json.h"
#include "interop/epcis_hash.h"
#include "interop/ledger_types.h"
#include "shipledger/clock.h"

namespace shipledger::gateway {

namespace pb = google::protobuf;

rpc::HttpAnswer Problem(unsigned status, std::string_view type, std::string_view title,
                        std::string_view detail) {
  cli::JsonObject p;
  p.Set("type", type);
  p.Set("title", title);
  p.Set("status", static_cast<int>(status));
  if (!detail.empty()) p.Set("detail", detail);
  return JsonAnswer(status, p.fields(), "application/problem+json");
}

rpc::HttpAnswer DcsaError(const rpc::HttpRequest& request, unsigned status, std::string_view reason,
                          std::string_view message) {
  cli::JsonObject e;
  namespace http = boost::beast::http;
  const auto method = http::to_string(request.method);
  const auto text = http::obsolete_reason(static_cast<http::status>(status));
  e.Set("httpMethod", std::string_view(method.data(), method.size()));
  e.Set("requestUri", std::string_view(request.target));
  e.Set("statusCode", std::string_view(std::to_string(status)));
  e.Set("statusCodeText", std::string_view(text.data(), text.size()));
  e.Set("errorDateTime", std::string_view(interop::EpcisTime(SystemClock::Get().NowMs())));
  cli::JsonObject sub;
  sub.Set("reason", reason);
  sub.Set("message", message);
  pb::Value list;
  *list.mutable_list_value()->add_values() = sub.ToValue();
  e.Set("errors", std::move(list));
  return JsonAnswer(status, e.fields());
}

rpc::HttpAnswer JsonAnswer(unsigned status, const pb::Message& body,
                           std::string_view content_type) {
  rpc::HttpAnswer answer;
  answer.status = status;
  (void)pb::util::MessageToJsonString(body, &answer.body);
  answer.content_type = std::string(content_type);
  return answer;
}

std::vector<std::string> SplitList(const std::string& value, char separator) {
  std::vector<std::string> out;
  size_t start = 0;
  for (;;) {
    const size_t end = value.find(separator, start);
    out.push_back(value.substr(start, end - start));
    if (end == std::string::npos) return out;
    start = end + 1;
  }
}

std::string PageLink(std::string_view path,
                     const std::vector<std::pair<std::string, std::string>>& params,
                     std::string_view cursor_name, const std::string& cursor) {
  std::string link(path);
  char separator = '?';
  for (const auto& [name, value] : params) {
    link += separator + interop::PercentEncode(name) + "=" + interop::PercentEncode(value);
    separator = '&';
  }
  if (!cursor.empty()) {
    link += separator + std::string(cursor_name) + "=" + interop::PercentEncode(cursor);
  }
  return link;
}

std::optional<Target> ParseTarget(std::string_view target) {
  Target out;
  const size_t q = target.find('?');
  auto path = interop::PercentDecode(target.substr(0, q));
  if (!path) return std::nullopt;
  out.path = std::move(*path);
  if (q == std::string_view::npos) return out;
  std::string_view rest = target.substr(q + 1);
  while (!rest.empty()) {
    const size_t amp = rest.find('&');
    std::string part(rest.substr(0, amp));
    rest = amp == std::string_view::npos ? std::string_view() : rest.substr(amp + 1);
    if (part.empty()) continue;
    for (char& c : part) {
      if (c == '+') c = ' ';
    }
    const size_t eq = part.find('=');
    auto name = interop::PercentDecode(std::string_view(part).substr(0, eq));
    auto value = interop::PercentDecode(
        eq == std::string::npos ? std::string_view() : std::string_view(part).substr(eq + 1));
    if (!name || !value) return std::nullopt;
    out.params.emplace_back(std::move(*name), std::move(*value));
  }
  return out;
}

}  // namespace shipledger::gateway
