// Replays an orchestrator over its history and applies new events, producing the new actions
// and, when the orchestrator returns or throws, its completion. A pure function of the events:
// no storage, no clock, no randomness — unit-tested from hand-built histories.
// An executor can be kept between work items (the engine's cache): Continue() applies only the
// new events, so a fan-in of N results does not replay an N-event history N times.
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "orchestrator/history_event.hpp"
#include "orchestrator/orchestration_context.hpp"
#include "orchestrator/ready_queue.hpp"
#include "orchestrator/registry.hpp"

namespace fanfold::orchestrator {

struct ExecutionResult {
  std::vector<OrchestratorAction> actions;  // new work to commit and dispatch
  bool completed = false;                   // the orchestrator returned or failed
  bool failed = false;
  std::string output;  // JSON text, when completed without failure
  std::optional<FailureDetails> failure;
  std::vector<int> failed_tasks;             // tasks whose failure ended the instance (for rewind)
  std::optional<std::string> custom_status;  // JSON text, when the code set one
};

class ReplayExecutor {
 public:
  ReplayExecutor(const Registry& registry, std::string instance_id);
  ~ReplayExecutor();
  ReplayExecutor(const ReplayExecutor&) = delete;
  ReplayExecutor& operator=(const ReplayExecutor&) = delete;

  // Replays committed `history`, then applies `new_events`. Call once per executor.
  ExecutionResult Execute(const std::vector<HistoryEvent>& history,
                          const std::vector<HistoryEvent>& new_events);
  // Applies more new events after the previous result's actions were committed.
  ExecutionResult Continue(const std::vector<HistoryEvent>& new_events);

  // Number of events this executor has applied (replayed or new).
  size_t events_applied() const { return events_applied_; }
  bool finished() const { return finished_; }

 private:
  void Apply(const HistoryEvent& event);
  void ApplyOne(const HistoryEvent& event);
  void Start(const HistoryEvent& started);
  void MatchAction(const HistoryEvent& event, ActionKind kind);
  void ResolveTask(const HistoryEvent& event);
  void RaiseEvent(const HistoryEvent& event);
  void FailNonDeterministic(const std::string& message);
  ExecutionResult Collect();

  const Registry& registry_;
  detail::ReadyQueue ready_;
  std::unique_ptr<OrchestrationContext> context_;
  Task<nlohmann::json> root_;
  size_t events_applied_ = 0;
  bool finished_ = false;
  bool completion_reported_ = false;
  std::optional<FailureDetails> engine_failure_;  // non-determinism, unknown orchestrator, ...
};

// History with every rewind applied: before each ExecutionRewound, the failed completion it
// rewinds and the TaskFailed events of the tasks that completion names are dropped, so replay
// finds those tasks scheduled but unanswered and the engine runs them again.
std::vector<HistoryEvent> ApplyRewinds(const std::vector<HistoryEvent>& history);

// The events that commit `result` (TaskScheduled, TimerCreated, ExecutionCompleted).
std::vector<HistoryEvent> EventsForResult(const ExecutionResult& result, Timestamp now);

}  // namespace fanfold::orchestrator
