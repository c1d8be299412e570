// What the chained pipeline's tests share: a fixture that runs the three stages in process on
// threads (each one on its own, so a test can hold one back), submits uploads through the real
// trigger, and counts every attempt at every chunk (with faults on demand).
#pragma once

#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <nlohmann/json.hpp>
#include <optional>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "pipelines/chained/chained_pipeline.hpp"
#include "pipelines/job_rows.hpp"
#include "pipelines/trigger.hpp"
#include "pipelines/upload_metadata.hpp"
#include "storage/counters.hpp"
#include "tests/pipelines/pipeline_test_support.hpp"
#include "tests/support/storage_test_environment.hpp"

namespace fanfold::pipelines::chained::test {

// Short timeouts and fast polling: the whole binary must stay well under a minute.
inline ChainedStageOptions FastStageOptions() {
  ChainedStageOptions options;
  options.split_concurrency = 2;
  options.aggregate_concurrency = 4;
  options.merge_concurrency = 2;
  options.visibility_timeout = std::chrono::seconds(4);
  options.pacing.first_wait = std::chrono::milliseconds(5);
  options.pacing.idle_interval = std::chrono::milliseconds(15);
  options.merge_first_delay = std::chrono::seconds(1);
  options.merge_poll = std::chrono::seconds(1);
  options.merge_hold_timeout = std::chrono::seconds(10);
  options.max_retry_backoff = std::chrono::seconds(2);
  // Every chunk count spreads as on a large file, so these tests reach the merge stage's paths
  // with the small sample; chained_inline_test.cpp sets the default back for jobs that merge
  // inline. (A one-chunk job still merges inline: it is one message whatever the floor.)
  options.min_message_bytes = 0;
  return options;
}

enum StageIndex { kSplitStage = 0, kAggregateStage = 1, kMergeStage = 2 };

class ChainedPipelineTest : public ::testing::Test {
 protected:
  void SetUp() override {
    observer_ = pipelines::test::MakeTestContext();
    ASSERT_TRUE(observer_->CreateCommonResources().ok());
    ASSERT_TRUE(PrepareChainedResources(*observer_).ok());
    UseWorkerContext(observer_);
  }
  // The context the stages and the trigger use (the test's own reads go through observer_, so a
  // worker context with its own counters counts the pipeline's operations alone).
  void UseWorkerContext(std::shared_ptr<PipelineContext> context) {
    context_ = std::move(context);
    // Every attempt at a chunk passes here first (the hook is read while stages run, so it is set
    // once and steered through the members it captures).
    context_->chunk_fault = [this](const std::string&, std::uint32_t chunk) {
      std::lock_guard<std::mutex> lock(mutex_);
      ++runs_[chunk];
      if (failing_.count(chunk) != 0) {
        return storage::Status::IoError("chunk " + std::to_string(chunk) + " cannot be read");
      }
      return storage::Status::Ok();
    };
    trigger_ = std::make_shared<Trigger>(
        context_, TriggerOptions{},
        std::map<PipelineKind, JobDispatcher>{{PipelineKind::kChained, [this](const JobSpec& spec) {
                                                 for (int i = 0; i < starts_per_job_; ++i) {
                                                   FANFOLD_RETURN_IF_ERROR(
                                                       StartChainedJob(*context_, spec));
                                                 }
                                                 return storage::Status::Ok();
                                               }}});
  }
  // A worker context of the test's own whose every storage request `counters` counts (the test's
  // polling through observer_ is not counted). Before StartStages.
  void UseCountedWorkerContext(storage::StorageCounters* counters) {
    storage::PipelineOptions pipeline;
    pipeline.counters = counters;
    pipeline.retry.initial_delay = std::chrono::milliseconds(5);
    UseWorkerContext(std::make_shared<PipelineContext>(fanfold::testing::TestAccount(),
                                                       observer_->names, pipeline));
  }
  void TearDown() override { StopStages(); }

  // Starts the given stages (all three by default), each Run() on a thread of its own.
  void StartStages(std::vector<StageIndex> which = {kSplitStage, kAggregateStage, kMergeStage}) {
    if (stages_.empty()) stages_ = MakeChainedStages(context_, options_);
    for (const StageIndex index : which) {
      if (running_.count(index) != 0) continue;
      running_.insert(index);
      QueueStage* stage = stages_[index].get();
      threads_.emplace_back([stage] { stage->Run(); });
    }
  }
  void StopStages() {
    for (auto& stage : stages_)
      stage->Stop();
    for (auto& thread : threads_)
      thread.join();
    threads_.clear();
    running_.clear();
  }

