#include "orchestrator/activity_processor.hpp"

#include <algorithm>
#include <condition_variable>
#include <thread>

#include "orchestrator/parallel_io.hpp"
#include "queuestore/message_not_held.hpp"
#include "queuestore/poison_envelope.hpp"
#include "storage/header_policies.hpp"
#include "telemetry/log.hpp"

namespace fanfold::orchestrator {

using storage::Result;
using storage::Status;

namespace {

// Keeps a work item hidden while its activity runs, and knows its latest pop receipt.
class VisibilityKeeper {
 public:
  VisibilityKeeper(const queuestore::QueueClient& queue, std::string message_id,
                   std::string pop_receipt, std::chrono::seconds timeout,
                   std::atomic<uint64_t>* renewals)
      : queue_(queue), message_id_(std::move(message_id)), pop_receipt_(std::move(pop_receipt)) {
    thread_ = std::thread([this, timeout, renewals] {
      std::unique_lock<std::mutex> lock(mutex_);
      while (!stop_.load()) {
        if (cv_.wait_for(lock, timeout / 3, [this] { return stop_.load(); })) break;
        auto renewed = queue_.UpdateMessage(message_id_, pop_receipt_, timeout);
        if (renewed.ok()) {
          pop_receipt_ = renewed->pop_receipt;
          ++*renewals;
        }
      }
    });
  }
  ~VisibilityKeeper() { Stop(); }
  void Stop() {
    {
      std::lock_guard<std::mutex> lock(mutex_);
      stop_ = true;
    }
    cv_.notify_all();
    if (thread_.joinable()) thread_.join();
  }
  std::string pop_receipt() {
    std::lock_guard<std::mutex> lock(mutex_);
    return pop_receipt_;
  }

