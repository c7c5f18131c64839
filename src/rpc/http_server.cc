#include "rpc/http_server.h"

#include <openssl/x509.h>

#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/ssl/stream.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/thread_pool.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/ssl.hpp>
#include <chrono>
#include <thread>
#include <unordered_map>

#include "shipledger/endpoint.h"
#include "shipledger/json_text.h"
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
  Shared(HttpServerOptions o, HttpHandler h) : options(std::move(o)), handler(std::move(h)) {
    if (options.rate) limiter.emplace(*options.rate);
  }
  int64_t NowMs() const {
    return std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() -
                                                                 epoch)
        .count();
  }
  const HttpServerOptions options;
  const HttpHandler handler;
  // Runs the handler when options.handler_threads > 0 (HttpServer::Impl owns it).
  asio::thread_pool* pool = nullptr;
  std::optional<RateLimiter> limiter;
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

using TlsStream = beast::ssl_stream<beast::tcp_stream>;

// One connection of client address `client` (ClientKey): (TLS handshake,) read one request,
// answer it, close. `Stream` is beast::tcp_stream or TlsStream.
template <class Stream>
class Session : public std::enable_shared_from_this<Session<Stream>> {
 public:
  template <class... Args>
  Session(Shared* shared, std::string client, Args&&... stream_args)
      : shared_(shared),
        stream_(std::forward<Args>(stream_args)...),
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
    Deadline();
    if constexpr (std::is_same_v<Stream, TlsStream>) {
      beast::error_code ec;
      stream_.set_verify_mode(asio::ssl::verify_peer | asio::ssl::verify_fail_if_no_peer_cert, ec);
      // `this`, not a shared pointer: the stream holds the callback, and the session the
      // stream (a cycle would keep every session alive). It runs only inside the handshake,
      // while the handshake's handler holds the session.
      stream_.set_verify_callback(
          [this](bool, asio::ssl::verify_context& ctx) { return Verify(ctx); }, ec);
      stream_.async_handshake(asio::ssl::stream_base::server,
                              [self = this->shared_from_this()](beast::error_code e) {
                                if (!e) self->Read();
                              });
    } else {
      Read();
    }
  }

 private:
  void Deadline() {
    beast::get_lowest_layer(stream_).expires_after(
        std::chrono::milliseconds(shared_->options.request_timeout_ms));
  }

  // OpenSSL has no trust store here: only the leaf (depth 0) decides, by `authenticate`.
  bool Verify(asio::ssl::verify_context& ctx) {
    X509_STORE_CTX* store = ctx.native_handle();
    if (X509_STORE_CTX_get_error_depth(store) != 0) return true;
    if (certificate_) return true;
    X509* x509 = X509_STORE_CTX_get_current_cert(store);
    unsigned char* der = nullptr;
    const int length = x509 == nullptr ? 0 : i2d_X509(x509, &der);
    if (length <= 0 || der == nullptr) return false;
    Bytes bytes(reinterpret_cast<const char*>(der), static_cast<size_t>(length));
    OPENSSL_free(der);
    auto cert = crypto::Certificate::FromDer(bytes);
    if (!cert.ok()) return false;
    const Status allowed = shared_->options.authenticate ? shared_->options.authenticate(*cert)
                                                         : Status::PermissionDenied("no check");
    if (!allowed.ok()) {
      Log(shared_->options.log)
          .warn("{}: refused a client certificate from {}: {}", shared_->options.name, client_,
                allowed.message());
      return false;
    }
    certificate_ = std::move(cert).value();
    return true;
  }

  void Read() {
    parser_.header_limit(shared_->options.max_request_bytes);
    parser_.body_limit(shared_->options.max_body_bytes);
    if (shared_->options.admit) {
      http::async_read_header(
          stream_, buffer_, parser_,
          [self = this->shared_from_this()](beast::error_code e, size_t) { self->OnHeader(e); });
      return;
    }
    http::async_read(
        stream_, buffer_, parser_,
        [self = this->shared_from_this()](beast::error_code e, size_t) { self->OnRead(e, true); });
  }

  // Whether the exchange ends before the handler: the connection closed (nobody to answer),
  // the address over its rate (429, when `limit`) or the request malformed or too large (400).
  bool EndsEarly(beast::error_code ec, bool limit) {
    const bool bad_http =
        ec && ec.category() == http::make_error_code(http::error::bad_target).category() &&
        ec != http::error::end_of_stream;
    if (ec && !bad_http) return true;  // closed, reset or timed out
    if (limit && shared_->limiter) {
      const RateLimiter::Decision decision = shared_->limiter->Take(client_, shared_->NowMs());
      if (!decision.allowed) {
        HttpAnswer answer =
            ErrorAnswer(429, "rate_limited", "too many requests from this address; retry later");
        answer.headers.emplace_back("Retry-After", std::to_string(decision.retry_after_s));
        Respond(std::move(answer));
        return true;
      }
    }
    if (bad_http) {
      Respond(ErrorAnswer(400, "bad_request", "malformed or oversized HTTP request"));
      return true;
    }
    return false;
  }

  // The request as the handler sees it (`body` moved out of the parser's message).
  template <class Message>
  HttpRequest RequestOf(Message& message) const {
    HttpRequest in;
    in.method = message.method();
    in.target = std::string(message.target());
    for (const auto& field : message) {
      std::string name(field.name_string());
      for (char& c : name) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
      in.headers.emplace_back(std::move(name), std::string(field.value()));
    }
    in.client_certificate = certificate_ ? &*certificate_ : nullptr;
    in.client = client_;
    return in;
  }

  // Request line and headers read (with `admit`): admit may answer at once, before the body.
  void OnHeader(beast::error_code ec) {
    if (EndsEarly(ec, true)) return;
    if (std::optional<HttpAnswer> answer = shared_->options.admit(RequestOf(parser_.get()))) {
      Respond(std::move(*answer));
      return;
    }
    http::async_read(
        stream_, buffer_, parser_,
        [self = this->shared_from_this()](beast::error_code e, size_t) { self->OnRead(e, false); });
  }

  void OnRead(beast::error_code ec, bool limit) {
    if (EndsEarly(ec, limit)) return;
    http::request<http::string_body> request = parser_.release();
    HttpRequest in = RequestOf(request);
    in.body = std::move(request.body());
    if (shared_->pool == nullptr) {
      Respond(shared_->handler(in));
      return;
    }
    // The handler runs on the pool; its answer is written back on the server thread, which
    // owns the stream. The session's last reference must go on that thread too (its destructor
    // counts down the server's connections): the pool task hands its reference on.
    asio::post(*shared_->pool, [self = this->shared_from_this(), in = std::move(in)]() mutable {
      HttpAnswer answer;
      try {  // an exception must not end a pool thread
        answer = self->shared_->handler(in);
      } catch (const std::exception& e) {
        Log(self->shared_->options.log).error("{}: {}", self->shared_->options.name, e.what());
        answer = {500, ErrorJson("internal", "the request failed; see the service's log")};
      }
      auto executor = self->stream_.get_executor();
      asio::post(executor, [self = std::move(self), answer = std::move(answer)]() mutable {
        self->Respond(std::move(answer));
      });
    });
  }

  HttpAnswer ErrorAnswer(unsigned status, std::string_view error, std::string_view message) {
    if (shared_->options.error_answer) return shared_->options.error_answer(status, error, message);
    return {status, ErrorJson(error, message)};
  }

  // Writes the answer, then closes.
  void Respond(HttpAnswer answer) {
    if (shared_->options.on_answer) shared_->options.on_answer(answer.status);
    response_.version(11);
    response_.result(static_cast<http::status>(answer.status));
    response_.set(http::field::content_type, answer.content_type);
    response_.set(http::field::cache_control, "no-store");
    response_.set("X-Content-Type-Options", "nosniff");
    for (const auto& [name, value] : answer.headers) response_.set(name, value);
    response_.keep_alive(false);
    response_.body() = std::move(answer.body);
    response_.prepare_payload();
    Deadline();
    http::async_write(
        stream_, response_,
        [self = this->shared_from_this()](beast::error_code, size_t) { self->Close(); });
  }

  void Close() {
    beast::error_code ignored;
    if constexpr (std::is_same_v<Stream, TlsStream>) {
      // A close_notify, bounded by the deadline; the socket closes when the session goes.
      stream_.async_shutdown([self = this->shared_from_this()](beast::error_code) {
        beast::error_code unused;
        beast::get_lowest_layer(self->stream_)
            .socket()
            .shutdown(tcp::socket::shutdown_both, unused);
      });
    } else {
      stream_.socket().shutdown(tcp::socket::shutdown_both, ignored);
      stream_.close();
    }
  }

  Shared* shared_;
  Stream stream_;
  beast::flat_buffer buffer_;
  http::request_parser<http::string_body> parser_;
  http::response<http::string_body> response_;
  const std::string client_;
  std::optional<crypto::Certificate> certificate_;
};

}  // namespace

