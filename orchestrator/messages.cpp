#include "orchestrator/messages.hpp"

#include <nlohmann/json.hpp>

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

std::string Serialize(const ControlMessage& message) {
  nlohmann::json json = {{"id", message.message_id},
                         {"instance", message.instance_id},
                         {"kind", KindName(message.kind)}};
  if (message.kind == ControlKind::kEvent) json["event"] = ToJson(message.event);
  if (!message.reason.empty()) json["reason"] = message.reason;
  return json.dump();
}

std::string Serialize(const WorkItemMessage& message) {
  return nlohmann::json{{"id", message.message_id},
                        {"instance", message.instance_id},
                        {"task", message.task_id},
                        {"name", message.name},
                        {"input", message.input}}
      .dump();
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
      auto event = HistoryEventFromJson(json.at("event"));
      if (!event) return std::nullopt;
      message.event = std::move(*event);
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
    message.task_id = json.at("task").get<int>();
    message.name = json.at("name").get<std::string>();
    message.input = json.at("input").get<std::string>();
    if (message.message_id.empty() || message.instance_id.empty() || message.task_id < 0) {
      return std::nullopt;
    }
    return message;
  } catch (const nlohmann::json::exception&) {
    return std::nullopt;
  }
}

}  // namespace fanfold::orchestrator
