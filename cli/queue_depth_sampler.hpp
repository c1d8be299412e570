// Reads the approximate length of some queues every interval (one Get Queue Metadata each, a
// billed transaction) and keeps the latest figures for /metrics. Only runs when metrics are on.
#pragma once

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <map>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "queuestore/queue_client.hpp"
#include "telemetry/metrics.hpp"

namespace fanfold::cli {

class QueueDepthSampler {
 public:
  QueueDepthSampler(std::vector<queuestore::QueueClient> queues, std::chrono::seconds interval);
  ~QueueDepthSampler();
  QueueDepthSampler(const QueueDepthSampler&) = delete;
  QueueDepthSampler& operator=(const QueueDepthSampler&) = delete;

  void Write(telemetry::MetricsText& out) const;

 private:
  void SampleAll();

  std::vector<queuestore::QueueClient> queues_;
  std::chrono::seconds interval_;
  mutable std::mutex mutex_;
  std::condition_variable stop_signal_;
  bool stop_ = false;
  std::map<std::string, std::int64_t> depths_;  // by queue name; absent until first read
  double sampled_at_ = 0;                       // Unix seconds of the latest complete pass
  std::thread thread_;
};

}  // namespace fanfold::cli
