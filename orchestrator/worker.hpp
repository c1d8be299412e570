// A worker process's engine: threads that poll the hub's control queues (orchestrations) and its
// work-item queue (activities), paced by the process's PollPacer (queuestore/poll_pacer.hpp:
// backing off while idle, polling at once when work appears or is handed over in-process).
// Stop() lets in-flight work finish, then Run() returns: what SIGTERM/SIGINT call.
#pragma once

#include <atomic>
#include <chrono>
#include <memory>
#include <vector>

#include "orchestrator/activity_processor.hpp"
#include "orchestrator/orchestration_processor.hpp"
#include "orchestrator/partition_leases.hpp"
#include "queuestore/poll_pacer.hpp"

namespace fanfold::orchestrator {

struct WorkerOptions {
  int activity_concurrency = 2;    // activities running at once in this process
  bool run_orchestrations = true;  // poll control queues
  bool run_activities = true;      // poll the work-item queue
  // When to poll: the process's pacer, shared with the queue stages it also runs; without one,
  // the worker makes its own from `pacing`.
  std::shared_ptr<queuestore::PollPacer> pacer;
  queuestore::PollPacerOptions pacing;
  OrchestrationProcessorOptions orchestration;
  ActivityProcessorOptions activity;
  // Control-queue ownership (partition_leases.hpp); only for a worker that runs orchestrations.
  PartitionLeaseOptions leases;
  std::string worker_id;  // names this worker in the leases; default host:pid:random
};

struct WorkerStats {
  OrchestrationStats orchestration;
  ActivityStats activity;
  // Of the process's pacer, so every queue this process polls through it (stages included).
  uint64_t poll_requests = 0;
  uint64_t empty_poll_requests = 0;
  std::vector<queuestore::PollPacer::LanePolls> polls_by_lane;
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
  // Work handed from one half of this process to the other wakes the other half's lane.
  template <typename PollFn>
  void PollLoop(int lane, PollFn poll);
  static OrchestrationProcessorOptions WithWakeUp(OrchestrationProcessorOptions options,
                                                  Worker* worker);
  static ActivityProcessorOptions WithWakeUp(ActivityProcessorOptions options, Worker* worker);
  static std::shared_ptr<queuestore::PollPacer> PacerOf(const WorkerOptions& options);
  static std::string WorkerIdOf(const WorkerOptions& options);

  std::shared_ptr<const TaskHub> hub_;
  WorkerOptions options_;
  OrchestrationProcessor orchestrations_;
  ActivityProcessor activities_;
  std::shared_ptr<queuestore::PollPacer> pacer_;
  std::unique_ptr<PartitionLeases> leases_;  // null: every partition is polled
  int orchestration_lane_ = -1;
  int activity_lane_ = -1;
  std::atomic<bool> stop_{false};
  std::atomic<uint64_t> errors_{0};
};

}  // namespace fanfold::orchestrator
