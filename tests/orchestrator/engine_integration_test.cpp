// The durable engine end to end against storage: real queues, tables and blobs, real workers.
#include <gtest/gtest.h>

#include <atomic>
#include <set>

#include "orchestrator/activity_processor.hpp"
#include "orchestrator/orchestration_processor.hpp"
#include "queuestore/poison_envelope.hpp"
#include "queuestore/queue_options.hpp"
#include "tests/orchestrator/engine_test_support.hpp"

namespace fanfold::orchestrator {
namespace {

using nlohmann::json;
using std::chrono::seconds;
using test::BackgroundWorker;
using test::OpenHub;

constexpr auto kWait = std::chrono::seconds(60);

Task<long long> FanOutSquares(OrchestrationContext& context, int n) {
  std::vector<Task<long long>> tasks;
  for (int i = 1; i <= n; ++i)
    tasks.push_back(context.call_activity<long long>("square", i));
  const auto squares = co_await when_all(tasks);
  long long sum = 0;
  for (const auto s : squares)
    sum += s;
  context.set_custom_status({{"done", squares.size()}});
  co_return sum;
}

Task<int> RetriedFlaky(OrchestrationContext& context, int) {
  ActivityRetryPolicy retry;
  retry.max_attempts = 4;
  retry.first_delay = std::chrono::milliseconds(100);
  co_return co_await context.call_activity<int>("flaky", 0, retry);
}

Task<std::string> WaitsForApproval(OrchestrationContext& context, int) {
  const json approval = co_await context.wait_for_external_event("approval");
  co_return "approved by " + approval.value("by", std::string("?"));
}

Task<size_t> EchoesLarge(OrchestrationContext& context, std::string payload) {
  const std::string echoed = co_await context.call_activity<std::string>("echo", payload);
  co_return echoed.size();
}

Task<int> CallsSlow(OrchestrationContext& context, int ms) {
  co_return co_await context.call_activity<int>("slow", ms);
}

Task<long long> TwoSteps(OrchestrationContext& context, int) {
  const long long first = co_await context.call_activity<long long>("square", 1);
  const long long second = co_await context.call_activity<long long>("square", 2);
  co_return first + second;
}

Task<int> SleepsThenAnswers(OrchestrationContext& context, int) {
  co_await context.create_timer(std::chrono::seconds(1));
  co_return 42;
}

class EngineIntegrationTest : public ::testing::Test {
 protected:
  void SetUp() override {
    hub_ = OpenHub();
    ASSERT_NE(hub_, nullptr);
    client_ = std::make_unique<TaskHubClient>(hub_);
    registry_.AddOrchestrator("fan_out_squares", &FanOutSquares);
    registry_.AddOrchestrator("retried_flaky", &RetriedFlaky);
    registry_.AddOrchestrator("waits_for_approval", &WaitsForApproval);
    registry_.AddOrchestrator("echoes_large", &EchoesLarge);
    registry_.AddOrchestrator("sleeps", &SleepsThenAnswers);
    registry_.AddOrchestrator("calls_slow", &CallsSlow);
    registry_.AddOrchestrator("two_steps", &TwoSteps);
    registry_.AddActivity<long long, int>(
        "square", [this](ActivityContext& context, const int& n) -> long long {
          runs_.Count(std::to_string(n));
          if (failing_input_.load() == n)
            throw std::runtime_error("chunk " + std::to_string(n) + " is broken");
          (void)context;
          return static_cast<long long>(n) * n;
        });
    registry_.AddActivity<int, int>("flaky", [this](ActivityContext&, const int&) {
      if (flaky_failures_left_.fetch_sub(1) > 0) throw std::runtime_error("transient trouble");
      return 7;
    });
    registry_.AddActivity<std::string, std::string>(
        "echo", [](ActivityContext&, const std::string& text) { return text + "!"; });
    registry_.AddActivity<int, int>("slow", [this](ActivityContext&, const int& ms) {
      runs_.Count("slow");
      std::this_thread::sleep_for(std::chrono::milliseconds(ms));
      return ms;
    });
  }
  void TearDown() override {
    if (hub_) (void)hub_->DeleteAll();
  }

