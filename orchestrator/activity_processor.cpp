#include "orchestrator/activity_processor.hpp"

#include <algorithm>

#include "orchestrator/parallel_io.hpp"
#include "queuestore/message_not_held.hpp"
#include "storage/header_policies.hpp"
#include "telemetry/log.hpp"

namespace fanfold::orchestrator {

using storage::Result;
using storage::Status;

ActivityProcessor::ActivityProcessor(std::shared_ptr<const TaskHub> hub, const Registry& registry,
                                     ActivityProcessorOptions options)
    : hub_(std::move(hub)),
      registry_(registry),
      options_(std::move(options)),
      consumer_(hub_->work_item_queue(), hub_->poison_queue(), ConsumerOptions(options_)),
      renewer_(std::make_unique<queuestore::VisibilityRenewer>(consumer_)) {}

queuestore::QueueConsumerOptions ActivityProcessor::ConsumerOptions(
    const ActivityProcessorOptions& options) {
  queuestore::QueueConsumerOptions consumer;
  consumer.name = "activities";
  consumer.visibility_timeout = options.visibility_timeout;
  consumer.max_dequeue_count = options.max_dequeue_count;
  return consumer;
}

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
  std::shared_ptr<queuestore::HeldMessage> held;
  WorkItemMessage work;
  std::vector<HistoryEvent> answers;
};

Status ActivityProcessor::Poison(queuestore::HeldMessage& held,
                                 const std::optional<WorkItemMessage>& work) {
  const queuestore::ReceivedMessage& received = held.message();
  const std::string reason =
      !work ? queuestore::UnreadableReason("work item", received.content)
            : "work item received " + std::to_string(received.dequeue_count) +
                  " times without completing (the worker running it died or hung each time)";
  nlohmann::json fields = nlohmann::json::object();
  if (work) {
    // Before the message goes: its instance hears why its tasks failed (a failure to tell keeps
    // the message here; told twice, the instance drops the second answer by task id).
    fields["instance"] = work->instance_id;
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
  FANFOLD_RETURN_IF_ERROR(consumer_.Poison(held, reason, fields));
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
    ActivityContext context{work.instance_id, task.name, task.task_id, dequeue_count, work.sent};
    try {
      const auto parsed = nlohmann::json::parse(input->empty() ? "null" : *input);
      answer.payload = (*function)(context, parsed).dump();
    } catch (const std::exception& error) {
      fail("ActivityFailed", error.what());
    } catch (...) {
      fail("ActivityFailed", "the activity threw a non-standard exception");
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
  auto received = consumer_.Receive(slots);
  if (!received.ok()) return received.status();
  return ProcessMessages(*received, slots, /*keep_visible=*/true);
}

Result<size_t> ActivityProcessor::ProcessMessages(
    const std::vector<queuestore::ReceivedMessage>& received, int slots, bool keep_visible) {
  std::vector<std::unique_ptr<Item>> items;
  // However this call ends, nothing it received is renewed afterwards.
  struct StopRenewing {
    queuestore::VisibilityRenewer& renewer;
    const std::vector<std::unique_ptr<Item>>& items;
    ~StopRenewing() {
      for (const auto& item : items)
        renewer.Remove(*item->held);
    }
  } stop_renewing{*renewer_, items};
  std::vector<std::pair<Item*, size_t>> tasks;  // (item, task index) to run
  Status poison_error;  // a message not poisoned comes back and is poisoned again
  for (const auto& message : received) {
    auto held = std::make_shared<queuestore::HeldMessage>(message);
    auto work = ParseWorkItemMessage(message.content);
    if (!work || consumer_.OverDequeueLimit(message)) {
      const Status poisoned = Poison(*held, work);
      if (!poisoned.ok() && poison_error.ok()) poison_error = poisoned;
      continue;
    }
    auto item = std::make_unique<Item>();
    item->held = held;
    item->work = std::move(*work);
    item->answers.resize(item->work.tasks.size());
    if (keep_visible) renewer_->Add(held);
    for (size_t i = 0; i < item->work.tasks.size(); ++i)
      tasks.emplace_back(item.get(), i);
    items.push_back(std::move(item));
  }
  // Activities run on the slots; a failure is an answer, never an error of the processor.
  (void)ForEachParallel(tasks.size(), static_cast<size_t>(std::max(slots, 1)), [&](size_t i) {
    auto& [item, index] = tasks[i];
    item->answers[index] = Run(item->work, item->work.tasks[index],
                               static_cast<int>(item->held->message().dequeue_count));
    return Status::Ok();
  });
  // Answer, then delete: a crash in between makes the item run again, and the instance drops
  // the second answer by task id.
  const Status finished = ForEachParallel(items.size(), items.size(), [&](size_t i) {
    Item& item = *items[i];
    renewer_->Remove(*item.held);
    FANFOLD_RETURN_IF_ERROR(hub_->SendEvents(item.work.instance_id, std::move(item.answers)));
    return consumer_.Delete(*item.held);  // with the receipt the last renewal left
  });
  {
    std::lock_guard<std::mutex> lock(stats_mutex_);
    stats_.renewals = renewer_->renewals();
  }
  if (!items.empty() && options_.on_answers_sent) options_.on_answers_sent();
  if (!finished.ok()) return finished;
  if (!poison_error.ok()) return poison_error;
  return tasks.size();
}

}  // namespace fanfold::orchestrator