std::string_view HttpRequest::Header(std::string_view name) const {
  for (const auto& [n, v] : headers) {
    if (n == name) return v;
  }
  return {};
}

std::string ErrorJson(std::string_view error, std::string_view message) {
  return "{\"error\":" + JsonQuoted(error) + ",\"message\":" + JsonQuoted(message) + "}";
}

struct HttpServer::Impl {
  Impl(HttpServerOptions options, HttpHandler handler)
      : shared(std::move(options), std::move(handler)) {}

  void Accept() {
    acceptor.async_accept([this](beast::error_code ec, tcp::socket socket) {
      if (ec == asio::error::operation_aborted || !acceptor.is_open()) return;  // stopping
      if (ec) {
        // E.g. out of file descriptors: back off instead of spinning on the error.
        Log(shared.options.log).warn("{}: accept failed: {}", shared.options.name, ec.message());
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
      } else if (shared.options.tls) {
        std::make_shared<Session<TlsStream>>(&shared, std::move(client), std::move(socket),
                                             *shared.options.tls)
            ->Start();
      } else {
        std::make_shared<Session<beast::tcp_stream>>(&shared, std::move(client), std::move(socket))
            ->Start();
      }
      Accept();
    });
  }

  // Declared before io: sessions destroyed with io's pending handlers still count down here.
  Shared shared;
  asio::io_context io;
  tcp::acceptor acceptor{io};
  asio::steady_timer backoff{io};
  // After io: destroyed first, with any handler it did not run (whose sessions count down in
  // `shared`, still alive).
  std::optional<asio::thread_pool> pool;
  std::thread thread;
  int port = 0;
  bool stopped = false;
};

