// Reads the approximate length of some queues (one Get Queue Metadata each, a billed
// transaction) when /metrics is scraped, at most once per interval, and keeps the figures for
// the scrapes in between. Nothing is read between scrapes: a worker nobody scrapes pays nothing
// for its queue depths, and an idle one scraped every 15 s pays one request per queue per
// interval, which is the cost the operator chose by scraping.
#pragma once

#include <chrono>
#include <map>
#include <mutex>
#include <string>
#include <vector>

#include "queuestore/queue_client.hpp"
#include "telemetry/metrics.hpp"

namespace fanfold::cli {

class QueueDepthSampler {
 public:
  QueueDepthSampler(std::vector<queuestore::QueueClient> queues, std::chrono::seconds interval);

  // Reads the depths first when the last reading is at least one interval old.
  void Write(telemetry::MetricsText& out);

 private:
  using Clock = std::chrono::steady_clock;
  void SampleAll();

  const std::vector<queuestore::QueueClient> queues_;
  const std::chrono::seconds interval_;
  std::mutex mutex_;  // one reading at a time; scrapes in between wait for it
  bool sampled_ = false;
  Clock::time_point read_at_{};
  std::map<std::string, std::int64_t> depths_;  // by queue name; absent until first read
  double sampled_at_ = 0;                       // Unix seconds of the latest complete pass
};

}  // namespace fanfold::cli
