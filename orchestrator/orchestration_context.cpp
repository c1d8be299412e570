#include "orchestrator/orchestration_context.hpp"

#include <cstdio>
#include <functional>

#include "orchestrator/ready_queue.hpp"
#include "storage/crypto.hpp"

namespace fanfold::orchestrator {

std::string OrchestrationContext::SlotAwaiter::await_resume() {
  if (slot->failure) throw TaskFailure(slot->activity, {slot->task_id}, *slot->failure);
  return std::move(slot->result);
}

OrchestrationContext::SlotAwaiter OrchestrationContext::NewAction(OrchestratorAction action) {
  action.task_id = next_task_id_++;
  auto slot = std::make_shared<Slot>();
  slot->activity = action.name;
  slot->task_id = action.task_id;
  const int id = action.task_id;
  actions_.emplace(id, PendingAction{std::move(action), slot});
  return SlotAwaiter{slot};
}

void OrchestrationContext::Resolve(Slot& slot, std::string result,
                                   std::optional<FailureDetails> failure) {
  slot.resolved = true;
  slot.result = std::move(result);
  slot.failure = std::move(failure);
  if (slot.waiter) detail::ResumeSoon(std::exchange(slot.waiter, nullptr));
}

Task<std::string> OrchestrationContext::CallActivityRaw(std::string name, std::string payload,
                                                        ActivityRetryPolicy retry) {
  for (int attempt = 1;; ++attempt) {
    std::optional<TaskFailure> failure;
    // Awaited operands are named locals, never temporaries: GCC 12 destroys temporaries of a
    // co_await operand twice.
    OrchestratorAction action{ActionKind::kScheduleActivity, -1, name, payload, {}};
    SlotAwaiter awaiter = NewAction(std::move(action));
    try {
      co_return co_await awaiter;
    } catch (const TaskFailure& error) {
      if (attempt >= retry.max_attempts) throw;
      failure = error;
    }
    // A coroutine cannot suspend inside a handler, so the retry wait happens out here.
    co_await create_timer(retry.DelayAfter(attempt));
  }
}

Task<void> OrchestrationContext::create_timer(Timestamp fire_at) {
  OrchestratorAction action{ActionKind::kCreateTimer, -1, "", "", fire_at};
  SlotAwaiter awaiter = NewAction(std::move(action));
  co_await awaiter;
}

Task<std::string> OrchestrationContext::WaitForEventRaw(std::string name) {
  auto& buffered = buffered_events_[name];
  if (!buffered.empty()) {
    std::string payload = std::move(buffered.front());
    buffered.pop_front();
    co_return payload;
  }
  auto slot = std::make_shared<Slot>();
  event_waiters_[name].push_back(slot);
  SlotAwaiter awaiter{slot};
  co_return co_await awaiter;
}

std::string OrchestrationContext::new_guid() {
  // Name-based: the same instance and counter give the same id on every replay.
  const std::string digest =
      storage::HmacSha256("fanfold-guid", instance_id_ + "/" + std::to_string(next_guid_++));
  unsigned char b[16];
  for (int i = 0; i < 16; ++i)
    b[i] = static_cast<unsigned char>(digest[i]);
  b[6] = static_cast<unsigned char>((b[6] & 0x0F) | 0x50);
  b[8] = static_cast<unsigned char>((b[8] & 0x3F) | 0x80);
  char text[37];
  std::snprintf(text, sizeof text,
                "%02x%02x%02x%02x-%02x%02x-%02x%02x-%02x%02x-%02x%02x%02x%02x%02x%02x", b[0], b[1],
                b[2], b[3], b[4], b[5], b[6], b[7], b[8], b[9], b[10], b[11], b[12], b[13], b[14],
                b[15]);
  return text;
}

Task<void> when_all(std::vector<Task<void>>& tasks) {
  std::vector<int> failed_ids;
  std::optional<TaskFailure> first_failure;
  for (auto& task : tasks) {
    try {
      co_await task;
    } catch (const TaskFailure& failure) {
      failed_ids.insert(failed_ids.end(), failure.task_ids().begin(), failure.task_ids().end());
      if (!first_failure) first_failure = failure;
    }
  }
  if (first_failure) throw CombineFailures(*first_failure, std::move(failed_ids), tasks.size());
}

}  // namespace fanfold::orchestrator
