#include "orchestrator/worker.hpp"

#include <algorithm>
#include <thread>
#include <vector>

#include "telemetry/log.hpp"

namespace fanfold::orchestrator {

OrchestrationProcessorOptions Worker::WithWakeUp(OrchestrationProcessorOptions options,
                                                 Worker* worker) {
  auto chained = options.on_work_items_sent;
  options.on_work_items_sent = [worker, chained] {
    worker->Wake(kActivities);
    if (chained) chained();
  };
  return options;
}

ActivityProcessorOptions Worker::WithWakeUp(ActivityProcessorOptions options, Worker* worker) {
  auto chained = options.on_answers_sent;
  options.on_answers_sent = [worker, chained] {
    worker->Wake(kOrchestrations);
    if (chained) chained();
  };
  return options;
}

Worker::Worker(std::shared_ptr<const TaskHub> hub, const Registry& registry, WorkerOptions options)
    : hub_(hub),
      options_(options),
      orchestrations_(hub, registry, WithWakeUp(options.orchestration, this)),
      activities_(hub, registry, WithWakeUp(options.activity, this)) {}

void Worker::Wake(Kind kind) {
  {
    std::lock_guard<std::mutex> lock(mutex_);
    ++wake_counts_[kind];
  }
  wake_.notify_all();
}

void Worker::Stop() {
  stop_ = true;
  wake_.notify_all();
}

WorkerStats Worker::stats() const {
  return WorkerStats{orchestrations_.stats(), activities_.stats(), polls_.load(),
                     empty_polls_.load(), errors_.load()};
}

void Worker::Idle(Kind kind, std::chrono::milliseconds& delay) {
  std::unique_lock<std::mutex> lock(mutex_);
  const uint64_t seen = wake_counts_[kind];
  const bool woken = wake_.wait_for(
      lock, delay, [this, kind, seen] { return stop_.load() || wake_counts_[kind] != seen; });
  delay = woken ? options_.min_poll_interval : std::min(delay * 2, options_.max_poll_interval);
}

// One poll, never throwing: whatever one message makes the code below throw must not end the
// worker (a thread's uncaught exception is std::terminate, and the message would come back to
// kill the next worker too). The message comes back after its visibility timeout with a higher
// dequeue count and is poisoned once it passes the limit.
namespace {

// Exception texts can quote what was being read (a JSON parser's "last read: ..."), so a log
// keeps only the start of one, in printable ASCII: never a message body.
std::string ThrownText(const char* what) {
  std::string text;
  for (const char* c = what; *c != '\0' && text.size() < 160; ++c)
    text += (*c >= 0x20 && *c < 0x7F) ? *c : '?';
  return text;
}

}  // namespace

template <typename PollFn>
storage::Result<bool> PollGuarded(PollFn& poll) {
  try {
    return poll();
  } catch (const std::exception& error) {
    const std::string thrown = ThrownText(error.what());
    telemetry::LogError("worker.poll_threw", {{"error", thrown}});
    return storage::Status::Aborted("a poll threw: " + thrown);
  } catch (...) {
    telemetry::LogError("worker.poll_threw", {{"error", "not a std::exception"}});
    return storage::Status::Aborted("a poll threw something not a std::exception");
  }
}

template <typename PollFn>
void Worker::PollLoop(Kind kind, PollFn poll) {
  auto delay = options_.min_poll_interval;
  while (!stop_.load()) {
    ++polls_;
    auto worked = PollGuarded(poll);
    if (!worked.ok()) {
      ++errors_;  // storage trouble: back off like an idle poll, then try again
      Idle(kind, delay);
    } else if (!*worked) {
      ++empty_polls_;
      Idle(kind, delay);
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
      PollLoop(kOrchestrations, [&]() -> storage::Result<bool> {
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
    // Two pollers, each running a batch in parallel: one request fetches several items, and
    // while one batch waits for its slowest activity the other keeps the slots busy.
    const int pollers = std::min(2, options_.activity_concurrency);
    const int batch = std::max(1, options_.activity_concurrency / pollers);
    for (int i = 0; i < pollers; ++i) {
      threads.emplace_back([this, batch] {
        PollLoop(kActivities, [this, batch]() -> storage::Result<bool> {
          auto ran = activities_.PollOnce(batch);
          if (!ran.ok()) return ran.status();
          return *ran > 0;
        });
      });
    }
  }
  for (auto& thread : threads)
    thread.join();
}

}  // namespace fanfold::orchestrator
