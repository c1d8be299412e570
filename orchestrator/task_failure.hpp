// The error an orchestrator sees when an awaited activity fails after its retries. It names the
// failed task ids, because rewind re-runs exactly the tasks whose failure ended the instance —
// when_all merges the ids of every failed branch into one TaskFailure for that reason.
#pragma once

#include <stdexcept>
#include <string>
#include <vector>

#include "orchestrator/history_event.hpp"

namespace fanfold::orchestrator {

class TaskFailure : public std::runtime_error {
 public:
  TaskFailure(std::string activity, std::vector<int> task_ids, FailureDetails failure)
      : std::runtime_error(failure.message),
        activity_(std::move(activity)),
        task_ids_(std::move(task_ids)),
        failure_(std::move(failure)) {}

  const std::string& activity() const { return activity_; }
  const std::vector<int>& task_ids() const { return task_ids_; }
  const FailureDetails& failure() const { return failure_; }

 private:
  std::string activity_;
  std::vector<int> task_ids_;
  FailureDetails failure_;
};

// The failure of a fan-in: the first failed branch's details, a message saying how many of how
// many branches failed, and every failed task id (so rewind re-runs all of them).
inline TaskFailure CombineFailures(const TaskFailure& first, std::vector<int> failed_task_ids,
                                   size_t branches) {
  FailureDetails details = first.failure();
  details.message = std::to_string(failed_task_ids.size()) + " of " + std::to_string(branches) +
                    " tasks failed; first (" + first.activity() + "): " + details.message;
  return TaskFailure(first.activity(), std::move(failed_task_ids), std::move(details));
}

}  // namespace fanfold::orchestrator
