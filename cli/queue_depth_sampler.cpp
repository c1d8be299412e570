#include "cli/queue_depth_sampler.hpp"

#include <algorithm>

namespace fanfold::cli {

QueueDepthSampler::QueueDepthSampler(std::vector<queuestore::QueueClient> queues,
                                     std::chrono::seconds interval)
    : queues_(std::move(queues)), interval_(std::max(interval, std::chrono::seconds(1))) {}

// Called with mutex_ held.
void QueueDepthSampler::SampleAll() {
  for (const auto& queue : queues_) {
    // A queue that cannot be read this time keeps its last figure rather than dropping to 0.
    auto properties = queue.GetProperties();
    if (properties.ok()) depths_[queue.name()] = properties->approximate_message_count;
  }
  sampled_at_ =
      std::chrono::duration<double>(std::chrono::system_clock::now().time_since_epoch()).count();
  read_at_ = Clock::now();
  sampled_ = true;
}

void QueueDepthSampler::Write(telemetry::MetricsText& out) {
  std::lock_guard<std::mutex> lock(mutex_);
  if (!sampled_ || Clock::now() - read_at_ >= interval_) SampleAll();
  out.Family("fanfold_queue_depth", "gauge",
             "Approximate number of messages in each queue this worker serves, as last read.");
  for (const auto& [name, depth] : depths_)
    out.Sample("fanfold_queue_depth", {{"queue", name}}, static_cast<double>(depth));
  out.Family("fanfold_queue_depth_sampled_timestamp_seconds", "gauge",
             "When the queue depths were last read (Unix time).");
  out.Sample("fanfold_queue_depth_sampled_timestamp_seconds", {}, sampled_at_);
}

}  // namespace fanfold::cli
