#include "orchestrator/worker.hpp"

#include <algorithm>
#include <thread>
#include <vector>

#include "queuestore/queue_options.hpp"
#include "storage/random_id.hpp"
#include "telemetry/log.hpp"

namespace fanfold::orchestrator {

OrchestrationProcessorOptions Worker::WithWakeUp(OrchestrationProcessorOptions options,
                                                 Worker* worker) {
  auto chained = options.on_work_items_sent;
  options.on_work_items_sent = [worker, chained] {
    if (worker->activity_lane_ >= 0) worker->pacer_->Wake(worker->activity_lane_);
    if (chained) chained();
  };
  return options;
}

ActivityProcessorOptions Worker::WithWakeUp(ActivityProcessorOptions options, Worker* worker) {
  auto chained = options.on_answers_sent;
  options.on_answers_sent = [worker, chained] {
    if (worker->orchestration_lane_ >= 0) worker->pacer_->Wake(worker->orchestration_lane_);
    if (chained) chained();
  };
  return options;
}

std::shared_ptr<queuestore::PollPacer> Worker::PacerOf(const WorkerOptions& options) {
  return options.pacer ? options.pacer : std::make_shared<queuestore::PollPacer>(options.pacing);
}

// The lanes exist before the processors can hand anything over (their callbacks read them).
Worker::Worker(std::shared_ptr<const TaskHub> hub, const Registry& registry, WorkerOptions options)
    : hub_(hub),
      options_(options),
      orchestrations_(hub, registry, WithWakeUp(options.orchestration, this)),
      activities_(hub, registry, WithWakeUp(options.activity, this)),
      pacer_(PacerOf(options)) {
  // One round over the control partitions is one poll of the orchestration lane.
  if (options_.run_orchestrations) {
    orchestration_lane_ = pacer_->AddLane("orchestrations", hub_->names().partition_count);
  }
  if (options_.run_activities) activity_lane_ = pacer_->AddLane("activities");
  if (options_.run_orchestrations && options_.leases.enabled) {
    leases_ = std::make_unique<PartitionLeases>(hub_, WorkerIdOf(options_), options_.leases);
  }
}

std::string Worker::WorkerIdOf(const WorkerOptions& options) {
  if (!options.worker_id.empty()) return options.worker_id;
  // A restarted process may get its predecessor's pid; the suffix keeps their leases apart.
  return telemetry::ThisProcessName() + ":" + storage::NewUuid().substr(0, 8);
}

void Worker::Stop() {
  stop_ = true;
  pacer_->Interrupt();
  if (leases_) leases_->Stop();
}

WorkerStats Worker::stats() const {
  return WorkerStats{orchestrations_.stats(),       activities_.stats(),   pacer_->poll_requests(),
                     pacer_->empty_poll_requests(), pacer_->PollsByLane(), errors_.load()};
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
storage::Result<queuestore::PollResult> PollGuarded(PollFn& poll) {
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
void Worker::PollLoop(int lane, PollFn poll) {
  while (pacer_->AwaitTurn(lane, stop_)) {
    auto worked = PollGuarded(poll);
    // Storage trouble backs off like an idle poll, then tries again.
    if (!worked.ok()) ++errors_;
    const auto result = worked.ok() ? *worked : queuestore::PollResult::kEmpty;
    if (result != queuestore::PollResult::kEmpty && leases_) leases_->NoteWork();
    pacer_->Record(lane, result);
  }
}

void Worker::Run() {
  std::vector<std::thread> threads;
  if (leases_) threads.emplace_back([this] { leases_->Run(); });
  if (options_.run_orchestrations) {
    threads.emplace_back([this] {
      // A turn of the lane is one round over the partitions; it found work if any did.
      const int partitions = hub_->names().partition_count;
      // Partitions other workers own are polled too, but only once per idle ceiling: if their
      // owner was killed, its messages wait at most that long rather than until its leases
      // expire, and a live owner rarely sees its instances taken from its cache.
      auto next_foreign_poll = std::chrono::steady_clock::now();
      PollLoop(orchestration_lane_, [&]() -> storage::Result<queuestore::PollResult> {
        const auto now = std::chrono::steady_clock::now();
        const bool foreign_due = now >= next_foreign_poll;
        if (foreign_due) next_foreign_poll = now + pacer_->Ceiling();
        auto result = queuestore::PollResult::kEmpty;
        for (int partition = 0; partition < partitions && !stop_.load(); ++partition) {
          if (leases_ && !leases_->ShouldPoll(partition) && !foreign_due) continue;
          auto handled = orchestrations_.PollOnce(partition);
          if (!handled.ok()) return handled.status();
          if (*handled >= static_cast<size_t>(queuestore::kMaxMessagesPerRequest)) {
            result = queuestore::PollResult::kFull;
          } else if (*handled > 0 && result == queuestore::PollResult::kEmpty) {
            result = queuestore::PollResult::kDrained;
          }
        }
        return result;
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
        PollLoop(activity_lane_, [this, batch]() -> storage::Result<queuestore::PollResult> {
          auto ran = activities_.PollOnce(batch);
          if (!ran.ok()) return ran.status();
          if (*ran == 0) return queuestore::PollResult::kEmpty;
          return *ran >= static_cast<size_t>(batch) ? queuestore::PollResult::kFull
                                                    : queuestore::PollResult::kDrained;
        });
      });
    }
  }
  for (auto& thread : threads)
    thread.join();
}

}  // namespace fanfold::orchestrator
