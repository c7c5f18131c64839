#include "rpc/tracking_server.h"

#include <spdlog/spdlog.h>

#include <atomic>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <chrono>
#include <optional>
#include <thread>
#include <unordered_map>

#include "rpc/tracking.h"
#include "shipledger/endpoint.h"
#include "shipledger/thread_name.h"

namespace shipledger::rpc {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
using tcp = asio::ip::tcp;

namespace {

// What every connection of one server shares. Touched only on the server thread, except
// `limiter` (thread-safe anyway).
struct Shared {
  Shared(const storage::Store& s, const TrackingServerOptions& o)
      : store(s), options(o), limiter(o.rate) {}
  int64_t NowMs() const {
    return std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() -
                                                                 epoch)
        .count();
  }
  const storage::Store& store;
  const TrackingServerOptions options;
  RateLimiter limiter;
  uint32_t connections = 0;
  // Open connections by ClientKey; addresses with none are left out, so it holds at most
  // `connections` entries.
  std::unordered_map<std::string, uint32_t> per_address;
  uint32_t OpenFrom(const std::string& client) const {
    const auto it = per_address.find(client);
    return it == per_address.end() ? 0 : it->second;
  }
  const std::chrono::steady_clock::time_point epoch = std::chrono::steady_clock::now();
};

// The rate limiter's key: the IPv4 address, or the /64 of an IPv6 one (one host usually holds
// a whole /64, so per-address buckets would not limit it).
std::string ClientKey(const tcp::endpoint& endpoint) {
  asio::ip::address address = endpoint.address();
  if (address.is_v6() && address.to_v6().is_v4_mapped()) {
    address = asio::ip::make_address_v4(asio::ip::v4_mapped, address.to_v6());
  }
  if (address.is_v4()) return address.to_string();
  asio::ip::address_v6::bytes_type bytes = address.to_v6().to_bytes();
  for (size_t i = 8; i < bytes.size(); ++i) bytes[i] = 0;
  return asio::ip::address_v6(bytes).to_string() + "/64";
}

// One connection of client address `client` (ClientKey): read one request, answer it, close.
class Session : public std::enable_shared_from_this<Session> {
 public:
  Session(Shared* shared, tcp::socket socket, std::string client)
      : shared_(shared),
        stream_(std::move(socket)),
        buffer_(shared->options.max_request_bytes),
        client_(std::move(client)) {
    ++shared_->connections;
    ++shared_->per_address[client_];
  }
  ~Session() {
    --shared_->connections;
    auto it = shared_->per_address.find(client_);
    if (it != shared_->per_address.end() && --it->second == 0) shared_->per_address.erase(it);
  }

  void Start() {
    parser_.header_limit(shared_->options.max_request_bytes);
    parser_.body_limit(0);
    stream_.expires_after(std::chrono::milliseconds(shared_->options.request_timeout_ms));
    http::async_read(stream_, buffer_, parser_,
                     [self = shared_from_this()](beast::error_code e, size_t) { self->OnRead(e); });
  }

 private:
  void OnRead(beast::error_code ec) {
    const bool bad_http =
        ec && ec.category() == http::make_error_code(http::error::bad_target).category() &&
        ec != http::error::end_of_stream;
    if (ec && !bad_http) return;  // closed, reset or timed out: nobody to answer
    const RateLimiter::Decision decision = shared_->limiter.Take(client_, shared_->NowMs());
    if (!decision.allowed) {
      Respond(http::status::too_many_requests,
              ErrorJson("rate_limited", "too many requests from this address; retry later"),
              http::field::retry_after, std::to_string(decision.retry_after_s));
      return;
    }
    if (bad_http) {
      Respond(http::status::bad_request, ErrorJson("bad_request", "malformed HTTP request"));
      return;
    }
    const http::request<http::empty_body>& request = parser_.get();
    if (request.method() != http::verb::get) {
      Respond(http::status::method_not_allowed,
              ErrorJson("method_not_allowed", "only GET is served"), http::field::allow, "GET");
      return;
    }
    const std::string_view target(request.target().data(), request.target().size());
    HttpAnswer answer = AnswerTrackingGet(shared_->store, target);
    Respond(static_cast<http::status>(answer.status), std::move(answer.body));
  }

  // Writes the answer (with one extra header unless `extra` is unknown), then closes.
  void Respond(http::status status, std::string body, http::field extra = http::field::unknown,
               std::string_view extra_value = {}) {
    response_.version(11);
    response_.result(status);
    response_.set(http::field::content_type, "application/json");
    response_.set(http::field::cache_control, "no-store");
    response_.set("X-Content-Type-Options", "nosniff");
    if (extra != http::field::unknown) {
      response_.set(extra, beast::string_view(extra_value.data(), extra_value.size()));
    }
    response_.keep_alive(false);
    response_.body() = std::move(body);
    response_.prepare_payload();
    stream_.expires_after(std::chrono::milliseconds(shared_->options.request_timeout_ms));
    http::async_write(stream_, response_, [self = shared_from_this()](beast::error_code, size_t) {
      beast::error_code ignored;
      self->stream_.socket().shutdown(tcp::socket::shutdown_both, ignored);
      self->stream_.close();
    });
  }

