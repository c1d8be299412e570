// The Jobs table against the storage fixture: a job row moves only along the legal moves of its
// life, each move happens (and is announced) once however many callers race for it, and a chunk's
// report writes its own row only.
#include "pipelines/jobs_table.hpp"

#include <gtest/gtest.h>

#include <atomic>
#include <map>
#include <mutex>
#include <thread>
#include <vector>

#include "storage/counters.hpp"
#include "storage/utf8_text.hpp"
#include "telemetry/log.hpp"
#include "tests/pipelines/pipeline_test_support.hpp"

namespace fanfold::pipelines {
namespace {

using storage::OperationKind;
using storage::StorageCounters;

// Counts the job.* events logged while it lives.
class JobEvents {
 public:
  JobEvents() {
    id_ = telemetry::AddLogObserver(
        [this](telemetry::LogLevel, std::string_view event, const nlohmann::json& fields) {
          if (event.substr(0, 4) != "job.") return;
          std::lock_guard<std::mutex> lock(mutex_);
          const std::string job = fields.is_object() ? fields.value("job", "") : "";
          ++counts_[std::string(event) + ":" + job];
        });
  }
  ~JobEvents() { telemetry::RemoveLogObserver(id_); }
  int Count(const std::string& event, const std::string& job) {
    std::lock_guard<std::mutex> lock(mutex_);
    return counts_[event + ":" + job];
  }

