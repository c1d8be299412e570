#include "orchestrator/instance_state.hpp"

#include <nlohmann/json.hpp>

namespace fanfold::orchestrator {

void InstanceState::Record(const std::vector<HistoryEvent>& checkpoint) {
  if (checkpoint.empty()) return;
  checkpoint_starts.push_back(events.size());
  for (const auto& event : checkpoint) {
    events.push_back(event);
    Apply(events.back(), events.size() - 1);
  }
  status.history_length = static_cast<int64_t>(events.size());
}

void InstanceState::Apply(const HistoryEvent& event, size_t index) {
  if (!event.source_message.empty()) seen_messages.insert(event.source_message);
  status.last_updated = event.timestamp;
  switch (event.type) {
    case EventType::kExecutionStarted:
      status.instance_id = instance_id;
      status.name = event.name;
      status.input = event.payload;
      status.created = event.timestamp;
      status.status = RuntimeStatus::kRunning;
      break;
    case EventType::kTaskScheduled:
    case EventType::kTimerCreated:
      scheduled_tasks[event.task_id] = index;
      break;
    case EventType::kTaskCompleted:
    case EventType::kTaskFailed:
    case EventType::kTimerFired:
      answered_tasks.insert(event.task_id);
      break;
    case EventType::kExecutionCompleted:
      status.status = event.failed ? RuntimeStatus::kFailed : RuntimeStatus::kCompleted;
      status.completed = event.timestamp;
      if (event.failed) {
        status.failure = event.failure;
        status.output.clear();
      } else {
        status.output = event.payload;
        status.failure.reset();
      }
      break;
    case EventType::kExecutionTerminated:
      status.status = RuntimeStatus::kTerminated;
      status.completed = event.timestamp;
      status.failure = FailureDetails{"Terminated", event.payload, ""};
      break;
    case EventType::kExecutionRewound:
      status.status = RuntimeStatus::kRunning;
      status.completed = Timestamp{};
      status.failure.reset();
      for (const int task : FailedTasksOfLastCompletion())
        answered_tasks.erase(task);
      break;
    case EventType::kOrchestratorStarted:
    case EventType::kEventRaised:
      break;
  }
}

std::pair<size_t, size_t> InstanceState::CheckpointOf(const std::string& message_id) const {
  for (size_t i = 0; i < checkpoint_starts.size(); ++i) {
    const size_t begin = checkpoint_starts[i];
    const size_t end = i + 1 < checkpoint_starts.size() ? checkpoint_starts[i + 1] : events.size();
    for (size_t j = begin; j < end; ++j) {
      if (events[j].source_message == message_id) return {begin, end};
    }
  }
  return {0, 0};
}

std::vector<int> InstanceState::FailedTasksOfLastCompletion() const {
  for (auto it = events.rbegin(); it != events.rend(); ++it) {
    if (it->type != EventType::kExecutionCompleted) continue;
    if (!it->failed) return {};
    const auto tasks = nlohmann::json::parse(it->payload.empty() ? "[]" : it->payload, nullptr,
                                             /*allow_exceptions=*/false);
    std::vector<int> ids;
    if (tasks.is_array()) {
      for (const auto& id : tasks) {
        if (id.is_number_integer()) ids.push_back(id.get<int>());
      }
    }
    return ids;
  }
  return {};
}

std::unique_ptr<InstanceState> InstanceStateCache::Take(const std::string& instance_id) {
  std::lock_guard<std::mutex> lock(mutex_);
  const auto it = states_.find(instance_id);
  if (it == states_.end()) return nullptr;
  auto state = std::move(it->second.first);
  order_.erase(it->second.second);
  states_.erase(it);
  return state;
}

void InstanceStateCache::Put(std::unique_ptr<InstanceState> state) {
  if (capacity_ == 0 || state == nullptr) return;
  std::lock_guard<std::mutex> lock(mutex_);
  const std::string id = state->instance_id;
  if (const auto it = states_.find(id); it != states_.end()) {
    order_.erase(it->second.second);
    states_.erase(it);
  }
  order_.push_front(id);
  states_.emplace(id, std::make_pair(std::move(state), order_.begin()));
  while (states_.size() > capacity_) {
    states_.erase(order_.back());
    order_.pop_back();
  }
}

size_t InstanceStateCache::size() const {
  std::lock_guard<std::mutex> lock(mutex_);
  return states_.size();
}

}  // namespace fanfold::orchestrator
