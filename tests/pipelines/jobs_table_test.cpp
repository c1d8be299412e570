// The Jobs table against the storage fixture: rows round-trip, and a chunk is counted exactly
// once however many times and however concurrently it reports.
#include "pipelines/jobs_table.hpp"

#include <gtest/gtest.h>

#include <atomic>
#include <thread>
#include <vector>

#include "storage/counters.hpp"
#include "tests/pipelines/pipeline_test_support.hpp"

namespace fanfold::pipelines {
namespace {

using storage::OperationKind;
using storage::StorageCounters;

class JobsTableTest : public ::testing::Test {
 protected:
  void SetUp() override {
    context_ = test::MakeTestContext();
    ASSERT_TRUE(context_->jobs.CreateIfNotExists().ok());
  }
  JobRow NewJob(const std::string& id, std::int64_t chunks) {
    JobRow row;
    row.job = id;
    row.pipeline = "orchestrated";
    row.container = "uploads";
    row.blob = "b.tbl";
    row.blob_etag = "\"0x1\"";
    row.state = JobState::kRunning;
    row.chunks_total = chunks;
    row.created = NowForTable();
    EXPECT_TRUE(context_->jobs.InsertJob(row).value_or(false));
    return row;
  }
  ChunkRow Done(std::uint32_t index, std::int64_t rows) {
    ChunkRow chunk;
    chunk.index = index;
    chunk.begin = index * 100;
    chunk.end = index * 100 + 100;
    chunk.rows = rows;
    chunk.rejected = 1;
    chunk.attempts = 1;
    chunk.output = "{\"chunk\":" + std::to_string(index) + "}";
    return chunk;
  }
  const JobsTable& jobs() { return context_->jobs; }
  std::shared_ptr<PipelineContext> context_;
};

TEST_F(JobsTableTest, RowsRoundTripAndInsertIsTheDedup) {
  JobRow row = NewJob("j1", 3);
  row.result = std::string(70'000, 'x');  // spans three string properties
  row.failed_chunks = {1, 7};
  EXPECT_FALSE(jobs().InsertJob(row).value_or(true));  // exists: not an error, not overwritten
  auto updated = jobs().UpdateJob("j1", [&](JobRow& stored) {
    stored.result = row.result;
    stored.failed_chunks = row.failed_chunks;
    return true;
  });
  ASSERT_TRUE(updated.ok()) << updated.status().ToString();
  auto read = jobs().GetJob("j1");
  ASSERT_TRUE(read.ok());
  EXPECT_EQ(read->result, row.result);
  EXPECT_EQ(read->failed_chunks, row.failed_chunks);
  EXPECT_EQ(read->state, JobState::kRunning);
  EXPECT_EQ(read->chunks_total, 3);
  NewJob("j2", 1);
  auto all = jobs().ListJobs();
  ASSERT_TRUE(all.ok());
  ASSERT_EQ(all->size(), 2u);
  EXPECT_EQ((*all)[0].job, "j1");
  EXPECT_TRUE(jobs().GetJob("nope").status().IsNotFound());
}

TEST_F(JobsTableTest, ReportingCostsOneQueryAndOneTransaction) {
  NewJob("j", 2);
  auto attempt = jobs().BeginChunkAttempt("j", 0, 0, 100, "w");
  ASSERT_TRUE(attempt.ok());
  EXPECT_FALSE(attempt->already_done);
  EXPECT_EQ(attempt->attempt, 1);
  const auto before = StorageCounters::Global().Snapshot();
  auto outcome = jobs().ReportChunkSuccess("j", Done(0, 10));
  const auto cost = StorageCounters::Global().Snapshot() - before;
  ASSERT_TRUE(outcome.ok());
  EXPECT_EQ(*outcome, ChunkReportOutcome::kCounted);
  EXPECT_EQ(cost.operations_of(OperationKind::kTableQuery), 1u);
  EXPECT_EQ(cost.operations_of(OperationKind::kTableBatch), 1u);
  EXPECT_EQ(cost.total_operations(), 2u);
  // A second report of the same chunk reads and writes nothing more than the check.
  EXPECT_EQ(*jobs().ReportChunkSuccess("j", Done(0, 10)), ChunkReportOutcome::kAlreadyCounted);
  auto again = jobs().BeginChunkAttempt("j", 0, 0, 100, "w");
  ASSERT_TRUE(again.ok());
  EXPECT_TRUE(again->already_done);
  EXPECT_EQ(again->row.output, Done(0, 10).output);
  auto job = jobs().GetJob("j");
  EXPECT_EQ(job->chunks_done, 1);
  EXPECT_EQ(job->rows, 10);
}

TEST_F(JobsTableTest, ConcurrentDuplicateReportsCountEachChunkOnce) {
  constexpr std::uint32_t kChunks = 40;
  NewJob("race", kChunks);
  // Every chunk reported by two threads (an activity that ran twice), all at once.
  std::vector<std::thread> threads;
  std::atomic<int> counted{0};
  std::atomic<int> failures{0};
  for (int t = 0; t < 8; ++t) {
    threads.emplace_back([&, t] {
      for (std::uint32_t i = static_cast<std::uint32_t>(t % 4); i < kChunks; i += 4) {
        auto outcome = jobs().ReportChunkSuccess("race", Done(i, i + 1));
        if (!outcome.ok()) {
          ++failures;
        } else if (*outcome == ChunkReportOutcome::kCounted) {
          ++counted;
        }
      }
    });
  }
  for (auto& thread : threads)
    thread.join();
  EXPECT_EQ(failures.load(), 0);
  EXPECT_EQ(counted.load(), static_cast<int>(kChunks));
  auto job = jobs().GetJob("race");
  ASSERT_TRUE(job.ok());
  EXPECT_EQ(job->chunks_done, kChunks);
  EXPECT_EQ(job->rows, kChunks * (kChunks + 1) / 2);
  EXPECT_EQ(job->rejected, kChunks);
  auto chunks = jobs().ListChunks("race");
  ASSERT_TRUE(chunks.ok());
  ASSERT_EQ(chunks->size(), kChunks);
  for (std::uint32_t i = 0; i < kChunks; ++i) {
    EXPECT_EQ((*chunks)[i].index, i);
    EXPECT_EQ((*chunks)[i].state, ChunkState::kDone);
  }
}

TEST_F(JobsTableTest, FinalFailuresFailTheJobAndRetryResetsOnlyThem) {
  NewJob("f", 3);
  ASSERT_TRUE(jobs().ReportChunkSuccess("f", Done(0, 5)).ok());
  // A failure that is not final touches the chunk only.
  ASSERT_TRUE(jobs().BeginChunkAttempt("f", 1, 100, 200, "w").ok());
  EXPECT_EQ(*jobs().ReportChunkFailure("f", 1, "boom", false), ChunkReportOutcome::kRecorded);
  EXPECT_EQ(jobs().GetJob("f")->chunks_failed, 0);
  ASSERT_TRUE(jobs().BeginChunkAttempt("f", 1, 100, 200, "w").ok());
  EXPECT_EQ(*jobs().ReportChunkFailure("f", 1, "boom", true), ChunkReportOutcome::kCounted);
  // Reported twice, counted once.
  EXPECT_EQ(*jobs().ReportChunkFailure("f", 1, "boom", true), ChunkReportOutcome::kRecorded);
  EXPECT_EQ(jobs().GetJob("f")->state, JobState::kRunning);  // chunk 2 still out
  EXPECT_TRUE(jobs().ResetFailedChunks("f").status().IsInvalidArgument());
  ASSERT_TRUE(jobs().BeginChunkAttempt("f", 2, 200, 300, "w").ok());
  EXPECT_EQ(*jobs().ReportChunkFailure("f", 2, "bang", true), ChunkReportOutcome::kCounted);
  auto failed = jobs().GetJob("f");
  EXPECT_EQ(failed->state, JobState::kFailed);
  EXPECT_EQ(failed->chunks_failed, 2);
  EXPECT_EQ(failed->failed_chunks, (std::vector<std::uint32_t>{1, 2}));
  EXPECT_NE(failed->error.find("2 of 3 chunks failed"), std::string::npos) << failed->error;
  EXPECT_TRUE(failed->finished.has_value());

  auto reset = jobs().ResetFailedChunks("f");
  ASSERT_TRUE(reset.ok()) << reset.status().ToString();
  EXPECT_EQ(*reset, (std::vector<std::uint32_t>{1, 2}));
  auto running = jobs().GetJob("f");
  EXPECT_EQ(running->state, JobState::kRunning);
  EXPECT_EQ(running->chunks_failed, 0);
  // The budget starts again: the next attempt is number 1.
  auto attempt = jobs().BeginChunkAttempt("f", 1, 100, 200, "w");
  ASSERT_TRUE(attempt.ok());
  EXPECT_EQ(attempt->attempt, 1);
  EXPECT_EQ(attempt->row.attempts, 3);
  ASSERT_TRUE(jobs().ReportChunkSuccess("f", Done(1, 7)).ok());
  ASSERT_TRUE(jobs().ReportChunkSuccess("f", Done(2, 9)).ok());
  auto done = jobs().GetJob("f");
  EXPECT_EQ(done->chunks_done, 3);
  EXPECT_EQ(done->rows, 21);
  EXPECT_EQ(done->chunks_failed, 0);
  // The completed chunk was never reset or re-run.
  auto chunks = jobs().ListChunks("f");
  EXPECT_EQ((*chunks)[0].attempts, 1);
}

// The failed chunk may report first (one attempt, a quick failure) and the others after it: the
// job is Failed as soon as the last chunk reports, whichever kind of report that is. Before, the
// row stayed Running for ever while its orchestration had failed.
TEST_F(JobsTableTest, AFailureReportedBeforeTheLastSuccessStillFailsTheJob) {
  NewJob("early", 3);
  ASSERT_TRUE(jobs().BeginChunkAttempt("early", 1, 100, 200, "w").ok());
  EXPECT_EQ(*jobs().ReportChunkFailure("early", 1, "unreadable", true),
            ChunkReportOutcome::kCounted);
  ASSERT_TRUE(jobs().ReportChunkSuccess("early", Done(0, 5)).ok());
  EXPECT_EQ(jobs().GetJob("early")->state, JobState::kRunning);  // chunk 2 still out
  EXPECT_EQ(*jobs().ReportChunkSuccess("early", Done(2, 7)), ChunkReportOutcome::kCounted);
  auto job = jobs().GetJob("early");
  ASSERT_TRUE(job.ok());
  EXPECT_EQ(job->state, JobState::kFailed);
  EXPECT_EQ(job->chunks_done, 2);
  EXPECT_EQ(job->failed_chunks, (std::vector<std::uint32_t>{1}));
  EXPECT_NE(job->error.find("1 of 3 chunks failed every attempt; first error: unreadable"),
            std::string::npos)
      << job->error;
  EXPECT_TRUE(job->finished.has_value());
}

TEST_F(JobsTableTest, ALateSuccessRevivesAFailedJob) {
  NewJob("late", 2);
  ASSERT_TRUE(jobs().ReportChunkSuccess("late", Done(0, 1)).ok());
  ASSERT_TRUE(jobs().ReportChunkFailure("late", 1, "slow", true).ok());
  EXPECT_EQ(jobs().GetJob("late")->state, JobState::kFailed);
  // The attempt that was thought lost reports after all.
  EXPECT_EQ(*jobs().ReportChunkSuccess("late", Done(1, 2)), ChunkReportOutcome::kCounted);
  auto job = jobs().GetJob("late");
  EXPECT_EQ(job->state, JobState::kRunning);
  EXPECT_EQ(job->chunks_done, 2);
  EXPECT_EQ(job->chunks_failed, 0);
  EXPECT_TRUE(job->failed_chunks.empty());
}

TEST_F(JobsTableTest, DeleteJobRemovesEveryRow) {
  NewJob("gone", 2);
  ASSERT_TRUE(jobs().ReportChunkSuccess("gone", Done(0, 1)).ok());
  ASSERT_TRUE(jobs().DeleteJob("gone").ok());
  EXPECT_TRUE(jobs().GetJob("gone").status().IsNotFound());
  EXPECT_TRUE(jobs().ListChunks("gone")->empty());
}

}  // namespace
}  // namespace fanfold::pipelines
