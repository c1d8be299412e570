#include "orchestrator/batch_decision.hpp"

#include <set>

namespace fanfold::orchestrator {
namespace {

HistoryEvent PoisonFailure(Timestamp now, const std::string& poison_queue) {
  HistoryEvent failed;
  failed.type = EventType::kExecutionCompleted;
  failed.timestamp = now;
  failed.failed = true;
  failed.failure = FailureDetails{"Poison",
                                  "a message for this instance could not be processed and was "
                                  "moved to the poison queue",
                                  "see queue " + poison_queue};
  return failed;
}

bool IsAnswer(EventType type) {
  return type == EventType::kTaskCompleted || type == EventType::kTaskFailed ||
         type == EventType::kTimerFired;
}

// Decides one batch; the members are what the rules read and write as they go.
class Decider {
 public:
  Decider(const InstanceState& state, Timestamp now, const BatchRules& rules)
      : state_(state), now_(now), rules_(rules), started_(!state.events.empty()) {}

  void Take(size_t index, const BatchMessage& incoming) {
    const ControlMessage& message = incoming.message;
    if (incoming.dequeue_count > rules_.max_dequeue_count) return Poison(index, incoming);
    if (state_.seen_messages.count(message.message_id) != 0 ||
        !batch_ids_.insert(message.message_id).second) {
      return Duplicate(index, message);
    }
    if (message.kind == ControlKind::kRewind) return Rewind(index, message);
    if (decision_.rewind) return decision_.deferred.push_back(index);  // after its checkpoint
    if (message.kind == ControlKind::kTerminate) return Terminate(index, message);
    Events(index, message);
  }

  BatchDecision Finish() { return std::move(decision_); }

 private:
  bool Ended() const { return IsTerminal(state_.status.status); }

  void Poison(size_t index, const BatchMessage& incoming) {
    decision_.poison.push_back({index, "control message received " +
                                           std::to_string(incoming.dequeue_count) +
                                           " times without being processed"});
    if (!started_) {
      decision_.start_poisoned.push_back(index);
    } else if (!Ended() && !failed_by_poison_) {
      failed_by_poison_ = true;
      decision_.accepted.push_back(PoisonFailure(now_, rules_.poison_queue));
    }
  }

  void Duplicate(size_t index, const ControlMessage& message) {
    const auto range = state_.CheckpointOf(message.message_id);
    if (range.second > range.first) decision_.to_recover.push_back(range);
    decision_.consumed.push_back(index);
    ++decision_.duplicates;
  }

  void Rewind(size_t index, const ControlMessage& message) {
    if (state_.status.status == RuntimeStatus::kFailed && !decision_.rewind &&
        decision_.accepted.empty()) {
      decision_.rewind = true;
      HistoryEvent rewound;
      rewound.type = EventType::kExecutionRewound;
      rewound.timestamp = now_;
      rewound.payload = message.reason;
      rewound.source_message = message.message_id;
      decision_.accepted.push_back(rewound);
      decision_.consumed.push_back(index);
    } else if (decision_.rewind || !decision_.accepted.empty()) {
      decision_.deferred.push_back(index);  // its own checkpoint, next time round
    } else {
      decision_.dropped_on_state = true;  // only a failed instance can be rewound
      decision_.consumed.push_back(index);
    }
  }

  void Terminate(size_t index, const ControlMessage& message) {
    if (started_ && !Ended()) {
      HistoryEvent terminated;
      terminated.type = EventType::kExecutionTerminated;
      terminated.timestamp = now_;
      terminated.payload = message.reason;
      terminated.source_message = message.message_id;
      decision_.accepted.push_back(terminated);
    } else if (!started_ && !starting_) {
      return decision_.deferred.push_back(index);
    }
    decision_.consumed.push_back(index);
  }

  // An event message: every event in it is accepted or dropped on its own merits, but the
  // message is consumed (or deferred) as a whole.
  void Events(size_t index, const ControlMessage& message) {
    std::vector<HistoryEvent> from_message;
    for (const HistoryEvent& original : message.events) {
      HistoryEvent event = original;
      event.source_message = message.message_id;
      if (event.type == EventType::kExecutionStarted) {
        if (started_ || starting_) continue;  // a second start never makes a second history
        starting_ = true;
        from_message.push_back(std::move(event));
        continue;
      }
      if (!started_ && !starting_) {
        return decision_.deferred.push_back(index);  // before its instance started
      }
      if (Ended()) {  // late answers to an ended instance
        decision_.dropped_on_state = true;
        continue;
      }
      if (IsAnswer(event.type) && !AcceptAnswer(index, event)) continue;
      from_message.push_back(std::move(event));
    }
    for (auto& event : from_message)
      decision_.accepted.push_back(std::move(event));
    decision_.consumed.push_back(index);
  }

  bool AcceptAnswer(size_t index, const HistoryEvent& event) {
    const bool known = state_.scheduled_tasks.count(event.task_id) != 0;
    if (!known) decision_.dropped_on_state = true;
    if (!known || state_.answered_tasks.count(event.task_id) != 0 ||
        !batch_answers_.insert(event.task_id).second) {
      return false;  // unknown or already answered: nothing to add
    }
    if (event.type == EventType::kTimerFired && event.fire_at > now_ + std::chrono::seconds(1)) {
      // Queues delay at most 7 days: a longer timer is re-armed until it is due.
      decision_.timers_to_rearm.push_back({index, event.task_id, event.fire_at});
      batch_answers_.erase(event.task_id);
      return false;
    }
    return true;
  }

  const InstanceState& state_;
  const Timestamp now_;
  const BatchRules& rules_;
  const bool started_;
  bool starting_ = false;
  bool failed_by_poison_ = false;
  std::set<std::string> batch_ids_;
  std::set<int> batch_answers_;
  BatchDecision decision_;
};

}  // namespace

BatchDecision DecideBatch(const InstanceState& state, const std::vector<BatchMessage>& batch,
                          Timestamp now, const BatchRules& rules) {
  Decider decider(state, now, rules);
  for (size_t i = 0; i < batch.size(); ++i)
    decider.Take(i, batch[i]);
  return decider.Finish();
}

}  // namespace fanfold::orchestrator
