#include "node/operations.h"

#include <google/protobuf/struct.pb.h>
#include <google/protobuf/util/json_util.h>

#include "crypto/x509.h"
#include "model/admin.h"
#include "shipledger/clock.h"
#include "shipledger/json_text.h"
#include "shipledger/log.h"

namespace shipledger::node {

using enum LogComponent;
namespace http = boost::beast::http;

namespace {

rpc::HttpAnswer Json(unsigned status, std::string body) { return {status, std::move(body)}; }

rpc::HttpAnswer LogSpecAnswer() {
  return Json(200, "{\"spec\":" + JsonQuoted(LogSpecText(CurrentLogSpec())) + "}");
}

rpc::HttpAnswer PutLogSpec(const rpc::HttpRequest& request, bool tls) {
  if (tls && (request.client_certificate == nullptr ||
              !model::IsAdminCertificate(*request.client_certificate))) {
    return Json(403, rpc::ErrorJson("permission_denied",
                                    "changing log levels takes an admin certificate (OU=admin) of "
                                    "this node's organisation"));
  }
  google::protobuf::Struct body;
  if (!google::protobuf::util::JsonStringToMessage(request.body, &body).ok() ||
      !body.fields().contains("spec") || !body.fields().at("spec").has_string_value()) {
    return Json(400, rpc::ErrorJson("bad_request",
                                    "send a JSON object {\"spec\":\"info,consensus=debug\"}"));
  }
  const Result<LogSpec> spec = ParseLogSpec(body.fields().at("spec").string_value());
  if (!spec.ok()) return Json(400, rpc::ErrorJson("bad_request", spec.status().message()));
  ApplyLogSpec(*spec);
  Log(kOperations)
      .info("log levels set to {} by {}", LogSpecText(*spec),
            request.client_certificate != nullptr
                ? request.client_certificate->common_name() + " (" +
                      request.client_certificate->organization() + ")"
                : std::string("a loopback client"));
  return LogSpecAnswer();
}

}  // namespace

rpc::HttpAnswer HealthAnswer(const std::vector<HealthCheck>& checks) {
  bool all_ok = true;
  std::string list;
  std::string failed;
  for (const HealthCheck& c : checks) {
    const std::string item = "{\"name\":" + JsonQuoted(c.name) +
                             ",\"ok\":" + (c.ok ? "true" : "false") +
                             ",\"detail\":" + JsonQuoted(c.detail) + "}";
    list += (list.empty() ? "" : ",") + item;
    if (!c.ok) {
      all_ok = false;
      failed += (failed.empty() ? "" : ",") + item;
    }
  }
  return Json(all_ok ? 200 : 503, std::string("{\"status\":") +
                                      (all_ok ? "\"ok\"" : "\"unavailable\"") + ",\"checks\":[" +
                                      list + "],\"failed_checks\":[" + failed + "]}");
}

rpc::HttpAnswer AnswerOperations(const OperationsHooks& hooks, const rpc::HttpRequest& request,
                                 bool tls) {
  const std::string path = request.target.substr(0, request.target.find('?'));
  const bool get = request.method == http::verb::get;
  const auto only = [](std::string allow) {
    rpc::HttpAnswer answer(405, rpc::ErrorJson("method_not_allowed", "use " + allow));
    answer.headers.emplace_back("Allow", allow);
    return answer;
  };
  if (path == "/logspec") {
    if (get) return LogSpecAnswer();
    if (request.method == http::verb::put) return PutLogSpec(request, tls);
    return only("GET, PUT");
  }
  const bool known =
      path == "/metrics" || path == "/healthz" || path == "/readyz" || path == "/version";
  if (!known) {
    return Json(404, rpc::ErrorJson("not_found",
                                    "unknown path; the operations endpoint serves /metrics, "
                                    "/healthz, /readyz, /version and /logspec"));
  }
  if (!get) return only("GET");
  if (path == "/metrics") {
    rpc::HttpAnswer answer(200, hooks.metrics());
    answer.content_type = "text/plain; version=0.0.4; charset=utf-8";
    return answer;
  }
  if (path == "/healthz") return HealthAnswer(hooks.liveness());
  if (path == "/readyz") return HealthAnswer(hooks.readiness());
  return Json(200, hooks.version_json());
}

OperationsServer::OperationsServer(OperationsOptions options, OperationsHooks hooks)
    : options_(std::move(options)), hooks_(std::move(hooks)) {
  rpc::HttpServerOptions http_options;
  http_options.name = "operations endpoint";
  http_options.thread_name = "sl-operations";
  http_options.log = kOperations;
  http_options.max_connections = 32;
  http_options.max_connections_per_address = 8;
  http_options.max_body_bytes = 4096;  // a /logspec body
  http_options.request_timeout_ms = 10000;
  http_options.tls = options_.tls;
  if (options_.tls) {
    const model::Genesis* genesis = options_.genesis;
    const std::string org = options_.org;
    http_options.authenticate = [genesis, org](const crypto::Certificate& cert) -> Status {
      const model::Organisation* own = genesis->FindOrganisation(org);
      if (own == nullptr) return Status::Internal("no organisation " + org + " in the genesis");
      if (cert.is_ca()) return Status::PermissionDenied("a CA certificate is not a client");
      if (genesis->FindReplicaByFingerprint(cert.fingerprint()) != nullptr) {
        return Status::PermissionDenied("a replica's node certificate is not a client");
      }
      if (Status s = crypto::VerifyChain(cert, own->ca_cert, SystemClock::Get().NowMs()); !s.ok()) {
        return Status::PermissionDenied("not a certificate of " + org + ": " + s.message());
      }
      return Status::Ok();
    };
  }
  const bool tls = options_.tls != nullptr;
  http_ = std::make_unique<rpc::HttpServer>(std::move(http_options),
                                            [this, tls](const rpc::HttpRequest& request) {
                                              return AnswerOperations(hooks_, request, tls);
                                            });
}

Status OperationsServer::Start() {
  SL_RETURN_IF_ERROR(http_->Start(options_.listen));
  Log(kOperations)
      .info("operations endpoint on {}://{} (/metrics, /healthz, /readyz, /version, /logspec)",
            options_.tls ? "https" : "http", options_.listen);
  return Status::Ok();
}

}  // namespace shipledger::node
