// Tenant limits at the trigger, against the storage fixture: each refusal recorded on the job row
// with the limit, the value and the allowed value; concurrency slots (Queued while waiting, the
// event deferred, a finished job's slot reclaimed, racing triggers never over the limit); and
// what a slot costs in storage operations.
#include <gtest/gtest.h>

#include <atomic>
#include <mutex>
#include <thread>

#include "pipelines/job_id.hpp"
#include "pipelines/tenant_slots.hpp"
#include "pipelines/tenant_usage.hpp"
#include "pipelines/trigger.hpp"
#include "storage/counters.hpp"
#include "tests/pipelines/pipeline_test_support.hpp"

namespace fanfold::pipelines {
namespace {

using storage::OperationKind;
using storage::StorageCounters;

const std::string kTpchRow = "1|Customer#1|addr|3|13-123|100.00|BUILDING|c|\n";

class TenantTriggerTest : public ::testing::Test {
 protected:
  void SetUp() override {
    context_ = test::MakeTestContext();
    ASSERT_TRUE(context_->CreateCommonResources().ok());
  }
  void UseTenants(const std::string& json) {
    auto config = ParseTenantsJson(json);
    ASSERT_TRUE(config.ok()) << config.status().ToString();
    TriggerOptions options;
    options.tenants = std::make_shared<const TenantsConfig>(std::move(*config));
    options.slot_wait = std::chrono::seconds(1);
    auto record = [this](const JobSpec& spec) {
      std::lock_guard<std::mutex> lock(mutex_);
      dispatched_.push_back(spec.job);
      return storage::Status::Ok();
    };
    trigger_ = std::make_shared<Trigger>(
        context_, options,
        std::map<PipelineKind, JobDispatcher>{{PipelineKind::kOrchestrated, record},
                                              {PipelineKind::kChained, record}});
  }
  BlobCreatedEvent Upload(const std::string& name, std::string content) {
    auto event = test::UploadForJob(*context_, name, std::move(content), {});
    EXPECT_TRUE(event.ok()) << event.status().ToString();
    return event.ok() ? *event : BlobCreatedEvent{};
  }
  JobRow Row(const std::string& job) {
    auto row = context_->jobs.GetJob(job);
    EXPECT_TRUE(row.ok()) << row.status().ToString();
    return row.ok() ? *row : JobRow{};
  }
  void Finish(const std::string& job, JobState state) {
    auto finished = state == JobState::kCompleted
                        ? context_->jobs.Complete(job, JobCompletion{"{}", {}})
                        : context_->jobs.Fail(job, JobFailure{"test", {}, {}});
    ASSERT_TRUE(finished.ok());
    ASSERT_TRUE(finished->moved);
  }
  std::size_t DispatchCount() {
    std::lock_guard<std::mutex> lock(mutex_);
    return dispatched_.size();
  }

  std::shared_ptr<PipelineContext> context_;
  std::shared_ptr<Trigger> trigger_;
  std::mutex mutex_;
  std::vector<std::string> dispatched_;
};

TEST_F(TenantTriggerTest, EachRefusalNamesTheLimitTheValueAndTheAllowedValue) {
  UseTenants(R"({"tenants": {"acme": {"formats": ["csv"]}, "small": {"max_file_bytes": 100},
      "full": {"max_stored_bytes": 300}}})");
  auto format = trigger_->HandleEvent(Upload("acme/c.tbl", kTpchRow));
  ASSERT_TRUE(format.ok()) << format.status().ToString();
  EXPECT_EQ(format->action, TriggerAction::kRefused);
  JobRow row = Row(format->job);
  EXPECT_EQ(row.state, JobState::kRefused);
  EXPECT_EQ(row.tenant, "acme");
  EXPECT_EQ(row.error, "tenant acme: file is in format tpch, not one of its formats (csv)");

  auto size = trigger_->HandleEvent(Upload("small/c.tbl", std::string(101, 'x') + "|\n"));
  ASSERT_TRUE(size.ok());
  EXPECT_EQ(size->action, TriggerAction::kRefused);
  EXPECT_EQ(Row(size->job).error,
            "tenant small: file is 103 bytes, over its max_file_bytes of 100 bytes");

