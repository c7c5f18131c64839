// Test support for net/: transports on loopback, each with its own io thread, and a raw TLS
// client for speaking to a transport as a misbehaving or impostor peer.
#pragma once

#include <array>
#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/ssl.hpp>
#include <boost/asio/write.hpp>
#include <chrono>
#include <functional>
#include <future>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "config/identity.h"
#include "net/transport.h"

namespace shipledger::net::test {

// Polls `pred` until it holds or `timeout` passes. Returns the last result.
inline bool WaitFor(const std::function<bool()>& pred,
                    std::chrono::milliseconds timeout = std::chrono::seconds(10)) {
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  while (!pred()) {
    if (std::chrono::steady_clock::now() > deadline) return pred();
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
  return true;
}

// One transport with its own io thread, recording what it receives.
class TestNode {
 public:
  TestNode(std::shared_ptr<const model::Genesis> genesis, uint32_t id,
           const config::Identity& identity, TransportOptions options = {})
      : work_(io_.get_executor()) {
    transport_ =
        std::make_unique<Transport>(io_, std::move(genesis), id, identity.cert, identity.key,
                                    options, [this](uint32_t from, std::string payload) {
                                      std::lock_guard lock(mu_);
                                      received_[from].push_back(std::move(payload));
                                    });
    thread_ = std::thread([this] { io_.run(); });
  }
  ~TestNode() { Shutdown(); }

  Status Listen(const std::string& host_port = "127.0.0.1:0") {
    return transport_->Listen(host_port);
  }
  Transport& transport() { return *transport_; }
  std::string endpoint() const { return "127.0.0.1:" + std::to_string(transport_->port()); }

  std::vector<std::string> ReceivedFrom(uint32_t from) {
    std::lock_guard lock(mu_);
    return received_[from];
  }
  size_t CountFrom(uint32_t from) {
    std::lock_guard lock(mu_);
    return received_[from].size();
  }
  // Parks the io thread until `release` is ready: the node stops reading, as a slow peer would.
  void BlockIoThread(std::shared_future<void> release) {
    boost::asio::post(io_, [release] { release.wait(); });
  }
  // Stops the transport and joins the io thread. Idempotent.
  void Shutdown() {
    if (!thread_.joinable()) return;
    transport_->Stop();
    work_.reset();
    thread_.join();
    transport_.reset();
  }

 private:
  boost::asio::io_context io_;
  boost::asio::executor_work_guard<boost::asio::io_context::executor_type> work_;
  std::unique_ptr<Transport> transport_;
  std::thread thread_;
  std::mutex mu_;
  std::map<uint32_t, std::vector<std::string>> received_;
};

// Lets every node dial every other at its ephemeral port, then starts them all.
inline void ConnectAndStart(const std::vector<TestNode*>& nodes) {
  for (size_t i = 0; i < nodes.size(); ++i) {
    for (size_t j = 0; j < nodes.size(); ++j) {
      if (i != j && nodes[j] != nullptr && nodes[i] != nullptr) {
        nodes[i]->transport().SetPeerEndpoint(static_cast<uint32_t>(j), nodes[j]->endpoint());
      }
    }
  }
  for (TestNode* n : nodes) {
    if (n != nullptr) n->transport().Start();
  }
}

// A bare TLS 1.3 client with any certificate, driven synchronously with bounded waits.
class RawTlsClient {
 public:
  // `max_tls_version`: 0 for any (TLS1_2_VERSION to play an outdated peer).
  RawTlsClient(const crypto::Certificate& cert, const crypto::PrivateKey& key,
               int max_tls_version = 0)
      : ssl_(MakeContext(cert, key, max_tls_version)), stream_(io_, ssl_) {}

  // TCP connect + TLS handshake. False when either fails (within 5 s).
  bool Connect(uint16_t port) {
    boost::system::error_code ec;
    stream_.next_layer().connect({boost::asio::ip::make_address("127.0.0.1"), port}, ec);
    if (ec) return false;
    std::optional<boost::system::error_code> result;
    stream_.async_handshake(boost::asio::ssl::stream_base::client,
                            [&](const boost::system::error_code& e) { result = e; });
    Run([&] { return result.has_value(); });
    if (!result.has_value()) Abort();
    return result.has_value() && !*result;
  }
  // Writes `data`; false on error.
  bool Write(const std::string& data) {
    std::optional<boost::system::error_code> result;
    boost::asio::async_write(stream_, boost::asio::buffer(data),
                             [&](const boost::system::error_code& e, size_t) { result = e; });
    Run([&] { return result.has_value(); });
    if (!result.has_value()) Abort();
    return result.has_value() && !*result;
  }
  // True when the server ends the connection (EOF, alert, reset) within `timeout`.
  bool ClosedByPeer(std::chrono::milliseconds timeout = std::chrono::seconds(10)) {
    bool closed = false;
    std::function<void()> read = [&] {
      stream_.async_read_some(boost::asio::buffer(buffer_),
                              [&](const boost::system::error_code& e, size_t) {
                                if (e) {
                                  closed = true;
                                } else {
                                  read();
                                }
                              });
    };
    read();
    Run([&] { return closed; }, timeout);
    if (!closed) Abort();  // end the pending read before `closed` goes out of scope
    return closed;
  }

 private:
  // The stream copies the certificate from the context when it is made: configure it first.
  static boost::asio::ssl::context MakeContext(const crypto::Certificate& cert,
                                               const crypto::PrivateKey& key, int max_tls_version) {
    boost::asio::ssl::context ssl(boost::asio::ssl::context::tls);
    SSL_CTX_set_max_proto_version(ssl.native_handle(), max_tls_version);
    const std::string cert_pem = cert.ToPem();
    const std::string key_pem = key.ToPem();
    ssl.use_certificate(boost::asio::buffer(cert_pem), boost::asio::ssl::context::pem);
    ssl.use_private_key(boost::asio::buffer(key_pem), boost::asio::ssl::context::pem);
    ssl.set_verify_mode(boost::asio::ssl::verify_none);
    return ssl;
  }

  // Closes the socket and runs the handlers of pending operations to completion.
  void Abort() {
    boost::system::error_code ignored;
    stream_.lowest_layer().close(ignored);
    io_.restart();
    io_.run();
  }
  void Run(const std::function<bool()>& done,
           std::chrono::milliseconds timeout = std::chrono::seconds(5)) {
    const auto deadline = std::chrono::steady_clock::now() + timeout;
    while (!done() && std::chrono::steady_clock::now() < deadline) {
      io_.restart();
      io_.run_for(std::chrono::milliseconds(20));
    }
  }

  boost::asio::io_context io_;
  boost::asio::ssl::context ssl_;
  boost::asio::ssl::stream<boost::asio::ip::tcp::socket> stream_;
  std::array<char, 4096> buffer_{};
};

}  // namespace shipledger::net::test
