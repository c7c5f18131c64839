#include "testing/raw_http.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <openssl/err.h>
#include <openssl/ssl.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <cctype>
#include <chrono>
#include <string>

namespace shipledger::testing {

int RawHttpReply::status() const {
  if (text.rfind("HTTP/1.", 0) != 0 || text.size() < 12) return 0;
  return std::atoi(text.substr(9, 3).c_str());
}

std::string RawHttpReply::header(std::string_view name) const {
  const size_t end = text.find("\r\n\r\n");
  size_t at = text.find("\r\n");
  while (at != std::string::npos && at < end) {
    const size_t next = text.find("\r\n", at + 2);
    const std::string line = text.substr(at + 2, next - at - 2);
    const size_t colon = line.find(':');
    if (colon == name.size() &&
        std::equal(name.begin(), name.end(), line.begin(), [](char a, char b) {
          return std::tolower(static_cast<unsigned char>(a)) ==
                 std::tolower(static_cast<unsigned char>(b));
        })) {
      const size_t value = line.find_first_not_of(' ', colon + 1);
      return value == std::string::npos ? "" : line.substr(value);
    }
    at = next;
  }
  return "";
}

std::string RawHttpReply::body() const {
  const size_t end = text.find("\r\n\r\n");
  return end == std::string::npos ? "" : text.substr(end + 4);
}

int ConnectFrom(std::string_view from, int port) {
  const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  if (fd < 0) return -1;
  if (!from.empty()) {
    sockaddr_in local{};
    local.sin_family = AF_INET;
    if (::inet_pton(AF_INET, std::string(from).c_str(), &local.sin_addr) != 1 ||
        ::bind(fd, reinterpret_cast<sockaddr*>(&local), sizeof local) != 0) {
      ::close(fd);
      return -1;
    }
  }
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  addr.sin_port = htons(static_cast<uint16_t>(port));
  if (::connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0) {
    ::close(fd);
    return -1;
  }
  return fd;
}

RawHttpReply RawHttp(int port, std::string_view request, int timeout_ms) {
  return RawHttpFrom("", port, request, timeout_ms);
}

RawHttpReply RawHttpFrom(std::string_view from, int port, std::string_view request,
                         int timeout_ms) {
  RawHttpReply reply;
  const int fd = ConnectFrom(from, port);
  if (fd < 0) return reply;
  reply.connected = true;
  size_t sent = 0;
  while (sent < request.size()) {
    const ssize_t n = ::send(fd, request.data() + sent, request.size() - sent, MSG_NOSIGNAL);
    if (n <= 0) break;  // the server may close early (e.g. an oversized request)
    sent += static_cast<size_t>(n);
  }
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::milliseconds(timeout_ms);
  char buffer[4096];
  for (;;) {
    const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
                          deadline - std::chrono::steady_clock::now())
                          .count();
    if (left <= 0) break;
    pollfd pfd{fd, POLLIN, 0};
    if (::poll(&pfd, 1, static_cast<int>(left)) <= 0) break;
    const ssize_t n = ::recv(fd, buffer, sizeof buffer, 0);
    if (n <= 0) {
      reply.closed = true;
      break;
    }
    reply.text.append(buffer, static_cast<size_t>(n));
  }
  ::close(fd);
  return reply;
}

RawHttpReply HttpGet(int port, std::string_view target, int timeout_ms) {
  return RawHttp(
      port,
      "GET " + std::string(target) + " HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n",
      timeout_ms);
}

RawHttpReply TlsHttp(int port, std::string_view request, const std::string& identity_dir,
                     int timeout_ms) {
  RawHttpReply reply;
  const int fd = ConnectFrom("", port);
  if (fd < 0) return reply;
  reply.connected = true;
  timeval tv{timeout_ms / 1000, (timeout_ms % 1000) * 1000};
  ::setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
  ::setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof tv);
  SSL_CTX* ctx = SSL_CTX_new(TLS_client_method());
  SSL_CTX_set_verify(ctx, SSL_VERIFY_NONE, nullptr);
  bool ok = ctx != nullptr;
  if (ok && !identity_dir.empty()) {
    ok = SSL_CTX_use_certificate_chain_file(ctx, (identity_dir + "/cert.pem").c_str()) == 1 &&
         SSL_CTX_use_PrivateKey_file(ctx, (identity_dir + "/key.pem").c_str(), SSL_FILETYPE_PEM) ==
             1;
  }
  SSL* ssl = ok ? SSL_new(ctx) : nullptr;
  if (ssl != nullptr && SSL_set_fd(ssl, fd) == 1 && SSL_connect(ssl) == 1 &&
      SSL_write(ssl, request.data(), static_cast<int>(request.size())) > 0) {
    // With TLS 1.3 the server's verdict on our certificate comes after the handshake: a refusal
    // shows as a failed read.
    char buffer[4096];
    for (;;) {
      const int n = SSL_read(ssl, buffer, sizeof buffer);
      if (n <= 0) {
        reply.closed = true;
        break;
      }
      reply.text.append(buffer, static_cast<size_t>(n));
    }
  }
  ERR_clear_error();
  if (ssl != nullptr) SSL_free(ssl);
  if (ctx != nullptr) SSL_CTX_free(ctx);
  ::close(fd);
  return reply;
}

}  // namespace shipledger::testing
