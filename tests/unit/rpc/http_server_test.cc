// rpc::HttpServer over real loopback sockets, with TLS and client certificates: who gets in,
// what the handler sees, bodies, and that connections are released after each answer.
#include "rpc/http_server.h"

#include <gtest/gtest.h>

#include <boost/asio/ssl/context.hpp>
#include <future>
#include <thread>

#include "config/identity.h"
#include "crypto/x509.h"
#include "testing/raw_http.h"
#include "testing/temp_dir.h"
#include "testing/test_network.h"

namespace shipledger::rpc {
namespace {

using ::shipledger::testing::RawHttp;
using ::shipledger::testing::TlsHttp;

std::string Request(std::string_view method, std::string_view body = "") {
  return std::string(method) +
         " /x HTTP/1.1\r\nHost: a\r\nContent-Length: " + std::to_string(body.size()) +
         "\r\nConnection: close\r\n\r\n" + std::string(body);
}

class HttpServerTest : public ::testing::Test {
 protected:
  void SetUp() override {
    net_ = shipledger::testing::TestNetwork::Create();
    for (const std::string org : {"exporter", "forwarder"}) {
      const config::Identity& id = net_->org(org).client;
      ASSERT_TRUE(config::SaveIdentity(Dir(org), id.cert, id.key).ok());
    }
  }
  std::string Dir(const std::string& org) const { return dir_.path() + "/" + org; }

  // TLS with the exporter node's certificate; clients must be issued by the exporter CA.
  HttpServerOptions TlsOptions() {
    HttpServerOptions options;
    auto tls = std::make_shared<boost::asio::ssl::context>(boost::asio::ssl::context::tls_server);
    const config::Identity& node = net_->node(0);
    const std::string cert = node.cert.ToPem();
    const std::string key = node.key.ToPem();
    tls->use_certificate(boost::asio::buffer(cert), boost::asio::ssl::context::pem);
    tls->use_private_key(boost::asio::buffer(key), boost::asio::ssl::context::pem);
    options.tls = tls;
    const crypto::Certificate ca = net_->org("exporter").ca_cert;
    const int64_t now_ms = net_->now_ms();
    options.authenticate = [ca, now_ms](const crypto::Certificate& c) {
      return crypto::VerifyChain(c, ca, now_ms);
    };
    return options;
  }
  int Serve(HttpServerOptions options) {
    server_ = std::make_unique<HttpServer>(std::move(options), [](const HttpRequest& r) {
      const std::string who =
          r.client_certificate != nullptr ? r.client_certificate->organization() : "anyone";
      return HttpAnswer(200, who + " sent " + std::to_string(r.body.size()) + " bytes");
    });
    EXPECT_TRUE(server_->Start("127.0.0.1:0").ok());
    return server_->port();
  }