  // The events of one instance's history, by type.
  std::map<EventType, int> EventCounts(const std::string& instance) {
    std::map<EventType, int> counts;
    auto history = hub_->history().Load(instance);
    EXPECT_TRUE(history.ok()) << history.status().ToString();
    if (history.ok()) {
      for (const auto& event : history->events)
        ++counts[event.type];
    }
    return counts;
  }

  std::shared_ptr<TaskHub> hub_;
  std::unique_ptr<TaskHubClient> client_;
  Registry registry_;
  test::RunCounter runs_;
  std::atomic<int> failing_input_{-1};
  std::atomic<int> flaky_failures_left_{0};
};

TEST_F(EngineIntegrationTest, FanOutFanInCompletesWithEveryResult) {
  BackgroundWorker worker(hub_, registry_);
  auto id = client_->Start("fan_out_squares", 20, "fan-out-1");
  ASSERT_TRUE(id.ok()) << id.status().ToString();
  auto status = client_->WaitForCompletion(*id, kWait);
  ASSERT_TRUE(status.ok()) << status.status().ToString();
  EXPECT_EQ(status->status, RuntimeStatus::kCompleted);
  EXPECT_EQ(status->output, "2870");  // 1² + ... + 20²
  EXPECT_EQ(json::parse(status->custom_status)["done"], 20);
  EXPECT_EQ(status->name, "fan_out_squares");
  EXPECT_EQ(status->input, "20");
  EXPECT_GT(status->completed, status->created);
  const auto counts = EventCounts(*id);
  EXPECT_EQ(counts.at(EventType::kExecutionStarted), 1);
  EXPECT_EQ(counts.at(EventType::kTaskScheduled), 20);
  EXPECT_EQ(counts.at(EventType::kTaskCompleted), 20);
  EXPECT_EQ(counts.at(EventType::kExecutionCompleted), 1);
  EXPECT_EQ(runs_.Total(), 20);
}

TEST_F(EngineIntegrationTest, StartingTwiceNeverMakesASecondHistory) {
  auto first = client_->Start("fan_out_squares", 3, "same-id");
  auto second = client_->Start("fan_out_squares", 3, "same-id");
  ASSERT_TRUE(first.ok() && second.ok());
  EXPECT_EQ(*first, *second);
  BackgroundWorker worker(hub_, registry_);
  auto status = client_->WaitForCompletion("same-id", kWait);
  ASSERT_TRUE(status.ok()) << status.status().ToString();
  EXPECT_EQ(status->output, "14");
  auto third = client_->Start("fan_out_squares", 3, "same-id");
  ASSERT_TRUE(third.ok());
  std::this_thread::sleep_for(std::chrono::milliseconds(300));
  EXPECT_EQ(EventCounts("same-id").at(EventType::kExecutionStarted), 1);
  EXPECT_EQ(runs_.Total(), 3);
}

TEST_F(EngineIntegrationTest, RetryPolicyRidesOutTransientActivityFailures) {
  flaky_failures_left_ = 2;
  BackgroundWorker worker(hub_, registry_);
  auto id = client_->Start("retried_flaky", 0);
  ASSERT_TRUE(id.ok());
  auto status = client_->WaitForCompletion(*id, kWait);
  ASSERT_TRUE(status.ok()) << status.status().ToString();
  EXPECT_EQ(status->status, RuntimeStatus::kCompleted);
  EXPECT_EQ(status->output, "7");
  const auto counts = EventCounts(*id);
  EXPECT_EQ(counts.at(EventType::kTaskFailed), 2);
  EXPECT_EQ(counts.at(EventType::kTimerFired), 2);
}

TEST_F(EngineIntegrationTest, RewindReRunsOnlyTheFailedActivity) {
  failing_input_ = 4;
  BackgroundWorker worker(hub_, registry_);
  auto id = client_->Start("fan_out_squares", 6, "rewind-me");
  ASSERT_TRUE(id.ok());
  auto failed = client_->WaitForCompletion(*id, kWait);
  ASSERT_TRUE(failed.ok()) << failed.status().ToString();
  ASSERT_EQ(failed->status, RuntimeStatus::kFailed);
  ASSERT_TRUE(failed->failure.has_value());
  EXPECT_NE(failed->failure->message.find("chunk 4 is broken"), std::string::npos)
      << failed->failure->message;
  EXPECT_EQ(runs_.Total(), 6);

  failing_input_ = -1;  // the broken chunk is fixed
  const storage::Status rewound = client_->Rewind(*id, "chunk 4 fixed");
  ASSERT_TRUE(rewound.ok()) << rewound.ToString();
  auto done = client_->WaitForCompletion(*id, kWait, std::chrono::milliseconds(100),
                                         failed->history_length);
  ASSERT_TRUE(done.ok()) << done.status().ToString();
  EXPECT_EQ(done->status, RuntimeStatus::kCompleted)
      << (done->failure ? done->failure->message : "");
  EXPECT_EQ(done->output, "91");
  for (int n = 1; n <= 6; ++n) {
    EXPECT_EQ(runs_.Runs(std::to_string(n)), n == 4 ? 2 : 1) << "activity " << n;
  }
  const storage::Status again = client_->Rewind(*id, "not failed any more");
  EXPECT_TRUE(again.IsInvalidArgument()) << again.ToString();
}

TEST_F(EngineIntegrationTest, ExternalEventsReachAWaitingInstance) {
  BackgroundWorker worker(hub_, registry_);
  auto id = client_->Start("waits_for_approval", 0);
  ASSERT_TRUE(id.ok());
  std::this_thread::sleep_for(std::chrono::milliseconds(300));
  auto running = client_->GetStatus(*id);
  ASSERT_TRUE(running.ok());
  EXPECT_EQ(running->status, RuntimeStatus::kRunning);
  ASSERT_TRUE(client_->RaiseEvent(*id, "approval", {{"by", "ana"}}).ok());
  auto status = client_->WaitForCompletion(*id, kWait);
  ASSERT_TRUE(status.ok());
  EXPECT_EQ(status->output, json("approved by ana").dump());
}

TEST_F(EngineIntegrationTest, TerminateStopsARunningInstance) {
  BackgroundWorker worker(hub_, registry_);
  auto id = client_->Start("waits_for_approval", 0);
  ASSERT_TRUE(id.ok());
  ASSERT_TRUE(client_->WaitForCompletion(*id, std::chrono::milliseconds(300)).status().IsTimeout());
  ASSERT_TRUE(client_->Terminate(*id, "operator said stop").ok());
  auto status = client_->WaitForCompletion(*id, kWait);
  ASSERT_TRUE(status.ok());
  EXPECT_EQ(status->status, RuntimeStatus::kTerminated);
  ASSERT_TRUE(status->failure.has_value());
  EXPECT_EQ(status->failure->message, "operator said stop");
  // A late event changes nothing.
  ASSERT_TRUE(client_->RaiseEvent(*id, "approval", {{"by", "late"}}).ok());
  std::this_thread::sleep_for(std::chrono::milliseconds(300));
  EXPECT_EQ(client_->GetStatus(*id)->status, RuntimeStatus::kTerminated);
}

TEST_F(EngineIntegrationTest, DurableTimersFire) {
  BackgroundWorker worker(hub_, registry_);
  auto id = client_->Start("sleeps", 0);
  ASSERT_TRUE(id.ok());
  auto status = client_->WaitForCompletion(*id, kWait);
  ASSERT_TRUE(status.ok());
  EXPECT_EQ(status->output, "42");
  EXPECT_GE(status->completed - status->created, std::chrono::seconds(1));
}

TEST_F(EngineIntegrationTest, ALongActivityKeepsItsWorkItemHiddenWhileItRuns) {
  // The activity runs twice as long as the visibility timeout; without renewals a second worker
  // would take the same work item and run it again.
  WorkerOptions options = test::FastWorkerOptions();
  options.activity.visibility_timeout = std::chrono::seconds(2);
  BackgroundWorker first(hub_, registry_, options);
  BackgroundWorker second(hub_, registry_, options);
  auto id = client_->Start("calls_slow", 4500);
  ASSERT_TRUE(id.ok());
  auto status = client_->WaitForCompletion(*id, kWait);
  ASSERT_TRUE(status.ok()) << status.status().ToString();
  EXPECT_EQ(status->output, "4500");
  EXPECT_EQ(runs_.Runs("slow"), 1);
  const uint64_t renewals =
      first.worker().stats().activity.renewals + second.worker().stats().activity.renewals;
  EXPECT_GE(renewals, 3u);
}

TEST_F(EngineIntegrationTest, LargePayloadsTravelThroughBlobs) {
  BackgroundWorker worker(hub_, registry_);
  const std::string big(200 * 1024, 'x');
  auto id = client_->Start("echoes_large", big);
  ASSERT_TRUE(id.ok()) << id.status().ToString();
  auto status = client_->WaitForCompletion(*id, kWait);
  ASSERT_TRUE(status.ok()) << status.status().ToString();
  EXPECT_EQ(status->status, RuntimeStatus::kCompleted)
      << (status->failure ? status->failure->message : "");
  EXPECT_EQ(status->output, std::to_string(big.size() + 1));
  EXPECT_EQ(status->input.size(), big.size() + 2);  // the JSON string, quotes included
}

TEST_F(EngineIntegrationTest, QueryPagesAndPurgeCleansUp) {
  BackgroundWorker worker(hub_, registry_);
  for (int i = 0; i < 5; ++i) {
    ASSERT_TRUE(client_->Start("fan_out_squares", 1, "batch-" + std::to_string(i)).ok());
  }
  ASSERT_TRUE(client_->Start("waits_for_approval", 0, "other-1").ok());
  for (int i = 0; i < 5; ++i) {
    ASSERT_TRUE(client_->WaitForCompletion("batch-" + std::to_string(i), kWait).ok());
  }
  InstanceQuery query;
  query.instance_id_prefix = "batch-";
  query.page_size = 2;
  std::set<std::string> seen;
  int pages = 0;
  while (true) {
    auto page = client_->Query(query);
    ASSERT_TRUE(page.ok()) << page.status().ToString();
    ++pages;
    for (const auto& instance : page->instances) {
      EXPECT_TRUE(seen.insert(instance.instance_id).second);
      EXPECT_EQ(instance.status, RuntimeStatus::kCompleted);
    }
    if (page->continuation.empty()) break;
    query.continuation = page->continuation;
  }
  EXPECT_EQ(seen.size(), 5u);
  EXPECT_GE(pages, 3);

  InstanceQuery running;
  running.statuses = {RuntimeStatus::kRunning, RuntimeStatus::kPending};
  auto page = client_->Query(running);
  ASSERT_TRUE(page.ok());
  ASSERT_EQ(page->instances.size(), 1u);
  EXPECT_EQ(page->instances[0].instance_id, "other-1");

  EXPECT_TRUE(client_->Purge("other-1").IsInvalidArgument());
  InstanceQuery purge;
  purge.instance_id_prefix = "batch-";
  auto purged = client_->Purge(purge);
  ASSERT_TRUE(purged.ok()) << purged.status().ToString();
  EXPECT_EQ(purged->instances, 5u);
  EXPECT_TRUE(client_->GetStatus("batch-0").status().IsNotFound());
  auto history = hub_->history().Load("batch-0");
  ASSERT_TRUE(history.ok());
  EXPECT_TRUE(history->events.empty());
}

TEST_F(EngineIntegrationTest, InvalidInstanceIdsAreRefusedBeforeAnythingIsWritten) {
  EXPECT_TRUE(client_->Start("fan_out_squares", 1, "a/b").status().IsInvalidArgument());
  EXPECT_TRUE(client_->Start("fan_out_squares", 1, "bad#id").status().IsInvalidArgument());
}

// Drives processors by hand so a "crash" can be placed between any two commit steps; a fresh
// processor (a restarted worker) then handles the redelivered messages.
class EngineCrashTest : public EngineIntegrationTest,
                        public ::testing::WithParamInterface<CommitStep> {};

TEST_P(EngineCrashTest, ACrashBetweenCommitStepsChangesNothingInTheEnd) {
  const CommitStep crash_step = GetParam();
  auto id = client_->Start("fan_out_squares", 5, "crash-test");
  ASSERT_TRUE(id.ok());
  const int partition = hub_->names().PartitionOf(*id);

  OrchestrationProcessorOptions options;
  options.visibility_timeout = std::chrono::seconds(1);
  ActivityProcessorOptions activity_options;
  activity_options.visibility_timeout = std::chrono::seconds(2);
  ActivityProcessor activities(hub_, registry_, activity_options);

  // Every other time a processor reaches `crash_step` it "dies" there; a fresh processor (a
  // restarted worker) then handles whatever was redelivered.
  int arrivals = 0;
  int crashes = 0;
  OrchestrationProcessorOptions crashing = options;
  crashing.crash_at = [&](CommitStep step) {
    if (step != crash_step) return false;
    const bool crash = (arrivals++ % 2) == 0;
    crashes += crash ? 1 : 0;
    return crash;
  };
  const auto deadline = std::chrono::steady_clock::now() + kWait;
  while (std::chrono::steady_clock::now() < deadline) {
    {
      OrchestrationProcessor processor(hub_, registry_, crashing);  // a new "process" each round
      (void)processor.PollOnce(partition);
    }
    // One answer per round, so there are several checkpoints to crash in.
    (void)activities.PollOnce();
    auto status = client_->GetStatus(*id);
    if (status.ok() && IsTerminal(status->status)) break;
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  auto status = client_->GetStatus(*id);
  ASSERT_TRUE(status.ok());
  ASSERT_EQ(status->status, RuntimeStatus::kCompleted)
      << (status->failure ? status->failure->message : "");
  EXPECT_EQ(status->output, "55");
  EXPECT_GE(crashes, 3) << "the crash point was not reached often enough to prove anything";
  const auto counts = EventCounts(*id);
  EXPECT_EQ(counts.at(EventType::kExecutionStarted), 1);
  EXPECT_EQ(counts.at(EventType::kTaskScheduled), 5);
  EXPECT_EQ(counts.at(EventType::kTaskCompleted), 5);
  EXPECT_EQ(counts.at(EventType::kExecutionCompleted), 1);
}

INSTANTIATE_TEST_SUITE_P(EveryStep, EngineCrashTest,
                         ::testing::Values(CommitStep::kBeforeHistory, CommitStep::kAfterHistory,
                                           CommitStep::kAfterSends, CommitStep::kAfterStatus),
                         [](const auto& step_info) {
                           switch (step_info.param) {
                             case CommitStep::kBeforeHistory:
                               return std::string("BeforeHistory");
                             case CommitStep::kAfterHistory:
                               return std::string("AfterHistory");
                             case CommitStep::kAfterSends:
                               return std::string("AfterSends");
                             case CommitStep::kAfterStatus:
                               return std::string("AfterStatus");
                           }
                           return std::string("?");
                         });

TEST_F(EngineIntegrationTest, AWorkItemThatKeepsDyingGoesToThePoisonQueue) {
  auto id = client_->Start("fan_out_squares", 1, "poisoned");
  ASSERT_TRUE(id.ok());
  OrchestrationProcessor orchestrations(hub_, registry_);
  ASSERT_TRUE(orchestrations.PollOnce(hub_->names().PartitionOf(*id)).ok());
  // Two workers take the item and die (never delete it).
  for (int i = 0; i < 2; ++i) {
    queuestore::GetMessagesOptions get;
    get.visibility_timeout = std::chrono::seconds(1);
    auto taken = hub_->work_item_queue().GetMessages(get);
    ASSERT_TRUE(taken.ok());
    ASSERT_EQ(taken->size(), 1u);
    std::this_thread::sleep_for(std::chrono::milliseconds(1100));
  }
  ActivityProcessorOptions activity_options;
  activity_options.max_dequeue_count = 2;
  ActivityProcessor activities(hub_, registry_, activity_options);
  ASSERT_EQ(activities.PollOnce().value_or(99), 0u);  // nothing ran: it was poisoned
  EXPECT_EQ(activities.stats().poisoned, 1u);
  EXPECT_EQ(runs_.Total(), 0);
  ASSERT_TRUE(orchestrations.PollOnce(hub_->names().PartitionOf(*id)).ok());
  auto status = client_->GetStatus(*id);
  ASSERT_TRUE(status.ok());
  EXPECT_EQ(status->status, RuntimeStatus::kFailed);
  ASSERT_TRUE(status->failure.has_value());
  EXPECT_EQ(status->failure->error_type, "Poison");
  EXPECT_NE(status->failure->message.find("received 3 times"), std::string::npos)
      << status->failure->message;
  auto poison = hub_->poison_queue().PeekMessages();
  ASSERT_TRUE(poison.ok());
  EXPECT_EQ(poison->size(), 1u);
}

// The owner of an orchestration hears how each instance ended: completed, failed, terminated.
// A handler that fails is asked again (the end's messages come back), so a record is never lost.
TEST_F(EngineIntegrationTest, TheOwnerHearsEveryEndAndIsAskedAgainUntilItRecordsIt) {
  std::mutex mutex;
  std::map<std::string, std::vector<RuntimeStatus>> heard;
  std::atomic<int> refusals_left{1};
  registry_.OnEnded("fan_out_squares", [&](const InstanceStatus& status) {
    if (status.instance_id == "refused-once" && refusals_left.fetch_sub(1) > 0) {
      return storage::Status::IoError("the owner's table is down");
    }
    std::lock_guard<std::mutex> lock(mutex);
    heard[status.instance_id].push_back(status.status);
    return storage::Status::Ok();
  });
  WorkerOptions options = test::FastWorkerOptions();
  options.orchestration.visibility_timeout = std::chrono::seconds(1);  // a refusal comes back soon
  BackgroundWorker worker(hub_, registry_, options);
  failing_input_ = 2;
  ASSERT_TRUE(client_->Start("fan_out_squares", 3, "ends-failed").ok());
  ASSERT_TRUE(client_->Start("fan_out_squares", 0, "refused-once").ok());
  ASSERT_EQ(client_->WaitForCompletion("ends-failed", kWait)->status, RuntimeStatus::kFailed);
  ASSERT_EQ(client_->WaitForCompletion("refused-once", kWait)->status, RuntimeStatus::kCompleted);
  ASSERT_TRUE(client_->Start("waits_for_approval", 0, "not-ours").ok());
  const auto deadline = std::chrono::steady_clock::now() + kWait;
  while (std::chrono::steady_clock::now() < deadline) {
    {
      std::lock_guard<std::mutex> lock(mutex);
      if (heard.count("refused-once") != 0 && heard.count("ends-failed") != 0) break;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  std::lock_guard<std::mutex> lock(mutex);
  EXPECT_EQ(heard["ends-failed"], std::vector<RuntimeStatus>{RuntimeStatus::kFailed});
  EXPECT_EQ(heard["refused-once"], std::vector<RuntimeStatus>{RuntimeStatus::kCompleted});
  EXPECT_EQ(refusals_left.load(), -1);     // asked twice: refused, then recorded
  EXPECT_EQ(heard.count("not-ours"), 0u);  // another orchestrator's instances are not its own
}

TEST_F(EngineIntegrationTest, ATerminatedInstanceTellsItsOwner) {
  std::atomic<int> terminated{0};
  std::string reason;
  registry_.OnEnded("waits_for_approval", [&](const InstanceStatus& status) {
    if (status.status == RuntimeStatus::kTerminated) {
      reason = status.failure ? status.failure->message : "";
      ++terminated;
    }
    return storage::Status::Ok();
  });
  BackgroundWorker worker(hub_, registry_);
  ASSERT_TRUE(client_->Start("waits_for_approval", 0, "stopped").ok());
  for (int i = 0; i < 200 && client_->GetStatus("stopped")->status != RuntimeStatus::kRunning; ++i)
    std::this_thread::sleep_for(std::chrono::milliseconds(25));
  ASSERT_TRUE(client_->Terminate("stopped", "nobody will approve").ok());
  ASSERT_EQ(client_->WaitForCompletion("stopped", kWait)->status, RuntimeStatus::kTerminated);
  for (int i = 0; i < 200 && terminated.load() == 0; ++i)
    std::this_thread::sleep_for(std::chrono::milliseconds(25));
  EXPECT_EQ(terminated.load(), 1);
  EXPECT_EQ(reason, "nobody will approve");
}

// A start message that keeps killing its worker goes to the poison queue before any history
// exists; its owner still hears that the instance ended, with the reason.
TEST_F(EngineIntegrationTest, APoisonedStartTellsTheOwner) {
  std::vector<InstanceStatus> heard;
  registry_.OnEnded("fan_out_squares", [&](const InstanceStatus& status) {
    heard.push_back(status);
    return storage::Status::Ok();
  });
  auto id = client_->Start("fan_out_squares", 1, "poisoned-start");
  ASSERT_TRUE(id.ok());
  const int partition = hub_->names().PartitionOf(*id);
  for (int i = 0; i < 2; ++i) {  // two workers take the start and die
    queuestore::GetMessagesOptions get;
    get.visibility_timeout = std::chrono::seconds(1);
    auto taken = hub_->control_queue(partition).GetMessages(get);
    ASSERT_TRUE(taken.ok());
    ASSERT_EQ(taken->size(), 1u);
    std::this_thread::sleep_for(std::chrono::milliseconds(1100));
  }
  OrchestrationProcessorOptions options;
  options.max_dequeue_count = 2;
  OrchestrationProcessor orchestrations(hub_, registry_, options);
  ASSERT_TRUE(orchestrations.PollOnce(partition).ok());
  ASSERT_EQ(heard.size(), 1u);
  EXPECT_EQ(heard[0].instance_id, *id);
  EXPECT_EQ(heard[0].status, RuntimeStatus::kFailed);
  ASSERT_TRUE(heard[0].failure.has_value());
  EXPECT_EQ(heard[0].failure->error_type, "Poison");
  EXPECT_EQ(hub_->poison_queue().PeekMessages()->size(), 1u);
}

// Garbage on every queue the engine reads: bytes that are not UTF-8, not JSON, truncated JSON,
// an empty message, the largest message a queue takes. Each goes to the poison queue exactly as
// it was (Base64 when it is not text), the worker keeps running, and real work still completes.
// Before, a few bytes of invalid UTF-8 made every worker that received them call std::terminate.
TEST_F(EngineIntegrationTest, GarbageOnAnyEngineQueueIsPoisonedAndTheWorkerGoesOn) {
  std::string big(queuestore::kMaxMessageContentBytes, '\0');
  for (std::size_t i = 0; i < big.size(); ++i)
    big[i] = static_cast<char>((i * 7919 + 13) % 256);
  const std::vector<std::string> garbage = {"\xff\xfe not utf-8 \xc3\x28",
                                            "not json at all",
                                            R"({"id":"x","kind":"event","events":[)",
                                            "",
                                            big,
                                            std::string("{\"quote\":\"\x01\x02\"}")};
  std::vector<const queuestore::QueueClient*> queues = {&hub_->work_item_queue()};
  for (int partition = 0; partition < hub_->names().partition_count; ++partition)
    queues.push_back(&hub_->control_queue(partition));
  for (const auto* queue : queues) {
    for (const auto& bytes : garbage)
      ASSERT_TRUE(queue->PutMessage(bytes).ok()) << queue->name();
  }
  BackgroundWorker worker(hub_, registry_);
  auto id = client_->Start("fan_out_squares", 5, "after-garbage");
  ASSERT_TRUE(id.ok());
  auto status = client_->WaitForCompletion(*id, kWait);
  ASSERT_TRUE(status.ok());
  EXPECT_EQ(status->status, RuntimeStatus::kCompleted);
  EXPECT_EQ(status->output, "55");

  const std::size_t expected = garbage.size() * queues.size();
  std::map<std::string, int> poisoned;  // content -> count
  std::size_t seen = 0;
  for (int round = 0; round < 200 && seen < expected; ++round) {
    queuestore::GetMessagesOptions get;
    get.max_messages = 32;
    auto batch = hub_->poison_queue().GetMessages(get);
    ASSERT_TRUE(batch.ok());
    for (const auto& message : *batch) {
      auto envelope = queuestore::ParsePoisonEnvelope(message.content);
      ASSERT_TRUE(envelope.ok()) << message.content.substr(0, 200);
      EXPECT_FALSE(envelope->reason.empty());
      ++poisoned[envelope->truncated ? "(truncated)" : envelope->content];
      ++seen;
      ASSERT_TRUE(hub_->poison_queue().DeleteMessage(message.message_id, message.pop_receipt).ok());
    }
    if (batch->empty()) std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  EXPECT_EQ(seen, expected);
  for (const auto& bytes : garbage) {
    if (bytes.size() > 40000) continue;  // too big to copy whole into an envelope: cut, and said
    EXPECT_EQ(poisoned[bytes], static_cast<int>(queues.size())) << bytes.substr(0, 40);
  }
  EXPECT_EQ(poisoned["(truncated)"], static_cast<int>(queues.size()));
}

TEST_F(EngineIntegrationTest, ACachedInstanceIsNotReplayedFromStorageForEachResult) {
  BackgroundWorker worker(hub_, registry_);
  auto id = client_->Start("fan_out_squares", 60, "cached");
  ASSERT_TRUE(id.ok());
  auto status = client_->WaitForCompletion(*id, kWait);
  ASSERT_TRUE(status.ok());
  ASSERT_EQ(status->status, RuntimeStatus::kCompleted);
  const auto stats = worker.worker().stats();
  // One load when the instance starts; the 60 answers are applied to the cached replay.
  EXPECT_LE(stats.orchestration.full_replays, 2u);
  EXPECT_GE(stats.orchestration.checkpoints, 2u);
}

// Two workers: A caches the instance, B then checkpoints it further (scheduling task 1), and
// task 1's answer reaches A. A's cached state does not know task 1; the answer must be applied
// on the state in storage, not dropped (its message deleted) as unknown.
TEST_F(EngineIntegrationTest, AnAnswerToATaskAStaleCacheDoesNotKnowIsNotLost) {
  auto id = client_->Start("two_steps", 0, "stale-cache");
  ASSERT_TRUE(id.ok());
  const int partition = hub_->names().PartitionOf(*id);
  OrchestrationProcessor a(hub_, registry_);
  OrchestrationProcessor b(hub_, registry_);
  ActivityProcessor activities(hub_, registry_);
  ASSERT_EQ(a.PollOnce(partition).value_or(0), 1u);  // start: schedules task 0
  ASSERT_EQ(activities.PollOnce().value_or(0), 1u);  // answers task 0
  ASSERT_EQ(b.PollOnce(partition).value_or(0), 1u);  // schedules task 1
  ASSERT_EQ(activities.PollOnce().value_or(0), 1u);  // answers task 1
  ASSERT_EQ(a.PollOnce(partition).value_or(0), 1u);  // A's cache predates task 1
  auto status = client_->GetStatus(*id);
  ASSERT_TRUE(status.ok());
  EXPECT_EQ(status->status, RuntimeStatus::kCompleted);
  EXPECT_EQ(status->output, "5");
}

}  // namespace
}  // namespace fanfold::orchestrator
