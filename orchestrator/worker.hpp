// A worker process's engine: threads that poll the hub's control queues (orchestrations) and its
// work-item queue (activities), back off while idle and return to fast polling when work
// appears. Stop() lets in-flight work finish, then Run() returns: what SIGTERM/SIGINT call.
#pragma once

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <memory>
#include <mutex>

#include "orchestrator/activity_processor.hpp"
#include "orchestrator/orchestration_processor.hpp"

namespace fanfold::orchestrator {

struct WorkerOptions {
  int activity_concurrency = 2;                     // activities running at once in this process
  bool run_orchestrations = true;                   // poll control queues
  bool run_activities = true;                       // poll the work-item queue
  std::chrono::milliseconds min_poll_interval{10};  // after an empty poll, first wait
  // Idle waits double up to this. It bounds how long work handed over by another process can
  // wait; each idle poll is a billed transaction (at 250 ms, about 12 per second per worker).
  std::chrono::milliseconds max_poll_interval{250};
  OrchestrationProcessorOptions orchestration;
  ActivityProcessorOptions activity;
};

struct WorkerStats {
  OrchestrationStats orchestration;
  ActivityStats activity;
  uint64_t polls = 0;
  uint64_t empty_polls = 0;
  uint64_t errors = 0;
};

class Worker {
 public:
  Worker(std::shared_ptr<const TaskHub> hub, const Registry& registry, WorkerOptions options = {});
  // Polls until Stop(); returns after in-flight work has finished.
  void Run();
  // Safe from any thread (not from a signal handler: use a watcher thread for that).
  void Stop();
  bool stopping() const { return stop_.load(); }
  WorkerStats stats() const;

 private:
  // Each kind of poller has a wake-up counter; bumping it ends that kind's idle waits, so work
  // handed from one half of this process to the other is picked up at once.
  enum Kind { kOrchestrations = 0, kActivities = 1 };
  template <typename PollFn>
  void PollLoop(Kind kind, PollFn poll);
  void Idle(Kind kind, std::chrono::milliseconds& delay);
  void Wake(Kind kind);
  static OrchestrationProcessorOptions WithWakeUp(OrchestrationProcessorOptions options,
                                                  Worker* worker);
  static ActivityProcessorOptions WithWakeUp(ActivityProcessorOptions options, Worker* worker);

  std::shared_ptr<const TaskHub> hub_;
  WorkerOptions options_;
  OrchestrationProcessor orchestrations_;
  ActivityProcessor activities_;
  std::atomic<bool> stop_{false};
  std::mutex mutex_;
  std::condition_variable wake_;
  uint64_t wake_counts_[2] = {0, 0};  // guarded by mutex_
  std::atomic<uint64_t> polls_{0};
  std::atomic<uint64_t> empty_polls_{0};
  std::atomic<uint64_t> errors_{0};
};

}  // namespace fanfold::orchestrator
