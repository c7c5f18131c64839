// Metrics in the Prometheus text exposition format (version 0.0.4), as the operations endpoint
// serves them at /metrics (docs/operations.md lists every metric). Counters, gauges and
// histograms are lock-free on the hot path; a family of labelled series takes a lock only to
// find or create a series, so callers on a hot path keep the reference With() returns. Values
// that are cheaper to read at scrape time than to keep up to date (heights, queue depths, link
// state) come from collectors, called once per scrape.
// Thread-safety: everything here is thread-safe; families and collectors are added before the
// first scrape.
#pragma once

#include <atomic>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace shipledger::metrics {

using Labels = std::vector<std::pair<std::string, std::string>>;

class Counter {
 public:
  void Inc(uint64_t n = 1) { value_.fetch_add(n, std::memory_order_relaxed); }
  uint64_t value() const { return value_.load(std::memory_order_relaxed); }

 private:
  std::atomic<uint64_t> value_{0};
};

class Gauge {
 public:
  void Set(double v) { value_.store(v, std::memory_order_relaxed); }
  void Add(double v) { value_.fetch_add(v, std::memory_order_relaxed); }
  double value() const { return value_.load(std::memory_order_relaxed); }

 private:
  std::atomic<double> value_{0};
};

class Histogram {
 public:
  // `bounds`: the buckets' upper bounds, ascending; +Inf is implied.
  explicit Histogram(std::vector<double> bounds);
  void Observe(double v);
  const std::vector<double>& bounds() const { return bounds_; }
  // Per bucket (bounds, then +Inf), the observations <= its bound: cumulative.
  std::vector<uint64_t> CumulativeCounts() const;
  uint64_t count() const { return count_.load(std::memory_order_relaxed); }
  double sum() const { return sum_.load(std::memory_order_relaxed); }

 private:
  std::vector<double> bounds_;
  std::unique_ptr<std::atomic<uint64_t>[]> buckets_;  // bounds_.size() + 1, not cumulative
  std::atomic<uint64_t> count_{0};
  std::atomic<double> sum_{0};
};

// Bounds for latencies in seconds, from 1 ms to 60 s.
std::vector<double> LatencyBuckets();

// Writes the text format. Every family is written with its HELP and TYPE lines once, then its
// samples; label values are escaped (backslash, double quote, newline).
class Writer {
 public:
  // `type`: "counter", "gauge" or "histogram".
  void Family(std::string_view name, std::string_view type, std::string_view help);
  void Sample(std::string_view name, const Labels& labels, double value);
  void Sample(std::string_view name, double value) { Sample(name, {}, value); }
  void Histogram(std::string_view name, const Labels& labels, const metrics::Histogram& h);
  const std::string& text() const { return out_; }

 private:
  std::string out_;
};

// A metric with the same label names on every series, e.g. refusals by reason.
template <class Metric>
class Family {
 public:
  Family(std::string name, std::string help, std::vector<std::string> label_names,
         std::vector<double> bounds = {})
      : name_(std::move(name)),
        help_(std::move(help)),
        label_names_(std::move(label_names)),
        bounds_(std::move(bounds)) {}
  // The series with these label values (as many as label names), created at first use.
  Metric& With(const std::vector<std::string>& values);
  void Write(Writer* out) const;

 private:
  const std::string name_;
  const std::string help_;
  const std::vector<std::string> label_names_;
  const std::vector<double> bounds_;  // histograms only
  mutable std::mutex mu_;
  std::map<std::vector<std::string>, std::unique_ptr<Metric>> series_;  // GUARDED_BY(mu_)
};

class Registry {
 public:
  using Collector = std::function<void(Writer*)>;
  Family<Counter>& AddCounter(std::string name, std::string help,
                              std::vector<std::string> label_names = {});
  Family<Gauge>& AddGauge(std::string name, std::string help,
                          std::vector<std::string> label_names = {});
  Family<Histogram>& AddHistogram(std::string name, std::string help,
                                  std::vector<std::string> label_names, std::vector<double> bounds);
  // `collect` writes families of its own at every scrape, after the registered ones.
  void AddCollector(Collector collect);
  // Every family, then every collector's: the body of GET /metrics.
  std::string Render() const;

 private:
  mutable std::mutex mu_;
  std::vector<std::unique_ptr<Family<Counter>>> counters_;
  std::vector<std::unique_ptr<Family<Gauge>>> gauges_;
  std::vector<std::unique_ptr<Family<Histogram>>> histograms_;
  std::vector<Collector> collectors_;
};

}  // namespace shipledger::metrics
