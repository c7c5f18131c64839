#include "gateway/callback_client.h"

#include <openssl/ssl.h>

#include <boost/asio/connect.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/ssl/context.hpp>
#include <boost/asio/ssl/host_name_verification.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/ssl.hpp>
#include <chrono>

namespace shipledger::gateway {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;

Result<CallbackUrl> ParseCallbackUrl(const std::string& url) {
  CallbackUrl out;
  std::string rest;
  if (url.starts_with("http://")) {
    rest = url.substr(7);
  } else if (url.starts_with("https://")) {
    out.tls = true;
    rest = url.substr(8);
  } else {
    return Status::InvalidArgument("callbackUrl must be an http:// or https:// URL");
  }
  const size_t slash = rest.find_first_of("/?");
  std::string authority = rest.substr(0, slash);
  out.target = slash == std::string::npos ? "/" : rest.substr(slash);
  if (out.target[0] == '?') out.target = "/" + out.target;
  if (authority.find('@') != std::string::npos) {
    return Status::InvalidArgument("callbackUrl must not hold credentials");
  }
  std::string port = out.tls ? "443" : "80";
  if (!authority.empty() && authority[0] == '[') {  // [IPv6]:port
    const size_t close = authority.find(']');
    if (close == std::string::npos) return Status::InvalidArgument("callbackUrl: bad IPv6 host");
    out.host = authority.substr(1, close - 1);
    if (close + 1 < authority.size()) {
      if (authority[close + 1] != ':') return Status::InvalidArgument("callbackUrl: bad port");
      port = authority.substr(close + 2);
    }
  } else {
    const size_t colon = authority.rfind(':');
    out.host = authority.substr(0, colon);
    if (colon != std::string::npos) port = authority.substr(colon + 1);
  }
  const bool digits = !port.empty() && port.size() <= 5 &&
                      port.find_first_not_of("0123456789") == std::string::npos;
  if (out.host.empty() || !digits || std::stoi(port) == 0 || std::stoi(port) > 65535) {
    return Status::InvalidArgument("callbackUrl needs a host and a port from 1 to 65535");
  }
  for (const char c : out.target) {
    if (static_cast<unsigned char>(c) <= ' ' || c == 0x7f) {
      return Status::InvalidArgument("callbackUrl: spaces and control characters must be encoded");
    }
  }
  out.port = port;
  return out;
}

namespace {

// One POST and its answer over a connected `stream`, asynchronously so that the deadline of the
// underlying beast::tcp_stream bounds every step (synchronous Beast calls have none); the
// caller runs the io_context.
template <class Stream>
class Exchange {
 public:
  Exchange(Stream& stream, const CallbackUrl& url, const std::string& body,
           const std::vector<std::pair<std::string, std::string>>& headers)
      : stream_(stream), request_{http::verb::post, url.target, 11} {
    request_.set(http::field::host, url.host);
    request_.set(http::field::user_agent, "shipledger-gateway");
    request_.set(http::field::content_type, "application/json");
    for (const auto& [name, value] : headers) request_.set(name, value);
    request_.body() = body;
    request_.prepare_payload();
    parser_.body_limit(64 * 1024);  // the answer's body is not read for anything
  }

  void Start() {
    http::async_write(stream_, request_, [this](beast::error_code ec, size_t) {
      if (ec) {
        result_ = Status::Unavailable("sending to the callback: " + ec.message());
        return;
      }
      http::async_read(stream_, buffer_, parser_, [this](beast::error_code e, size_t) {
        if (e) {
          result_ = Status::Unavailable("reading the callback's answer: " + e.message());
        } else {
          result_ = static_cast<unsigned>(parser_.get().result_int());
        }
      });
    });
  }

  Result<unsigned> result() const { return result_; }

 private:
  Stream& stream_;
  http::request<http::string_body> request_;
  beast::flat_buffer buffer_;
  http::response_parser<http::string_body> parser_;
  Result<unsigned> result_ = Status::Unavailable("the callback did not answer in time");
};

}  // namespace

Result<unsigned> PostCallback(const CallbackUrl& url, const std::string& body,
                              const std::vector<std::pair<std::string, std::string>>& headers,
                              int timeout_ms) {
  asio::io_context io;
  beast::error_code ec;
  asio::ip::tcp::resolver resolver(io);
  const auto endpoints = resolver.resolve(url.host, url.port, ec);
  if (ec) return Status::Unavailable("resolving " + url.host + ": " + ec.message());
  const auto deadline = std::chrono::milliseconds(timeout_ms);
  Status failure;
  if (!url.tls) {
    beast::tcp_stream stream(io);
    stream.expires_after(deadline);
    Exchange<beast::tcp_stream> exchange(stream, url, body, headers);
    stream.async_connect(endpoints, [&](beast::error_code e, const auto&) {
      if (e) {
        failure = Status::Unavailable("connecting to the callback: " + e.message());
      } else {
        exchange.Start();
      }
    });
    io.run();
    if (!failure.ok()) return failure;
    return exchange.result();
  }
  asio::ssl::context context(asio::ssl::context::tls_client);
  context.set_default_verify_paths(ec);
  context.set_verify_mode(asio::ssl::verify_peer);
  context.set_verify_callback(asio::ssl::host_name_verification(url.host));
  beast::ssl_stream<beast::tcp_stream> stream(io, context);
  if (!SSL_set_tlsext_host_name(stream.native_handle(), url.host.c_str())) {
    return Status::Unavailable("TLS: cannot set the server name " + url.host);
  }
  beast::get_lowest_layer(stream).expires_after(deadline);
  Exchange<beast::ssl_stream<beast::tcp_stream>> exchange(stream, url, body, headers);
  beast::get_lowest_layer(stream).async_connect(endpoints, [&](beast::error_code e, const auto&) {
    if (e) {
      failure = Status::Unavailable("connecting to the callback: " + e.message());
      return;
    }
    stream.async_handshake(asio::ssl::stream_base::client, [&](beast::error_code h) {
      if (h) {
        failure = Status::Unavailable("TLS with the callback: " + h.message());
      } else {
        exchange.Start();
      }
    });
  });
  io.run();
  if (!failure.ok()) return failure;
  return exchange.result();
}

}  // namespace shipledger::gateway
