#include "cli/queue_depth_sampler.hpp"

#include <algorithm>

namespace fanfold::cli {

QueueDepthSampler::QueueDepthSampler(std::vector<queuestore::QueueClient> queues,
                                     std::chrono::seconds interval)
    : queues_(std::move(queues)), interval_(std::max(interval, std::chrono::seconds(1))) {
  thread_ = std::thread([this] {
    std::unique_lock<std::mutex> lock(mutex_);
    while (!stop_) {
      lock.unlock();
      SampleAll();
      lock.lock();
      stop_signal_.wait_for(lock, interval_, [this] { return stop_; });
    }
  });
}

QueueDepthSampler::~QueueDepthSampler() {
  {
    std::lock_guard<std::mutex> lock(mutex_);
    stop_ = true;
  }
  stop_signal_.notify_all();
  thread_.join();
}

void QueueDepthSampler::SampleAll() {
  std::map<std::string, std::int64_t> read;
  for (const auto& queue : queues_) {
    // A queue that cannot be read this time keeps its last figure rather than dropping to 0.
    auto properties = queue.GetProperties();
    if (properties.ok()) read[queue.name()] = properties->approximate_message_count;
  }
  const double now =
      std::chrono::duration<double>(std::chrono::system_clock::now().time_since_epoch()).count();
  std::lock_guard<std::mutex> lock(mutex_);
  for (const auto& [name, depth] : read)
    depths_[name] = depth;
  sampled_at_ = now;
}

void QueueDepthSampler::Write(telemetry::MetricsText& out) const {
  std::lock_guard<std::mutex> lock(mutex_);
  out.Family("fanfold_queue_depth", "gauge",
             "Approximate number of messages in each queue this worker serves, as last read.");
  for (const auto& [name, depth] : depths_)
    out.Sample("fanfold_queue_depth", {{"queue", name}}, static_cast<double>(depth));
  out.Family("fanfold_queue_depth_sampled_timestamp_seconds", "gauge",
             "When the queue depths were last read (Unix time).");
  out.Sample("fanfold_queue_depth_sampled_timestamp_seconds", {}, sampled_at_);
}

}  // namespace fanfold::cli
