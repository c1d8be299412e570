// The batch decision from hand-built instance states and batches: no storage, no clock.
#include "orchestrator/batch_decision.hpp"

#include <gtest/gtest.h>

namespace fanfold::orchestrator {
namespace {

using std::chrono::seconds;

Timestamp At(int s) {
  return Timestamp(seconds(1'800'000'000 + s));
}

HistoryEvent Event(EventType type, int task_id = -1, const std::string& from = "") {
  HistoryEvent e;
  e.type = type;
  e.task_id = task_id;
  e.source_message = from;
  e.timestamp = At(0);
  return e;
}

BatchMessage Events(const std::string& id, std::vector<HistoryEvent> events, int dequeue = 1) {
  BatchMessage m;
  m.message.message_id = id;
  m.message.instance_id = "i";
  m.message.kind = ControlKind::kEvent;
  m.message.events = std::move(events);
  m.dequeue_count = dequeue;
  return m;
}

BatchMessage Control(const std::string& id, ControlKind kind, const std::string& reason = "") {
  BatchMessage m;
  m.message.message_id = id;
  m.message.instance_id = "i";
  m.message.kind = kind;
  m.message.reason = reason;
  return m;
}

BatchMessage Start(const std::string& id) {
  HistoryEvent started = Event(EventType::kExecutionStarted);
  started.name = "orchestrator";
  return Events(id, {started});
}

BatchMessage Answer(const std::string& id, int task_id, int dequeue = 1) {
  return Events(id, {Event(EventType::kTaskCompleted, task_id)}, dequeue);
}

// A running instance: started by message "start", tasks 1 and 2 scheduled, task 1 answered by
// message "a1".
InstanceState Running() {
  InstanceState state;
  state.instance_id = "i";
  HistoryEvent started = Event(EventType::kExecutionStarted, -1, "start");
  started.name = "orchestrator";
  state.Record({Event(EventType::kOrchestratorStarted), started,
                Event(EventType::kTaskScheduled, 1), Event(EventType::kTaskScheduled, 2)});
  state.Record({Event(EventType::kOrchestratorStarted), Event(EventType::kTaskCompleted, 1, "a1")});
  return state;
}

InstanceState Ended(bool failed) {
  InstanceState state = Running();
  HistoryEvent end = Event(EventType::kExecutionCompleted);
  end.failed = failed;
  state.Record({Event(EventType::kOrchestratorStarted), end});
  return state;
}

BatchDecision Decide(const InstanceState& state, std::vector<BatchMessage> batch, int now = 10) {
  BatchRules rules;
  rules.max_dequeue_count = 3;
  rules.poison_queue = "hub-poison";
  return DecideBatch(state, batch, At(now), rules);
}

std::vector<EventType> Types(const std::vector<HistoryEvent>& events) {
  std::vector<EventType> types;
  for (const auto& e : events)
    types.push_back(e.type);
  return types;
}

TEST(BatchDecisionTest, AStartIsAcceptedOnceAndWhatCameBeforeItWaits) {
  const InstanceState fresh;
  auto d = Decide(fresh, {Answer("early", 1), Start("s1"), Start("s2")});
  EXPECT_EQ(d.deferred, std::vector<size_t>{0});  // an answer before the start: try later
  EXPECT_EQ(d.consumed, (std::vector<size_t>{1, 2}));
  ASSERT_EQ(d.accepted.size(), 1u);  // a second start never makes a second history
  EXPECT_EQ(d.accepted[0].type, EventType::kExecutionStarted);
  EXPECT_EQ(d.accepted[0].source_message, "s1");
  // A terminate before the start waits for it.
  auto t = Decide(fresh, {Control("t", ControlKind::kTerminate, "stop")});
  EXPECT_EQ(t.deferred, std::vector<size_t>{0});
  EXPECT_TRUE(t.accepted.empty());
}

TEST(BatchDecisionTest, DuplicatesAreConsumedAndTheirCheckpointRecovered) {
  auto d = Decide(Running(), {Answer("a1", 1), Answer("a2", 2), Answer("a2", 2)});
  EXPECT_EQ(d.duplicates, 2u);  // one already in history, one twice in this batch
  EXPECT_EQ(d.consumed, (std::vector<size_t>{0, 1, 2}));
  ASSERT_EQ(d.to_recover.size(), 1u);
  EXPECT_EQ(d.to_recover[0], (std::pair<size_t, size_t>{4, 6}));  // the checkpoint of "a1"
  EXPECT_EQ(Types(d.accepted), std::vector<EventType>{EventType::kTaskCompleted});
}

TEST(BatchDecisionTest, UnknownAndAnsweredTasksAreDroppedAndFlagged) {
  // Task 7 is unknown to this state (a stale cache?), task 1 is answered already: dropped. The
  // unknown one flags the decision as depending on the state.
  auto d = Decide(Running(), {Answer("x", 7), Answer("y", 1)});
  EXPECT_TRUE(d.accepted.empty());
  EXPECT_EQ(d.consumed, (std::vector<size_t>{0, 1}));
  EXPECT_TRUE(d.dropped_on_state);
  auto answered = Decide(Running(), {Answer("y", 1)});
  EXPECT_FALSE(answered.dropped_on_state);  // history itself says task 1 is answered
  // Two different messages answering one task: the first wins.
  auto twice = Decide(Running(), {Answer("p", 2), Answer("q", 2)});
  EXPECT_EQ(twice.accepted.size(), 1u);
  EXPECT_EQ(twice.accepted[0].source_message, "p");
}

TEST(BatchDecisionTest, LateAnswersToAnEndedInstanceAreDropped) {
  auto d = Decide(Ended(false), {Answer("late", 2), Control("t", ControlKind::kTerminate)});
  EXPECT_TRUE(d.accepted.empty());
  EXPECT_EQ(d.consumed, (std::vector<size_t>{0, 1}));
  EXPECT_TRUE(d.dropped_on_state);
}

TEST(BatchDecisionTest, ATerminateEndsARunningInstance) {
  auto d = Decide(Running(), {Control("t", ControlKind::kTerminate, "operator"), Answer("a2", 2)});
  EXPECT_EQ(Types(d.accepted),
            (std::vector<EventType>{EventType::kExecutionTerminated, EventType::kTaskCompleted}));
  EXPECT_EQ(d.accepted[0].payload, "operator");
  EXPECT_EQ(d.consumed, (std::vector<size_t>{0, 1}));
}

TEST(BatchDecisionTest, ARewindIsAcceptedOnlyOnAFailedInstanceAndAloneInItsCheckpoint) {
  auto d = Decide(Ended(true), {Control("r", ControlKind::kRewind, "retry"),
                                Control("r2", ControlKind::kRewind), Answer("a2", 2)});
  EXPECT_TRUE(d.rewind);
  EXPECT_EQ(Types(d.accepted), std::vector<EventType>{EventType::kExecutionRewound});
  EXPECT_EQ(d.consumed, std::vector<size_t>{0});
  EXPECT_EQ(d.deferred, (std::vector<size_t>{1, 2}));  // after the rewind's checkpoint
  // On a running instance a rewind is dropped, and flagged (a cached state may be stale).
  auto running = Decide(Running(), {Control("r", ControlKind::kRewind)});
  EXPECT_FALSE(running.rewind);
  EXPECT_TRUE(running.dropped_on_state);
  EXPECT_EQ(running.consumed, std::vector<size_t>{0});
}

TEST(BatchDecisionTest, AMessageDeliveredTooOftenIsPoisonedAndFailsItsInstanceOnce) {
  auto d = Decide(Running(), {Answer("bad", 2, /*dequeue=*/4), Answer("worse", 2),
                              Events("bad2", {Event(EventType::kTaskCompleted, 2)}, 5)});
  ASSERT_EQ(d.poison.size(), 2u);
  EXPECT_EQ(d.poison[0].message, 0u);
  EXPECT_NE(d.poison[0].reason.find("received 4 times"), std::string::npos);
  ASSERT_FALSE(d.accepted.empty());
  EXPECT_EQ(d.accepted[0].type, EventType::kExecutionCompleted);
  EXPECT_TRUE(d.accepted[0].failed);
  EXPECT_EQ(d.accepted[0].failure->error_type, "Poison");
  EXPECT_EQ(d.accepted[0].failure->details, "see queue hub-poison");
  int failures = 0;
  for (const auto& e : d.accepted)
    failures += e.type == EventType::kExecutionCompleted ? 1 : 0;
  EXPECT_EQ(failures, 1);  // one end, however many poisoned messages
  EXPECT_TRUE(d.start_poisoned.empty());
  // Before any history: the owner is told instead.
  auto start = Decide(InstanceState{}, {Events("s", {Event(EventType::kExecutionStarted)}, 4)});
  EXPECT_EQ(start.start_poisoned, std::vector<size_t>{0});
  EXPECT_TRUE(start.accepted.empty());
  // After the end: poisoned, nothing more to end.
  auto ended = Decide(Ended(false), {Answer("late", 2, 9)});
  EXPECT_EQ(ended.poison.size(), 1u);
  EXPECT_TRUE(ended.accepted.empty());
}

TEST(BatchDecisionTest, AnEarlyTimerIsReArmedNotFired) {
  InstanceState state = Running();
  HistoryEvent timer = Event(EventType::kTimerCreated, 3);
  timer.fire_at = At(100);
  state.Record({Event(EventType::kOrchestratorStarted), timer});
  HistoryEvent fired = Event(EventType::kTimerFired, 3);
  fired.fire_at = At(100);
  auto early = Decide(state, {Events("f", {fired})}, /*now=*/50);
  EXPECT_TRUE(early.accepted.empty());
  ASSERT_EQ(early.timers_to_rearm.size(), 1u);
  EXPECT_EQ(early.timers_to_rearm[0].task_id, 3);
  EXPECT_EQ(early.timers_to_rearm[0].fire_at, At(100));
  EXPECT_EQ(early.consumed, std::vector<size_t>{0});
  auto due = Decide(state, {Events("f", {fired})}, /*now=*/100);
  EXPECT_EQ(Types(due.accepted), std::vector<EventType>{EventType::kTimerFired});
  EXPECT_TRUE(due.timers_to_rearm.empty());
}

}  // namespace
}  // namespace fanfold::orchestrator