  Shared* shared_;
  beast::tcp_stream stream_;
  beast::flat_buffer buffer_;
  http::request_parser<http::empty_body> parser_;
  http::response<http::string_body> response_;
  const std::string client_;
};

}  // namespace

struct TrackingServer::Impl {
  Impl(const storage::Store& store, const TrackingServerOptions& options)
      : shared(store, options) {}

  void Accept() {
    acceptor.async_accept([this](beast::error_code ec, tcp::socket socket) {
      if (ec == asio::error::operation_aborted || !acceptor.is_open()) return;  // stopping
      if (ec) {
        // E.g. out of file descriptors: back off instead of spinning on the error.
        spdlog::warn("tracking service: accept failed: {}", ec.message());
        backoff.expires_after(std::chrono::milliseconds(100));
        backoff.async_wait([this](beast::error_code e) {
          if (!e) Accept();
        });
        return;
      }
      // Both limits are checked when the connection is accepted, before any of its bytes are
      // read: over either, it is closed unanswered, which costs the least. The one per address
      // keeps one client from holding every connection (DESIGN §8).
      const tcp::endpoint peer = socket.remote_endpoint(ec);
      if (ec || shared.connections >= shared.options.max_connections) {
        socket.close(ec);
      } else if (std::string client = ClientKey(peer);
                 shared.OpenFrom(client) >= shared.options.max_connections_per_address) {
        socket.close(ec);
      } else {
        std::make_shared<Session>(&shared, std::move(socket), std::move(client))->Start();
      }
      Accept();
    });
  }

  // Declared before io: sessions destroyed with io's pending handlers still count down here.
  Shared shared;
  asio::io_context io;
  tcp::acceptor acceptor{io};
  asio::steady_timer backoff{io};
  std::thread thread;
  int port = 0;
  bool stopped = false;
};

TrackingServer::TrackingServer(const storage::Store& store, const TrackingServerOptions& options)
    : impl_(std::make_unique<Impl>(store, options)) {}

TrackingServer::~TrackingServer() { Stop(); }

int TrackingServer::port() const { return impl_->port; }

Status TrackingServer::Start(const std::string& host_port) {
  const std::optional<Endpoint> split = SplitEndpoint(host_port);
  if (!split) return Status::InvalidArgument("tracking_listen: bad address '" + host_port + "'");
  Impl& impl = *impl_;
  beast::error_code ec;
  tcp::resolver resolver(impl.io);
  const auto endpoints =
      resolver.resolve(split->host, split->port_text(), tcp::resolver::passive, ec);
  if (ec || endpoints.empty()) {
    return Status::InvalidArgument("tracking_listen '" + host_port + "': " + ec.message());
  }
  const tcp::endpoint endpoint = endpoints.begin()->endpoint();
  impl.acceptor.open(endpoint.protocol(), ec);
  if (!ec) impl.acceptor.set_option(tcp::acceptor::reuse_address(true), ec);
  if (!ec) impl.acceptor.bind(endpoint, ec);
  if (!ec) impl.acceptor.listen(asio::socket_base::max_listen_connections, ec);
  if (!ec) impl.port = impl.acceptor.local_endpoint(ec).port();
  if (ec)
    return Status::Unavailable("tracking service: listen on " + host_port + ": " + ec.message());
  impl.Accept();
  impl.thread = std::thread([&impl] {
    SetThreadName("sl-tracking");
    // The Asio boundary: no exception leaves the thread; the loop goes on after one.
    for (;;) {
      try {
        impl.io.run();
        return;
      } catch (const std::exception& e) {
        spdlog::error("tracking service: {}", e.what());
      }
    }
  });
  const RateLimiterOptions& rate = impl.shared.options.rate;
  spdlog::warn(
      "PUBLIC TRACKING SERVICE IS ON: anyone who reaches http://{}:{}/v1/track/CODE learns the "
      "milestones of the shipment with that tracking code ({}/s, burst {} per client address)",
      split->host, impl.port, rate.rate_per_s, rate.burst);
  return Status::Ok();
}

void TrackingServer::Stop() {
  Impl& impl = *impl_;
  if (impl.stopped) return;
  impl.stopped = true;
  if (!impl.thread.joinable()) return;
  impl.io.stop();
  impl.thread.join();
  // The thread is gone: nothing else touches the acceptor now. Open connections are closed when
  // the io_context, which holds their handlers, is destroyed.
  beast::error_code ignored;
  impl.acceptor.close(ignored);
  spdlog::info("tracking service stopped");
}

}  // namespace shipledger::rpc
