// A tenant's concurrency limit end to end on the chained pipeline: the real trigger stage over
// the events queue and the real stages. With max_concurrent_jobs 1, the second upload waits
// Queued (never Failed, never poisoned) while the first runs, then starts and completes.
#include "pipelines/tenant_slots.hpp"
#include "tests/pipelines/chained_test_harness.hpp"

namespace fanfold::pipelines::chained::test {
namespace {

using pipelines::test::ReadFile;
using pipelines::test::SampleCustomerPath;

class TenantPipelineTest : public ChainedPipelineTest {};

TEST_F(TenantPipelineTest, ASecondJobWaitsForTheSlotThenRunsAndCompletes) {
  auto config = ParseTenantsJson(R"({"tenants": {"acme": {"max_concurrent_jobs": 1}}})");
  ASSERT_TRUE(config.ok());
  TriggerOptions trigger_options;
  trigger_options.tenants = std::make_shared<const TenantsConfig>(std::move(*config));
  trigger_options.slot_wait = std::chrono::seconds(1);
  trigger_ = std::make_shared<Trigger>(
      context_, trigger_options,
      std::map<PipelineKind, JobDispatcher>{{PipelineKind::kChained, [this](const JobSpec& spec) {
                                               return StartChainedJob(*context_, spec);
                                             }}});
  QueueStageOptions stage_options;
  stage_options.pacing.first_wait = std::chrono::milliseconds(5);
  stage_options.pacing.idle_interval = std::chrono::milliseconds(40);
  stage_options.max_dequeue = 2;  // waiting must not use up deliveries
  auto trigger_stage = MakeTriggerStage(context_, trigger_, stage_options);
  std::thread trigger_thread([&] { trigger_stage->Run(); });

  const std::string content = ReadFile(SampleCustomerPath());
  std::vector<std::string> jobs;
  auto events = observer_->Queue(observer_->names.events_queue);
  for (const char* name : {"acme/1.tbl", "acme/2.tbl"}) {
    UploadOptions upload_options;
    upload_options.pipeline = PipelineKind::kChained;
    upload_options.chunk_count = 4;
    auto event = pipelines::test::UploadForJob(*observer_, name, content, upload_options);
    ASSERT_TRUE(event.ok());
    jobs.push_back(MakeJobId(event->container, event->blob, event->etag));
    ASSERT_TRUE(events.PutMessage(BlobCreatedEventToJson(*event, "devstoreaccount1")).ok());
  }

  // The chained stages are not running yet, so whichever job got the slot stays Running and the
  // other must wait, through several deferred deliveries, Queued with its note.
  std::string holder;
  std::string waiter;
  ASSERT_TRUE(WaitFor([&] {
    auto first = observer_->jobs.GetJob(jobs[0]);
    auto second = observer_->jobs.GetJob(jobs[1]);
    if (!first.ok() || !second.ok()) return false;
    if (first->state == JobState::kRunning && second->state == JobState::kQueued &&
        !second->error.empty()) {
      holder = jobs[0], waiter = jobs[1];
    } else if (second->state == JobState::kRunning && first->state == JobState::kQueued &&
               !first->error.empty()) {
      holder = jobs[1], waiter = jobs[0];
    }
    return !holder.empty();
  }));
  std::this_thread::sleep_for(std::chrono::seconds(3));
  const JobRow waiting = *observer_->jobs.GetJob(waiter);
  EXPECT_EQ(waiting.state, JobState::kQueued);
  EXPECT_EQ(waiting.error, "waiting for a concurrency slot: acme has 1 of 1 jobs running");
  EXPECT_EQ(trigger_stage->stats().poisoned, 0u);
  EXPECT_GE(trigger_stage->stats().deferred, 2u);

  StartStages();
  const auto first = WaitFinished(holder);
  ASSERT_TRUE(first.has_value());
  ExpectExactResult(*first, content);
  const auto second = WaitFinished(waiter);
  ASSERT_TRUE(second.has_value());
  ExpectExactResult(*second, content);
  EXPECT_TRUE(second->error.empty());
  EXPECT_GE(*second->started, *first->finished);  // it started only once the slot was free
  EXPECT_EQ(*TenantSlots(observer_->jobs).Holders("acme"), std::vector<std::string>{waiter});
  EXPECT_EQ(trigger_stage->stats().poisoned, 0u);
  trigger_stage->Stop();
  trigger_thread.join();
}

}  // namespace
}  // namespace fanfold::pipelines::chained::test
