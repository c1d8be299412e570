// What travels through the hub's queues, as JSON.
// Control messages carry one history event to an instance (start, activity answer, timer,
// external event) or a command (terminate, rewind). Work items ask an activity worker to run one
// activity task. Every message has a unique id, recorded in history with the events it produced,
// so a redelivered message is recognised and its effects are not applied twice.
#pragma once

#include <nlohmann/json_fwd.hpp>
#include <optional>
#include <string>

#include "orchestrator/history_event.hpp"

namespace fanfold::orchestrator {

enum class ControlKind { kEvent, kTerminate, kRewind };

struct ControlMessage {
  std::string message_id;
  std::string instance_id;
  ControlKind kind = ControlKind::kEvent;
  HistoryEvent event;  // kEvent: the event to append
  std::string reason;  // kTerminate, kRewind
};

struct WorkItemMessage {
  std::string message_id;
  std::string instance_id;
  int task_id = -1;
  std::string name;
  std::string input;  // JSON text
};

std::string Serialize(const ControlMessage& message);
std::string Serialize(const WorkItemMessage& message);
std::optional<ControlMessage> ParseControlMessage(const std::string& text);
std::optional<WorkItemMessage> ParseWorkItemMessage(const std::string& text);

}  // namespace fanfold::orchestrator
