#include "orchestrator/replay_executor.hpp"

#include <set>

namespace fanfold::orchestrator {

ReplayExecutor::ReplayExecutor(const Registry& registry, std::string instance_id)
    : registry_(registry),
      context_(std::make_unique<OrchestrationContext>(std::move(instance_id))) {}

ReplayExecutor::~ReplayExecutor() {
  // The coroutine frames point into the context: destroy them first.
  root_ = Task<nlohmann::json>();
}

ExecutionResult ReplayExecutor::Execute(const std::vector<HistoryEvent>& history,
                                        const std::vector<HistoryEvent>& new_events) {
  context_->replaying_ = true;
  for (const auto& event : ApplyRewinds(history))
    Apply(event);
  return Continue(new_events);
}

ExecutionResult ReplayExecutor::Continue(const std::vector<HistoryEvent>& new_events) {
  context_->replaying_ = false;
  for (const auto& event : new_events)
    Apply(event);
  return Collect();
}

void ReplayExecutor::Apply(const HistoryEvent& event) {
  detail::ReadyQueue::Scope scope(ready_);
  ApplyOne(event);
  ready_.Drain();
  if (!finished_ && root_.valid() && root_.is_done()) finished_ = true;
}

void ReplayExecutor::ApplyOne(const HistoryEvent& event) {
  ++events_applied_;
  if (finished_) return;  // late answers to an instance that has already ended change nothing
  switch (event.type) {
    case EventType::kExecutionStarted:
      context_->current_time_ = event.timestamp;
      Start(event);
      break;
    case EventType::kOrchestratorStarted:
      context_->current_time_ = event.timestamp;
      break;
    case EventType::kTaskScheduled:
      MatchAction(event, ActionKind::kScheduleActivity);
      break;
    case EventType::kTimerCreated:
      MatchAction(event, ActionKind::kCreateTimer);
      break;
    case EventType::kTaskCompleted:
    case EventType::kTaskFailed:
    case EventType::kTimerFired:
      ResolveTask(event);
      break;
    case EventType::kEventRaised:
      RaiseEvent(event);
      break;
    case EventType::kExecutionCompleted:
    case EventType::kExecutionTerminated:
      finished_ = true;
      completion_reported_ = true;  // already committed: nothing to report
      break;
    case EventType::kExecutionRewound:
      break;  // ApplyRewinds already removed what it undoes
  }
}

void ReplayExecutor::Start(const HistoryEvent& started) {
  if (root_.valid()) {
    FailNonDeterministic("history holds a second ExecutionStarted event");
    return;
  }
  const OrchestratorFunction* function = registry_.FindOrchestrator(started.name);
  if (function == nullptr) {
    engine_failure_ = FailureDetails{
        "OrchestratorNotFound", "no orchestrator named '" + started.name + "' is registered", ""};
    finished_ = true;
    return;
  }
  nlohmann::json input;
  if (!started.payload.empty()) {
    input = nlohmann::json::parse(started.payload, nullptr, /*allow_exceptions=*/false);
    if (input.is_discarded()) {
      engine_failure_ = FailureDetails{"InvalidInput", "the instance's input is not JSON", ""};
      finished_ = true;
      return;
    }
  }
  // Runs the code up to its first await that history cannot answer yet.
  root_ = (*function)(*context_, std::move(input));
}

void ReplayExecutor::MatchAction(const HistoryEvent& event, ActionKind kind) {
  const auto it = context_->actions_.find(event.task_id);
  const char* what = kind == ActionKind::kScheduleActivity ? "activity" : "timer";
  if (it == context_->actions_.end()) {
    FailNonDeterministic("history has " + std::string(what) + " task " +
                         std::to_string(event.task_id) +
                         (event.name.empty() ? "" : " '" + event.name + "'") +
                         " but the orchestrator did not schedule it");
    return;
  }
  const OrchestratorAction& action = it->second.action;
  if (action.kind != kind || (kind == ActionKind::kScheduleActivity && action.name != event.name)) {
    FailNonDeterministic(
        "task " + std::to_string(event.task_id) + ": history has " + what +
        (event.name.empty() ? "" : " '" + event.name + "'") +
        " but the orchestrator now schedules " +
        (action.kind == ActionKind::kCreateTimer ? "a timer" : "activity '" + action.name + "'"));
    return;
  }
  it->second.in_history = true;
  it->second.reported = true;
}

void ReplayExecutor::ResolveTask(const HistoryEvent& event) {
  const auto it = context_->actions_.find(event.task_id);
  if (it == context_->actions_.end() || !it->second.in_history) {
    FailNonDeterministic("history answers task " + std::to_string(event.task_id) +
                         ", which was never scheduled");
    return;
  }
  auto& slot = *it->second.slot;
  if (slot.resolved) return;  // a duplicate answer (redelivered message): the first one stands
  std::optional<FailureDetails> failure;
  if (event.type == EventType::kTaskFailed) {
    failure = event.failure.value_or(FailureDetails{"ActivityFailed", "activity failed", ""});
  }
  OrchestrationContext::Resolve(slot, event.payload, std::move(failure));
}

void ReplayExecutor::RaiseEvent(const HistoryEvent& event) {
  auto& waiters = context_->event_waiters_[event.name];
  if (waiters.empty()) {
    context_->buffered_events_[event.name].push_back(event.payload);
    return;
  }
  auto slot = waiters.front();
  waiters.pop_front();
  OrchestrationContext::Resolve(*slot, event.payload, std::nullopt);
}

void ReplayExecutor::FailNonDeterministic(const std::string& message) {
  if (!engine_failure_) {
    engine_failure_ = FailureDetails{
        "NonDeterminism", message,
        "orchestrator code must make the same calls in the same order on every replay"};
  }
  finished_ = true;
}

ExecutionResult ReplayExecutor::Collect() {
  ExecutionResult result;
  result.custom_status = context_->custom_status_;
  if (!finished_) {
    for (auto& [id, pending] : context_->actions_) {
      if (pending.reported) continue;
      // The engine commits it next; an executor whose commit fails is dropped, never continued.
      pending.reported = true;
      pending.in_history = true;
      result.actions.push_back(pending.action);
    }
    return result;
  }
  if (completion_reported_) return result;
  completion_reported_ = true;
  result.completed = true;
  if (engine_failure_) {
    result.failed = true;
    result.failure = engine_failure_;
    return result;
  }
  try {
    result.output = root_.Get().dump();
  } catch (const TaskFailure& failure) {
    result.failed = true;
    result.failure = failure.failure();
    result.failed_tasks = failure.task_ids();
  } catch (const std::exception& error) {
    result.failed = true;
    result.failure = FailureDetails{"OrchestratorFailed", error.what(), ""};
  }
  return result;
}

std::vector<HistoryEvent> ApplyRewinds(const std::vector<HistoryEvent>& history) {
  std::vector<HistoryEvent> out;
  out.reserve(history.size());
  for (const auto& event : history) {
    if (event.type != EventType::kExecutionRewound) {
      out.push_back(event);
      continue;
    }
    // Find the failed completion this rewind undoes and the tasks it names.
    std::set<int> reopened;
    for (auto it = out.rbegin(); it != out.rend(); ++it) {
      if (it->type == EventType::kExecutionCompleted && it->failed) {
        const auto tasks = nlohmann::json::parse(it->payload.empty() ? "[]" : it->payload, nullptr,
                                                 /*allow_exceptions=*/false);
        if (tasks.is_array()) {
          for (const auto& id : tasks) {
            if (id.is_number_integer()) reopened.insert(id.get<int>());
          }
        }
        out.erase(std::next(it).base());
        break;
      }
    }
    std::erase_if(out, [&reopened](const HistoryEvent& e) {
      return e.type == EventType::kTaskFailed && reopened.count(e.task_id) != 0;
    });
    out.push_back(event);
  }
  return out;
}

std::vector<HistoryEvent> EventsForResult(const ExecutionResult& result, Timestamp now) {
  std::vector<HistoryEvent> events;
  for (const auto& action : result.actions) {
    HistoryEvent event;
    event.timestamp = now;
    event.task_id = action.task_id;
    if (action.kind == ActionKind::kScheduleActivity) {
      event.type = EventType::kTaskScheduled;
      event.name = action.name;
      event.payload = action.payload;
    } else {
      event.type = EventType::kTimerCreated;
      event.fire_at = action.fire_at;
    }
    events.push_back(std::move(event));
  }
  if (result.completed) {
    HistoryEvent event;
    event.type = EventType::kExecutionCompleted;
    event.timestamp = now;
    event.failed = result.failed;
    event.failure = result.failure;
    event.payload = result.failed ? nlohmann::json(result.failed_tasks).dump() : result.output;
    events.push_back(std::move(event));
  }
  return events;
}

}  // namespace fanfold::orchestrator
