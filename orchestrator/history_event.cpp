#include "orchestrator/history_event.hpp"

#include <array>
#include <nlohmann/json.hpp>

namespace fanfold::orchestrator {
namespace {

constexpr std::array<std::pair<EventType, const char*>, 11> kNames = {{
    {EventType::kExecutionStarted, "ExecutionStarted"},
    {EventType::kOrchestratorStarted, "OrchestratorStarted"},
    {EventType::kTaskScheduled, "TaskScheduled"},
    {EventType::kTaskCompleted, "TaskCompleted"},
    {EventType::kTaskFailed, "TaskFailed"},
    {EventType::kTimerCreated, "TimerCreated"},
    {EventType::kTimerFired, "TimerFired"},
    {EventType::kEventRaised, "EventRaised"},
    {EventType::kExecutionCompleted, "ExecutionCompleted"},
    {EventType::kExecutionTerminated, "ExecutionTerminated"},
    {EventType::kExecutionRewound, "ExecutionRewound"},
}};

long long Micros(Timestamp time) {
  return time.time_since_epoch().count();
}
Timestamp FromMicros(long long micros) {
  return Timestamp(std::chrono::microseconds(micros));
}

}  // namespace

const char* EventTypeName(EventType type) {
  for (const auto& [candidate, name] : kNames) {
    if (candidate == type) return name;
  }
  return "Unknown";
}

std::optional<EventType> EventTypeFromName(const std::string& name) {
  for (const auto& [type, candidate] : kNames) {
    if (name == candidate) return type;
  }
  return std::nullopt;
}

nlohmann::json ToJson(const FailureDetails& failure) {
  nlohmann::json json = {{"type", failure.error_type}, {"message", failure.message}};
  if (!failure.details.empty()) json["details"] = failure.details;
  return json;
}

FailureDetails FailureDetailsFromJson(const nlohmann::json& json) {
  FailureDetails failure;
  failure.error_type = json.value("type", "");
  failure.message = json.value("message", "");
  failure.details = json.value("details", "");
  return failure;
}

nlohmann::json ToJson(const HistoryEvent& event) {
  nlohmann::json json = {{"type", EventTypeName(event.type)}, {"ts", Micros(event.timestamp)}};
  if (event.task_id >= 0) json["task"] = event.task_id;
  if (!event.name.empty()) json["name"] = event.name;
  if (!event.payload.empty()) json["payload"] = event.payload;
  if (event.failure) json["failure"] = ToJson(*event.failure);
  if (event.fire_at != Timestamp{}) json["fire_at"] = Micros(event.fire_at);
  if (event.failed) json["failed"] = true;
  if (!event.source_message.empty()) json["msg"] = event.source_message;
  return json;
}

std::optional<HistoryEvent> HistoryEventFromJson(const nlohmann::json& json) {
  if (!json.is_object() || !json.contains("type") || !json["type"].is_string()) return std::nullopt;
  const auto type = EventTypeFromName(json["type"].get<std::string>());
  if (!type) return std::nullopt;
  try {
    HistoryEvent event;
    event.type = *type;
    event.timestamp = FromMicros(json.value("ts", 0LL));
    event.task_id = json.value("task", -1);
    event.name = json.value("name", "");
    event.payload = json.value("payload", "");
    if (json.contains("failure")) event.failure = FailureDetailsFromJson(json["failure"]);
    event.fire_at = FromMicros(json.value("fire_at", 0LL));
    event.failed = json.value("failed", false);
    event.source_message = json.value("msg", "");
    return event;
  } catch (const nlohmann::json::exception&) {
    return std::nullopt;
  }
}

}  // namespace fanfold::orchestrator
