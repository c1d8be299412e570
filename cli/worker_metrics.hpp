// What `fanfold worker --metrics-addr HOST:PORT` serves: the events this process logged (see
// telemetry/event_metrics.hpp), its stages' and engine's counters, messages in flight, storage
// requests by kind with their retries, and the depths of the queues it serves.
#pragma once

#include <chrono>
#include <memory>
#include <string>
#include <vector>

#include "orchestrator/worker.hpp"
#include "pipelines/queue_stage.hpp"
#include "queuestore/queue_client.hpp"
#include "storage/result.hpp"
#include "telemetry/event_metrics.hpp"
#include "telemetry/metrics.hpp"
#include "telemetry/metrics_server.hpp"

namespace fanfold::cli {

class QueueDepthSampler;

struct WorkerMetricsSources {
  const orchestrator::Worker* worker = nullptr;  // null: no engine in this process
  const std::vector<std::unique_ptr<pipelines::QueueStage>>* stages = nullptr;
  std::vector<queuestore::QueueClient> queues;  // whose depths to report
  std::chrono::seconds depth_interval{15};
};

class WorkerMetrics {
 public:
  // Counts events from now on, and serves them at `address`.
  static storage::Result<std::unique_ptr<WorkerMetrics>> Start(const std::string& address,
                                                               WorkerMetricsSources sources);
  ~WorkerMetrics();
  const std::string& address() const { return address_; }  // as bound, with the real port

 private:
  explicit WorkerMetrics(WorkerMetricsSources sources);
  void WriteProcess(telemetry::MetricsText& out) const;
  void WriteWork(telemetry::MetricsText& out) const;
  void WriteStorage(telemetry::MetricsText& out) const;

  WorkerMetricsSources sources_;
  double started_at_ = 0;
  telemetry::MetricsRegistry registry_;
  telemetry::EventMetrics events_;
  std::unique_ptr<QueueDepthSampler> depths_;
  telemetry::MetricsServer server_{registry_};
  std::string address_;
};

}  // namespace fanfold::cli
