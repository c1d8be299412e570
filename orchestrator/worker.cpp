#include "orchestrator/worker.hpp"

#include <thread>
#include <vector>

namespace fanfold::orchestrator {

Worker::Worker(std::shared_ptr<const TaskHub> hub, const Registry& registry, WorkerOptions options)
    : hub_(hub),
      options_(options),
      orchestrations_(hub, registry, options.orchestration),
      activities_(hub, registry, options.activity) {}

void Worker::Stop() {
  stop_ = true;
  wake_.notify_all();
}

WorkerStats Worker::stats() const {
  return WorkerStats{orchestrations_.stats(), activities_.stats(), polls_.load(),
                     empty_polls_.load(), errors_.load()};
}

void Worker::Idle(std::chrono::milliseconds& delay) {
  std::unique_lock<std::mutex> lock(mutex_);
  wake_.wait_for(lock, delay, [this] { return stop_.load(); });
  delay = std::min(delay * 2, options_.max_poll_interval);
}

template <typename PollFn>
void Worker::PollLoop(PollFn poll) {
  auto delay = options_.min_poll_interval;
  while (!stop_.load()) {
    ++polls_;
    auto worked = poll();
    if (!worked.ok()) {
      ++errors_;  // storage trouble: back off like an idle poll, then try again
      Idle(delay);
    } else if (!*worked) {
      ++empty_polls_;
      Idle(delay);
    } else {
      delay = options_.min_poll_interval;
    }
  }
}

void Worker::Run() {
  std::vector<std::thread> threads;
  if (options_.run_orchestrations) {
    threads.emplace_back([this] {
      int partition = 0;
      const int partitions = hub_->names().partition_count;
      int empty_in_a_row = 0;
      PollLoop([&]() -> storage::Result<bool> {
        auto handled = orchestrations_.PollOnce(partition);
        partition = (partition + 1) % partitions;
        if (!handled.ok()) return handled.status();
        // Idle only after a full round of empty partitions.
        empty_in_a_row = *handled == 0 ? empty_in_a_row + 1 : 0;
        return empty_in_a_row < partitions;
      });
    });
  }
  if (options_.run_activities) {
    for (int i = 0; i < options_.activity_concurrency; ++i) {
      threads.emplace_back([this] { PollLoop([this] { return activities_.PollOnce(); }); });
    }
  }
  for (auto& thread : threads)
    thread.join();
}

}  // namespace fanfold::orchestrator
