#include "loadgen/measure.h"

#include <unistd.h>

#include <atomic>
#include <chrono>
#include <cmath>
#include <fstream>
#include <sstream>
#include <thread>

#include "crypto/x509.h"
#include "model/event.h"

namespace shipledger::loadgen {

namespace {

double TicksPerSecond() { return static_cast<double>(sysconf(_SC_CLK_TCK)); }

// utime + stime of /proc/PID/stat (fields 14 and 15), in seconds; 0 when unreadable.
double StatCpuSeconds(const std::string& path) {
  std::ifstream in(path);
  std::string line;
  if (!std::getline(in, line)) return 0;
  const size_t paren = line.rfind(')');
  if (paren == std::string::npos) return 0;
  std::istringstream fields(line.substr(paren + 2));
  std::string field;
  uint64_t utime = 0, stime = 0;
  for (int i = 3; i <= 15 && fields >> field; ++i) {
    if (i == 14) utime = std::stoull(field);
    if (i == 15) stime = std::stoull(field);
  }
  return static_cast<double>(utime + stime) / TicksPerSecond();
}

uint64_t StatusKb(int pid, const std::string& key) {
  std::ifstream in("/proc/" + std::to_string(pid) + "/status");
  std::string line;
  while (std::getline(in, line)) {
    if (line.rfind(key + ":", 0) == 0) {
      std::istringstream rest(line.substr(key.size() + 1));
      uint64_t kb = 0;
      rest >> kb;
      return kb * 1024;
    }
  }
  return 0;
}

}  // namespace

VerifyRate MeasureVerifyRate(const std::vector<v1::SignedEvent>& samples, int threads,
                             double seconds) {
  struct Prepared {
    crypto::PublicKey key;
    Bytes message;
    Bytes signature;
  };
  std::vector<Prepared> prepared;
  for (const v1::SignedEvent& se : samples) {
    auto cert = crypto::Certificate::FromDer(se.signer_cert());
    if (!cert.ok()) continue;
    auto key = cert->public_key();
    if (!key.ok()) continue;
    prepared.push_back(
        {std::move(key).value(), model::EventSigningMessage(se.event()), se.signature()});
  }
  VerifyRate rate;
  rate.threads = threads;
  if (prepared.empty()) return rate;
  std::atomic<uint64_t> total{0};
  std::atomic<bool> failed{false};
  const auto end = std::chrono::steady_clock::now() + std::chrono::duration<double>(seconds);
  std::vector<std::thread> pool;
  const auto start = std::chrono::steady_clock::now();
  for (int t = 0; t < threads; ++t) {
    pool.emplace_back([&, t] {
      uint64_t n = 0;
      for (size_t i = static_cast<size_t>(t); std::chrono::steady_clock::now() < end; ++i) {
        const Prepared& p = prepared[i % prepared.size()];
        if (!p.key.Verify(p.message, p.signature).ok()) failed = true;
        ++n;
      }
      total += n;
    });
  }
  for (std::thread& t : pool) t.join();
  const double elapsed =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  rate.per_second = failed ? 0 : static_cast<double>(total) / elapsed;
  return rate;
}

double MachineBusySeconds() {
  std::ifstream in("/proc/stat");
  std::string cpu;
  in >> cpu;  // "cpu": the sum over all cores
  uint64_t v[8] = {};
  for (uint64_t& x : v) in >> x;
  // user nice system idle iowait irq softirq steal: busy = all but idle and iowait.
  const uint64_t busy = v[0] + v[1] + v[2] + v[5] + v[6] + v[7];
  return static_cast<double>(busy) / TicksPerSecond();
}

double SelfCpuSeconds() { return StatCpuSeconds("/proc/self/stat"); }

double ProcessCpuSeconds(int pid) {
  return StatCpuSeconds("/proc/" + std::to_string(pid) + "/stat");
}

uint64_t ResidentBytes(int pid) { return StatusKb(pid, "VmRSS"); }
uint64_t PeakResidentBytes(int pid) { return StatusKb(pid, "VmHWM"); }

double Quantile(const std::vector<double>& sorted, double q) {
  if (sorted.empty()) return 0;
  const double rank = std::ceil(q * static_cast<double>(sorted.size()));
  const size_t i = rank < 1 ? 0 : static_cast<size_t>(rank) - 1;
  return sorted[std::min(i, sorted.size() - 1)];
}

}  // namespace shipledger::loadgen