HttpServer::HttpServer(HttpServerOptions options, HttpHandler handler)
    : impl_(std::make_unique<Impl>(std::move(options), std::move(handler))) {}

HttpServer::~HttpServer() { Stop(); }

int HttpServer::port() const { return impl_->port; }

Status HttpServer::Start(const std::string& host_port) {
  Impl& impl = *impl_;
  const std::string& name = impl.shared.options.name;
  const std::optional<Endpoint> split = SplitEndpoint(host_port);
  if (!split) return Status::InvalidArgument(name + ": bad address '" + host_port + "'");
  beast::error_code ec;
  tcp::resolver resolver(impl.io);
  const auto endpoints =
      resolver.resolve(split->host, split->port_text(), tcp::resolver::passive, ec);
  if (ec || endpoints.empty()) {
    return Status::InvalidArgument(name + ": address '" + host_port + "': " + ec.message());
  }
  const tcp::endpoint endpoint = endpoints.begin()->endpoint();
  impl.acceptor.open(endpoint.protocol(), ec);
  if (!ec) impl.acceptor.set_option(tcp::acceptor::reuse_address(true), ec);
  if (!ec) impl.acceptor.bind(endpoint, ec);
  if (!ec) impl.acceptor.listen(asio::socket_base::max_listen_connections, ec);
  if (!ec) impl.port = impl.acceptor.local_endpoint(ec).port();
  if (ec) return Status::Unavailable(name + ": listen on " + host_port + ": " + ec.message());
  if (impl.shared.options.handler_threads > 0) {
    impl.pool.emplace(impl.shared.options.handler_threads);
    impl.shared.pool = &*impl.pool;
  }
  impl.Accept();
  impl.thread = std::thread([&impl] {
    SetThreadName(impl.shared.options.thread_name.c_str());
    // The Asio boundary: no exception leaves the thread; the loop goes on after one.
    for (;;) {
      try {
        impl.io.run();
        return;
      } catch (const std::exception& e) {
        Log(impl.shared.options.log).error("{}: {}", impl.shared.options.name, e.what());
      }
    }
  });
  return Status::Ok();
}

void HttpServer::Stop() {
  Impl& impl = *impl_;
  if (impl.stopped) return;
  impl.stopped = true;
  if (!impl.thread.joinable()) return;
  impl.io.stop();
  impl.thread.join();
  if (impl.pool) {
    impl.pool->stop();
    impl.pool->join();
  }
  // The thread is gone: nothing else touches the acceptor now. Open connections are closed when
  // the io_context, which holds their handlers, is destroyed.
  beast::error_code ignored;
  impl.acceptor.close(ignored);
  Log(impl.shared.options.log).info("{} stopped", impl.shared.options.name);
}

}  // namespace shipledger::rpc
