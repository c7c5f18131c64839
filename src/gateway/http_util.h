// The gateway's HTTP helpers: problem answers (RFC 7807, with EPCIS 2.0's exception types),
// JSON answers, and the request target split into path and query parameters.
// Thread-safety: pure functions.
#pragma once

#include <google/protobuf/struct.pb.h>

#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "rpc/http_server.h"

namespace shipledger::gateway {

// application/problem+json: {"type", "title", "status", "detail"}. `type` is an EPCIS 2.0
// exception ("epcisException:QueryParameterException", ...).
rpc::HttpAnswer Problem(unsigned status, std::string_view type, std::string_view title,
                        std::string_view detail);

// DCSA's Error (T&T 2.2): {"httpMethod", "requestUri", "statusCode", "statusCodeText",
// "errorDateTime", "errors": [{"reason", "message"}]}, as application/json.
rpc::HttpAnswer DcsaError(const rpc::HttpRequest& request, unsigned status, std::string_view reason,
                          std::string_view message);

// `body` (a google.protobuf.Struct or Value) as JSON with `content_type`.
rpc::HttpAnswer JsonAnswer(unsigned status, const google::protobuf::Message& body,
                           std::string_view content_type = "application/json");

// `value` split at each `separator` (EPCIS writes alternatives with '|', DCSA with ',').
std::vector<std::string> SplitList(const std::string& value, char separator);

// `path?name=value&…&cursor_name=cursor` (each percent-encoded; no cursor when it is empty):
// the link to a page of results.
std::string PageLink(std::string_view path,
                     const std::vector<std::pair<std::string, std::string>>& params,
                     std::string_view cursor_name, const std::string& cursor);

struct Target {
  std::string path;                                         // percent-decoded
  std::vector<std::pair<std::string, std::string>> params;  // decoded, in order
};

// nullopt when the path or a parameter is not valid percent-encoded printable UTF-8.
std::optional<Target> ParseTarget(std::string_view target);

}  // namespace shipledger::gateway
