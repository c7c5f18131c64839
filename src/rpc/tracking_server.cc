#include "rpc/tracking_server.h"

#include <boost/beast/http/verb.hpp>

#include "rpc/tracking.h"
#include "shipledger/endpoint.h"
#include "shipledger/log.h"

namespace shipledger::rpc {

using enum LogComponent;

namespace {

HttpServerOptions ServerOptions(const TrackingServerOptions& options, metrics::Registry* metrics) {
  HttpServerOptions out;
  out.name = "tracking service";
  out.thread_name = "sl-tracking";
  out.log = kTracking;
  out.rate = options.rate;
  out.max_connections = options.max_connections;
  out.max_connections_per_address = options.max_connections_per_address;
  out.request_timeout_ms = options.request_timeout_ms;
  out.max_request_bytes = options.max_request_bytes;
  out.max_body_bytes = 0;
  if (metrics != nullptr) {
    metrics::Family<metrics::Counter>* requests = &metrics->AddCounter(
        "shipledger_tracking_requests_total",
        "Requests answered by the public tracking service, by HTTP status (429: rate limited).",
        {"code"});
    out.on_answer = [requests](unsigned status) { requests->With({std::to_string(status)}).Inc(); };
  }
  return out;
}

}  // namespace

TrackingServer::TrackingServer(const storage::Store& store, const TrackingServerOptions& options,
                               metrics::Registry* metrics)
    : options_(options),
      http_(ServerOptions(options, metrics), [&store](const HttpRequest& request) {
        if (request.method != boost::beast::http::verb::get) {
          HttpAnswer answer{405, ErrorJson("method_not_allowed", "only GET is served")};
          answer.headers.emplace_back("Allow", "GET");
          return answer;
        }
        return AnswerTrackingGet(store, request.target);
      }) {}

TrackingServer::~TrackingServer() { Stop(); }

Status TrackingServer::Start(const std::string& host_port) {
  SL_RETURN_IF_ERROR(http_.Start(host_port));
  const std::optional<Endpoint> split = SplitEndpoint(host_port);
  const RateLimiterOptions& rate = options_.rate;
  Log(kTracking).warn(
      "PUBLIC TRACKING SERVICE IS ON: anyone who reaches http://{}:{}/v1/track/CODE learns the "
      "milestones of the shipment with that tracking code ({}/s, burst {} per client address)",
      split ? split->host : host_port, http_.port(), rate.rate_per_s, rate.burst);
  return Status::Ok();
}

}  // namespace shipledger::rpc
