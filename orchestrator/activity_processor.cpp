#include "orchestrator/activity_processor.hpp"

#include <condition_variable>
#include <thread>

#include "queuestore/message_not_held.hpp"
#include "storage/header_policies.hpp"

namespace fanfold::orchestrator {

using storage::Result;
using storage::Status;

namespace {

// Keeps a work item hidden while its activity runs, and knows its latest pop receipt.
class VisibilityKeeper {
 public:
  VisibilityKeeper(const queuestore::QueueClient& queue, std::string message_id,
                   std::string pop_receipt, std::chrono::seconds timeout, uint64_t* renewals)
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
  return stats_;
}

Status ActivityProcessor::Answer(const WorkItemMessage& work, bool failed,
                                 const std::string& result, const FailureDetails& failure) {
  ControlMessage answer;
  answer.message_id = storage::NewUuid();
  answer.instance_id = work.instance_id;
  answer.event.type = failed ? EventType::kTaskFailed : EventType::kTaskCompleted;
  answer.event.task_id = work.task_id;
  answer.event.timestamp = options_.clock ? options_.clock()
                                          : std::chrono::time_point_cast<std::chrono::microseconds>(
                                                std::chrono::system_clock::now());
  if (failed) {
    answer.event.failure = failure;
  } else {
    answer.event.payload = result;
  }
  return hub_->SendControl(std::move(answer));
}

Result<bool> ActivityProcessor::PollOnce() {
  const auto& queue = hub_->work_item_queue();
  queuestore::GetMessagesOptions get;
  get.max_messages = 1;
  get.visibility_timeout = options_.visibility_timeout;
  auto received = queue.GetMessages(get);
  if (!received.ok()) return received.status();
  if (received->empty()) return false;
  const auto& item = received->front();

  auto work = ParseWorkItemMessage(item.content);
  if (!work || item.dequeue_count > options_.max_dequeue_count) {
    const std::string reason =
        !work ? "unreadable work item"
              : "work item received " + std::to_string(item.dequeue_count) +
                    " times without completing (the worker running it died or hung each time)";
    nlohmann::json record = {{"reason", reason},
                             {"queue", hub_->names().work_item_queue},
                             {"dequeue_count", item.dequeue_count},
                             {"message", item.content.substr(0, 40000)}};
    auto put = hub_->poison_queue().PutMessage(record.dump());
    if (!put.ok()) return put.status();
    if (work) {
      FANFOLD_RETURN_IF_ERROR(
          Answer(*work, true, "",
                 FailureDetails{"Poison", reason, "see queue " + hub_->names().poison_queue}));
    }
    const Status deleted = queue.DeleteMessage(item.message_id, item.pop_receipt);
    if (!deleted.ok() && !queuestore::IsMessageNotHeld(deleted)) return deleted;
    std::lock_guard<std::mutex> lock(stats_mutex_);
    ++stats_.poisoned;
    return true;
  }

  auto input = hub_->payloads().Resolve(work->input);
  if (!input.ok()) return input.status();  // the item comes back after its timeout

  uint64_t renewals = 0;
  VisibilityKeeper keeper(queue, item.message_id, item.pop_receipt, options_.visibility_timeout,
                          &renewals);
  bool failed = false;
  std::string result;
  FailureDetails failure;
  const ActivityFunction* function = registry_.FindActivity(work->name);
  if (function == nullptr) {
    failed = true;
    failure = {"ActivityNotFound", "no activity named '" + work->name + "' is registered", ""};
  } else {
    ActivityContext context{work->instance_id, work->name, work->task_id,
                            static_cast<int>(item.dequeue_count)};
    try {
      const auto parsed = nlohmann::json::parse(input->empty() ? "null" : *input);
      result = (*function)(context, parsed).dump();
    } catch (const std::exception& error) {
      failed = true;
      failure = {"ActivityFailed", error.what(), ""};
    }
  }
  keeper.Stop();
  FANFOLD_RETURN_IF_ERROR(Answer(*work, failed, result, failure));
  const Status deleted = queue.DeleteMessage(item.message_id, keeper.pop_receipt());
  if (!deleted.ok() && !queuestore::IsMessageNotHeld(deleted)) return deleted;
  std::lock_guard<std::mutex> lock(stats_mutex_);
  stats_.renewals += renewals;
  ++(failed ? stats_.failed : stats_.completed);
  return true;
}

}  // namespace fanfold::orchestrator
