#include "connection_flood.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <string>
#include <vector>

namespace shipledger::itest {

namespace {
// Closed connections are opened again once per sweep: the listener's slots stay full without
// the test machine spending its cores on a connect storm.
constexpr auto kSweep = std::chrono::milliseconds(100);
}  // namespace

ConnectionFlood::ConnectionFlood(uint16_t port, size_t count, size_t sources)
    : port_(port), count_(count), sources_(std::clamp<size_t>(sources, 1, 250)) {}

ConnectionFlood::~ConnectionFlood() { Stop(); }

void ConnectionFlood::Start() {
  if (thread_.joinable()) return;
  thread_ = std::thread([this] { Run(); });
}

void ConnectionFlood::Stop() {
  stop_.store(true);
  if (thread_.joinable()) thread_.join();
}

int ConnectionFlood::Open(size_t source) {
  const int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (fd < 0) return -1;
  // A full accept queue drops SYNs; do not let one connect hold the sweep for long.
  timeval timeout{1, 0};
  ::setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &timeout, sizeof timeout);
  sockaddr_in from{};
  from.sin_family = AF_INET;
  from.sin_addr.s_addr = htonl(INADDR_LOOPBACK + 1 + static_cast<uint32_t>(source));
  sockaddr_in to{};
  to.sin_family = AF_INET;
  to.sin_port = htons(port_);
  to.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  if (::bind(fd, reinterpret_cast<const sockaddr*>(&from), sizeof from) != 0 ||
      ::connect(fd, reinterpret_cast<const sockaddr*>(&to), sizeof to) != 0) {
    ::close(fd);
    return -1;
  }
  return fd;
}

void ConnectionFlood::Run() {
  std::vector<pollfd> fds(count_, pollfd{-1, POLLIN, 0});
  auto next_sweep = std::chrono::steady_clock::now();
  while (!stop_.load()) {
    for (size_t i = 0; i < fds.size() && !stop_.load(); ++i) {
      if (fds[i].fd >= 0) continue;
      fds[i].fd = Open(i % sources_);
      if (fds[i].fd < 0) {
        failed_.fetch_add(1);
      } else {
        opened_.fetch_add(1);
      }
    }
    open_now_ = static_cast<size_t>(
        std::count_if(fds.begin(), fds.end(), [](const pollfd& p) { return p.fd >= 0; }));
    next_sweep = std::max(next_sweep, std::chrono::steady_clock::now()) + kSweep;
    // Until the next sweep, close what the other end closed (readable: it never sends first).
    for (auto now = std::chrono::steady_clock::now(); now < next_sweep && !stop_.load();
         now = std::chrono::steady_clock::now()) {
      for (auto& p : fds) p.revents = 0;
      const auto wait_ms =
          std::chrono::duration_cast<std::chrono::milliseconds>(next_sweep - now).count();
      if (::poll(fds.data(), fds.size(), static_cast<int>(wait_ms) + 1) <= 0) continue;
      for (auto& p : fds) {
        if (p.fd < 0 || p.revents == 0) continue;
        ::close(p.fd);
        p.fd = -1;
        closed_by_peer_.fetch_add(1);
      }
    }
  }
  for (auto& p : fds) {
    if (p.fd >= 0) ::close(p.fd);
  }
  open_now_ = 0;
}

}  // namespace shipledger::itest
