// The replay executor from hand-built histories: no storage, no clock.
#include "orchestrator/replay_executor.hpp"

#include <gtest/gtest.h>

namespace fanfold::orchestrator {
namespace {

using nlohmann::json;
using std::chrono::seconds;

Timestamp T(int s) {
  return Timestamp(seconds(1'800'000'000 + s));
}

HistoryEvent Started(const std::string& name, const json& input, int at = 0) {
  HistoryEvent e;
  e.type = EventType::kExecutionStarted;
  e.name = name;
  e.payload = input.dump();
  e.timestamp = T(at);
  return e;
}
HistoryEvent Episode(int at) {
  HistoryEvent e;
  e.type = EventType::kOrchestratorStarted;
  e.timestamp = T(at);
  return e;
}
HistoryEvent Scheduled(int id, const std::string& name, const json& input) {
  HistoryEvent e;
  e.type = EventType::kTaskScheduled;
  e.task_id = id;
  e.name = name;
  e.payload = input.dump();
  return e;
}
HistoryEvent Completed(int id, const json& result) {
  HistoryEvent e;
  e.type = EventType::kTaskCompleted;
  e.task_id = id;
  e.payload = result.dump();
  return e;
}
HistoryEvent Failed(int id, const std::string& message) {
  HistoryEvent e;
  e.type = EventType::kTaskFailed;
  e.task_id = id;
  e.failure = FailureDetails{"ActivityFailed", message, ""};
  return e;
}
HistoryEvent TimerCreated(int id, Timestamp fire_at) {
  HistoryEvent e;
  e.type = EventType::kTimerCreated;
  e.task_id = id;
  e.fire_at = fire_at;
  return e;
}
HistoryEvent TimerFired(int id) {
  HistoryEvent e;
  e.type = EventType::kTimerFired;
  e.task_id = id;
  return e;
}
HistoryEvent Raised(const std::string& name, const json& payload) {
  HistoryEvent e;
  e.type = EventType::kEventRaised;
  e.name = name;
  e.payload = payload.dump();
  return e;
}

// Fans out one "square" per input number and sums the results.
Task<long long> SumOfSquares(OrchestrationContext& context, std::vector<int> numbers) {
  std::vector<Task<long long>> tasks;
  for (const int n : numbers)
    tasks.push_back(context.call_activity<long long>("square", n));
  const std::vector<long long> squares = co_await when_all(tasks);
  long long sum = 0;
  for (const auto s : squares)
    sum += s;
  context.set_custom_status({{"squares", squares.size()}});
  co_return sum;
}

Task<std::string> Chain(OrchestrationContext& context, std::string input) {
  const std::string a = co_await context.call_activity<std::string>("step", input + "a");
  const std::string b = co_await context.call_activity<std::string>("step", a + "b");
  co_return b;
}

Task<std::string> CatchesFailure(OrchestrationContext& context, int) {
  try {
    co_await context.call_activity<json>("fragile", 1);
  } catch (const TaskFailure& failure) {
    co_return "recovered from " + failure.failure().message;
  }
  co_return "no failure";
}

Task<int> RetriesThreeTimes(OrchestrationContext& context, int) {
  ActivityRetryPolicy retry;
  retry.max_attempts = 3;
  retry.first_delay = std::chrono::seconds(10);
  retry.backoff_factor = 3;
  co_return co_await context.call_activity<int>("flaky", 0, retry);
}

Task<std::string> ApprovalWithTimeout(OrchestrationContext& context, int) {
  std::vector<Task<json>> waits;
  waits.push_back(context.wait_for_external_event("approve"));
  Task<void> timeout = context.create_timer(std::chrono::hours(1));
  std::vector<Task<void>> timers;
  timers.push_back(std::move(timeout));
  // Race the event against the timer: whichever is first decides.
  bool approved = false;
  while (!waits[0].is_done() && !timers[0].is_done()) {
    const size_t first = co_await when_any(waits);
    (void)first;
  }
  approved = waits[0].is_done();
  co_return approved ? "approved: " + waits[0].Get().dump() : "timed out";
}

Task<json> TwoEvents(OrchestrationContext& context, int) {
  json first = co_await context.wait_for_external_event("e");
  json second = co_await context.wait_for_external_event("e");
  co_return json::array({first, second});
}

Task<json> Throws(OrchestrationContext&, int) {
  throw std::runtime_error("bad input row");
  co_return json();
}

Task<json> DeterministicValues(OrchestrationContext& context, int) {
  co_await context.create_timer(std::chrono::seconds(5));
  co_return json{{"guid1", context.new_guid()},
                 {"guid2", context.new_guid()},
                 {"now", context.current_time().time_since_epoch().count()}};
}

class ReplayExecutorTest : public ::testing::Test {
 protected:
  ReplayExecutorTest() {
    registry_.AddOrchestrator("sum_of_squares", &SumOfSquares);
    registry_.AddOrchestrator("chain", &Chain);
    registry_.AddOrchestrator("catches_failure", &CatchesFailure);
    registry_.AddOrchestrator("retries", &RetriesThreeTimes);
    registry_.AddOrchestrator("approval", &ApprovalWithTimeout);
    registry_.AddOrchestrator("two_events", &TwoEvents);
    registry_.AddOrchestrator("throws", &Throws);
    registry_.AddOrchestrator("deterministic", &DeterministicValues);
  }
  ExecutionResult Run(const std::vector<HistoryEvent>& history,
                      const std::vector<HistoryEvent>& new_events) {
    ReplayExecutor executor(registry_, "instance-1");
    return executor.Execute(history, new_events);
  }
  Registry registry_;
};

TEST_F(ReplayExecutorTest, FanOutSchedulesEveryActivityAtOnce) {
  const auto result = Run({}, {Started("sum_of_squares", {1, 2, 3}), Episode(0)});
  ASSERT_EQ(result.actions.size(), 3u);
  for (int i = 0; i < 3; ++i) {
    EXPECT_EQ(result.actions[i].task_id, i);
    EXPECT_EQ(result.actions[i].name, "square");
    EXPECT_EQ(result.actions[i].payload, std::to_string(i + 1));
  }
  EXPECT_FALSE(result.completed);
}

TEST_F(ReplayExecutorTest, FanInCompletesWhenEveryResultIsIn) {
  const std::vector<HistoryEvent> history = {Started("sum_of_squares", {1, 2, 3}), Episode(0),
                                             Scheduled(0, "square", 1), Scheduled(1, "square", 2),
                                             Scheduled(2, "square", 3)};
  const auto partial = Run(history, {Episode(5), Completed(2, 9), Completed(0, 1)});
  EXPECT_TRUE(partial.actions.empty());
  EXPECT_FALSE(partial.completed);
  const auto done = Run(history, {Episode(5), Completed(2, 9), Completed(0, 1), Completed(1, 4)});
  ASSERT_TRUE(done.completed);
  EXPECT_FALSE(done.failed);
  EXPECT_EQ(done.output, "14");
  EXPECT_EQ(done.custom_status, json({{"squares", 3}}).dump());
}

TEST_F(ReplayExecutorTest, IncrementalContinueMatchesAFullReplay) {
  ReplayExecutor cached(registry_, "instance-1");
  auto first = cached.Execute({}, {Started("chain", "x"), Episode(0)});
  ASSERT_EQ(first.actions.size(), 1u);
  EXPECT_EQ(first.actions[0].payload, json("xa").dump());
  // The engine commits the action, then the result arrives.
  auto second = cached.Continue({Episode(1), Completed(0, "xa!")});
  ASSERT_EQ(second.actions.size(), 1u);
  EXPECT_EQ(second.actions[0].task_id, 1);
  EXPECT_EQ(second.actions[0].payload, json("xa!b").dump());
  auto third = cached.Continue({Episode(2), Completed(1, "done")});
  ASSERT_TRUE(third.completed);
  EXPECT_EQ(third.output, json("done").dump());

  const auto full = Run({Started("chain", "x"), Episode(0), Scheduled(0, "step", "xa"), Episode(1),
                         Completed(0, "xa!"), Scheduled(1, "step", "xa!b")},
                        {Episode(2), Completed(1, "done")});
  EXPECT_EQ(full.output, third.output);
}

TEST_F(ReplayExecutorTest, ReplayOfCommittedHistoryCreatesNothingNew) {
  const auto result = Run({Started("chain", "x"), Episode(0), Scheduled(0, "step", "xa")}, {});
  EXPECT_TRUE(result.actions.empty());
  EXPECT_FALSE(result.completed);
}

TEST_F(ReplayExecutorTest, ChangedCodeIsANonDeterminismFailureNamingTheStep) {
  const auto result =
      Run({Started("chain", "x"), Episode(0), Scheduled(0, "other_step", "xa")}, {});
  ASSERT_TRUE(result.completed);
  ASSERT_TRUE(result.failed);
  EXPECT_EQ(result.failure->error_type, "NonDeterminism");
  EXPECT_NE(result.failure->message.find("task 0"), std::string::npos) << result.failure->message;
  EXPECT_NE(result.failure->message.find("other_step"), std::string::npos);
  EXPECT_NE(result.failure->message.find("'step'"), std::string::npos);
}

TEST_F(ReplayExecutorTest, HistoryWithMoreTasksThanTheCodeIsNonDeterministic) {
  const auto result = Run(
      {Started("chain", "x"), Episode(0), Scheduled(0, "step", "xa"), Scheduled(1, "step", "zzz")},
      {});
  ASSERT_TRUE(result.failed);
  EXPECT_EQ(result.failure->error_type, "NonDeterminism");
}

TEST_F(ReplayExecutorTest, AFailedActivityIsAnErrorTheCodeCanCatch) {
  const auto result = Run({Started("catches_failure", 0), Episode(0), Scheduled(0, "fragile", 1)},
                          {Episode(1), Failed(0, "disk full")});
  ASSERT_TRUE(result.completed);
  EXPECT_FALSE(result.failed);
  EXPECT_EQ(result.output, json("recovered from disk full").dump());
}

TEST_F(ReplayExecutorTest, RetryPolicyWaitsOnDurableTimersWithBackoff) {
  std::vector<HistoryEvent> history = {Started("retries", 0, 0), Episode(0),
                                       Scheduled(0, "flaky", 0)};
  auto after_first = Run(history, {Episode(100), Failed(0, "boom")});
  ASSERT_EQ(after_first.actions.size(), 1u);
  EXPECT_EQ(after_first.actions[0].kind, ActionKind::kCreateTimer);
  EXPECT_EQ(after_first.actions[0].fire_at, T(110));  // episode time + first delay

  history.insert(history.end(), {Episode(100), Failed(0, "boom"), TimerCreated(1, T(110))});
  auto after_timer = Run(history, {Episode(111), TimerFired(1)});
  ASSERT_EQ(after_timer.actions.size(), 1u);
  EXPECT_EQ(after_timer.actions[0].name, "flaky");
  EXPECT_EQ(after_timer.actions[0].task_id, 2);

  history.insert(history.end(), {Episode(111), TimerFired(1), Scheduled(2, "flaky", 0)});
  auto after_second = Run(history, {Episode(120), Failed(2, "boom again")});
  ASSERT_EQ(after_second.actions.size(), 1u);
  EXPECT_EQ(after_second.actions[0].fire_at, T(150));  // 10 s × 3

  history.insert(history.end(), {Episode(120), Failed(2, "boom again"), TimerCreated(3, T(150)),
                                 Episode(151), TimerFired(3), Scheduled(4, "flaky", 0)});
  auto final_failure = Run(history, {Episode(160), Failed(4, "still broken")});
  ASSERT_TRUE(final_failure.failed);
  EXPECT_EQ(final_failure.failure->message, "still broken");
  EXPECT_EQ(final_failure.failed_tasks, std::vector<int>{4});
}

TEST_F(ReplayExecutorTest, FanInReportsEveryFailedBranchAfterAllFinish) {
  const std::vector<HistoryEvent> history = {Started("sum_of_squares", {1, 2, 3, 4}),
                                             Episode(0),
                                             Scheduled(0, "square", 1),
                                             Scheduled(1, "square", 2),
                                             Scheduled(2, "square", 3),
                                             Scheduled(3, "square", 4)};
  auto waiting = Run(history, {Episode(1), Failed(1, "bad chunk"), Completed(0, 1)});
  EXPECT_FALSE(waiting.completed) << "must wait for the branches still running";
  auto result = Run(history, {Episode(1), Failed(1, "bad chunk"), Completed(0, 1),
                              Failed(3, "worse chunk"), Completed(2, 9)});
  ASSERT_TRUE(result.failed);
  EXPECT_EQ(result.failed_tasks, (std::vector<int>{1, 3}));
  EXPECT_NE(result.failure->message.find("2 of 4 tasks failed"), std::string::npos)
      << result.failure->message;
}

TEST_F(ReplayExecutorTest, RewindReRunsOnlyTheFailedTasksAndKeepsTheRest) {
  std::vector<HistoryEvent> history = {Started("sum_of_squares", {1, 2, 3, 4}),
                                       Episode(0),
                                       Scheduled(0, "square", 1),
                                       Scheduled(1, "square", 2),
                                       Scheduled(2, "square", 3),
                                       Scheduled(3, "square", 4),
                                       Episode(1),
                                       Failed(1, "bad"),
                                       Completed(0, 1),
                                       Failed(3, "bad"),
                                       Completed(2, 9)};
  auto failed = Run(history, {});
  ASSERT_TRUE(failed.failed);
  for (auto& event : EventsForResult(failed, T(2)))
    history.push_back(event);

  HistoryEvent rewound;
  rewound.type = EventType::kExecutionRewound;
  history.push_back(rewound);
  auto after_rewind = Run(history, {});
  EXPECT_FALSE(after_rewind.completed);
  EXPECT_TRUE(after_rewind.actions.empty()) << "re-running is the engine's job, by task id";

  auto done = Run(history, {Episode(3), Completed(3, 16), Completed(1, 4)});
  ASSERT_TRUE(done.completed);
  EXPECT_FALSE(done.failed);
  EXPECT_EQ(done.output, "30");
}

TEST_F(ReplayExecutorTest, DuplicateAnswersAreIgnored) {
  const auto result = Run({Started("chain", "x"), Episode(0), Scheduled(0, "step", "xa")},
                          {Episode(1), Completed(0, "first"), Completed(0, "second")});
  ASSERT_EQ(result.actions.size(), 1u);
  EXPECT_EQ(result.actions[0].payload, json("firstb").dump());
}

TEST_F(ReplayExecutorTest, ExternalEventsRaisedEarlyAreKeptInOrder) {
  const auto result =
      Run({}, {Started("two_events", 0), Episode(0), Raised("e", 1), Raised("e", 2)});
  ASSERT_TRUE(result.completed);
  EXPECT_EQ(result.output, "[1,2]");
}

TEST_F(ReplayExecutorTest, WhenAnyRacesAnEventAgainstATimer) {
  const std::vector<HistoryEvent> history = {Started("approval", 0, 0), Episode(0),
                                             TimerCreated(0, T(3600))};
  auto approved = Run(history, {Episode(10), Raised("approve", {{"by", "ana"}})});
  ASSERT_TRUE(approved.completed);
  EXPECT_EQ(approved.output, json("approved: {\"by\":\"ana\"}").dump());
}

TEST_F(ReplayExecutorTest, AThrowingOrchestratorFailsWithItsMessage) {
  const auto result = Run({}, {Started("throws", 0), Episode(0)});
  ASSERT_TRUE(result.failed);
  EXPECT_EQ(result.failure->error_type, "OrchestratorFailed");
  EXPECT_EQ(result.failure->message, "bad input row");
}

TEST_F(ReplayExecutorTest, UnknownOrchestratorFailsClearly) {
  const auto result = Run({}, {Started("nope", 0), Episode(0)});
  ASSERT_TRUE(result.failed);
  EXPECT_EQ(result.failure->error_type, "OrchestratorNotFound");
}

TEST_F(ReplayExecutorTest, TimeAndGuidsAreTheSameOnEveryReplay) {
  const std::vector<HistoryEvent> history = {Started("deterministic", 0, 0), Episode(0),
                                             TimerCreated(0, T(5))};
  const auto a = Run(history, {Episode(7), TimerFired(0)});
  const auto b = Run(history, {Episode(7), TimerFired(0)});
  ASSERT_TRUE(a.completed);
  EXPECT_EQ(a.output, b.output);
  const json output = json::parse(a.output);
  EXPECT_NE(output["guid1"], output["guid2"]);
  EXPECT_EQ(output["now"], T(7).time_since_epoch().count());
}

TEST_F(ReplayExecutorTest, HistoryEventsRoundTripThroughJson) {
  HistoryEvent event = Failed(7, "x");
  event.timestamp = T(3);
  event.failure->details = "trace";
  const auto parsed = HistoryEventFromJson(ToJson(event));
  ASSERT_TRUE(parsed.has_value());
  EXPECT_EQ(*parsed, event);
  EXPECT_FALSE(HistoryEventFromJson(json{{"type", "Nonsense"}}).has_value());
}

}  // namespace
}  // namespace fanfold::orchestrator
