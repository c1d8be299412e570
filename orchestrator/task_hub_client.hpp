// What applications and the CLI use to drive orchestrations: start, inspect, signal, stop,
// clean up, and rewind. Everything goes through storage; no worker needs to be reachable.
#pragma once

#include <chrono>
#include <memory>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>

#include "orchestrator/instance_store.hpp"
#include "orchestrator/task_hub.hpp"

namespace fanfold::orchestrator {

struct PurgeResult {
  size_t instances = 0;
};

class TaskHubClient {
 public:
  explicit TaskHubClient(std::shared_ptr<const TaskHub> hub) : hub_(std::move(hub)) {}

  // Starts `orchestrator` as `instance_id` (a new UUID when empty). Idempotent: starting an
  // existing id returns it and never creates a second history.
  storage::Result<std::string> Start(const std::string& orchestrator, const nlohmann::json& input,
                                     std::string instance_id = "") const;
  storage::Result<InstanceStatus> GetStatus(const std::string& instance_id) const;
  storage::Result<InstancePage> Query(const InstanceQuery& query) const;
  // Polls until the instance is Completed, Failed or Terminated with a history longer than
  // `after_history_length` (pass the length seen before a rewind to wait for the new outcome);
  // IsTimeout() when it is not by then.
  storage::Result<InstanceStatus> WaitForCompletion(
      const std::string& instance_id, std::chrono::milliseconds timeout,
      std::chrono::milliseconds poll_interval = std::chrono::milliseconds(200),
      int64_t after_history_length = -1) const;
  storage::Status RaiseEvent(const std::string& instance_id, const std::string& event_name,
                             const nlohmann::json& payload) const;
  storage::Status Terminate(const std::string& instance_id, const std::string& reason) const;
  // Re-runs only the failed activities of a Failed instance, keeping every completed result.
  storage::Status Rewind(const std::string& instance_id, const std::string& reason) const;
  // Deletes a finished instance's history, status and payload blobs.
  storage::Status Purge(const std::string& instance_id) const;
  // Purges every finished instance the query matches (all pages).
  storage::Result<PurgeResult> Purge(InstanceQuery query) const;

 private:
  storage::Status SendStart(const InstanceStatus& status) const;

  std::shared_ptr<const TaskHub> hub_;
};

}  // namespace fanfold::orchestrator