  // 200 bytes stored fit in 300; 200 more do not (the listing includes the new file).
  const std::string two_hundred = std::string(198, 'a') + "|\n";
  auto first = trigger_->HandleEvent(Upload("full/1.tbl", two_hundred));
  ASSERT_TRUE(first.ok());
  EXPECT_EQ(first->action, TriggerAction::kStarted);
  auto second = trigger_->HandleEvent(Upload("full/2.tbl", two_hundred));
  ASSERT_TRUE(second.ok());
  EXPECT_EQ(second->action, TriggerAction::kRefused);
  EXPECT_EQ(Row(second->job).error,
            "tenant full: stored bytes with this file are 400 bytes, over its max_stored_bytes of "
            "300 bytes");

  auto unknown = trigger_->HandleEvent(Upload("nobody/c.tbl", kTpchRow));
  ASSERT_TRUE(unknown.ok());
  EXPECT_EQ(unknown->action, TriggerAction::kRefused);
  EXPECT_NE(Row(unknown->job).error.find("tenant nobody is not in the tenants file"),
            std::string::npos);
  // No default: uploads naming no tenant keep today's behaviour.
  auto untenanted = trigger_->HandleEvent(Upload("plain.tbl", kTpchRow));
  ASSERT_TRUE(untenanted.ok());
  EXPECT_EQ(untenanted->action, TriggerAction::kStarted);
  EXPECT_EQ(Row(untenanted->job).tenant, "");
  EXPECT_EQ(DispatchCount(), 2u);
}

TEST_F(TenantTriggerTest, TheTenantIsTheBlobPathNeverTheMetadata) {
  UseTenants(R"({"tenants": {"acme": {"max_file_bytes": 10}, "open": {}}})");
  // Metadata claiming another tenant changes nothing: the name decides.
  storage::BlobUploadOptions upload;
  upload.metadata = {{"fanfoldtenant", "open"}};
  auto put = context_->blobs.GetContainerClient(context_->names.uploads_container)
                 .GetBlobClient("acme/forged.tbl")
                 .Upload(kTpchRow, upload);
  ASSERT_TRUE(put.ok());
  BlobCreatedEvent event{"e", context_->names.uploads_container, "acme/forged.tbl",
                         UnquotedETag(put->etag),
                         // The event's length is the client's word too: the trigger reads the
                         // blob's properties instead.
                         1, "", "", ""};
  auto handled = trigger_->HandleEvent(event);
  ASSERT_TRUE(handled.ok());
  EXPECT_EQ(handled->action, TriggerAction::kRefused);
  EXPECT_EQ(Row(handled->job).tenant, "acme");
  EXPECT_NE(Row(handled->job).error.find("max_file_bytes of 10 bytes"), std::string::npos);
}

TEST_F(TenantTriggerTest, ASecondJobWaitsQueuedForTheSlotThenRuns) {
  UseTenants(R"({"tenants": {"acme": {"max_concurrent_jobs": 1}}})");
  const auto one = Upload("acme/1.tbl", kTpchRow);
  const auto two = Upload("acme/2.tbl", kTpchRow + kTpchRow);
  auto first = trigger_->HandleEvent(one);
  ASSERT_TRUE(first.ok());
  EXPECT_EQ(first->action, TriggerAction::kStarted);

  auto second = trigger_->HandleEvent(two);
  ASSERT_TRUE(second.ok()) << second.status().ToString();
  EXPECT_EQ(second->action, TriggerAction::kWaiting);
  JobRow waiting = Row(second->job);
  EXPECT_EQ(waiting.state, JobState::kQueued);  // not Failed: it is only waiting
  EXPECT_EQ(waiting.error, "waiting for a concurrency slot: acme has 1 of 1 jobs running");
  EXPECT_EQ(DispatchCount(), 1u);

  // Through the stage's handler the event is deferred (re-posted, not counted toward poison).
  queuestore::ReceivedMessage message;
  message.content = BlobCreatedEventToJson(two, "devstoreaccount1");
  const auto before = StorageCounters::Global().Snapshot();
  const MessageOutcome outcome = trigger_->HandleMessage(message);
  const auto cost = StorageCounters::Global().Snapshot() - before;
  EXPECT_EQ(outcome.verdict, Verdict::kDefer);
  EXPECT_EQ(outcome.delay, std::chrono::seconds(1));
  // A waiting redelivery: properties, job row, slot row, the holder's row; the note is unchanged,
  // so nothing is written.
  EXPECT_EQ(cost.operations_of(OperationKind::kBlobProperties), 1u);
  EXPECT_EQ(cost.operations_of(OperationKind::kTableRead), 3u);
  EXPECT_EQ(cost.operations_of(OperationKind::kTableWrite), 0u);
  EXPECT_EQ(Row(second->job).etag, waiting.etag);

  Finish(first->job, JobState::kCompleted);
  auto resumed = trigger_->HandleEvent(two);
  ASSERT_TRUE(resumed.ok());
  EXPECT_EQ(resumed->action, TriggerAction::kRedispatched);
  const JobRow running = Row(second->job);
  EXPECT_EQ(running.state, JobState::kRunning);
  EXPECT_EQ(running.error, "");
  EXPECT_EQ(DispatchCount(), 2u);
  auto holders = TenantSlots(context_->jobs).Holders("acme");
  ASSERT_TRUE(holders.ok());
  EXPECT_EQ(*holders, std::vector<std::string>{second->job});
  Finish(second->job, JobState::kCompleted);
  EXPECT_EQ(trigger_->HandleEvent(two)->action, TriggerAction::kDuplicate);
  EXPECT_EQ(DispatchCount(), 2u);
}

