// The events an orchestration's history is made of. History is the source of truth: replaying
// the orchestrator over it reproduces its state, so every event carries what replay needs and
// nothing that can be recomputed. Payloads (inputs, results) are JSON text.
#pragma once

#include <cstdint>
#include <nlohmann/json_fwd.hpp>
#include <optional>
#include <string>

#include "storage/http_date.hpp"

namespace fanfold::orchestrator {

using storage::Timestamp;

enum class EventType {
  kExecutionStarted,     // name, input: the instance began
  kOrchestratorStarted,  // an episode began; its timestamp is the orchestrator's current time
  kTaskScheduled,        // task_id, name, input: an activity was scheduled
  kTaskCompleted,        // task_id (of the TaskScheduled), result
  kTaskFailed,           // task_id, failure
  kTimerCreated,         // task_id, fire_at
  kTimerFired,           // task_id (of the TimerCreated), fire_at
  kEventRaised,          // name, input: an external event arrived
  kExecutionCompleted,   // status (completed or failed), result or failure
  kExecutionTerminated,  // input: the reason
  kExecutionRewound,     // input: the reason; failed tasks before it are to be run again
};

const char* EventTypeName(EventType type);
std::optional<EventType> EventTypeFromName(const std::string& name);

struct FailureDetails {
  std::string error_type;  // e.g. "ActivityFailed", "NonDeterminism", "Poison"
  std::string message;
  std::string details;  // optional: stack, the failed activity's own failure, ...

  bool operator==(const FailureDetails&) const = default;
};

struct HistoryEvent {
  EventType type = EventType::kOrchestratorStarted;
  Timestamp timestamp{};
  int task_id = -1;     // own id (scheduled/created) or the id it answers (completed/failed/fired)
  std::string name;     // orchestrator, activity or external event name
  std::string payload;  // JSON text: input, result or reason
  std::optional<FailureDetails> failure;
  Timestamp fire_at{};
  bool failed = false;  // kExecutionCompleted: failed rather than completed
  // The control message this event came from: a redelivered message is recognised by it.
  std::string source_message;

  bool operator==(const HistoryEvent&) const = default;
};

nlohmann::json ToJson(const HistoryEvent& event);
// Fails (nullopt) on an unknown type or a malformed record: history we cannot read is corruption.
std::optional<HistoryEvent> HistoryEventFromJson(const nlohmann::json& json);

nlohmann::json ToJson(const FailureDetails& failure);
FailureDetails FailureDetailsFromJson(const nlohmann::json& json);

}  // namespace fanfold::orchestrator
