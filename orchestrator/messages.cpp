#include "orchestrator/messages.hpp"

#include <nlohmann/json.hpp>

#include "storage/http_date.hpp"
#include "storage/random_id.hpp"

namespace fanfold::orchestrator {
namespace {

const char* KindName(ControlKind kind) {
  switch (kind) {
    case ControlKind::kEvent:
      return "event";
    case ControlKind::kTerminate:
      return "terminate";
    case ControlKind::kRewind:
      return "rewind";
  }
  return "event";
}

}  // namespace

ControlMessage EventMessage(std::string instance_id, HistoryEvent event, std::string message_id) {
  ControlMessage message;
  message.message_id = message_id.empty() ? storage::NewUuid() : std::move(message_id);
  message.instance_id = std::move(instance_id);
  message.kind = ControlKind::kEvent;
  message.events.push_back(std::move(event));
  return message;
}

ControlMessage CommandMessage(ControlKind kind, std::string instance_id, std::string reason) {
  ControlMessage message;
  message.message_id = storage::NewUuid();
  message.instance_id = std::move(instance_id);
  message.kind = kind;
  message.reason = std::move(reason);
  return message;
}

std::string Serialize(const ControlMessage& message) {
  nlohmann::json json = {{"id", message.message_id},
                         {"instance", message.instance_id},
                         {"kind", KindName(message.kind)}};
  if (message.kind == ControlKind::kEvent) {
    nlohmann::json events = nlohmann::json::array();
    for (const auto& event : message.events)
      events.push_back(ToJson(event));
    json["events"] = std::move(events);
  }
  if (!message.reason.empty()) json["reason"] = message.reason;
  return json.dump();
}

std::string Serialize(const WorkItemMessage& message) {
  nlohmann::json tasks = nlohmann::json::array();
  for (const auto& task : message.tasks) {
    tasks.push_back({{"task", task.task_id}, {"name", task.name}, {"input", task.input}});
  }
  nlohmann::json json = {
      {"id", message.message_id}, {"instance", message.instance_id}, {"tasks", tasks}};
  if (message.sent != Timestamp{}) json["sent"] = storage::FormatIso8601(message.sent);
  return json.dump();
}

std::optional<ControlMessage> ParseControlMessage(const std::string& text) {
  const auto json = nlohmann::json::parse(text, nullptr, /*allow_exceptions=*/false);
  if (!json.is_object()) return std::nullopt;
  try {
    ControlMessage message;
    message.message_id = json.at("id").get<std::string>();
    message.instance_id = json.at("instance").get<std::string>();
    const std::string kind = json.at("kind").get<std::string>();
    if (kind == "event") {
      message.kind = ControlKind::kEvent;
      for (const auto& item : json.at("events")) {
        auto event = HistoryEventFromJson(item);
        if (!event) return std::nullopt;
        message.events.push_back(std::move(*event));
      }
      if (message.events.empty()) return std::nullopt;
    } else if (kind == "terminate") {
      message.kind = ControlKind::kTerminate;
    } else if (kind == "rewind") {
      message.kind = ControlKind::kRewind;
    } else {
      return std::nullopt;
    }
    message.reason = json.value("reason", "");
    if (message.message_id.empty() || message.instance_id.empty()) return std::nullopt;
    return message;
  } catch (const nlohmann::json::exception&) {
    return std::nullopt;
  }
}

std::optional<WorkItemMessage> ParseWorkItemMessage(const std::string& text) {
  const auto json = nlohmann::json::parse(text, nullptr, /*allow_exceptions=*/false);
  if (!json.is_object()) return std::nullopt;
  try {
    WorkItemMessage message;
    message.message_id = json.at("id").get<std::string>();
    message.instance_id = json.at("instance").get<std::string>();
    for (const auto& item : json.at("tasks")) {
      WorkItemTask task;
      task.task_id = item.at("task").get<int>();
      task.name = item.at("name").get<std::string>();
      task.input = item.at("input").get<std::string>();
      if (task.task_id < 0) return std::nullopt;
      message.tasks.push_back(std::move(task));
    }
    // Optional: a bad or missing time only loses the queue-wait measure, never the work.
    if (const auto sent = json.find("sent"); sent != json.end() && sent->is_string()) {
      message.sent = storage::ParseIso8601(sent->get<std::string>()).value_or(Timestamp{});
    }
    if (message.message_id.empty() || message.instance_id.empty() || message.tasks.empty()) {
      return std::nullopt;
    }
    return message;
  } catch (const nlohmann::json::exception&) {
    return std::nullopt;
  }
}

}  // namespace fanfold::orchestrator
