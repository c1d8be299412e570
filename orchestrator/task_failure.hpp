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

}  // namespace fanfold::orchestrator