 private:
  const queuestore::QueueClient& queue_;
  std::string message_id_;
  std::string pop_receipt_;
  std::mutex mutex_;
  std::condition_variable cv_;
  std::atomic<bool> stop_{false};
  std::thread thread_;
};

}  // namespace

ActivityProcessor::ActivityProcessor(std::shared_ptr<const TaskHub> hub, const Registry& registry,
                                     ActivityProcessorOptions options)
    : hub_(std::move(hub)), registry_(registry), options_(std::move(options)) {}

ActivityStats ActivityProcessor::stats() const {
  std::lock_guard<std::mutex> lock(stats_mutex_);
  ActivityStats out = stats_;
  out.running = running_.load();
  return out;
}

Timestamp ActivityProcessor::Now() const {
  if (options_.clock) return options_.clock();
  return std::chrono::time_point_cast<std::chrono::microseconds>(std::chrono::system_clock::now());
}

struct ActivityProcessor::Item {
  const queuestore::ReceivedMessage* received;
  WorkItemMessage work;
  std::vector<HistoryEvent> answers;
  std::unique_ptr<VisibilityKeeper> keeper;
};

Status ActivityProcessor::Poison(const queuestore::ReceivedMessage& received,
                                 const std::optional<WorkItemMessage>& work) {
  const std::string reason =
      !work ? "unreadable work item"
            : "work item received " + std::to_string(received.dequeue_count) +
                  " times without completing (the worker running it died or hung each time)";
  // Any bytes: an unreadable item may not even be UTF-8 (a strict JSON dump of it would throw).
  auto put = hub_->poison_queue().PutMessage(queuestore::PoisonEnvelope(
      hub_->names().work_item_queue, reason, received.dequeue_count, received.content));
  if (!put.ok()) return put.status();
  if (work) {
    std::vector<HistoryEvent> failures;
    for (const auto& task : work->tasks) {
      HistoryEvent failed;
      failed.type = EventType::kTaskFailed;
      failed.task_id = task.task_id;
      failed.timestamp = Now();
      failed.failure = FailureDetails{"Poison", reason, "see queue " + hub_->names().poison_queue};
      failures.push_back(std::move(failed));
    }
    FANFOLD_RETURN_IF_ERROR(hub_->SendEvents(work->instance_id, std::move(failures)));
  }
  const Status deleted =
      hub_->work_item_queue().DeleteMessage(received.message_id, received.pop_receipt);
  if (!deleted.ok() && !queuestore::IsMessageNotHeld(deleted)) return deleted;
  std::lock_guard<std::mutex> lock(stats_mutex_);
  ++stats_.poisoned;
  return Status::Ok();
}

HistoryEvent ActivityProcessor::Run(const WorkItemMessage& work, const WorkItemTask& task,
                                    int dequeue_count) {
  HistoryEvent answer;
  answer.task_id = task.task_id;
  answer.type = EventType::kTaskCompleted;
  const auto fail = [&answer](std::string type, std::string message) {
    answer.type = EventType::kTaskFailed;
    answer.failure = FailureDetails{std::move(type), std::move(message), ""};
  };
  const auto start = std::chrono::steady_clock::now();
  running_.fetch_add(1);
  const ActivityFunction* function = registry_.FindActivity(task.name);
  auto input = hub_->payloads().Resolve(task.input);
  if (function == nullptr) {
    fail("ActivityNotFound", "no activity named '" + task.name + "' is registered");
  } else if (!input.ok()) {
    fail("InputUnavailable", "could not read the activity's input: " + input.status().ToString());
  } else {
    ActivityContext context{work.instance_id, task.name, task.task_id, dequeue_count};
    try {
      const auto parsed = nlohmann::json::parse(input->empty() ? "null" : *input);
      answer.payload = (*function)(context, parsed).dump();
    } catch (const std::exception& error) {
      fail("ActivityFailed", error.what());
    }
  }
  answer.timestamp = Now();
  running_.fetch_sub(1);
  const bool failed = answer.type == EventType::kTaskFailed;
  nlohmann::json fields = {{"activity", task.name},
                           {"instance", work.instance_id},
                           {"task", task.task_id},
                           {"duration_ms", std::chrono::duration<double, std::milli>(
                                               std::chrono::steady_clock::now() - start)
                                               .count()}};
  if (failed) fields["error"] = answer.failure ? answer.failure->message : std::string();
  // Debug: a line per activity is too much for a log, but metrics count these events.
  telemetry::Log(telemetry::LogLevel::kDebug, failed ? "activity.failed" : "activity.completed",
                 fields);
  std::lock_guard<std::mutex> lock(stats_mutex_);
  ++(failed ? stats_.failed : stats_.completed);
  return answer;
}

Result<size_t> ActivityProcessor::PollOnce(int slots) {
  const auto& queue = hub_->work_item_queue();
  queuestore::GetMessagesOptions get;
  get.max_messages = std::clamp(slots, 1, queuestore::kMaxMessagesPerRequest);
  get.visibility_timeout = options_.visibility_timeout;
  auto received = queue.GetMessages(get);
  if (!received.ok()) return received.status();
  return ProcessMessages(*received, slots, /*keep_visible=*/true);
}

Result<size_t> ActivityProcessor::ProcessMessages(
    const std::vector<queuestore::ReceivedMessage>& received, int slots, bool keep_visible) {
  const auto& queue = hub_->work_item_queue();
  std::vector<std::unique_ptr<Item>> items;
  std::vector<std::pair<Item*, size_t>> tasks;  // (item, task index) to run
  for (const auto& message : received) {
    auto work = ParseWorkItemMessage(message.content);
    if (!work || message.dequeue_count > options_.max_dequeue_count) {
      FANFOLD_RETURN_IF_ERROR(Poison(message, work));
      continue;
    }
    auto item = std::make_unique<Item>();
    item->received = &message;
    item->work = std::move(*work);
    item->answers.resize(item->work.tasks.size());
    if (keep_visible) {
      item->keeper = std::make_unique<VisibilityKeeper>(
          queue, message.message_id, message.pop_receipt, options_.visibility_timeout, &renewals_);
    }
    for (size_t i = 0; i < item->work.tasks.size(); ++i)
      tasks.emplace_back(item.get(), i);
    items.push_back(std::move(item));
  }
  // Activities run on the slots; a failure is an answer, never an error of the processor.
  (void)ForEachParallel(tasks.size(), static_cast<size_t>(std::max(slots, 1)), [&](size_t i) {
    auto& [item, index] = tasks[i];
    item->answers[index] =
        Run(item->work, item->work.tasks[index], static_cast<int>(item->received->dequeue_count));
    return Status::Ok();
  });
  // Answer, then delete: a crash in between makes the item run again, and the instance drops
  // the second answer by task id.
  const Status finished = ForEachParallel(items.size(), items.size(), [&](size_t i) {
    Item& item = *items[i];
    if (item.keeper) item.keeper->Stop();
    FANFOLD_RETURN_IF_ERROR(hub_->SendEvents(item.work.instance_id, std::move(item.answers)));
    const std::string receipt =
        item.keeper ? item.keeper->pop_receipt() : item.received->pop_receipt;
    const Status deleted = queue.DeleteMessage(item.received->message_id, receipt);
    return deleted.ok() || queuestore::IsMessageNotHeld(deleted) ? Status::Ok() : deleted;
  });
  {
    std::lock_guard<std::mutex> lock(stats_mutex_);
    stats_.renewals = renewals_.load();
  }
  if (!items.empty() && options_.on_answers_sent) options_.on_answers_sent();
  if (!finished.ok()) return finished;
  return tasks.size();
}

}  // namespace fanfold::orchestrator
