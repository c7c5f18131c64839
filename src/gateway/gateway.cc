#include "gateway/gateway.h"

#include <openssl/crypto.h>

#include <boost/asio/ssl/context.hpp>
#include <filesystem>
#include <sstream>

#include "cli/json.h"
#include "config/genesis_file.h"
#include "crypto/sha256.h"
#include "gateway/http_util.h"
#include "shipledger/clock.h"

namespace shipledger::gateway {

namespace {

// The tokens of a token file: "NAME TOKEN" per line.
Result<std::vector<std::string>> LoadTokens(const std::string& path) {
  SL_ASSIGN_OR_RETURN(std::string text, crypto::ReadFile(path));
  std::vector<std::string> digests;
  std::istringstream lines(text);
  std::string line;
  int number = 0;
  while (std::getline(lines, line)) {
    ++number;
    if (const size_t hash = line.find('#'); hash != std::string::npos) line.resize(hash);
    std::istringstream words(line);
    std::string name, token, extra;
    if (!(words >> name)) continue;
    if (!(words >> token) || (words >> extra)) {
      return Status::InvalidArgument(path + ":" + std::to_string(number) +
                                     ": a line is NAME TOKEN");
    }
    if (token.size() < 32) {
      return Status::InvalidArgument(path + ":" + std::to_string(number) + ": the token of '" +
                                     name + "' is shorter than 32 characters");
    }
    digests.push_back(crypto::Sha256(token));
  }
  if (digests.empty()) return Status::InvalidArgument(path + " holds no token");
  return digests;
}

}  // namespace

Gateway::Gateway(const GatewayOptions& options, config::Identity identity)
    : options_(options), identity_(std::move(identity)) {}

Gateway::~Gateway() { Stop(); }

Result<std::unique_ptr<Gateway>> Gateway::Create(const GatewayOptions& options) {
  if (options.data_dir.empty()) return Status::InvalidArgument("--data-dir is required");
  if (options.connect.identity_dir.empty()) {
    return Status::InvalidArgument(
        "--identity is required: the party's client identity the gateway signs captures with "
        "(e.g. NET/ORG/clients/admin)");
  }
  auto identity = config::LoadIdentity(options.connect.identity_dir);
  if (!identity.ok()) return identity.status().WithContext("--identity");
  std::unique_ptr<Gateway> g(new Gateway(options, std::move(*identity)));
  auto genesis = config::LoadGenesis(cli::GenesisPathFor(options.connect));
  if (!genesis.ok()) return genesis.status().WithContext("--genesis");
  g->genesis_ = *genesis;
  auto credentials = cli::LoadClientApiCredentials(options.connect, options.node);
  if (!credentials.ok()) return credentials.status();
  g->credentials_ = *credentials;

  const bool tls =
      !options.tls_cert.empty() || !options.tls_key.empty() || !options.client_ca.empty();
  if (tls && (options.tls_cert.empty() || options.tls_key.empty() || options.client_ca.empty())) {
    return Status::InvalidArgument("--tls-cert, --tls-key and --client-ca go together");
  }
  if (options.token_file.empty() && !tls) {
    return Status::InvalidArgument(
        "the gateway's clients must authenticate: give --token-file, or --tls-cert, --tls-key "
        "and --client-ca (mutual TLS)");
  }
  if (!options.token_file.empty()) {
    auto tokens = LoadTokens(options.token_file);
    if (!tokens.ok()) return tokens.status().WithContext("--token-file");
    g->token_digests_ = std::move(*tokens);
  }

  rpc::HttpServerOptions http;
  http.name = "EPCIS gateway";
  http.thread_name = "sl-gateway";
  http.rate = rpc::RateLimiterOptions{.rate_per_s = options.rate_per_s, .burst = options.burst};
  http.max_body_bytes = options.max_body_bytes;
  http.max_request_bytes = 16384;
  http.request_timeout_ms = 30000;
  http.handler_threads = options.handler_threads;
  http.max_connections = 64;
  http.error_answer = [](unsigned status, std::string_view, std::string_view message) {
    rpc::HttpAnswer a = Problem(
        status,
        status == 429 ? "epcisException:SecurityException" : "epcisException:ValidationException",
        status == 429 ? "Too many requests" : "Bad request", message);
    if (status == 429) a.headers.emplace_back("Retry-After", "1");
    return a;
  };
  if (tls) {
    auto ca_pem = crypto::ReadFile(options.client_ca);
    if (!ca_pem.ok()) return ca_pem.status().WithContext("--client-ca");
    auto ca = crypto::Certificate::FromPem(*ca_pem);
    if (!ca.ok()) return ca.status().WithContext("--client-ca");
    g->client_ca_ = *ca;
    auto cert = crypto::ReadFile(options.tls_cert);
    if (!cert.ok()) return cert.status().WithContext("--tls-cert");
    auto key = crypto::ReadFile(options.tls_key);
    if (!key.ok()) return key.status().WithContext("--tls-key");
    auto context =
        std::make_shared<boost::asio::ssl::context>(boost::asio::ssl::context::tls_server);
    boost::system::error_code ec;
    context->use_certificate_chain(boost::asio::buffer(*cert), ec);
    if (!ec)
      context->use_private_key(boost::asio::buffer(*key), boost::asio::ssl::context::pem, ec);
    if (ec) return Status::InvalidArgument("--tls-cert/--tls-key: " + ec.message());
    http.tls = context;
    const crypto::Certificate ca_cert = *ca;
    http.authenticate = [ca_cert](const crypto::Certificate& c) {
      return crypto::VerifyChain(c, ca_cert, SystemClock::Get().NowMs());
    };
  }

  std::error_code ec;
  std::filesystem::create_directories(options.data_dir, ec);
  if (ec) {
    return Status::InvalidArgument("--data-dir " + options.data_dir + ": " + ec.message());
  }
  auto index = EventIndex::Open(options.data_dir + "/index");
  if (!index.ok()) return index.status();
  g->index_ = std::move(*index);
  Gateway* self = g.get();
  g->subscriptions_ = std::make_unique<Subscriptions>(
      *g->index_, DeliveryOptions{.allow_private_callbacks = options.allow_private_callbacks});
  g->indexer_ = std::make_unique<Indexer>(
      *g->index_, [self] { return self->Connect(); },
      [self](const v1::WatchResponse&) { self->subscriptions_->Wake(); });
  g->capture_ = std::make_unique<CaptureQueue>(
      *g->index_, *g->indexer_, [self] { return self->Connect(); }, g->identity_, g->genesis_);
  http.admit = [self](const rpc::HttpRequest& r) { return self->Admit(r); };
  g->http_ = std::make_unique<rpc::HttpServer>(
      std::move(http), [self](const rpc::HttpRequest& r) { return self->Handle(r); });
  return g;
}

Result<std::unique_ptr<cli::NodeClient>> Gateway::Connect() const {
  return std::make_unique<cli::NodeClient>(options_.node, credentials_);
}

Status Gateway::Start() {
  indexer_->Start();
  capture_->Start();
  subscriptions_->Start();
  return http_->Start(options_.listen);
}

void Gateway::Stop() {
  // The indexer first: a capture job waiting for its events to be indexed, and a POST /events
  // waiting for its job, then return at once, so the HTTP pool can be joined.
  if (indexer_) indexer_->Stop();
  if (capture_) capture_->Stop();
  if (subscriptions_) subscriptions_->Stop();
  if (http_) http_->Stop();
}

rpc::HttpAnswer Gateway::StatusAnswer() const {
  cli::JsonObject out;
  out.Set("node", std::string_view(options_.node));
  out.Set("organization", std::string_view(identity_.org()));
  out.SetBool("following", indexer_->connected());
  out.Set("indexedHeight", indexer_->height());
  out.Set("epcisEvents", index_->Count());
  out.Set("dcsaEvents", index_->DcsaHead());
  if (const std::string error = indexer_->last_error(); !error.empty()) {
    out.Set("lastError", std::string_view(error));
  }
  return JsonAnswer(200, out.fields());
}

bool Gateway::Authenticated(const rpc::HttpRequest& request) const {
  if (request.client_certificate != nullptr) return true;  // mutual TLS, checked in the handshake
  const std::string_view header = request.Header("authorization");
  constexpr std::string_view kBearer = "Bearer ";
  if (header.size() <= kBearer.size() || header.substr(0, kBearer.size()) != kBearer) return false;
  const Bytes digest = crypto::Sha256(header.substr(kBearer.size()));
  bool found = false;
  for (const auto& d : token_digests_) {
    found |= d.size() == digest.size() && CRYPTO_memcmp(d.data(), digest.data(), d.size()) == 0;
  }
  return found;
}

std::optional<rpc::HttpAnswer> Gateway::Admit(const rpc::HttpRequest& request) const {
  if (request.target == "/healthz" && request.method == boost::beast::http::verb::get) {
    // For load balancers and monitors, without a token: serving, and following the node.
    const bool following = indexer_->connected();
    return rpc::HttpAnswer(following ? 200 : 503,
                           following ? R"({"status":"SERVING"})" : R"({"status":"NOT_SERVING"})");
  }
  if (Authenticated(request)) return std::nullopt;
  // Refused before any body is read.
  rpc::HttpAnswer a =
      request.target.starts_with("/v2/")
          ? DcsaError(request, 401, "unauthorized",
                      "send Authorization: Bearer TOKEN, or a client certificate")
          : Problem(401, "epcisException:SecurityException", "Unauthorized",
                    "send Authorization: Bearer TOKEN (a token of the gateway's token file), or "
                    "a client certificate");
  a.headers.emplace_back("WWW-Authenticate", "Bearer realm=\"shipledger-gateway\"");
  return a;
}

rpc::HttpAnswer Gateway::Handle(const rpc::HttpRequest& request) {
  using boost::beast::http::verb;
  const bool dcsa = request.target.starts_with("/v2/");
  if (auto early = Admit(request)) return std::move(*early);
  rpc::HttpAnswer answer = [&]() -> rpc::HttpAnswer {
    const auto target = ParseTarget(request.target);
    if (!target) {
      if (dcsa) {
        return DcsaError(request, 400, "invalidQuery",
                         "the request target is not valid percent-encoded UTF-8");
      }
      return Problem(400, "epcisException:ValidationException", "Bad request",
                     "the request target is not valid percent-encoded UTF-8");
    }
    if (dcsa) return HandleDcsa(request, *target);
    const std::string& path = target->path;
    auto method_not_allowed = [](std::string_view allow) {
      rpc::HttpAnswer a = Problem(405, "epcisException:ValidationException", "Method not allowed",
                                  "allowed: " + std::string(allow));
      a.headers.emplace_back("Allow", std::string(allow));
      return a;
    };
    if (path == "/capture") {
      if (request.method != verb::post) return method_not_allowed("POST");
      return PostCapture(request, *target);
    }
    if (path.starts_with("/capture/") && path.size() > 9) {
      if (request.method != verb::get) return method_not_allowed("GET");
      return GetCapture(path.substr(9));
    }
    if (path == "/events") {
      if (request.method == verb::post) return PostEvent(request);
      if (request.method == verb::get) return GetEvents(*target);
      return method_not_allowed("GET, POST");
    }
    if (path == "/status") {
      if (request.method != verb::get) return method_not_allowed("GET");
      return StatusAnswer();
    }
    if (path.starts_with("/events/") && path.size() > 8) {
      if (request.method != verb::get) return method_not_allowed("GET");
      return GetEvent(path.substr(8));
    }
    return Problem(404, "epcisException:NoSuchResourceException", "Not found",
                   "no resource " + path);
  }();
  if (!dcsa) {
    answer.headers.emplace_back("GS1-EPCIS-Version", "2.0.0");
    answer.headers.emplace_back("GS1-CBV-Version", "2.0.0");
  }
  return answer;
}

}  // namespace shipledger::gateway
