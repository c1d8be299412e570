// The status projection users read: one row per instance in the hub's Instances table.
#pragma once

#include <nlohmann/json_fwd.hpp>
#include <optional>
#include <string>

#include "orchestrator/history_event.hpp"

namespace fanfold::orchestrator {

enum class RuntimeStatus { kPending, kRunning, kCompleted, kFailed, kTerminated };
const char* RuntimeStatusName(RuntimeStatus status);
std::optional<RuntimeStatus> RuntimeStatusFromName(const std::string& name);
inline bool IsTerminal(RuntimeStatus status) {
  return status == RuntimeStatus::kCompleted || status == RuntimeStatus::kFailed ||
         status == RuntimeStatus::kTerminated;
}

struct InstanceStatus {
  std::string instance_id;
  std::string name;
  RuntimeStatus status = RuntimeStatus::kPending;
  std::string input;          // JSON text
  std::string output;         // JSON text, when completed
  std::string custom_status;  // JSON text, as the orchestrator last set it
  std::optional<FailureDetails> failure;
  Timestamp created{};
  Timestamp last_updated{};
  Timestamp completed{};
  int64_t history_length = 0;  // events committed when this projection was written
  std::string etag;
};

nlohmann::json ToJson(const InstanceStatus& status);

}  // namespace fanfold::orchestrator
