// Metrics in the Prometheus text exposition format (version 0.0.4): what `fanfold worker
// --metrics-addr` serves at /metrics. A scrape asks every registered collector to write its
// families; collectors read counters the code keeps anyway (stage and engine stats, storage
// counters) or that EventMetrics derives from log events, so a scrape costs no storage request
// and always agrees with what the process did.
#pragma once

#include <cstdint>
#include <functional>
#include <mutex>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace fanfold::telemetry {

using MetricLabels = std::vector<std::pair<std::string, std::string>>;

// Cumulative buckets, as Prometheus histograms are. Thread-safe.
class Histogram {
 public:
  explicit Histogram(std::vector<double> upper_bounds);
  void Observe(double value);
  struct Snapshot {
    std::vector<double> upper_bounds;
    std::vector<std::uint64_t> cumulative;  // one per bound: observations <= bound
    std::uint64_t count = 0;
    double sum = 0;
  };
  Snapshot snapshot() const;

 private:
  mutable std::mutex mutex_;
  std::vector<double> upper_bounds_;
  std::vector<std::uint64_t> counts_;  // per bucket, not cumulative
  std::uint64_t count_ = 0;
  double sum_ = 0;
};

// Bounds in seconds for things that take from milliseconds (a small chunk) to minutes (a
// large job): 5 ms to 10 min, about three per decade.
std::vector<double> LatencyBucketsSeconds();

// Builds one scrape's text. A family's samples must be written right after its Family() line.
class MetricsText {
 public:
  // type: "counter", "gauge" or "histogram". Counter names end in _total by convention.
  void Family(std::string_view name, std::string_view type, std::string_view help);
  void Sample(std::string_view name, const MetricLabels& labels, double value);
  void HistogramSamples(std::string_view name, const MetricLabels& labels,
                        const Histogram::Snapshot& histogram);
  const std::string& text() const { return text_; }

 private:
  std::string text_;
};

// A label value with \, " and newline escaped, as the format requires.
std::string EscapeLabelValue(std::string_view value);
// Integers without a decimal point; +Inf, -Inf and NaN as the format spells them.
std::string FormatMetricValue(double value);

class MetricsRegistry {
 public:
  using Collector = std::function<void(MetricsText&)>;
  // Collectors run in registration order at every scrape, on the scraping thread.
  void AddCollector(Collector collector);
  std::string Render() const;

 private:
  mutable std::mutex mutex_;
  std::vector<Collector> collectors_;
};

}  // namespace fanfold::telemetry
