#include "shipledger/metrics.h"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>

namespace shipledger::metrics {

namespace {

void AppendValue(double v, std::string* out) {
  if (std::isnan(v)) {
    *out += "NaN";
  } else if (std::isinf(v)) {
    *out += v > 0 ? "+Inf" : "-Inf";
  } else if (v == std::floor(v) && std::fabs(v) < 1e15) {
    *out += fmt::format("{}", static_cast<int64_t>(v));
  } else {
    *out += fmt::format("{}", v);  // the shortest text that reads back as v
  }
}

void AppendLabels(const Labels& labels, std::string* out) {
  if (labels.empty()) return;
  *out += '{';
  bool first = true;
  for (const auto& [name, value] : labels) {
    if (!first) *out += ',';
    first = false;
    *out += name;
    *out += "=\"";
    for (char c : value) {
      if (c == '\\') {
        *out += "\\\\";
      } else if (c == '"') {
        *out += "\\\"";
      } else if (c == '\n') {
        *out += "\\n";
      } else {
        *out += c;
      }
    }
    *out += '"';
  }
  *out += '}';
}

Labels Zip(const std::vector<std::string>& names, const std::vector<std::string>& values) {
  Labels labels;
  for (size_t i = 0; i < names.size() && i < values.size(); ++i) {
    labels.emplace_back(names[i], values[i]);
  }
  return labels;
}

template <class Metric>
std::unique_ptr<Metric> MakeMetric(const std::vector<double>& bounds) {
  if constexpr (std::is_same_v<Metric, Histogram>) {
    return std::make_unique<Histogram>(bounds);
  } else {
    return std::make_unique<Metric>();
  }
}

}  // namespace

Histogram::Histogram(std::vector<double> bounds)
    : bounds_(std::move(bounds)),
      buckets_(std::make_unique<std::atomic<uint64_t>[]>(bounds_.size() + 1)) {
  std::sort(bounds_.begin(), bounds_.end());
}

void Histogram::Observe(double v) {
  const size_t bucket =
      static_cast<size_t>(std::lower_bound(bounds_.begin(), bounds_.end(), v) - bounds_.begin());
  buckets_[bucket].fetch_add(1, std::memory_order_relaxed);
  sum_.fetch_add(v, std::memory_order_relaxed);
  count_.fetch_add(1, std::memory_order_relaxed);
}

std::vector<uint64_t> Histogram::CumulativeCounts() const {
  std::vector<uint64_t> out(bounds_.size() + 1);
  uint64_t total = 0;
  for (size_t i = 0; i < out.size(); ++i) {
    total += buckets_[i].load(std::memory_order_relaxed);
    out[i] = total;
  }
  return out;
}

std::vector<double> LatencyBuckets() {
  return {0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60};
}

void Writer::Family(std::string_view name, std::string_view type, std::string_view help) {
  out_ += "# HELP ";
  out_ += name;
  out_ += ' ';
  for (char c : help) out_ += c == '\n' ? ' ' : c;
  out_ += "\n# TYPE ";
  out_ += name;
  out_ += ' ';
  out_ += type;
  out_ += '\n';
}

void Writer::Sample(std::string_view name, const Labels& labels, double value) {
  out_ += name;
  AppendLabels(labels, &out_);
  out_ += ' ';
  AppendValue(value, &out_);
  out_ += '\n';
}

void Writer::Histogram(std::string_view name, const Labels& labels, const metrics::Histogram& h) {
  // _count is the +Inf bucket's total, so the two agree while observations arrive.
  const std::vector<uint64_t> cumulative = h.CumulativeCounts();
  const std::string bucket = std::string(name) + "_bucket";
  for (size_t i = 0; i < cumulative.size(); ++i) {
    Labels with_le = labels;
    with_le.emplace_back("le", i < h.bounds().size() ? fmt::format("{}", h.bounds()[i]) : "+Inf");
    Sample(bucket, with_le, static_cast<double>(cumulative[i]));
  }
  Sample(std::string(name) + "_sum", labels, h.sum());
  Sample(std::string(name) + "_count", labels, static_cast<double>(cumulative.back()));
}

template <class Metric>
Metric& Family<Metric>::With(const std::vector<std::string>& values) {
  std::lock_guard<std::mutex> lock(mu_);
  std::unique_ptr<Metric>& slot = series_[values];
  if (!slot) slot = MakeMetric<Metric>(bounds_);
  return *slot;
}

template <class Metric>
void Family<Metric>::Write(Writer* out) const {
  std::lock_guard<std::mutex> lock(mu_);
  if constexpr (std::is_same_v<Metric, Counter>) {
    out->Family(name_, "counter", help_);
    for (const auto& [values, m] : series_) {
      out->Sample(name_, Zip(label_names_, values), static_cast<double>(m->value()));
    }
  } else if constexpr (std::is_same_v<Metric, Gauge>) {
    out->Family(name_, "gauge", help_);
    for (const auto& [values, m] : series_)
      out->Sample(name_, Zip(label_names_, values), m->value());
  } else {
    out->Family(name_, "histogram", help_);
    for (const auto& [values, m] : series_) out->Histogram(name_, Zip(label_names_, values), *m);
  }
}

template class Family<Counter>;
template class Family<Gauge>;
template class Family<Histogram>;

Family<Counter>& Registry::AddCounter(std::string name, std::string help,
                                      std::vector<std::string> label_names) {
  std::lock_guard<std::mutex> lock(mu_);
  counters_.push_back(
      std::make_unique<Family<Counter>>(std::move(name), std::move(help), std::move(label_names)));
  return *counters_.back();
}

Family<Gauge>& Registry::AddGauge(std::string name, std::string help,
                                  std::vector<std::string> label_names) {
  std::lock_guard<std::mutex> lock(mu_);
  gauges_.push_back(
      std::make_unique<Family<Gauge>>(std::move(name), std::move(help), std::move(label_names)));
  return *gauges_.back();
}

Family<Histogram>& Registry::AddHistogram(std::string name, std::string help,
                                          std::vector<std::string> label_names,
                                          std::vector<double> bounds) {
  std::lock_guard<std::mutex> lock(mu_);
  histograms_.push_back(std::make_unique<Family<Histogram>>(
      std::move(name), std::move(help), std::move(label_names), std::move(bounds)));
  return *histograms_.back();
}

void Registry::AddCollector(Collector collect) {
  std::lock_guard<std::mutex> lock(mu_);
  collectors_.push_back(std::move(collect));
}

std::string Registry::Render() const {
  Writer out;
  std::lock_guard<std::mutex> lock(mu_);
  for (const auto& f : counters_) f->Write(&out);
  for (const auto& f : gauges_) f->Write(&out);
  for (const auto& f : histograms_) f->Write(&out);
  for (const auto& collect : collectors_) collect(&out);
  return out.text();
}

}  // namespace shipledger::metrics