  std::unique_ptr<shipledger::testing::TestNetwork> net_;
  shipledger::testing::TempDir dir_;
  std::unique_ptr<HttpServer> server_;
};

TEST_F(HttpServerTest, TheHandlerSeesTheClientCertificateAndOthersAreRefused) {
  const int port = Serve(TlsOptions());
  const auto in = TlsHttp(port, Request("GET"), Dir("exporter"));
  EXPECT_EQ(in.status(), 200) << in.text;
  EXPECT_EQ(in.body(), "exporter sent 0 bytes");
  EXPECT_EQ(TlsHttp(port, Request("GET"), Dir("forwarder")).text, "");
  EXPECT_EQ(TlsHttp(port, Request("GET"), "").text, "");
  EXPECT_EQ(RawHttp(port, Request("GET"), 2000).status(), 0);
}

// Every answered connection is released: with room for two at once, ten in a row all get in.
TEST_F(HttpServerTest, TlsConnectionsAreReleasedAfterTheirAnswer) {
  HttpServerOptions options = TlsOptions();
  options.max_connections = 2;
  const int port = Serve(std::move(options));
  for (int i = 0; i < 10; ++i) {
    EXPECT_EQ(TlsHttp(port, Request("GET"), Dir("exporter")).status(), 200) << i;
    EXPECT_EQ(TlsHttp(port, Request("GET"), Dir("forwarder")).text, "") << i;
  }
}

TEST_F(HttpServerTest, BodiesUpToTheLimitReachTheHandlerLargerOnesAre400) {
  HttpServerOptions options;
  options.max_body_bytes = 16;
  const int port = Serve(std::move(options));
  const auto small = RawHttp(port, Request("PUT", "0123456789abcdef"));
  EXPECT_EQ(small.status(), 200) << small.text;
  EXPECT_EQ(small.body(), "anyone sent 16 bytes");
  EXPECT_EQ(RawHttp(port, Request("PUT", "0123456789abcdefg")).status(), 400);
}

TEST_F(HttpServerTest, TheHandlerSeesHeaderFieldsByLowerCaseNameAndTheClientAddress) {
  server_ = std::make_unique<HttpServer>(HttpServerOptions{}, [](const HttpRequest& r) {
    return HttpAnswer(200, std::string(r.Header("authorization")) + "|" +
                               std::string(r.Header("x-absent")) + "|" + r.client);
  });
  ASSERT_TRUE(server_->Start("127.0.0.1:0").ok());
  const auto answer = RawHttp(server_->port(),
                              "GET /x HTTP/1.1\r\nHost: a\r\nAuthorization: Bearer s3cret\r\n"
                              "Connection: close\r\n\r\n");
  EXPECT_EQ(answer.body(), "Bearer s3cret||127.0.0.1");
}

// With handler threads, a handler that waits does not hold up other connections: the slow
// request is answered only because a second one, served meanwhile, releases it.
TEST_F(HttpServerTest, WithHandlerThreadsAWaitingHandlerDoesNotHoldUpOthers) {
  std::promise<void> release;
  std::shared_future<void> released = release.get_future().share();
  HttpServerOptions options;
  options.handler_threads = 2;
  options.request_timeout_ms = 10000;
  server_ = std::make_unique<HttpServer>(std::move(options), [&](const HttpRequest& r) {
    if (r.target == "/slow") {
      const bool ok = released.wait_for(std::chrono::seconds(5)) == std::future_status::ready;
      return HttpAnswer(200, ok ? "released" : "nobody released me");
    }
    release.set_value();
    return HttpAnswer(200, "fast");
  });
  ASSERT_TRUE(server_->Start("127.0.0.1:0").ok());
  const int port = server_->port();
  std::string slow;
  std::thread waiter([&] {
    slow = RawHttp(port, "GET /slow HTTP/1.1\r\nHost: a\r\nConnection: close\r\n\r\n", 8000).body();
  });
  std::this_thread::sleep_for(std::chrono::milliseconds(100));
  EXPECT_EQ(RawHttp(port, "GET /fast HTTP/1.1\r\nHost: a\r\nConnection: close\r\n\r\n").body(),
            "fast");
  waiter.join();
  EXPECT_EQ(slow, "released");
}

// An exception in a handler on a pool thread is a 500, and the server goes on.
TEST_F(HttpServerTest, AHandlerThatThrowsOnAPoolThreadIsA500) {
  HttpServerOptions options;
  options.handler_threads = 1;
  server_ = std::make_unique<HttpServer>(std::move(options), [](const HttpRequest& r) {
    if (r.target == "/throw") throw std::runtime_error("boom");
    return HttpAnswer(200, "fine");
  });
  ASSERT_TRUE(server_->Start("127.0.0.1:0").ok());
  const int port = server_->port();
  EXPECT_EQ(RawHttp(port, "GET /throw HTTP/1.1\r\nHost: a\r\nConnection: close\r\n\r\n").status(),
            500);
  EXPECT_EQ(RawHttp(port, "GET /ok HTTP/1.1\r\nHost: a\r\nConnection: close\r\n\r\n").body(),
            "fine");
}

}  // namespace
}  // namespace shipledger::rpc
