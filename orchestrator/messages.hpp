// What travels through the hub's queues, as JSON.
// Control messages carry history events to one instance (start, activity answers, timer, an
// external event) or a command (terminate, rewind). Work items carry one or more activity tasks
// of one instance. Several tasks or answers share a message to save queue transactions: the
// engine's cost is dominated by per-message requests (put, get, delete), not by bytes.
// Every message has a unique id, recorded in history with the events it produced, so a
// redelivered message is recognised and its effects are not applied twice.
#pragma once

#include <nlohmann/json_fwd.hpp>
#include <optional>
#include <string>
#include <vector>

#include "orchestrator/history_event.hpp"

namespace fanfold::orchestrator {

// A queue message's content must fit 49,152 bytes (64 KiB once Base64-encoded); batches stay
// under this, and payloads over PayloadStore's threshold are offloaded first.
inline constexpr size_t kMaxMessageBytes = 48 * 1024;

enum class ControlKind { kEvent, kTerminate, kRewind };

struct ControlMessage {
  std::string message_id;
  std::string instance_id;
  ControlKind kind = ControlKind::kEvent;
  std::vector<HistoryEvent> events;  // kEvent: the events to append, in order
  std::string reason;                // kTerminate, kRewind
};

struct WorkItemTask {
  int task_id = -1;
  std::string name;
  std::string input;  // JSON text
};

struct WorkItemMessage {
  std::string message_id;
  std::string instance_id;
  std::vector<WorkItemTask> tasks;
  // When it was sent: what an activity's queue wait is measured from (a queue message's own
  // insertion time has whole seconds only). Absent (zero) in messages of older workers.
  Timestamp sent{};
};

// A control message carrying one event; a new UUID as its id unless one is given.
ControlMessage EventMessage(std::string instance_id, HistoryEvent event,
                            std::string message_id = "");
// A terminate or rewind command, with a new UUID as its id.
ControlMessage CommandMessage(ControlKind kind, std::string instance_id, std::string reason);

std::string Serialize(const ControlMessage& message);
std::string Serialize(const WorkItemMessage& message);
std::optional<ControlMessage> ParseControlMessage(const std::string& text);
std::optional<WorkItemMessage> ParseWorkItemMessage(const std::string& text);

}  // namespace fanfold::orchestrator