  // Uploads `content` as `name` asking for `chunks` chunks on the chained pipeline, and hands the
  // BlobCreated event to the trigger. The job id, or "" (with a failure recorded).
  std::string Submit(const std::string& name, const std::string& content, std::uint32_t chunks) {
    UploadOptions upload_options;
    upload_options.pipeline = PipelineKind::kChained;
    upload_options.chunk_count = chunks;
    storage::BlobUploadOptions upload;
    upload.metadata = UploadOptionsToMetadata(upload_options);
    auto uploaded = observer_->blobs.GetContainerClient(observer_->names.uploads_container)
                        .GetBlobClient(name)
                        .Upload(content, upload);
    EXPECT_TRUE(uploaded.ok()) << uploaded.status().ToString();
    if (!uploaded.ok()) return "";
    BlobCreatedEvent event;
    event.id = "event-" + name;
    event.container = observer_->names.uploads_container;
    event.blob = name;
    event.etag = uploaded->etag;
    event.content_length = content.size();
    auto handled = trigger_->HandleEvent(event);
    EXPECT_TRUE(handled.ok()) << handled.status().ToString();
    if (!handled.ok()) return "";
    EXPECT_EQ(handled->action, TriggerAction::kStarted) << handled->reason;
    return handled->job;
  }

  // Polls until `done` holds or `timeout` passes; whether it held.
  static bool WaitFor(const std::function<bool()>& done,
                      std::chrono::milliseconds timeout = std::chrono::seconds(60)) {
    const auto deadline = std::chrono::steady_clock::now() + timeout;
    while (std::chrono::steady_clock::now() < deadline) {
      if (done()) return true;
      std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
    return done();
  }

  // The job row once it is finished (Completed, Failed or Refused), or nullopt after `timeout`.
  std::optional<JobRow> WaitFinished(const std::string& job,
                                     std::chrono::milliseconds timeout = std::chrono::seconds(60)) {
    std::optional<JobRow> finished;
    WaitFor(
        [&] {
          auto row = observer_->jobs.GetJob(job);
          if (row.ok() && IsFinished(row->state)) finished = *row;
          return finished.has_value();
        },
        timeout);
    return finished;
  }

  // The row is Completed, and its result (and the result blob, which must hold the same text) is
  // exactly the independent reference computed from `content`.
  void ExpectExactResult(const JobRow& row, const std::string& content) {
    ASSERT_EQ(row.state, JobState::kCompleted) << row.error;
    EXPECT_EQ(row.chunks_done, row.chunks_total);
    EXPECT_EQ(row.chunks_failed, 0);
    EXPECT_TRUE(row.failed_chunks.empty());
    EXPECT_TRUE(row.finished.has_value());
    const nlohmann::json merged = nlohmann::json::parse(row.result);
    EXPECT_EQ(merged.at("chunks").get<std::int64_t>(), row.chunks_total);
    EXPECT_EQ(pipelines::test::DiffAgainstReference(merged.at("result"),
                                                    pipelines::test::ReferenceFromTpch(content)),
              "");
    EXPECT_EQ(row.rejected, 0);
    auto blob = ResultBlob(row.job).DownloadToString();
    ASSERT_TRUE(blob.ok()) << blob.status().ToString();
    EXPECT_EQ(blob->data, row.result);
  }

  storage::BlobClient ResultBlob(const std::string& job) const {
    return observer_->blobs.GetContainerClient(observer_->names.chain_results_container)
        .GetBlobClient(ResultBlobName(job));
  }
  queuestore::QueueClient PartialsQueue(const std::string& job) const {
    return observer_->Queue(PartialsQueueName(observer_->names, job));
  }
  // What a finished job leaves behind: no partials queue, no spill blobs.
  void ExpectCleanedUp(const std::string& job) {
    EXPECT_TRUE(PartialsQueue(job).GetProperties().status().IsNotFound());
    storage::ListBlobsOptions list;
    list.prefix = SpillBlobPrefix(job);
    auto spilled = observer_->blobs.GetContainerClient(observer_->names.chain_spill_container)
                       .ListAllBlobs(list);
    ASSERT_TRUE(spilled.ok());
    EXPECT_TRUE(spilled->empty());
  }
  std::int64_t QueueCount(const std::string& name) const {
    auto properties = observer_->Queue(name).GetProperties();
    return properties.ok() ? properties->approximate_message_count : -1;
  }

  std::map<std::uint32_t, int> Runs() {
    std::lock_guard<std::mutex> lock(mutex_);
    return runs_;
  }
  void SetFailing(std::set<std::uint32_t> chunks) {
    std::lock_guard<std::mutex> lock(mutex_);
    failing_ = std::move(chunks);
  }

  std::shared_ptr<PipelineContext> observer_;  // the test's own storage calls
  std::shared_ptr<PipelineContext> context_;   // the pipeline's (stages and trigger)
  std::shared_ptr<Trigger> trigger_;
  ChainedStageOptions options_ = FastStageOptions();
  int starts_per_job_ = 1;  // StartChainedJob calls per accepted upload

 private:
  std::vector<std::unique_ptr<QueueStage>> stages_;
  std::set<StageIndex> running_;
  std::vector<std::thread> threads_;
  std::mutex mutex_;
  std::map<std::uint32_t, int> runs_;
  std::set<std::uint32_t> failing_;
};

}  // namespace fanfold::pipelines::chained::test
