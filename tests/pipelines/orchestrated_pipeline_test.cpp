// Pipeline 1 end to end, in process, against the storage fixture: trigger -> orchestration ->
// partition / aggregate per chunk / merge, with the Jobs table checked as users see it.
#include <gtest/gtest.h>

#include <atomic>
#include <map>
#include <mutex>
#include <set>

#include "orchestrator/task_hub_client.hpp"
#include "pipelines/job_id.hpp"
#include "pipelines/orchestrated/mean_balance_orchestration.hpp"
#include "pipelines/trigger.hpp"
#include "pipelines/upload_metadata.hpp"
#include "telemetry/log.hpp"
#include "tests/orchestrator/engine_test_support.hpp"
#include "tests/pipelines/pipeline_test_support.hpp"

namespace fanfold::pipelines {
namespace {

using orchestrator::test::BackgroundWorker;

class OrchestratedPipelineTest : public ::testing::Test {
 protected:
  void SetUp() override {
    context_ = test::MakeTestContext();
    ASSERT_TRUE(context_->CreateCommonResources().ok());
    hub_ = orchestrator::test::OpenHub();
    ASSERT_NE(hub_, nullptr);
    // Every attempt at a chunk passes here first: the run count per chunk, and faults on demand.
    context_->chunk_fault = [this](const std::string&, std::uint32_t chunk) {
      std::lock_guard<std::mutex> lock(mutex_);
      ++runs_[chunk];
      if (failing_.count(chunk) != 0) {
        return storage::Status::IoError("chunk " + std::to_string(chunk) + " cannot be read");
      }
      return storage::Status::Ok();
    };
    orchestrated::RegisterOrchestratedPipeline(registry_, context_);
    TriggerOptions options;
    options.max_attempts = 2;
    trigger_ = std::make_shared<Trigger>(
        context_, options,
        std::map<PipelineKind, JobDispatcher>{{PipelineKind::kOrchestrated, [this](JobSpec spec) {
                                                 // A spec as written before the trigger's probe
                                                 // existed.
                                                 if (unprobed_specs_) spec.has_header.reset();
                                                 return orchestrated::StartOrchestratedJob(hub_,
                                                                                           spec);
                                               }}});
  }
  void StartWorkers(int count) {
    for (int i = 0; i < count; ++i) {
      workers_.push_back(std::make_unique<BackgroundWorker>(hub_, registry_));
    }
  }
  std::string Submit(const std::string& name, std::string content, std::uint32_t chunks) {
    UploadOptions options;
    options.pipeline = PipelineKind::kOrchestrated;
    options.chunk_count = chunks;
    auto event = test::UploadForJob(*context_, name, std::move(content), options);
    EXPECT_TRUE(event.ok()) << event.status().ToString();
    if (!event.ok()) return "";
    auto started = trigger_->HandleEvent(*event);
    EXPECT_TRUE(started.ok()) << started.status().ToString();
    return started.ok() ? started->job : "";
  }
  // The trigger starts a 3-chunk job of the sample file, then the blob is deleted: the job id,
  // or "" after a failure (reported).
  std::string StartThenDeleteTheBlob(const std::string& name) {
    UploadOptions options;
    options.pipeline = PipelineKind::kOrchestrated;
    options.chunk_count = 3;
    auto event =
        test::UploadForJob(*context_, name, test::ReadFile(test::SampleCustomerPath()), options);
    EXPECT_TRUE(event.ok());
    if (!event.ok()) return "";
    auto started = trigger_->HandleEvent(*event);
    EXPECT_TRUE(started.ok());
    if (!started.ok()) return "";
    const auto deleted =
        context_->blobs.GetContainerClient(event->container).GetBlobClient(event->blob).Delete();
    EXPECT_TRUE(deleted.ok()) << deleted.ToString();
    return deleted.ok() ? started->job : "";
  }
  JobRow WaitForFinish(const std::string& job,
                       std::chrono::seconds limit = std::chrono::seconds(120)) {
    const auto deadline = std::chrono::steady_clock::now() + limit;
    while (std::chrono::steady_clock::now() < deadline) {
      auto row = context_->jobs.GetJob(job);
      if (row.ok() && (row->state == JobState::kCompleted || row->state == JobState::kFailed)) {
        return *row;
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
    ADD_FAILURE() << "job " << job << " did not finish in time";
    return {};
  }
  void ExpectExact(const JobRow& row, const test::Reference& reference) {
    ASSERT_EQ(row.state, JobState::kCompleted) << row.error;
    const nlohmann::json output = nlohmann::json::parse(row.result);
    EXPECT_EQ(test::DiffAgainstReference(output.at("result"), reference), "");
    std::int64_t rows = 0;
    for (const auto& [key, nation] : reference)
      rows += nation.rows;
    EXPECT_EQ(row.rows, rows);
    EXPECT_EQ(row.chunks_done, row.chunks_total);
    EXPECT_EQ(row.chunks_failed, 0);
  }
  // Every chunk row Done, counted once, and each chunk read once.
  void ExpectEachChunkOnce(const std::string& job, std::int64_t chunks) {
    auto rows = context_->jobs.ListChunks(job);
    ASSERT_TRUE(rows.ok());
    ASSERT_EQ(static_cast<std::int64_t>(rows->size()), chunks);
    for (const ChunkRow& chunk : *rows) {
      EXPECT_EQ(chunk.state, ChunkState::kDone) << chunk.index;
      EXPECT_EQ(chunk.attempts, 1) << chunk.index;
    }
  }

  bool unprobed_specs_ = false;
  std::unique_ptr<const JobPipeline> pipeline_;
  const JobPipeline& Pipeline() {
    if (pipeline_ == nullptr) {
      pipeline_ = orchestrated::MakeOrchestratedJobPipeline(
          context_, [this]() -> storage::Result<std::shared_ptr<const orchestrator::TaskHub>> {
            return std::shared_ptr<const orchestrator::TaskHub>(hub_);
          });
    }
    return *pipeline_;
  }

  std::shared_ptr<PipelineContext> context_;
  std::shared_ptr<orchestrator::TaskHub> hub_;
  orchestrator::Registry registry_;
  std::shared_ptr<Trigger> trigger_;
  std::vector<std::unique_ptr<BackgroundWorker>> workers_;
  std::mutex mutex_;
  std::map<std::uint32_t, int> runs_;
  std::set<std::uint32_t> failing_;
};

TEST_F(OrchestratedPipelineTest, SampleIsExactForEveryChunkCount) {
  StartWorkers(1);
  const std::string text = test::ReadFile(test::SampleCustomerPath());
  const auto reference = test::ReferenceFromTpch(text);
  for (const std::uint32_t chunks : {1u, 7u, 100u}) {
    const std::string job = Submit("sample-" + std::to_string(chunks) + ".tbl", text, chunks);
    const JobRow row = WaitForFinish(job);
    ExpectExact(row, reference);
    EXPECT_EQ(row.chunks_total, chunks);
    ExpectEachChunkOnce(job, chunks);
    // The merge activity writes the job row; the instance completes at its next checkpoint.
    auto status =
        orchestrator::TaskHubClient(hub_).WaitForCompletion(job, std::chrono::seconds(30));
    ASSERT_TRUE(status.ok());
    EXPECT_EQ(status->status, orchestrator::RuntimeStatus::kCompleted);
  }
}

TEST_F(OrchestratedPipelineTest, ThreeWorkersGiveTheSameAnswer) {
  StartWorkers(3);
  const std::string text = test::ReadFile(test::SampleCustomerPath());
  const std::string job = Submit("three.tbl", text, 100);
  ExpectExact(WaitForFinish(job), test::ReferenceFromTpch(text));
  ExpectEachChunkOnce(job, 100);
}

TEST_F(OrchestratedPipelineTest, Sf1IsExactAt1_7_100And256Chunks) {
  const std::string& text = test::Sf1CustomerText();
  if (text.empty()) GTEST_SKIP() << "no ../shared/data/tpch/customer-sf1.tbl.xz";
  StartWorkers(1);
  const auto reference = test::ReferenceFromTpch(text);
  ASSERT_EQ(reference.size(), 25u);
  for (const std::uint32_t chunks : {1u, 7u, 100u, 256u}) {
    const std::string job = Submit("sf1-" + std::to_string(chunks) + ".tbl", text, chunks);
    const JobRow row = WaitForFinish(job, std::chrono::seconds(300));
    ExpectExact(row, reference);
    EXPECT_EQ(row.rows, 150000);
    ExpectEachChunkOnce(job, chunks);
  }
}

TEST_F(OrchestratedPipelineTest, Sf1WithThreeWorkers) {
  const std::string& text = test::Sf1CustomerText();
  if (text.empty()) GTEST_SKIP() << "no ../shared/data/tpch/customer-sf1.tbl.xz";
  StartWorkers(3);
  const std::string job = Submit("sf1-3w.tbl", text, 100);
  ExpectExact(WaitForFinish(job, std::chrono::seconds(300)), test::ReferenceFromTpch(text));
  ExpectEachChunkOnce(job, 100);
}

TEST_F(OrchestratedPipelineTest, FailedChunksFailTheJobAndRetryRerunsOnlyThem) {
  StartWorkers(1);
  {
    std::lock_guard<std::mutex> lock(mutex_);
    failing_ = {2, 5};
  }
  const std::string text = test::ReadFile(test::SampleCustomerPath());
  const std::string job = Submit("flaky.tbl", text, 10);
  const JobRow failed = WaitForFinish(job);
  ASSERT_EQ(failed.state, JobState::kFailed);
  EXPECT_EQ(failed.failed_chunks, (std::vector<std::uint32_t>{2, 5}));
  EXPECT_EQ(failed.chunks_failed, 2);
  EXPECT_EQ(failed.chunks_done, 8);  // every completed partial is kept
  EXPECT_NE(failed.error.find("cannot be read"), std::string::npos) << failed.error;
  orchestrator::TaskHubClient client(hub_);
  auto instance = client.WaitForCompletion(job, std::chrono::seconds(30));
  ASSERT_TRUE(instance.ok());
  EXPECT_EQ(instance->status, orchestrator::RuntimeStatus::kFailed);
  auto chunk_rows = context_->jobs.ListChunks(job);
  ASSERT_EQ(chunk_rows->size(), 10u);
  EXPECT_EQ((*chunk_rows)[2].state, ChunkState::kRetrying);
  EXPECT_EQ((*chunk_rows)[2].attempts, 2);  // the orchestrator's retry policy: two attempts
  EXPECT_NE((*chunk_rows)[2].error.find("cannot be read"), std::string::npos);

  {
    std::lock_guard<std::mutex> lock(mutex_);
    failing_.clear();  // the cause was fixed
  }
  auto retried = Pipeline().Retry(failed);
  ASSERT_TRUE(retried.ok()) << retried.status().ToString();
  EXPECT_NE(retried->find("chunks 2, 5"), std::string::npos) << *retried;
  // A second retry from the same (now stale) read changes nothing.
  EXPECT_FALSE(Pipeline().Retry(failed).ok());
  const JobRow done = WaitForFinish(job);
  ExpectExact(done, test::ReferenceFromTpch(text));
  std::lock_guard<std::mutex> lock(mutex_);
  for (std::uint32_t chunk = 0; chunk < 10; ++chunk) {
    const int expected = (chunk == 2 || chunk == 5) ? 3 : 1;
    EXPECT_EQ(runs_[chunk], expected) << "chunk " << chunk;
  }
}

// However the orchestration ends, the job row hears it: here a terminate while chunks are still
// being read (before, the row stayed Running for ever and the tenant's slot was never freed).
TEST_F(OrchestratedPipelineTest, ATerminatedOrchestrationFailsItsJobOnce) {
  int failed_events = 0;
  std::string failed_job;
  const int observer = telemetry::AddLogObserver(
      [&](telemetry::LogLevel, std::string_view event, const nlohmann::json& fields) {
        std::lock_guard<std::mutex> lock(mutex_);
        if (event == "job.failed" && fields.value("job", "") == failed_job) ++failed_events;
      });
  std::atomic<bool> release{false};
  context_->chunk_fault = [&](const std::string&, std::uint32_t) {
    while (!release.load())
      std::this_thread::sleep_for(std::chrono::milliseconds(10));
    return storage::Status::Ok();
  };
  StartWorkers(1);
  const std::string text = test::ReadFile(test::SampleCustomerPath());
  const std::string job = Submit("terminated.tbl", text, 4);
  {
    std::lock_guard<std::mutex> lock(mutex_);
    failed_job = job;
  }
  orchestrator::TaskHubClient client(hub_);
  // Wait until it has planned and fanned out, then stop it.
  for (int i = 0; i < 400; ++i) {
    auto status = client.GetStatus(job);
    if (status.ok() && status->history_length > 4) break;
    std::this_thread::sleep_for(std::chrono::milliseconds(25));
  }
  ASSERT_TRUE(client.Terminate(job, "operator stopped it").ok());
  const JobRow failed = WaitForFinish(job, std::chrono::seconds(30));
  release = true;
  ASSERT_EQ(failed.state, JobState::kFailed);
  EXPECT_NE(failed.error.find("terminated (operator stopped it)"), std::string::npos)
      << failed.error;
  EXPECT_NE(failed.error.find("upload the file again"), std::string::npos) << failed.error;
  auto retried = Pipeline().Retry(failed);
  ASSERT_FALSE(retried.ok());
  EXPECT_NE(retried.status().message().find("terminated"), std::string::npos);
  // Late answers of the chunks that were running change nothing, and the end is told once.
  std::this_thread::sleep_for(std::chrono::seconds(1));
  EXPECT_EQ(context_->jobs.GetJob(job)->state, JobState::kFailed);
  telemetry::RemoveLogObserver(observer);
  std::lock_guard<std::mutex> lock(mutex_);
  EXPECT_EQ(failed_events, 1);
}

// A blob that vanished after the trigger's probe (the job is planned from it, so the chunks are
// the first to read again) fails the orchestration, and so the job, with the reason.
TEST_F(OrchestratedPipelineTest, ABlobGoneAfterTheProbeFailsTheJobWithItsReason) {
  const std::string job = StartThenDeleteTheBlob("vanishing.tbl");
  ASSERT_FALSE(job.empty());
  StartWorkers(1);
  const JobRow failed = WaitForFinish(job, std::chrono::seconds(30));
  ASSERT_EQ(failed.state, JobState::kFailed);
  EXPECT_NE(failed.error.find("no longer the version"), std::string::npos) << failed.error;
  EXPECT_NE(failed.error.find("fanfold retry"), std::string::npos) << failed.error;
}

// Instances started from specs of before the probe (an upgrade with jobs in flight) still plan
// through the partition activity, and its failure still fails the job with the reason.
TEST_F(OrchestratedPipelineTest, SpecsWithoutAProbeArePlannedByThePartitionActivity) {
  unprobed_specs_ = true;
  StartWorkers(1);
  const JobRow done =
      WaitForFinish(Submit("old-spec.tbl", test::ReadFile(test::SampleCustomerPath()), 3));
  ExpectExact(done, test::ReferenceFromTpch(test::ReadFile(test::SampleCustomerPath())));

  workers_.clear();  // the blob goes before any worker can plan it
  const std::string job = StartThenDeleteTheBlob("old-vanishing.tbl");
  ASSERT_FALSE(job.empty());
  StartWorkers(1);
  const JobRow failed = WaitForFinish(job, std::chrono::seconds(30));
  ASSERT_EQ(failed.state, JobState::kFailed);
  EXPECT_NE(failed.error.find("partition"), std::string::npos) << failed.error;
}

TEST_F(OrchestratedPipelineTest, MalformedRowsAreCountedNotFatal) {
  StartWorkers(1);
  const std::string text =
      "1|a|b|3|p|1.00|s|c|\n"
      "2|a|b|x|p|2.00|s|c|\n"     // nation not an integer
      "3|a|b|3|p|2.005|s|c|\n"    // three decimals
      "4|a|b|3|p|\n"              // too few fields
      "5|a|b|4|p|-7.25|s|c|\r\n"  // CRLF
      "6|a|b|4|p|0.26|s|c|";      // no final newline
  const std::string job = Submit("dirty.tbl", text, 3);
  const JobRow row = WaitForFinish(job);
  ASSERT_EQ(row.state, JobState::kCompleted) << row.error;
  EXPECT_EQ(row.rows, 3);
  EXPECT_EQ(row.rejected, 3);
  const auto result = nlohmann::json::parse(row.result).at("result");
  ASSERT_EQ(result.at("nations").size(), 2u);
  EXPECT_EQ(result["nations"][1]["mean"], "-3.50");  // (-7.25 + 0.26) / 2 = -3.495 -> away from 0
}

}  // namespace
}  // namespace fanfold::pipelines
