#include "gateway/http_util.h"

#include <google/protobuf/util/json_util.h>

#include "cli/json.h"
#include "interop/ledger_types.h"

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

rpc::HttpAnswer JsonAnswer(unsigned status, const pb::Message& body,
                           std::string_view content_type) {
  rpc::HttpAnswer answer;
  answer.status = status;
  (void)pb::util::MessageToJsonString(body, &answer.body);
  answer.content_type = std::string(content_type);
  return answer;
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
