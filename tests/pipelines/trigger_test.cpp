// The trigger against the storage fixture: one job per (blob, ETag), refusals recorded with their
// reason, crash-safe re-dispatch, and the queue stage that feeds it.
#include "pipelines/trigger.hpp"

#include <gtest/gtest.h>

#include <atomic>
#include <filesystem>
#include <fstream>
#include <mutex>
#include <thread>

#include "pipelines/job_id.hpp"
#include "pipelines/upload.hpp"
#include "pipelines/upload_metadata.hpp"
#include "storage/counters.hpp"
#include "storage/random_id.hpp"
#include "telemetry/event_metrics.hpp"
#include "telemetry/log.hpp"
#include "tests/pipelines/pipeline_test_support.hpp"
#include "tests/queuestore/garbage_messages.hpp"

namespace fanfold::pipelines {
namespace {

class TriggerTest : public ::testing::Test {
 protected:
  void SetUp() override {
    context_ = test::MakeTestContext();
    ASSERT_TRUE(context_->CreateCommonResources().ok());
    auto record = [this](const JobSpec& spec) {
      std::lock_guard<std::mutex> lock(mutex_);
      dispatched_.push_back(spec);
      return storage::Status::Ok();
    };
    MakeTrigger({}, record);
  }
  void MakeTrigger(TriggerOptions options, JobDispatcher dispatch) {
    trigger_ = std::make_shared<Trigger>(
        context_, options,
        std::map<PipelineKind, JobDispatcher>{{PipelineKind::kOrchestrated, dispatch},
                                              {PipelineKind::kChained, dispatch}});
  }
  // Uploads `content` as `name` and returns the BlobCreated event Event Grid would send.
  BlobCreatedEvent Upload(const std::string& name, std::string content,
                          const UploadOptions& options = {}) {
    storage::BlobUploadOptions upload;
    upload.metadata = UploadOptionsToMetadata(options);
    const auto size = content.size();
    auto uploaded = context_->blobs.GetContainerClient(context_->names.uploads_container)
                        .GetBlobClient(name)
                        .Upload(std::move(content), upload);
    EXPECT_TRUE(uploaded.ok()) << uploaded.status().ToString();
    BlobCreatedEvent event;
    event.id = name;
    event.container = context_->names.uploads_container;
    event.blob = name;
    event.etag = UnquotedETag(uploaded.ok() ? uploaded->etag : "");
    event.content_length = size;
    return event;
  }
  std::vector<JobSpec> Dispatched() {
    std::lock_guard<std::mutex> lock(mutex_);
    return dispatched_;
  }

