// Test support for net/: a TCP relay on loopback that accepts one connection, connects it to
// an upstream port, and holds every byte either way until opened, so that a test can stall one
// TLS handshake at a chosen point while the rest of the network runs.
#pragma once

#include <array>
#include <atomic>
#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/write.hpp>
#include <cstdint>
#include <memory>
#include <string>
#include <thread>

namespace shipledger::net::test {

class GatedProxy {
 public:
  explicit GatedProxy(uint16_t upstream_port)
      : work_(io_.get_executor()),
        acceptor_(io_, {boost::asio::ip::make_address("127.0.0.1"), 0}),
        down_(io_),
        up_(io_),
        upstream_port_(upstream_port) {
    acceptor_.async_accept(
        [this](const boost::system::error_code& ec, boost::asio::ip::tcp::socket socket) {
          if (ec) return;
          down_ = std::move(socket);
          boost::system::error_code connect_ec;
          up_.connect({boost::asio::ip::make_address("127.0.0.1"), upstream_port_}, connect_ec);
          accepted_ = !connect_ec;
        });
    thread_ = std::thread([this] { io_.run(); });
  }
  ~GatedProxy() {
    boost::asio::post(io_, [this] {
      boost::system::error_code ignored;
      acceptor_.close(ignored);
      down_.close(ignored);
      up_.close(ignored);
    });
    work_.reset();
    thread_.join();
  }
  GatedProxy(const GatedProxy&) = delete;
  GatedProxy& operator=(const GatedProxy&) = delete;

  std::string endpoint() const {
    return "127.0.0.1:" + std::to_string(acceptor_.local_endpoint().port());
  }
  // True once a client connected and the relay reached the upstream port.
  bool accepted() const { return accepted_.load(); }
  // Lets bytes through both ways from now on, and an end of stream on one side is passed on.
  void Open() {
    boost::asio::post(io_, [this] {
      Pump(down_, up_, down_buffer_);
      Pump(up_, down_, up_buffer_);
    });
  }

 private:
  using Buffer = std::array<char, 16384>;

  void Pump(boost::asio::ip::tcp::socket& from, boost::asio::ip::tcp::socket& to, Buffer& buf) {
    from.async_read_some(
        boost::asio::buffer(buf),
        [this, &from, &to, &buf](const boost::system::error_code& ec, size_t n) {
          if (ec) {
            boost::system::error_code ignored;
            to.shutdown(boost::asio::ip::tcp::socket::shutdown_send, ignored);
            return;
          }
          boost::asio::async_write(
              to, boost::asio::buffer(buf.data(), n),
              [this, &from, &to, &buf](const boost::system::error_code& wec, size_t) {
                if (!wec) Pump(from, to, buf);
              });
        });
  }

  boost::asio::io_context io_;
  boost::asio::executor_work_guard<boost::asio::io_context::executor_type> work_;
  boost::asio::ip::tcp::acceptor acceptor_;
  boost::asio::ip::tcp::socket down_;  // the client's connection to us
  boost::asio::ip::tcp::socket up_;    // ours to the upstream port
  const uint16_t upstream_port_;
  std::atomic<bool> accepted_{false};
  Buffer down_buffer_{};
  Buffer up_buffer_{};
  std::thread thread_;
};

}  // namespace shipledger::net::test
