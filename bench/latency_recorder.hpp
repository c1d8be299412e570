// Latency samples of one benchmark case and their summary. Each worker thread records into its
// own recorder, so the hot path takes no lock; the runner merges them when the case ends. Every
// sample is kept (a few thousand per second), so percentiles are exact, not estimated.
#pragma once

#include <chrono>
#include <cstdint>
#include <nlohmann/json_fwd.hpp>
#include <vector>

namespace fanfold::bench {

struct LatencySummary {
  uint64_t count = 0;
  // Nearest-rank percentiles: the smallest sample with at least p% of samples <= it.
  double p50_ms = 0;
  double p90_ms = 0;
  double p99_ms = 0;
  double max_ms = 0;
  double mean_ms = 0;

  nlohmann::json ToJson() const;
};

class LatencyRecorder {
 public:
  void Record(std::chrono::nanoseconds latency) { samples_ns_.push_back(latency.count()); }
  void Merge(const LatencyRecorder& other);
  uint64_t count() const { return samples_ns_.size(); }
  // All zero when nothing was recorded.
  LatencySummary Summarize() const;

 private:
  std::vector<int64_t> samples_ns_;
};

}  // namespace fanfold::bench
