#include "bench/latency_recorder.hpp"

#include <algorithm>
#include <cmath>
#include <nlohmann/json.hpp>

namespace fanfold::bench {
namespace {

double Milliseconds(int64_t nanoseconds) {
  return static_cast<double>(nanoseconds) / 1e6;
}

// Rounded to microseconds: finer digits are noise and only make the JSON harder to read.
double Rounded(double milliseconds) {
  return std::round(milliseconds * 1000.0) / 1000.0;
}

}  // namespace

nlohmann::json LatencySummary::ToJson() const {
  return {{"count", count},         {"p50", Rounded(p50_ms)}, {"p90", Rounded(p90_ms)},
          {"p99", Rounded(p99_ms)}, {"max", Rounded(max_ms)}, {"mean", Rounded(mean_ms)}};
}

void LatencyRecorder::Merge(const LatencyRecorder& other) {
  samples_ns_.insert(samples_ns_.end(), other.samples_ns_.begin(), other.samples_ns_.end());
}

LatencySummary LatencyRecorder::Summarize() const {
  LatencySummary summary;
  if (samples_ns_.empty()) return summary;
  std::vector<int64_t> sorted = samples_ns_;
  std::sort(sorted.begin(), sorted.end());
  const auto percentile = [&sorted](double p) {
    const auto rank =
        static_cast<size_t>(std::ceil(p / 100.0 * static_cast<double>(sorted.size())));
    return Milliseconds(sorted[std::clamp<size_t>(rank, 1, sorted.size()) - 1]);
  };
  double total = 0;
  for (const int64_t sample : sorted)
    total += static_cast<double>(sample);
  summary.count = sorted.size();
  summary.p50_ms = percentile(50);
  summary.p90_ms = percentile(90);
  summary.p99_ms = percentile(99);
  summary.max_ms = Milliseconds(sorted.back());
  summary.mean_ms = total / static_cast<double>(sorted.size()) / 1e6;
  return summary;
}

}  // namespace fanfold::bench