  std::shared_ptr<PipelineContext> context_;
  std::shared_ptr<Trigger> trigger_;
  std::mutex mutex_;
  std::vector<JobSpec> dispatched_;
};

TEST_F(TriggerTest, OneJobPerUploadVersion) {
  UploadOptions options;
  options.pipeline = PipelineKind::kChained;
  options.chunk_count = 7;
  const auto event = Upload("customer.tbl", test::ReadFile(test::SampleCustomerPath()), options);
  auto first = trigger_->HandleEvent(event);
  ASSERT_TRUE(first.ok()) << first.status().ToString();
  EXPECT_EQ(first->action, TriggerAction::kStarted);
  EXPECT_EQ(first->job, MakeJobId(event.container, event.blob, event.etag));
  ASSERT_EQ(Dispatched().size(), 1u);
  const JobSpec spec = Dispatched()[0];
  EXPECT_EQ(spec.pipeline, PipelineKind::kChained);
  EXPECT_EQ(spec.chunk_count, 7u);
  EXPECT_EQ(spec.etag, QuotedETag(event.etag));
  auto row = context_->jobs.GetJob(first->job);
  ASSERT_TRUE(row.ok());
  EXPECT_EQ(row->state, JobState::kRunning);
  EXPECT_EQ(row->pipeline, "chained");
  EXPECT_EQ(row->chunks_total, 7);
  EXPECT_TRUE(row->started.has_value());
  EXPECT_EQ(*JobSpecFromJson(row->spec), spec);
  // The trigger's probe travels with the job: the stages plan it again with no storage call,
  // exactly as a second probe would.
  ASSERT_TRUE(spec.Probe().has_value());
  EXPECT_EQ(spec.format, activities::InputFormat::kTpch);
  const auto before = storage::StorageCounters::Global().Snapshot();
  auto planned = PlanJob(context_->blobs, spec);
  EXPECT_EQ((storage::StorageCounters::Global().Snapshot() - before).total_operations(), 0u);
  JobSpec unprobed = spec;
  unprobed.has_header.reset();
  auto probed_again = PlanJob(context_->blobs, unprobed);
  ASSERT_TRUE(planned.ok() && probed_again.ok());
  EXPECT_EQ(*planned, *probed_again);
  EXPECT_FALSE(JobSpecFromJson(JobSpecToJson(unprobed))->has_header.has_value())
      << "a spec of before the probe reads back without one";

  // The same event again (Event Grid delivers at least once): no second job, no dispatch.
  auto again = trigger_->HandleEvent(event);
  ASSERT_TRUE(again.ok());
  EXPECT_EQ(again->action, TriggerAction::kDuplicate);
  EXPECT_EQ(again->job, first->job);
  EXPECT_EQ(Dispatched().size(), 1u);

  // A changed blob is a new version, hence a new job; the old event is now stale.
  const auto changed = Upload("customer.tbl", "1|a|b|3|p|1.00|s|c|\n", options);
  auto second = trigger_->HandleEvent(changed);
  ASSERT_TRUE(second.ok());
  EXPECT_EQ(second->action, TriggerAction::kStarted);
  EXPECT_NE(second->job, first->job);
  EXPECT_EQ(trigger_->HandleEvent(event)->action, TriggerAction::kSuperseded);
  EXPECT_EQ(context_->jobs.ListJobs()->size(), 2u);
}

TEST_F(TriggerTest, RefusesBinaryOversizedAndBadOptionsWithTheReason) {
  std::string binary;
  for (int i = 0; i < 4096; ++i)
    binary.push_back(static_cast<char>(i % 256));
  auto refused = trigger_->HandleEvent(Upload("image.bin", binary));
  ASSERT_TRUE(refused.ok()) << refused.status().ToString();
  EXPECT_EQ(refused->action, TriggerAction::kRefused);
  auto row = context_->jobs.GetJob(refused->job);
  ASSERT_TRUE(row.ok());
  EXPECT_EQ(row->state, JobState::kRefused);
  EXPECT_NE(row->error.find("not a text file"), std::string::npos) << row->error;

  // gzip magic: the reason says what to do.
  auto gzip = trigger_->HandleEvent(
      Upload("customer.tbl.gz", std::string("\x1f\x8b\x08\x00", 4) + std::string(100, '\0')));
  ASSERT_TRUE(gzip.ok());
  EXPECT_NE(context_->jobs.GetJob(gzip->job)->error.find("decompress"), std::string::npos);

  TriggerOptions small;
  small.max_file_bytes = 1000;
  MakeTrigger(small, [](const JobSpec&) { return storage::Status::Ok(); });
  auto oversized =
      trigger_->HandleEvent(Upload("big.tbl", test::ReadFile(test::SampleCustomerPath())));
  ASSERT_TRUE(oversized.ok());
  EXPECT_EQ(oversized->action, TriggerAction::kRefused);
  const auto big = context_->jobs.GetJob(oversized->job);
  EXPECT_NE(big->error.find("more than the job's maximum of 1000 bytes"), std::string::npos)
      << big->error;

  auto bad_options = trigger_->HandleEvent(Upload("x.tbl", "1|a|b|3|p|1.00|s|c|\n"));
  ASSERT_TRUE(bad_options.ok());
  storage::BlobMetadata metadata = {{"fanfoldpipeline", "spark"}};
  storage::BlobUploadOptions upload;
  upload.metadata = metadata;
  auto uploaded = context_->blobs.GetContainerClient(context_->names.uploads_container)
                      .GetBlobClient("y.tbl")
                      .Upload("1|a|b|3|p|1.00|s|c|\n", upload);
  ASSERT_TRUE(uploaded.ok());
  BlobCreatedEvent event{
      "y", context_->names.uploads_container, "y.tbl", uploaded->etag, 20, "", "", ""};
  auto by_metadata = trigger_->HandleEvent(event);
  ASSERT_TRUE(by_metadata.ok());
  EXPECT_EQ(by_metadata->action, TriggerAction::kRefused);
  EXPECT_NE(context_->jobs.GetJob(by_metadata->job)->error.find("orchestrated or chained"),
            std::string::npos);
}

TEST_F(TriggerTest, AnEmptyFileIsAJobNotARefusal) {
  auto empty = trigger_->HandleEvent(Upload("empty.tbl", ""));
  ASSERT_TRUE(empty.ok());
  EXPECT_EQ(empty->action, TriggerAction::kStarted);
  EXPECT_EQ(context_->jobs.GetJob(empty->job)->chunks_total, 1);
}

TEST_F(TriggerTest, StaleOrDeletedBlobsStartNothing) {
  const auto event = Upload("v.tbl", "1|a|b|3|p|1.00|s|c|\n");
  Upload("v.tbl", "2|a|b|3|p|2.00|s|c|\n");
  EXPECT_EQ(trigger_->HandleEvent(event)->action, TriggerAction::kSuperseded);
  const auto deleted = Upload("d.tbl", "1|a|b|3|p|1.00|s|c|\n");
  ASSERT_TRUE(context_->blobs.GetContainerClient(deleted.container)
                  .GetBlobClient(deleted.blob)
                  .Delete()
                  .ok());
  EXPECT_EQ(trigger_->HandleEvent(deleted)->action, TriggerAction::kSuperseded);
  EXPECT_TRUE(Dispatched().empty());
  EXPECT_TRUE(context_->jobs.ListJobs()->empty());
}

TEST_F(TriggerTest, AJobLeftQueuedByACrashIsDispatchedOnRedelivery) {
  const auto event = Upload("c.tbl", "1|a|b|3|p|1.00|s|c|\n");
  // The first delivery died after inserting the row and before dispatching.
  MakeTrigger({}, [](const JobSpec&) { return storage::Status::Transport("worker died"); });
  EXPECT_FALSE(trigger_->HandleEvent(event).ok());
  const std::string job = MakeJobId(event.container, event.blob, event.etag);
  EXPECT_EQ(context_->jobs.GetJob(job)->state, JobState::kQueued);
  std::atomic<int> calls{0};
  MakeTrigger({}, [&](const JobSpec&) {
    ++calls;
    return storage::Status::Ok();
  });
  auto redelivered = trigger_->HandleEvent(event);
  ASSERT_TRUE(redelivered.ok());
  EXPECT_EQ(redelivered->action, TriggerAction::kRedispatched);
  EXPECT_EQ(calls.load(), 1);
  EXPECT_EQ(context_->jobs.GetJob(job)->state, JobState::kRunning);
  EXPECT_EQ(trigger_->HandleEvent(event)->action, TriggerAction::kDuplicate);
  EXPECT_EQ(calls.load(), 1);
}

TEST_F(TriggerTest, TheStageTurnsQueuedEventsIntoJobsAndPoisonsGarbage) {
  const auto event = Upload("q.tbl", "1|a|b|3|p|1.00|s|c|\n");
  auto events = context_->Queue(context_->names.events_queue);
  ASSERT_TRUE(events.PutMessage(BlobCreatedEventToJson(event, "devstoreaccount1")).ok());
  ASSERT_TRUE(events.PutMessage(BlobCreatedEventToJson(event, "devstoreaccount1")).ok());
  ASSERT_TRUE(events.PutMessage("this is not an event").ok());
  QueueStageOptions options;
  options.pacing.first_wait = std::chrono::milliseconds(5);
  options.pacing.idle_interval = std::chrono::milliseconds(20);
  auto stage = MakeTriggerStage(context_, trigger_, options);
  std::thread runner([&] { stage->Run(); });
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(20);
  while (std::chrono::steady_clock::now() < deadline) {
    const auto stats = stage->stats();
    if (stats.handled == 2 && stats.poisoned == 1) break;
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  stage->Stop();
  runner.join();
  EXPECT_EQ(stage->stats().handled, 2u);
  EXPECT_EQ(stage->stats().poisoned, 1u);
  // Two deliveries of one event make one job. Handled at once (the stage runs two at a time),
  // the second can read the row while it is still Queued and dispatch the job again, as it would
  // after a crash; dispatching is idempotent (one history, one split), so that is harmless.
  const auto dispatched = Dispatched();
  ASSERT_FALSE(dispatched.empty());
  for (const auto& spec : dispatched)
    EXPECT_EQ(spec.job, dispatched.front().job);
  auto jobs = context_->jobs.ListJobs();
  ASSERT_TRUE(jobs.ok());
  EXPECT_EQ(jobs->size(), 1u);
  auto poison = context_->Queue(context_->names.events_poison_queue).PeekMessages();
  ASSERT_TRUE(poison.ok());
  ASSERT_EQ(poison->size(), 1u);
  auto envelope = queuestore::ParsePoisonEnvelope(poison->front().content);
  ASSERT_TRUE(envelope.ok());
  EXPECT_EQ(envelope->content, "this is not an event");
  EXPECT_EQ(envelope->from, context_->names.events_queue);
  EXPECT_NE(envelope->reason.find("not JSON"), std::string::npos);
}

// The trigger's queue gets the garbage no trigger can read: each is poisoned once with its
// reason, and a valid event after it still starts its job.
TEST_F(TriggerTest, GarbageOnTheEventsQueueIsPoisonedAndAValidEventStillStartsItsJob) {
  auto events = context_->Queue(context_->names.events_queue);
  const auto event = Upload("after-garbage.tbl", "1|a|b|3|p|1.00|s|c|\n");
  const auto garbage =
      queuestore::test::GarbageFor(BlobCreatedEventToJson(event, "devstoreaccount1"));
  queuestore::test::PutGarbage(events, garbage);
  ASSERT_TRUE(events.PutMessage(BlobCreatedEventToJson(event, "devstoreaccount1")).ok());
  QueueStageOptions options;
  options.pacing.first_wait = std::chrono::milliseconds(5);
  options.pacing.idle_interval = std::chrono::milliseconds(20);
  auto stage = MakeTriggerStage(context_, trigger_, options);
  std::thread runner([&] { stage->Run(); });
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(30);
  while (std::chrono::steady_clock::now() < deadline) {
    const auto stats = stage->stats();
    if (stats.handled >= 1 && stats.poisoned >= garbage.size()) break;
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  stage->Stop();
  runner.join();
  EXPECT_EQ(stage->stats().handled, 1u);
  EXPECT_EQ(stage->stats().poisoned, garbage.size());
  auto jobs = context_->jobs.ListJobs();
  ASSERT_TRUE(jobs.ok());
  EXPECT_EQ(jobs->size(), 1u);
  queuestore::test::ExpectPoisonHoldsExactly(context_->Queue(context_->names.events_poison_queue),
                                             {{context_->names.events_queue, garbage}});
}

// An Event Grid subscription may cover the whole account: an event for a blob in another container
// is no upload. It starts no job and reads nothing, the trigger says so once per event (warn, with
// the container, never the URL) and counts it, and the message is settled, not poisoned; an
// upload event in the same message still starts its job.
TEST_F(TriggerTest, EventsForOtherContainersAreIgnoredLoggedAndCounted) {
  const std::string foreign = context_->names.uploads_container + "-x";
  auto other = context_->blobs.GetContainerClient(foreign);
  ASSERT_TRUE(other.CreateIfNotExists().ok());
  const std::string content = "1|a|b|3|p|1.00|s|c|\n";
  auto stray = other.GetBlobClient("results/r.tbl").Upload(content);
  ASSERT_TRUE(stray.ok()) << stray.status().ToString();
  BlobCreatedEvent elsewhere;
  elsewhere.id = "elsewhere";
  elsewhere.container = foreign;
  elsewhere.blob = "results/r.tbl";
  elsewhere.etag = UnquotedETag(stray->etag);
  elsewhere.content_length = content.size();
  elsewhere.url = "https://account.example/" + foreign + "/results/r.tbl?sv=x&sig=SECRET";
  const BlobCreatedEvent upload = Upload("mine.tbl", content);

  std::vector<nlohmann::json> seen;
  std::mutex seen_mutex;
  const int observer = telemetry::AddLogObserver(
      [&](telemetry::LogLevel level, std::string_view event, const nlohmann::json& fields) {
        if (event != "trigger.ignored") return;
        std::lock_guard<std::mutex> lock(seen_mutex);
        seen.push_back({{"level", static_cast<int>(level)}, {"fields", fields}});
      });
  telemetry::EventMetrics metrics;
  metrics.Subscribe();

  auto events = context_->Queue(context_->names.events_queue);
  const std::string topic = "devstoreaccount1";
  ASSERT_TRUE(events.PutMessage(BlobCreatedEventToJson(elsewhere, topic)).ok());
  ASSERT_TRUE(events
                  .PutMessage("[" + BlobCreatedEventToJson(elsewhere, topic) + "," +
                              BlobCreatedEventToJson(upload, topic) + "]")
                  .ok());
  QueueStageOptions options;
  options.pacing.first_wait = std::chrono::milliseconds(5);
  options.pacing.idle_interval = std::chrono::milliseconds(20);
  auto stage = MakeTriggerStage(context_, trigger_, options);
  std::thread runner([&] { stage->Run(); });
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(20);
  while (std::chrono::steady_clock::now() < deadline && stage->stats().handled < 2) {
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  stage->Stop();
  runner.join();
  telemetry::RemoveLogObserver(observer);

  EXPECT_EQ(stage->stats().handled, 2u);
  EXPECT_EQ(stage->stats().poisoned, 0u);
  const auto dispatched = Dispatched();
  ASSERT_EQ(dispatched.size(), 1u);
  EXPECT_EQ(dispatched.front().container, context_->names.uploads_container);
  EXPECT_EQ(dispatched.front().blob, "mine.tbl");
  auto jobs = context_->jobs.ListJobs();
  ASSERT_TRUE(jobs.ok());
  ASSERT_EQ(jobs->size(), 1u);
  EXPECT_EQ(jobs->front().blob, "mine.tbl");
  EXPECT_TRUE(context_->jobs.GetJob(MakeJobId(foreign, elsewhere.blob, elsewhere.etag))
                  .status()
                  .IsNotFound());
  auto left = events.PeekMessages();
  ASSERT_TRUE(left.ok());
  EXPECT_TRUE(left->empty()) << "the messages were settled";
  auto poison = context_->Queue(context_->names.events_poison_queue).PeekMessages();
  ASSERT_TRUE(poison.ok());
  EXPECT_TRUE(poison->empty());

  int foreign_lines = 0;
  for (const auto& line : seen) {
    const auto& fields = line.at("fields");
    if (fields.value("action", "") != "foreign-container") continue;
    ++foreign_lines;
    EXPECT_EQ(line.at("level").get<int>(), static_cast<int>(telemetry::LogLevel::kWarn));
    EXPECT_EQ(fields.value("container", ""), foreign);
    EXPECT_EQ(fields.dump().find("SECRET"), std::string::npos) << fields.dump();
  }
  EXPECT_EQ(foreign_lines, 2) << "once per event";
  telemetry::MetricsText text;
  metrics.Write(text);
  EXPECT_NE(
      text.text().find("fanfold_trigger_ignored_events_total{action=\"foreign-container\"} 2"),
      std::string::npos)
      << text.text();
}

// `fanfold upload` names the blob after the file: a name full of URL syntax and non-ASCII is
// uploaded, announced and turned into a job under exactly that name; a name no blob can have
// (a control character) is refused before anything is uploaded, naming the file.
TEST_F(TriggerTest, HostileFileNamesAreUploadedUnderTheirOwnNamesOrRefusedClearly) {
  const std::filesystem::path dir =
      std::filesystem::temp_directory_path() / ("fanfold-names-" + storage::NewUuid());
  std::filesystem::create_directories(dir);
  const std::string name = "we ird #?%41 \xC3\xBCn\xC3\xAF+&=.tbl";
  const std::string content = "1|a|b|3|p|1.00|s|c|\n";
  const std::string path = (dir / name).string();
  std::ofstream(path, std::ios::binary) << content;
  auto uploaded = UploadFiles(*context_, {path}, UploadOptions{});
  ASSERT_TRUE(uploaded.ok()) << uploaded.status().ToString();
  ASSERT_EQ(uploaded->size(), 1u);
  EXPECT_EQ(uploaded->front().blob, name);
  auto stored = context_->blobs.GetContainerClient(context_->names.uploads_container)
                    .GetBlobClient(name)
                    .DownloadToString();
  ASSERT_TRUE(stored.ok()) << stored.status().ToString();
  EXPECT_EQ(stored->data, content);

  auto message = context_->Queue(context_->names.events_queue).PeekMessages();
  ASSERT_TRUE(message.ok() && message->size() == 1u);
  auto events = ParseBlobCreatedEvents(message->front().content);
  ASSERT_TRUE(events.ok() && events->size() == 1u);
  EXPECT_EQ(events->front().blob, name);
  auto handled = trigger_->HandleEvent(events->front());
  ASSERT_TRUE(handled.ok()) << handled.status().ToString();
  EXPECT_EQ(handled->action, TriggerAction::kStarted) << handled->reason;
  EXPECT_EQ(handled->job, uploaded->front().job);
  EXPECT_EQ(context_->jobs.GetJob(handled->job)->blob, name);

  const std::string bad = (dir / "line\nbreak.tbl").string();
  std::ofstream(bad, std::ios::binary) << content;
  const storage::Status refused = CheckUploadFiles({path, bad});
  EXPECT_TRUE(refused.IsInvalidArgument()) << refused.ToString();
  EXPECT_NE(refused.message().find("control character"), std::string::npos) << refused.ToString();
  EXPECT_NE(refused.message().find("rename the file"), std::string::npos) << refused.ToString();
  std::filesystem::remove_all(dir);
}

// An event the trigger keeps failing on (here: its pipeline cannot be started) ends in the poison
// queue, and the job it queued fails with the reason instead of staying Queued for ever.
TEST_F(TriggerTest, APoisonedEventFailsTheJobItQueued) {
  MakeTrigger({},
              [](const JobSpec&) { return storage::Status::IoError("the hub is unreachable"); });
  const auto event = Upload("stuck.tbl", "1|a|b|3|p|1.00|s|c|\n");
  auto events = context_->Queue(context_->names.events_queue);
  ASSERT_TRUE(events.PutMessage(BlobCreatedEventToJson(event, "devstoreaccount1")).ok());
  QueueStageOptions options;
  options.pacing.first_wait = std::chrono::milliseconds(5);
  options.pacing.idle_interval = std::chrono::milliseconds(20);
  options.max_dequeue = 2;
  options.visibility_timeout = std::chrono::seconds(1);
  auto stage = MakeTriggerStage(context_, trigger_, options);
  std::thread runner([&] { stage->Run(); });
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(30);
  while (std::chrono::steady_clock::now() < deadline && stage->stats().poisoned == 0) {
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  stage->Stop();
  runner.join();
  ASSERT_EQ(stage->stats().poisoned, 1u);
  auto row = context_->jobs.GetJob(MakeJobId(event.container, event.blob, event.etag));
  ASSERT_TRUE(row.ok()) << row.status().ToString();
  EXPECT_EQ(row->state, JobState::kFailed);
  EXPECT_NE(row->error.find("the trigger gave up"), std::string::npos) << row->error;
  EXPECT_NE(row->error.find("upload the file again"), std::string::npos) << row->error;
}

}  // namespace
}  // namespace fanfold::pipelines
