// What orchestrator code sees: schedule activities, timers and waits, read deterministic time
// and ids. It never touches storage. Every call that creates work gets the next task id in code
// order; replay checks that the code asks for the same things, in the same order, as history
// says it did (anything else is a non-determinism error reported on the instance).
#pragma once

#include <coroutine>
#include <deque>
#include <map>
#include <memory>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>

#include "orchestrator/history_event.hpp"
#include "orchestrator/ready_queue.hpp"
#include "orchestrator/retry_options.hpp"
#include "orchestrator/task.hpp"
#include "orchestrator/task_failure.hpp"

namespace fanfold::orchestrator {

enum class ActionKind { kScheduleActivity, kCreateTimer };

// Work the orchestrator asked for; becomes a TaskScheduled/TimerCreated event when committed.
struct OrchestratorAction {
  ActionKind kind = ActionKind::kScheduleActivity;
  int task_id = -1;
  std::string name;     // activity name
  std::string payload;  // activity input, JSON text
  Timestamp fire_at{};  // timers

  bool operator==(const OrchestratorAction&) const = default;
};

class OrchestrationContext {
 public:
  explicit OrchestrationContext(std::string instance_id) : instance_id_(std::move(instance_id)) {}
  OrchestrationContext(const OrchestrationContext&) = delete;
  OrchestrationContext& operator=(const OrchestrationContext&) = delete;

  const std::string& instance_id() const { return instance_id_; }
  // The time the current episode started: the same on every replay.
  Timestamp current_time() const { return current_time_; }
  // True while re-running code over already committed history (use it to silence logging).
  bool is_replaying() const { return replaying_; }

  // Schedules activity `name` with `input`; the task yields its typed result or throws
  // TaskFailure once retries are used up.
  template <typename Out = nlohmann::json, typename In = nlohmann::json>
  Task<Out> call_activity(std::string name, const In& input, ActivityRetryPolicy retry = {}) {
    return Typed<Out>(CallActivityRaw(std::move(name), nlohmann::json(input).dump(), retry));
  }
  Task<void> create_timer(Timestamp fire_at);
  Task<void> create_timer(std::chrono::milliseconds delay) {
    return create_timer(current_time_ +
                        std::chrono::duration_cast<std::chrono::microseconds>(delay));
  }
  // The next event raised with `name`; events raised before anyone waits are kept in order.
  template <typename T = nlohmann::json>
  Task<T> wait_for_external_event(std::string name) {
    return Typed<T>(WaitForEventRaw(std::move(name)));
  }
  void set_custom_status(const nlohmann::json& status) { custom_status_ = status.dump(); }
  // A UUID that is the same on every replay (derived from the instance id and a counter).
  std::string new_guid();

 private:
  friend class ReplayExecutor;

  // One awaited outcome: an activity result/failure, a timer firing, an event's payload.
  struct Slot {
    bool resolved = false;
    std::string result;
    std::optional<FailureDetails> failure;
    std::coroutine_handle<> waiter;
    std::string activity;  // for the TaskFailure message
    int task_id = -1;
  };
  struct SlotAwaiter {
    std::shared_ptr<Slot> slot;
    bool await_ready() const noexcept { return slot->resolved; }
    void await_suspend(std::coroutine_handle<> handle) { slot->waiter = handle; }
    std::string await_resume();
  };
  struct PendingAction {
    OrchestratorAction action;
    std::shared_ptr<Slot> slot;
    bool in_history = false;  // matched by a committed TaskScheduled/TimerCreated
    bool reported = false;    // returned to the engine as a new action
  };

  template <typename T>
  static Task<T> Typed(Task<std::string> raw) {
    std::string text = co_await raw;
    if constexpr (std::is_same_v<T, nlohmann::json>) {
      co_return text.empty() ? nlohmann::json() : nlohmann::json::parse(text);
    } else {
      co_return nlohmann::json::parse(text.empty() ? "null" : text).get<T>();
    }
  }
  Task<std::string> CallActivityRaw(std::string name, std::string payload,
                                    ActivityRetryPolicy retry);
  Task<std::string> WaitForEventRaw(std::string name);
  SlotAwaiter NewAction(OrchestratorAction action);
  static void Resolve(Slot& slot, std::string result, std::optional<FailureDetails> failure);

  std::string instance_id_;
  Timestamp current_time_{};
  bool replaying_ = false;
  int next_task_id_ = 0;
  int next_guid_ = 0;
  std::optional<std::string> custom_status_;
  std::map<int, PendingAction> actions_;
  std::map<std::string, std::deque<std::shared_ptr<Slot>>> event_waiters_;
  std::map<std::string, std::deque<std::string>> buffered_events_;
};

// Awaits every task, then yields their results in order; if any failed, throws one TaskFailure
// naming every failed task (so a fan-in never abandons branches that are still running).
template <typename T>
Task<std::vector<T>> when_all(std::vector<Task<T>>& tasks) {
  std::vector<int> failed_ids;
  std::optional<TaskFailure> first_failure;
  std::vector<T> results;
  results.reserve(tasks.size());
  for (auto& task : tasks) {
    try {
      results.push_back(co_await task);
    } catch (const TaskFailure& failure) {
      failed_ids.insert(failed_ids.end(), failure.task_ids().begin(), failure.task_ids().end());
      if (!first_failure) first_failure = failure;
    }
  }
  if (first_failure) throw CombineFailures(*first_failure, std::move(failed_ids), tasks.size());
  co_return results;
}

Task<void> when_all(std::vector<Task<void>>& tasks);

// Yields the index of the first task to finish (successfully or not). The others keep running.
template <typename T>
Task<size_t> when_any(std::vector<Task<T>>& tasks) {
  struct State {
    std::optional<size_t> winner;
    std::coroutine_handle<> waiter;
  };
  auto state = std::make_shared<State>();
  for (size_t i = 0; i < tasks.size() && !state->winner; ++i) {
    tasks[i].OnDone([state, i] {
      if (state->winner) return;
      state->winner = i;
      if (state->waiter) detail::ResumeSoon(state->waiter);
    });
  }
  struct Awaiter {
    std::shared_ptr<State> state;
    bool await_ready() const noexcept { return state->winner.has_value(); }
    void await_suspend(std::coroutine_handle<> handle) { state->waiter = handle; }
    size_t await_resume() const { return *state->winner; }
  };
  Awaiter awaiter{state};
  co_return co_await awaiter;
}

}  // namespace fanfold::orchestrator
