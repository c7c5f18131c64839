#include "gateway/callback_client.h"

#include <openssl/ssl.h>

#include <boost/asio/connect.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/ssl/context.hpp>
#include <boost/asio/ssl/host_name_verification.hpp>
#include <boost/asio/steady_timer.hpp>
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

namespace {

// Whether a callback may be sent to `a` when private addresses are not allowed: not loopback,
// link-local (169.254/16, where clouds serve instance metadata; fe80::/10), private (10/8,
// 172.16/12, 192.168/16, fc00::/7), unspecified or multicast.
bool IsPublic(asio::ip::address a) {
  if (a.is_v6() && a.to_v6().is_v4_mapped()) {
    a = asio::ip::make_address_v4(asio::ip::v4_mapped, a.to_v6());
  }
  if (a.is_unspecified() || a.is_loopback() || a.is_multicast()) return false;
  if (a.is_v4()) {
    const uint32_t v = a.to_v4().to_uint();
    return (v >> 24) != 10 && (v >> 20) != 0xAC1 && (v >> 16) != 0xC0A8 && (v >> 16) != 0xA9FE &&
           (v >> 24) != 0;
  }
  const auto b = a.to_v6().to_bytes();
  return !a.to_v6().is_link_local() && (b[0] & 0xfe) != 0xfc;
}

}  // namespace

bool IsPublicAddress(const std::string& address) {
  beast::error_code ec;
  const auto a = asio::ip::make_address(address, ec);
  return !ec && IsPublic(a);
}

Result<unsigned> PostCallback(const CallbackUrl& url, const std::string& body,
                              const std::vector<std::pair<std::string, std::string>>& headers,
                              const CallbackOptions& options) {
  asio::io_context io;
  const auto deadline =
      std::chrono::steady_clock::now() + std::chrono::milliseconds(options.timeout_ms);
  Status failure;
  // The name is resolved under the same deadline as the rest (getaddrinfo runs on Asio's
  // resolver thread; the timer gives up on it).
  asio::ip::tcp::resolver resolver(io);
  asio::steady_timer timer(io, deadline);
  timer.async_wait([&](beast::error_code e) {
    if (!e) resolver.cancel();
  });
  asio::ssl::context context(asio::ssl::context::tls_client);
  beast::error_code ignored;
  context.set_default_verify_paths(ignored);
  context.set_verify_mode(asio::ssl::verify_peer);
  context.set_verify_callback(asio::ssl::host_name_verification(url.host));
  beast::tcp_stream plain(io);
  beast::ssl_stream<beast::tcp_stream> secure(io, context);
  Exchange<beast::tcp_stream> plain_exchange(plain, url, body, headers);
  Exchange<beast::ssl_stream<beast::tcp_stream>> secure_exchange(secure, url, body, headers);
  if (url.tls && !SSL_set_tlsext_host_name(secure.native_handle(), url.host.c_str())) {
    return Status::Unavailable("TLS: cannot set the server name " + url.host);
  }
  resolver.async_resolve(url.host, url.port, [&](beast::error_code e, auto results) {
    timer.cancel();
    if (e) {
      failure =
          Status::Unavailable("resolving " + url.host + ": " +
                              (e == asio::error::operation_aborted ? "timed out" : e.message()));
      return;
    }
    std::vector<asio::ip::tcp::endpoint> allowed;
    for (const auto& r : results) {
      if (options.allow_private || IsPublic(r.endpoint().address()))
        allowed.push_back(r.endpoint());
    }
    if (allowed.empty()) {
      failure = Status::PermissionDenied(
          url.host +
          " is a loopback, link-local or private address; the gateway calls those "
          "only with --allow-private-callbacks");
      return;
    }
    beast::tcp_stream& tcp = url.tls ? beast::get_lowest_layer(secure) : plain;
    tcp.expires_at(deadline);
    tcp.async_connect(allowed, [&](beast::error_code c, const auto&) {
      if (c) {
        failure = Status::Unavailable("connecting to the callback: " + c.message());
      } else if (!url.tls) {
        plain_exchange.Start();
      } else {
        secure.async_handshake(asio::ssl::stream_base::client, [&](beast::error_code h) {
          if (h) {
            failure = Status::Unavailable("TLS with the callback: " + h.message());
          } else {
            secure_exchange.Start();
          }
        });
      }
    });
  });
  io.run();
  if (!failure.ok()) return failure;
  return url.tls ? secure_exchange.result() : plain_exchange.result();
}

}  // namespace shipledger::gateway
