// A task hub on the shared test account, with a worker running in the background.
#pragma once

#include <atomic>
#include <map>
#include <memory>
#include <mutex>
#include <thread>

#include "orchestrator/task_hub.hpp"
#include "orchestrator/task_hub_client.hpp"
#include "orchestrator/worker.hpp"
#include "tests/support/storage_test_environment.hpp"

namespace fanfold::orchestrator::test {

inline TaskHubOptions FastHubOptions() {
  TaskHubOptions options;
  options.name = fanfold::testing::UniqueName("hub");
  options.partition_count = 2;
  options.pipeline.retry.initial_delay = std::chrono::milliseconds(5);
  return options;
}

inline WorkerOptions FastWorkerOptions() {
  WorkerOptions options;
  options.activity_concurrency = 4;
  options.pacing.first_wait = std::chrono::milliseconds(5);
  options.pacing.idle_interval = std::chrono::milliseconds(15);
  options.orchestration.visibility_timeout = std::chrono::seconds(2);
  options.activity.visibility_timeout = std::chrono::seconds(3);
  return options;
}

inline std::shared_ptr<TaskHub> OpenHub(const TaskHubOptions& options = FastHubOptions()) {
  auto hub = TaskHub::Open(fanfold::testing::TestAccount(), options);
  if (!hub.ok()) return nullptr;
  if (!(*hub)->CreateIfNotExists().ok()) return nullptr;
  return *hub;
}

// Runs a Worker on its own thread for the scope's lifetime.
class BackgroundWorker {
 public:
  BackgroundWorker(std::shared_ptr<const TaskHub> hub, const Registry& registry,
                   WorkerOptions options = FastWorkerOptions())
      : worker_(std::make_unique<Worker>(std::move(hub), registry, options)),
        thread_([this] { worker_->Run(); }) {}
  ~BackgroundWorker() { Stop(); }
  void Stop() {
    worker_->Stop();
    if (thread_.joinable()) thread_.join();
  }
  Worker& worker() { return *worker_; }

 private:
  std::unique_ptr<Worker> worker_;
  std::thread thread_;
};

// Counts how often each (activity input) ran, across threads.
class RunCounter {
 public:
  void Count(const std::string& key) {
    std::lock_guard<std::mutex> lock(mutex_);
    ++runs_[key];
  }
  int Runs(const std::string& key) const {
    std::lock_guard<std::mutex> lock(mutex_);
    const auto it = runs_.find(key);
    return it == runs_.end() ? 0 : it->second;
  }
  int Total() const {
    std::lock_guard<std::mutex> lock(mutex_);
    int total = 0;
    for (const auto& [key, runs] : runs_)
      total += runs;
    return total;
  }

 private:
  mutable std::mutex mutex_;
  std::map<std::string, int> runs_;
};

}  // namespace fanfold::orchestrator::test
