#include "orchestrator/orchestration_processor.hpp"

#include <map>
#include <set>

#include "orchestrator/batch_decision.hpp"
#include "orchestrator/parallel_io.hpp"
#include "queuestore/message_not_held.hpp"
#include "storage/header_policies.hpp"
#include "telemetry/log.hpp"

namespace fanfold::orchestrator {

using storage::Result;
using storage::Status;

namespace {
// Requests in flight at once when sending a fan-out or deleting a batch.
constexpr size_t kParallelRequests = 16;
// Times a batch is re-applied on fresh state after losing the checkpoint race.
constexpr int kMaxCommitAttempts = 4;
}  // namespace

struct OrchestrationProcessor::Incoming {
  queuestore::ReceivedMessage received;
  ControlMessage message;
};

OrchestrationProcessor::OrchestrationProcessor(std::shared_ptr<const TaskHub> hub,
                                               const Registry& registry,
                                               OrchestrationProcessorOptions options)
    : hub_(std::move(hub)),
      registry_(registry),
      options_(std::move(options)),
      cache_(options_.cache_capacity) {
  for (int partition = 0; partition < hub_->names().partition_count; ++partition) {
    queuestore::QueueConsumerOptions consumer;
    consumer.name = "orchestrator";
    consumer.visibility_timeout = options_.visibility_timeout;
    consumer.max_dequeue_count = options_.max_dequeue_count;
    consumers_.emplace_back(hub_->control_queue(partition), hub_->poison_queue(), consumer);
  }
}

Timestamp OrchestrationProcessor::Now() const {
  if (options_.clock) return options_.clock();
  return std::chrono::time_point_cast<std::chrono::microseconds>(std::chrono::system_clock::now());
}

OrchestrationStats OrchestrationProcessor::stats() const {
  std::lock_guard<std::mutex> lock(stats_mutex_);
  return stats_;
}

Result<size_t> OrchestrationProcessor::PollOnce(int partition) {
  auto received =
      consumers_.at(static_cast<size_t>(partition)).Receive(queuestore::kMaxMessagesPerRequest);
  if (!received.ok()) return received.status();
  return ProcessMessages(partition, std::move(*received));
}

Result<size_t> OrchestrationProcessor::ProcessMessages(
    int partition, std::vector<queuestore::ReceivedMessage> received) {
  // Group by instance, keeping each instance's messages in the order they came.
  std::map<std::string, std::vector<Incoming>> by_instance;
  std::vector<std::string> order;
  for (auto& message : received) {
    auto parsed = ParseControlMessage(message.content);
    if (!parsed) {
      FANFOLD_RETURN_IF_ERROR(Poison(
          message, partition, queuestore::UnreadableReason("control message", message.content)));
      continue;
    }
    if (by_instance.find(parsed->instance_id) == by_instance.end()) {
      order.push_back(parsed->instance_id);
    }
    by_instance[parsed->instance_id].push_back(Incoming{std::move(message), std::move(*parsed)});
  }
  {
    std::lock_guard<std::mutex> lock(stats_mutex_);
    stats_.messages += received.size();
  }
  Status first_error;
  for (const auto& instance_id : order) {
    Status status;
    try {
      status = ProcessInstance(instance_id, by_instance[instance_id], partition);
    } catch (const std::exception& error) {
      // Its messages come back after their visibility timeout, and past the dequeue limit the
      // batch decision poisons them: one bad instance never stops this worker.
      status = Status::Aborted(std::string("processing the instance threw: ") + error.what());
    } catch (...) {
      status = Status::Aborted("processing the instance threw a non-standard exception");
    }
    if (!status.ok() && first_error.ok()) first_error = status;
  }
  if (!first_error.ok()) return first_error;
  return received.size();
}

Result<std::unique_ptr<InstanceState>> OrchestrationProcessor::LoadState(
    const std::string& instance_id, bool* from_cache) {
  // A cached state is used without checking storage: if another worker has moved the history
  // on, the checkpoint's If-Match fails, the state is dropped and the messages come back.
  *from_cache = true;
  if (auto cached = cache_.Take(instance_id)) return cached;
  *from_cache = false;
  auto snapshot = hub_->history().Load(instance_id);
  if (!snapshot.ok()) return snapshot.status();
  auto state = std::make_unique<InstanceState>();
  state->instance_id = instance_id;
  state->status.instance_id = instance_id;
  state->sentinel_etag = snapshot->sentinel_etag;
  for (size_t i = 0; i < snapshot->checkpoint_starts.size(); ++i) {
    const size_t begin = snapshot->checkpoint_starts[i];
    const size_t end = i + 1 < snapshot->checkpoint_starts.size()
                           ? snapshot->checkpoint_starts[i + 1]
                           : snapshot->events.size();
    state->Record(std::vector<HistoryEvent>(snapshot->events.begin() + static_cast<long>(begin),
                                            snapshot->events.begin() + static_cast<long>(end)));
  }
  std::lock_guard<std::mutex> lock(stats_mutex_);
  ++stats_.full_replays;
  return state;
}

Status OrchestrationProcessor::ProcessInstance(const std::string& instance_id,
                                               std::vector<Incoming>& batch, int partition) {
  // A lost race (another worker committed first) is retried here, on fresh state, while this
  // worker still holds the messages: releasing them instead would raise their dequeue counts,
  // and under contention enough lost races would push a healthy message into the poison queue.
  std::set<std::string> side_effects_done;
  for (int attempt = 0; attempt < kMaxCommitAttempts; ++attempt) {
    bool lost_race = false;
    const Status status =
        ProcessAttempt(instance_id, batch, partition, side_effects_done, lost_race);
    if (!lost_race) return status;
    std::lock_guard<std::mutex> lock(stats_mutex_);
    ++stats_.conflicts;
  }
  const auto& queue = hub_->control_queue(partition);
  for (const auto& incoming : batch) {
    // Still losing: let whoever is winning have them now rather than after the timeout.
    (void)queue.UpdateMessage(incoming.received.message_id, incoming.received.pop_receipt,
                              std::chrono::seconds(0));
  }
  return Status::Ok();
}

Status OrchestrationProcessor::ProcessAttempt(const std::string& instance_id,
                                              const std::vector<Incoming>& batch, int partition,
                                              std::set<std::string>& side_effects_done,
                                              bool& lost_race) {
  bool from_cache = false;
  auto loaded = LoadState(instance_id, &from_cache);
  if (!loaded.ok()) return loaded.status();  // messages reappear after their visibility timeout
  std::unique_ptr<InstanceState> state = std::move(*loaded);
  const auto& queue = hub_->control_queue(partition);

  std::vector<BatchMessage> messages;
  messages.reserve(batch.size());
  for (const auto& incoming : batch)
    messages.push_back({incoming.message, incoming.received.dequeue_count});
  BatchRules rules;
  rules.max_dequeue_count = options_.max_dequeue_count;
  rules.poison_queue = hub_->names().poison_queue;
  BatchDecision decision = DecideBatch(*state, messages, Now(), rules);
  {
    std::lock_guard<std::mutex> lock(stats_mutex_);
    stats_.duplicates += decision.duplicates;
  }
  // A drop decided on a cached state may be wrong: that state may predate another worker's
  // checkpoint that scheduled the task (or rewound the instance). Nothing would be committed, so
  // no If-Match would notice, and the message would be deleted: a lost answer or timer.
  if (decision.dropped_on_state && from_cache) {
    lost_race = true;  // again, on the state in storage (the cached one is not put back)
    return Status::Ok();
  }
  for (const size_t index : decision.start_poisoned) {
    // Before the message goes: a failure to tell the owner keeps it here.
    FANFOLD_RETURN_IF_ERROR(TellOwnerStartPoisoned(batch[index].message, Now()));
  }
  for (const auto& verdict : decision.poison) {
    FANFOLD_RETURN_IF_ERROR(Poison(batch[verdict.message].received, partition, verdict.reason));
  }
  for (const auto& timer : decision.timers_to_rearm) {
    if (side_effects_done.insert("timer:" + batch[timer.message].received.message_id).second) {
      FANFOLD_RETURN_IF_ERROR(SendTimer(instance_id, timer.task_id, timer.fire_at));
    }
  }
  for (auto& event : decision.accepted) {
    auto payload = hub_->payloads().Resolve(event.payload);
    if (!payload.ok()) return payload.status();
    event.payload = std::move(*payload);
  }
  std::vector<const queuestore::ReceivedMessage*> consumed;
  for (const size_t index : decision.consumed)
    consumed.push_back(&batch[index].received);
  std::vector<const queuestore::ReceivedMessage*> deferred;
  for (const size_t index : decision.deferred)
    deferred.push_back(&batch[index].received);
  const auto& to_recover = decision.to_recover;
  std::vector<HistoryEvent>& accepted = decision.accepted;
  const bool rewind_requested = decision.rewind;

  bool crashed = false;
  for (const auto& [begin, end] : to_recover) {
    FANFOLD_RETURN_IF_ERROR(RecoverCheckpoint(*state, begin, end));
  }
  if (!accepted.empty()) {
    const Status committed = Commit(*state, std::move(accepted), rewind_requested, crashed);
    if (crashed) return Status::Aborted("simulated crash");
    if (!committed.ok()) {
      // Nothing of ours is committed, and the stale state is not cached again.
      if (committed.IsPreconditionFailed() || committed.IsConflict()) {
        lost_race = true;
        return Status::Ok();
      }
      return committed;  // the messages come back after their visibility timeout
    }
  } else if (!to_recover.empty()) {
    if (state->executor == nullptr && !state->events.empty()) {
      // The custom status lives only in the code's memory: replay to know it.
      state->executor = std::make_unique<ReplayExecutor>(registry_, instance_id);
      const auto replayed = state->executor->Execute(state->events, {});
      if (replayed.custom_status) state->status.custom_status = *replayed.custom_status;
    }
    auto advanced = hub_->instances().Advance(state->status, state->status_etag);
    if (!advanced.ok()) return advanced.status();
    state->status_etag = *advanced;
    // A redelivered message of a checkpoint that ended the instance: its owner may not have
    // heard (the worker died after the commit), so it hears again.
    FANFOLD_RETURN_IF_ERROR(TellOwnerIfEnded(state->status));
  }
  if (Crash(CommitStep::kAfterStatus)) return Status::Aborted("simulated crash");

  FANFOLD_RETURN_IF_ERROR(ForEachParallel(consumed.size(), kParallelRequests, [&](size_t i) {
    const Status deleted = queue.DeleteMessage(consumed[i]->message_id, consumed[i]->pop_receipt);
    return deleted.ok() || queuestore::IsMessageNotHeld(deleted) ? Status::Ok() : deleted;
  }));
  for (const auto* message : deferred) {
    auto released =
        queue.UpdateMessage(message->message_id, message->pop_receipt, std::chrono::seconds(1));
    if (!released.ok() && !queuestore::IsMessageNotHeld(released.status())) {
      return released.status();
    }
  }
  cache_.Put(std::move(state));
  return Status::Ok();
}

Status OrchestrationProcessor::Commit(InstanceState& state, std::vector<HistoryEvent> accepted,
                                      bool rewind, bool& crashed) {
  const Timestamp now = Now();
  HistoryEvent episode;
  episode.type = EventType::kOrchestratorStarted;
  episode.timestamp = now;
  std::vector<HistoryEvent> new_events;
  new_events.reserve(accepted.size() + 1);
  new_events.push_back(episode);
  for (auto& event : accepted)
    new_events.push_back(std::move(event));

  ExecutionResult result;
  if (!rewind) {
    if (state.executor == nullptr) {
      state.executor = std::make_unique<ReplayExecutor>(registry_, state.instance_id);
      result = state.executor->Execute(state.events, new_events);
    } else {
      result = state.executor->Continue(new_events);
    }
  }
  std::vector<HistoryEvent> to_append = new_events;
  for (auto& event : EventsForResult(result, now))
    to_append.push_back(std::move(event));

  if (Crash(CommitStep::kBeforeHistory)) {
    crashed = true;
    return Status::Aborted("simulated crash");
  }
  auto etag = hub_->history().Append(state.instance_id, state.sentinel_etag, state.events.size(),
                                     to_append);
  if (!etag.ok()) {
    state.executor.reset();  // it ran ahead of storage; never continue it
    return etag.status();
  }
  state.sentinel_etag = *etag;
  state.Record(to_append);
  if (result.custom_status) state.status.custom_status = *result.custom_status;
  {
    std::lock_guard<std::mutex> lock(stats_mutex_);
    ++stats_.checkpoints;
  }
  if (Crash(CommitStep::kAfterHistory)) {
    crashed = true;
    return Status::Aborted("simulated crash");
  }

  if (rewind) {
    // Replay the rewound history from scratch; the reopened tasks are scheduled but unanswered.
    state.executor = std::make_unique<ReplayExecutor>(registry_, state.instance_id);
    const auto replayed = state.executor->Execute(state.events, {});
    if (replayed.custom_status) state.status.custom_status = *replayed.custom_status;
    FANFOLD_RETURN_IF_ERROR(
        RecoverCheckpoint(state, state.events.size() - to_append.size(), state.events.size()));
  } else {
    FANFOLD_RETURN_IF_ERROR(SendActions(state, result.actions));
  }
  if (Crash(CommitStep::kAfterSends)) {
    crashed = true;
    return Status::Aborted("simulated crash");
  }
  auto advanced = hub_->instances().Advance(state.status, state.status_etag);
  if (!advanced.ok()) return advanced.status();
  state.status_etag = *advanced;
  return TellOwnerIfEnded(state.status);
}

Status OrchestrationProcessor::TellOwnerStartPoisoned(const ControlMessage& message,
                                                      Timestamp now) const {
  for (const HistoryEvent& event : message.events) {
    if (event.type != EventType::kExecutionStarted) continue;
    InstanceStatus ended;
    ended.instance_id = message.instance_id;
    ended.name = event.name;
    ended.status = RuntimeStatus::kFailed;
    ended.completed = now;
    ended.failure = FailureDetails{"Poison",
                                   "its start message could not be processed and was moved to "
                                   "the poison queue",
                                   "see queue " + hub_->names().poison_queue};
    return TellOwnerIfEnded(ended);
  }
  return Status::Ok();
}

Status OrchestrationProcessor::TellOwnerIfEnded(const InstanceStatus& status) const {
  if (!IsTerminal(status.status)) return Status::Ok();
  const EndedHandler* handler = registry_.FindEndedHandler(status.name);
  if (handler == nullptr) return Status::Ok();
  Status told;
  try {
    told = (*handler)(status);
  } catch (const std::exception& error) {
    told = Status::Aborted(std::string("the ended handler threw: ") + error.what());
  }
  if (!told.ok()) {
    // The messages of this checkpoint come back, as duplicates, and the owner is told again.
    telemetry::LogWarn("orchestration.end_not_recorded", {{"instance", status.instance_id},
                                                          {"orchestrator", status.name},
                                                          {"error", told.ToString()}});
  }
  return told;
}

Status OrchestrationProcessor::SendActions(const InstanceState& state,
                                           const std::vector<OrchestratorAction>& actions) {
  std::vector<WorkItemTask> tasks;
  std::vector<const OrchestratorAction*> timers;
  for (const auto& action : actions) {
    if (action.kind == ActionKind::kCreateTimer) {
      timers.push_back(&action);
    } else {
      tasks.push_back(WorkItemTask{action.task_id, action.name, action.payload});
    }
  }
  // Enough work items to spread a fan-out over every worker's slots, as few as that allows.
  const size_t per_message =
      std::clamp<size_t>((tasks.size() + options_.target_work_items - 1) /
                             std::max<size_t>(options_.target_work_items, 1),
                         1, std::max<size_t>(options_.max_tasks_per_work_item, 1));
  const bool any_tasks = !tasks.empty();
  FANFOLD_RETURN_IF_ERROR(hub_->SendWorkItems(state.instance_id, std::move(tasks), per_message));
  if (any_tasks && options_.on_work_items_sent) options_.on_work_items_sent();
  return ForEachParallel(timers.size(), kParallelRequests, [&](size_t i) {
    return SendTimer(state.instance_id, timers[i]->task_id, timers[i]->fire_at);
  });
}

Status OrchestrationProcessor::SendTimer(const std::string& instance_id, int task_id,
                                         Timestamp fire_at) {
  HistoryEvent fired;
  fired.type = EventType::kTimerFired;
  fired.task_id = task_id;
  fired.fire_at = fire_at;
  fired.timestamp = fire_at;
  const auto remaining = std::chrono::duration_cast<std::chrono::seconds>(fire_at - Now());
  const auto delay = std::clamp(remaining + std::chrono::seconds(1), std::chrono::seconds(0),
                                queuestore::kMaxVisibilityTimeout - std::chrono::hours(1));
  return hub_->SendControl(EventMessage(instance_id, std::move(fired)), delay);
}

Status OrchestrationProcessor::RecoverCheckpoint(const InstanceState& state, size_t begin,
                                                 size_t end) {
  std::vector<OrchestratorAction> resend;
  for (size_t i = begin; i < end; ++i) {
    const HistoryEvent& event = state.events[i];
    if (state.answered_tasks.count(event.task_id) != 0) continue;
    if (event.type == EventType::kTaskScheduled) {
      resend.push_back(
          {ActionKind::kScheduleActivity, event.task_id, event.name, event.payload, {}});
    } else if (event.type == EventType::kTimerCreated) {
      resend.push_back({ActionKind::kCreateTimer, event.task_id, "", "", event.fire_at});
    } else if (event.type == EventType::kExecutionRewound) {
      // The tasks this rewind reopened were scheduled by earlier checkpoints.
      for (const auto& [task, index] : state.scheduled_tasks) {
        const HistoryEvent& scheduled = state.events[index];
        if (index < i && scheduled.type == EventType::kTaskScheduled &&
            state.answered_tasks.count(task) == 0) {
          resend.push_back(
              {ActionKind::kScheduleActivity, task, scheduled.name, scheduled.payload, {}});
        }
      }
    }
  }
  return SendActions(state, resend);
}

Status OrchestrationProcessor::Poison(const queuestore::ReceivedMessage& message, int partition,
                                      const std::string& reason) {
  FANFOLD_RETURN_IF_ERROR(consumers_.at(static_cast<size_t>(partition)).Poison(message, reason));
  std::lock_guard<std::mutex> lock(stats_mutex_);
  ++stats_.poisoned;
  return Status::Ok();
}

}  // namespace fanfold::orchestrator
