// Runs activity work items: the activity half of a worker. Take a work item, run the activity,
// send its TaskCompleted or TaskFailed to the instance's control queue, delete the work item.
// A crash before the delete makes the item run again (activities are at-least-once; their
// answers are de-duplicated by task id). A long activity keeps its item hidden by extending the
// visibility timeout while it runs. An item delivered more than max_dequeue_count times goes to
// the poison queue, and its instance is told the task failed, with why.
#pragma once

#include <atomic>
#include <chrono>
#include <functional>
#include <memory>
#include <optional>
#include <vector>

#include "orchestrator/registry.hpp"
#include "orchestrator/task_hub.hpp"
#include "queuestore/queue_consumer.hpp"
#include "queuestore/queue_models.hpp"

namespace fanfold::orchestrator {

struct ActivityProcessorOptions {
  int max_dequeue_count = 5;
  std::chrono::seconds visibility_timeout{60};  // renewed every third of it while running
  std::function<Timestamp()> clock;
  // Called after answers were sent (a worker wakes its own idle orchestration poller with it).
  std::function<void()> on_answers_sent;
};

struct ActivityStats {
  uint64_t completed = 0;
  uint64_t failed = 0;
  uint64_t poisoned = 0;
  uint64_t renewals = 0;
  uint64_t running = 0;  // activities running now
};

class ActivityProcessor {
 public:
  ActivityProcessor(std::shared_ptr<const TaskHub> hub, const Registry& registry,
                    ActivityProcessorOptions options = {});

  // Takes up to `slots` work items in one request and runs their tasks, at most `slots` at a
  // time; returns how many tasks ran.
  storage::Result<size_t> PollOnce(int slots = 1);
  // Runs work items someone else received: PollOnce's second half, and what an Azure Functions
  // queue trigger calls. keep_visible=false leaves renewing the messages' visibility to whoever
  // received them (the Functions host does).
  storage::Result<size_t> ProcessMessages(const std::vector<queuestore::ReceivedMessage>& received,
                                          int slots, bool keep_visible);
  ActivityStats stats() const;

 private:
  struct Item;
  static queuestore::QueueConsumerOptions ConsumerOptions(const ActivityProcessorOptions& options);
  // Moves an unreadable or too-often-delivered work item to the poison queue and fails its tasks.
  storage::Status Poison(queuestore::HeldMessage& held, const std::optional<WorkItemMessage>& work);
  HistoryEvent Run(const WorkItemMessage& work, const WorkItemTask& task, int dequeue_count);
  Timestamp Now() const;

  std::shared_ptr<const TaskHub> hub_;
  const Registry& registry_;
  ActivityProcessorOptions options_;
  mutable std::mutex stats_mutex_;
  ActivityStats stats_;
  queuestore::QueueConsumer consumer_;
  // Keeps running work items hidden (one thread per processor, shared by its pollers).
  std::unique_ptr<queuestore::VisibilityRenewer> renewer_;
  std::atomic<uint64_t> running_{0};
};

}  // namespace fanfold::orchestrator