 private:
  int id_ = 0;
  std::mutex mutex_;
  std::map<std::string, int> counts_;
};

class JobsTableTest : public ::testing::Test {
 protected:
  void SetUp() override {
    context_ = test::MakeTestContext();
    ASSERT_TRUE(context_->jobs.CreateIfNotExists().ok());
  }
  static JobRow NewRow(const std::string& id, std::int64_t chunks) {
    JobRow row;
    row.job = id;
    row.pipeline = "orchestrated";
    row.container = "uploads";
    row.blob = "b.tbl";
    row.blob_etag = "\"0x1\"";
    row.chunks_total = chunks;
    return row;
  }
  // A job in `state`, reached by the legal moves.
  JobRow JobIn(const std::string& id, JobState state, std::int64_t chunks = 3) {
    if (state == JobState::kRefused) {
      EXPECT_TRUE(jobs().Refuse(NewRow(id, chunks), "not text")->moved);
      return *jobs().GetJob(id);
    }
    EXPECT_TRUE(jobs().Queue(NewRow(id, chunks))->moved);
    if (state != JobState::kQueued) {
      EXPECT_TRUE(jobs().Start(id, "started")->moved);
    }
    if (state == JobState::kCompleted) {
      EXPECT_TRUE(jobs().Complete(id, JobCompletion{"{}", ChunkTally{chunks, {}, 10, 1}})->moved);
    }
    if (state == JobState::kFailed) {
      EXPECT_TRUE(jobs().Fail(id, JobFailure{"boom", std::nullopt, std::nullopt})->moved);
    }
    return *jobs().GetJob(id);
  }
  static ChunkRow Done(std::uint32_t index, std::int64_t rows) {
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

TEST_F(JobsTableTest, RowsRoundTripAndQueueIsTheDedup) {
  JobEvents events;
  auto queued = jobs().Queue(NewRow("j1", 3));
  ASSERT_TRUE(queued.ok()) << queued.status().ToString();
  EXPECT_TRUE(queued->moved);
  EXPECT_EQ(queued->row.state, JobState::kQueued);
  // A second delivery of the same upload: not an error, not overwritten.
  JobRow other = NewRow("j1", 99);
  auto again = jobs().Queue(other);
  ASSERT_TRUE(again.ok());
  EXPECT_FALSE(again->moved);
  EXPECT_EQ(again->row.chunks_total, 3);

  ASSERT_TRUE(jobs().Start("j1", "started")->moved);
  const std::string result(70'000, 'x');  // spans three string properties
  ASSERT_TRUE(jobs().Complete("j1", JobCompletion{result, ChunkTally{3, {}, 30, 2}})->moved);
  auto read = jobs().GetJob("j1");
  ASSERT_TRUE(read.ok());
  EXPECT_EQ(read->state, JobState::kCompleted);
  EXPECT_EQ(read->result, result);
  EXPECT_EQ(read->chunks_done, 3);
  EXPECT_EQ(read->rows, 30);
  EXPECT_EQ(read->rejected, 2);
  EXPECT_TRUE(read->started.has_value());
  EXPECT_TRUE(read->finished.has_value());
  EXPECT_EQ(events.Count("job.accepted", "j1"), 1);
  EXPECT_EQ(events.Count("job.completed", "j1"), 1);

  JobIn("j2", JobState::kQueued);
  auto all = jobs().ListJobs();
  ASSERT_TRUE(all.ok());
  ASSERT_EQ(all->size(), 2u);
  EXPECT_EQ((*all)[0].job, "j1");
  EXPECT_TRUE(jobs().GetJob("nope").status().IsNotFound());
  EXPECT_TRUE(jobs().Fail("nope", JobFailure{"x", {}, {}}).status().IsNotFound());
}

// Every move from every state: the diagram in job_lifecycle.hpp, as a table.
TEST_F(JobsTableTest, OnlyTheLegalMovesMove) {
  struct Case {
    JobState from;
    bool start, fail, complete, revive;
  };
  const std::vector<Case> cases = {
      {JobState::kQueued, true, true, true, false},
      {JobState::kRunning, false, true, true, false},
      {JobState::kCompleted, false, false, false, false},
      {JobState::kFailed, false, false, false, true},
      {JobState::kRefused, false, false, false, false},
  };
  int n = 0;
  for (const Case& c : cases) {
    const std::string name = JobStateName(c.from);
    const auto fresh = [&] { return JobIn("m" + std::to_string(n++) + name, c.from); };
    const JobRow started = fresh();
    EXPECT_EQ(jobs().Start(started.job, "started")->moved, c.start) << name << " start";
    const JobRow failed = fresh();
    EXPECT_EQ(jobs().Fail(failed.job, JobFailure{"f", {}, {}})->moved, c.fail) << name;
    const JobRow completed = fresh();
    EXPECT_EQ(jobs().Complete(completed.job, JobCompletion{"{}", {}})->moved, c.complete) << name;
    const JobRow revived = fresh();
    EXPECT_EQ(jobs().Revive(revived.job, "test", revived.etag)->moved, c.revive) << name;
    // A move refused changes nothing.
    if (!c.fail) {
      EXPECT_EQ(jobs().GetJob(failed.job)->etag, failed.etag) << name;
    }
  }
}

TEST_F(JobsTableTest, RacingEndsMoveTheRowOnceAndAnnounceOnce) {
  JobEvents events;
  constexpr int kRacers = 8;
  for (int round = 0; round < 3; ++round) {
    const std::string job = "race" + std::to_string(round);
    JobIn(job, JobState::kRunning);
    std::atomic<int> moved{0};
    std::atomic<int> errors{0};
    std::vector<std::thread> threads;
    for (int t = 0; t < kRacers; ++t) {
      threads.emplace_back([&, t] {
        auto result = t % 2 == 0
                          ? jobs().Fail(job, JobFailure{"racer " + std::to_string(t), {}, {}})
                          : jobs().Complete(job, JobCompletion{"{}", ChunkTally{3, {}, 1, 0}});
        if (!result.ok()) ++errors;
        if (result.ok() && result->moved) ++moved;
      });
    }
    for (auto& thread : threads)
      thread.join();
    EXPECT_EQ(errors.load(), 0);
    EXPECT_EQ(moved.load(), 1);
    EXPECT_EQ(events.Count("job.failed", job) + events.Count("job.completed", job), 1);
  }
}

// A failure the pipeline saw before `fanfold retry` revived the job (a late or redelivered report
// of the run that retry replaced) must not fail the new run.
TEST_F(JobsTableTest, AFailureFromBeforeTheReviveIsStale) {
  const JobRow failed = JobIn("stale", JobState::kFailed);
  const auto before_revive = NowForTable();
  auto revived = jobs().Revive("stale", "test", failed.etag);
  ASSERT_TRUE(revived->moved);
  EXPECT_EQ(revived->row.state, JobState::kRunning);
  EXPECT_TRUE(revived->row.error.empty());
  EXPECT_FALSE(revived->row.finished.has_value());
  // A second retry from the same read does nothing.
  EXPECT_FALSE(jobs().Revive("stale", "test", failed.etag)->moved);

  JobFailure old_news{"the run before", std::nullopt, before_revive - std::chrono::seconds(1)};
  EXPECT_FALSE(jobs().Fail("stale", old_news)->moved);
  EXPECT_EQ(jobs().GetJob("stale")->state, JobState::kRunning);
  JobFailure news{"this run", std::nullopt, NowForTable() + std::chrono::seconds(1)};
  EXPECT_TRUE(jobs().Fail("stale", news)->moved);
}

// A reason is cut at a character boundary: the table refuses invalid UTF-8, and a row that cannot
// be written is a job that never ends.
TEST_F(JobsTableTest, ALongReasonIsCutAtACharacterAndStillWritten) {
  JobIn("long", JobState::kRunning);
  std::string reason;
  while (reason.size() < 3 * kMaxReasonBytes)
    reason += "\xC3\xA9\xE2\x82\xAC\xF0\x9F\x98\x80";  // é € 😀: 2, 3 and 4 bytes
  auto failed = jobs().Fail("long", JobFailure{reason, {}, {}});
  ASSERT_TRUE(failed.ok()) << failed.status().ToString();
  ASSERT_TRUE(failed->moved);
  const std::string stored = jobs().GetJob("long")->error;
  EXPECT_LE(stored.size(), kMaxReasonBytes);
  EXPECT_GT(stored.size(), kMaxReasonBytes - 8);
  EXPECT_EQ(stored.substr(stored.size() - 3), "...");
  // Everything before the ellipsis is whole characters of the original.
  EXPECT_EQ(reason.compare(0, stored.size() - 3, stored, 0, stored.size() - 3), 0);
  // ... and the cut falls where the original starts a character, not inside one.
  const auto next = static_cast<unsigned char>(reason[stored.size() - 3]);
  EXPECT_NE(next & 0xC0u, 0x80u) << "cut inside a character";
}

// Reasons and chunk errors quote what they met (a service's body, a file's bytes): stray bytes
// are replaced, not refused by the table, so the job still ends and the chunk still reports.
TEST_F(JobsTableTest, ReasonsWithStrayBytesAreRepairedAndWritten) {
  const std::string stray = "cannot read \xFF\xFE; half a character: \xE2\x82";
  JobIn("stray", JobState::kRunning);
  ChunkRow range = Done(0, 0);
  range.attempts = 0;
  ASSERT_TRUE(jobs().RecordChunkFailure("stray", range, stray).ok());
  auto chunk = jobs().GetChunk("stray", 0);
  ASSERT_TRUE(chunk.ok() && chunk->has_value()) << chunk.status().ToString();
  EXPECT_EQ((*chunk)->error, storage::ToValidUtf8(stray));
  EXPECT_NE((*chunk)->error.find("\xEF\xBF\xBD"), std::string::npos);

  auto failed = jobs().Fail("stray", JobFailure{stray, {}, {}});
  ASSERT_TRUE(failed.ok()) << failed.status().ToString();
  ASSERT_TRUE(failed->moved);
  EXPECT_EQ(jobs().GetJob("stray")->error, storage::ToValidUtf8(stray));
}

// The hot-row fix: a chunk's report is one read and one write of its own row, whatever the
// other chunks do, and never touches the job row.
TEST_F(JobsTableTest, AChunkReportWritesOnlyItsOwnRow) {
  const JobRow job = JobIn("hot", JobState::kRunning, 40);
  const auto before = StorageCounters::Global().Snapshot();
  auto existing = jobs().GetChunk("hot", 0);
  ASSERT_TRUE(existing.ok());
  EXPECT_FALSE(existing->has_value());
  ASSERT_TRUE(jobs().RecordChunkDone("hot", Done(0, 10)).ok());
  const auto cost = StorageCounters::Global().Snapshot() - before;
  EXPECT_EQ(cost.operations_of(OperationKind::kTableRead), 1u);
  EXPECT_EQ(cost.operations_of(OperationKind::kTableWrite), 1u);
  EXPECT_EQ(cost.total_operations(), 2u);

  std::vector<std::thread> threads;
  std::atomic<int> errors{0};
  for (int t = 0; t < 8; ++t) {
    threads.emplace_back([&, t] {
      // Every chunk reported by two threads (an activity that ran twice), all at once.
      for (std::uint32_t i = static_cast<std::uint32_t>(t % 4); i < 40; i += 4) {
        if (!jobs().RecordChunkDone("hot", Done(i, i + 1)).ok()) ++errors;
      }
    });
  }
  for (auto& thread : threads)
    thread.join();
  EXPECT_EQ(errors.load(), 0);
  EXPECT_EQ(jobs().GetJob("hot")->etag, job.etag);  // the job row was never written
  auto tally = jobs().TallyChunks("hot");
  ASSERT_TRUE(tally.ok()) << tally.status().ToString();
  EXPECT_EQ(tally->done, 40);
  EXPECT_EQ(tally->rows, 40 * 41 / 2);
  EXPECT_EQ(tally->rejected, 40);
  EXPECT_TRUE(tally->failed.empty());
}

TEST_F(JobsTableTest, AFailedAttemptNeverOverwritesADoneChunk) {
  JobIn("f", JobState::kRunning);
  ChunkRow range = Done(1, 0);
  range.attempts = 0;  // what the aggregate activity knows of a chunk no attempt reported yet
  range.worker = "w1";
  ASSERT_TRUE(jobs().RecordChunkFailure("f", range, "boom").ok());
  ASSERT_TRUE(jobs().RecordChunkFailure("f", range, "bang").ok());
  auto failing = jobs().GetChunk("f", 1);
  ASSERT_TRUE(failing.ok() && failing->has_value());
  EXPECT_EQ((*failing)->state, ChunkState::kRetrying);
  EXPECT_EQ((*failing)->attempts, 2);
  EXPECT_EQ((*failing)->error, "bang");
  ASSERT_TRUE(jobs().RecordChunkDone("f", Done(0, 5)).ok());
  auto tally = jobs().TallyChunks("f");
  EXPECT_EQ(tally->done, 1);
  EXPECT_EQ(tally->failed, (std::vector<std::uint32_t>{1}));
  // The attempt that was thought lost succeeds; a slower twin's failure comes after it.
  ASSERT_TRUE(jobs().RecordChunkDone("f", Done(1, 7)).ok());
  ASSERT_TRUE(jobs().RecordChunkFailure("f", range, "late").ok());
  auto done = jobs().GetChunk("f", 1);
  EXPECT_EQ((*done)->state, ChunkState::kDone);
  EXPECT_EQ((*done)->rows, 7);
  EXPECT_TRUE(jobs().TallyChunks("f")->failed.empty());
}

TEST_F(JobsTableTest, DeleteJobRemovesEveryRow) {
  JobIn("gone", JobState::kRunning, 2);
  ASSERT_TRUE(jobs().RecordChunkDone("gone", Done(0, 1)).ok());
  ASSERT_TRUE(jobs().DeleteJob("gone").ok());
  EXPECT_TRUE(jobs().GetJob("gone").status().IsNotFound());
  EXPECT_TRUE(jobs().ListChunks("gone")->empty());
}

}  // namespace
}  // namespace fanfold::pipelines
