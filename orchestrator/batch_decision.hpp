// What one batch of control messages does to one instance, decided without touching storage: the
// orchestration processor reads the instance, asks DecideBatch, then carries the decision out
// (poison, resolve payloads, commit, re-arm timers, delete, release). Keeping the rules here, as
// a pure function of (instance as read, messages, now), is what lets every case — poison,
// duplicates, rewind, terminate, events before the start or after the end, early timers — be
// tested from hand-built batches (batch_decision_test.cpp), like replay_executor_test.cpp does
// for replay.
//
// The rules, in message order:
//   1. A message delivered more than max_dequeue_count times is poisoned. If its instance runs,
//      the instance fails ("Poison") in this checkpoint; if it never started, its owner is told.
//   2. A message already in history (or twice in this batch) is a duplicate: consumed, and the
//      checkpoint that recorded it is recovered (its sends redone: the worker that committed it
//      may have died before sending).
//   3. Rewind: accepted only on a Failed instance, first in its checkpoint; anything after it
//      in the batch waits for the next (deferred); on a state that is not Failed it is dropped.
//   4. Terminate: accepted on a running instance; deferred before the start; dropped after the end.
//   5. Events: ExecutionStarted once (a second start never makes a second history); anything
//      before the start is deferred; answers to an ended instance, to tasks history does not
//      know, or answered already are dropped; a timer more than a second early is re-armed
//      (queues delay at most 7 days) instead of firing.
// A drop that depends on the state (unknown task, ended instance, rewind of a non-Failed one) is
// flagged: on a cached state it must be decided again on the state in storage.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "orchestrator/history_event.hpp"
#include "orchestrator/instance_state.hpp"
#include "orchestrator/messages.hpp"

namespace fanfold::orchestrator {

// One received control message, as the decision sees it.
struct BatchMessage {
  ControlMessage message;
  std::int64_t dequeue_count = 1;
};

struct PoisonVerdict {
  size_t message = 0;  // index into the batch
  std::string reason;
};

struct TimerToRearm {
  size_t message = 0;  // index into the batch (a message re-arms its timer once)
  int task_id = -1;
  Timestamp fire_at{};
};

struct BatchDecision {
  std::vector<PoisonVerdict> poison;
  std::vector<size_t> consumed;        // deleted once the checkpoint (if any) is committed
  std::vector<size_t> deferred;        // released to come back shortly
  std::vector<size_t> start_poisoned;  // poisoned starts of an instance with no history
  std::vector<HistoryEvent> accepted;  // the checkpoint's new events (payloads not resolved)
  std::vector<std::pair<size_t, size_t>> to_recover;  // checkpoints whose sends are redone
  std::vector<TimerToRearm> timers_to_rearm;
  bool rewind = false;
  bool dropped_on_state = false;
  size_t duplicates = 0;
};

struct BatchRules {
  int max_dequeue_count = 5;
  std::string poison_queue;  // named in the failure a poisoned message causes
};

BatchDecision DecideBatch(const InstanceState& state, const std::vector<BatchMessage>& batch,
                          Timestamp now, const BatchRules& rules);

}  // namespace fanfold::orchestrator