TEST_F(TenantTriggerTest, ACrashAfterTakingTheSlotKeepsItOnRedelivery) {
  UseTenants(R"({"tenants": {"acme": {"max_concurrent_jobs": 1}}})");
  const auto event = Upload("acme/1.tbl", kTpchRow);
  const std::string job = MakeJobId(event.container, event.blob, event.etag);
  // The first delivery took the slot and died before dispatching.
  JobRow row;
  row.job = job;
  row.container = event.container;
  row.blob = event.blob;
  row.tenant = "acme";
  JobSpec spec;
  spec.job = job;
  spec.container = event.container;
  spec.blob = event.blob;
  spec.etag = QuotedETag(event.etag);
  row.spec = JobSpecToJson(spec);
  ASSERT_TRUE(context_->jobs.Queue(row)->moved);
  ASSERT_TRUE(TenantSlots(context_->jobs).Acquire("acme", job, 1)->acquired);
  auto redelivered = trigger_->HandleEvent(event);
  ASSERT_TRUE(redelivered.ok());
  EXPECT_EQ(redelivered->action, TriggerAction::kRedispatched);
}

TEST_F(TenantTriggerTest, ASlotHeldByAFinishedOrDeletedJobIsReclaimed) {
  const TenantSlots slots(context_->jobs);
  JobRow done;
  done.job = "done-0000000000000000";
  ASSERT_TRUE(context_->jobs.Queue(done)->moved);
  ASSERT_TRUE(context_->jobs.Fail(done.job, JobFailure{"test", {}, {}})->moved);
  JobRow live;
  live.job = "live-0000000000000000";
  ASSERT_TRUE(context_->jobs.Queue(live)->moved);
  ASSERT_TRUE(context_->jobs.Start(live.job, "started")->moved);
  // A worker died after taking slots for these (one job's row was purged since).
  ASSERT_TRUE(slots.Acquire("acme", done.job, 3)->acquired);
  ASSERT_TRUE(slots.Acquire("acme", live.job, 3)->acquired);
  ASSERT_TRUE(slots.Acquire("acme", "gone-0000000000000000", 3)->acquired);

  const auto before = StorageCounters::Global().Snapshot();
  auto decision = slots.Acquire("acme", "next-0000000000000000", 3);
  const auto cost = StorageCounters::Global().Snapshot() - before;
  ASSERT_TRUE(decision.ok()) << decision.status().ToString();
  EXPECT_TRUE(decision->acquired);
  EXPECT_EQ(decision->running, 2);
  EXPECT_EQ(*slots.Holders("acme"), (std::vector<std::string>{live.job, "next-0000000000000000"}));
  // Full: the slot row, one read per holder, one write.
  EXPECT_EQ(cost.operations_of(OperationKind::kTableRead), 4u);
  EXPECT_EQ(cost.operations_of(OperationKind::kTableWrite), 1u);
  EXPECT_EQ(cost.total_operations(), 5u);
  // "next" has no job row in this test, so it counts as finished: only "live" runs.
  auto running = TenantRunningJobs(*context_, "acme");
  ASSERT_TRUE(running.ok());
  EXPECT_EQ(*running, 1);
}

