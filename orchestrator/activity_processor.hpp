// Runs activity work items: the activity half of a worker. Take a work item, run the activity,
// send its TaskCompleted or TaskFailed to the instance's control queue, delete the work item.
// A crash before the delete makes the item run again (activities are at-least-once; their
// answers are de-duplicated by task id). A long activity keeps its item hidden by extending the
// visibility timeout while it runs. An item delivered more than max_dequeue_count times goes to
// the poison queue, and its instance is told the task failed, with why.
#pragma once

#include <chrono>
#include <functional>
#include <memory>

#include "orchestrator/registry.hpp"
#include "orchestrator/task_hub.hpp"

namespace fanfold::orchestrator {

struct ActivityProcessorOptions {
  int max_dequeue_count = 5;
  std::chrono::seconds visibility_timeout{60};  // renewed every third of it while running
  std::function<Timestamp()> clock;
};

struct ActivityStats {
  uint64_t completed = 0;
  uint64_t failed = 0;
  uint64_t poisoned = 0;
  uint64_t renewals = 0;
};

class ActivityProcessor {
 public:
  ActivityProcessor(std::shared_ptr<const TaskHub> hub, const Registry& registry,
                    ActivityProcessorOptions options = {});

  // Takes at most one work item and runs it; returns whether there was one.
  storage::Result<bool> PollOnce();
  ActivityStats stats() const;

 private:
  storage::Status Answer(const WorkItemMessage& work, bool failed, const std::string& result,
                         const FailureDetails& failure);

  std::shared_ptr<const TaskHub> hub_;
  const Registry& registry_;
  ActivityProcessorOptions options_;
  mutable std::mutex stats_mutex_;
  ActivityStats stats_;
};

}  // namespace fanfold::orchestrator
