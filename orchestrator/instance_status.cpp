#include "orchestrator/instance_status.hpp"

#include <nlohmann/json.hpp>

namespace fanfold::orchestrator {

const char* RuntimeStatusName(RuntimeStatus status) {
  switch (status) {
    case RuntimeStatus::kPending:
      return "Pending";
    case RuntimeStatus::kRunning:
      return "Running";
    case RuntimeStatus::kCompleted:
      return "Completed";
    case RuntimeStatus::kFailed:
      return "Failed";
    case RuntimeStatus::kTerminated:
      return "Terminated";
  }
  return "Pending";
}

std::optional<RuntimeStatus> RuntimeStatusFromName(const std::string& name) {
  for (const auto status :
       {RuntimeStatus::kPending, RuntimeStatus::kRunning, RuntimeStatus::kCompleted,
        RuntimeStatus::kFailed, RuntimeStatus::kTerminated}) {
    if (name == RuntimeStatusName(status)) return status;
  }
  return std::nullopt;
}

nlohmann::json ToJson(const InstanceStatus& status) {
  const auto parse = [](const std::string& text) {
    if (text.empty()) return nlohmann::json();
    auto json = nlohmann::json::parse(text, nullptr, /*allow_exceptions=*/false);
    return json.is_discarded() ? nlohmann::json(text) : json;
  };
  nlohmann::json json = {{"instance", status.instance_id},
                         {"name", status.name},
                         {"status", RuntimeStatusName(status.status)},
                         {"created", storage::FormatIso8601(status.created)},
                         {"last_updated", storage::FormatIso8601(status.last_updated)},
                         {"history_length", status.history_length}};
  if (!status.input.empty()) json["input"] = parse(status.input);
  if (!status.output.empty()) json["output"] = parse(status.output);
  if (!status.custom_status.empty()) json["custom_status"] = parse(status.custom_status);
  if (status.failure) json["failure"] = ToJson(*status.failure);
  if (status.completed != Timestamp{}) json["completed"] = storage::FormatIso8601(status.completed);
  return json;
}

}  // namespace fanfold::orchestrator
