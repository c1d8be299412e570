// Metrics derived from the events the code logs (see AddLogObserver): activities by name and
// outcome, chunks, rows and bytes read, jobs by pipeline and outcome, latency histograms,
// poisoned messages and upload events the trigger ignored. Counting the logged events themselves
// keeps a scrape consistent with the logs of the same process by construction. Label values come
// from bounded sets (activity names, pipelines, stages), never from job ids or per-job queue names.
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <nlohmann/json.hpp>
#include <string>
#include <string_view>
#include <utility>

#include "telemetry/metrics.hpp"

namespace fanfold::telemetry {

class EventMetrics {
 public:
  EventMetrics() = default;
  ~EventMetrics();
  EventMetrics(const EventMetrics&) = delete;
  EventMetrics& operator=(const EventMetrics&) = delete;

  // Starts counting every event this process logs, until destroyed.
  void Subscribe();
  void Observe(std::string_view event, const nlohmann::json& fields);
  void Write(MetricsText& out) const;

 private:
  using Key = std::pair<std::string, std::string>;
  Histogram& HistogramFor(std::map<std::string, std::unique_ptr<Histogram>>& family,
                          const std::string& label);

  int observer_id_ = 0;
  mutable std::mutex mutex_;
  std::map<Key, std::uint64_t> activities_;  // (activity, outcome)
  std::map<std::string, std::unique_ptr<Histogram>> activity_seconds_;
  std::map<std::string, std::uint64_t> chunks_;  // outcome
  Histogram chunk_seconds_{LatencyBucketsSeconds()};
  std::uint64_t rows_ = 0;
  std::uint64_t rejected_rows_ = 0;
  std::uint64_t bytes_ = 0;
  std::map<Key, std::uint64_t> jobs_;                              // (pipeline, outcome)
  std::map<std::string, std::unique_ptr<Histogram>> job_seconds_;  // pipeline
  std::map<std::string, std::uint64_t> poisoned_;                  // stage
  std::map<std::string, std::uint64_t> ignored_events_;            // trigger action
};

}  // namespace fanfold::telemetry