TEST_F(TenantTriggerTest, UncontendedSlotCostsOneReadAndOneWrite) {
  const TenantSlots slots(context_->jobs);
  for (const char* job : {"a-0000000000000000", "b-0000000000000000"}) {
    const auto before = StorageCounters::Global().Snapshot();
    auto decision = slots.Acquire("acme", job, 2);
    const auto cost = StorageCounters::Global().Snapshot() - before;
    ASSERT_TRUE(decision.ok());
    EXPECT_TRUE(decision->acquired);
    EXPECT_EQ(cost.operations_of(OperationKind::kTableRead), 1u);
    EXPECT_EQ(cost.operations_of(OperationKind::kTableWrite), 1u);
    EXPECT_EQ(cost.total_operations(), 2u);
  }
  // Taking it again (a redelivered event) is one read and no write.
  const auto before = StorageCounters::Global().Snapshot();
  EXPECT_TRUE(slots.Acquire("acme", "a-0000000000000000", 2)->acquired);
  EXPECT_EQ((StorageCounters::Global().Snapshot() - before).total_operations(), 1u);
}

TEST_F(TenantTriggerTest, TriggersRacingForTheLastSlotsNeverExceedTheLimit) {
  const TenantSlots slots(context_->jobs);
  constexpr int kRacers = 6;
  for (int round = 0; round < 3; ++round) {
    const std::string tenant = "race" + std::to_string(round);
    std::vector<std::string> jobs;
    for (int i = 0; i < kRacers; ++i) {
      JobRow row;
      row.job = tenant + "-" + std::to_string(i) + "-000000000000000";
      ASSERT_TRUE(context_->jobs.Queue(row)->moved);
      ASSERT_TRUE(context_->jobs.Start(row.job, "started")->moved);
      jobs.push_back(row.job);
    }
    // Limit 2 with one slot already taken: exactly one racer may get the last.
    ASSERT_TRUE(slots.Acquire(tenant, jobs[0], 2)->acquired);
    std::atomic<int> won{0};
    std::atomic<int> ready{0};
    std::vector<std::thread> threads;
    for (int i = 1; i < kRacers; ++i) {
      threads.emplace_back([&, i] {
        ++ready;
        while (ready.load() < kRacers - 1)
          std::this_thread::yield();
        auto decision = slots.Acquire(tenant, jobs[i], 2);
        ASSERT_TRUE(decision.ok()) << decision.status().ToString();
        if (decision->acquired) ++won;
      });
    }
    for (auto& thread : threads)
      thread.join();
    EXPECT_EQ(won.load(), 1);
    EXPECT_EQ(slots.Holders(tenant)->size(), 2u);
  }
}

TEST_F(TenantTriggerTest, LimitsAddOneListingAndOneSlotReadAndWriteToAnAcceptedJob) {
  // The same accepted upload with no tenants file and with every limit set: what the limits cost.
  UseTenants(R"({"tenants": {}})");
  const auto plain = Upload("plain.tbl", kTpchRow);
  auto before = StorageCounters::Global().Snapshot();
  ASSERT_EQ(trigger_->HandleEvent(plain)->action, TriggerAction::kStarted);
  const auto baseline = StorageCounters::Global().Snapshot() - before;

  UseTenants(R"({"tenants": {"acme": {"formats": ["tpch"], "max_file_bytes": 1000,
      "max_concurrent_jobs": 2, "max_stored_bytes": 100000}}})");
  const auto limited = Upload("acme/limited.tbl", kTpchRow);
  before = StorageCounters::Global().Snapshot();
  ASSERT_EQ(trigger_->HandleEvent(limited)->action, TriggerAction::kStarted);
  const auto cost = StorageCounters::Global().Snapshot() - before;

  EXPECT_EQ(cost.operations_of(OperationKind::kBlobList) -
                baseline.operations_of(OperationKind::kBlobList),
            1u);
  EXPECT_EQ(cost.operations_of(OperationKind::kTableRead) -
                baseline.operations_of(OperationKind::kTableRead),
            1u);
  EXPECT_EQ(cost.operations_of(OperationKind::kTableWrite) -
                baseline.operations_of(OperationKind::kTableWrite),
            1u);
  EXPECT_EQ(cost.total_operations() - baseline.total_operations(), 3u);
}

}  // namespace
}  // namespace fanfold::pipelines
