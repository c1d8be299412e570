// The Jobs table: what users query (`fanfold status`), and where the orchestrated pipeline keeps
// its progress and partial results. Every change to a job row is a read, a change and a write
// under If-Match, retried on 412, so concurrent workers never lose each other's updates; a chunk's
// report writes its chunk row and the job's counters in one entity group transaction, so each
// chunk is counted exactly once however often its activity runs.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "pipelines/job_rows.hpp"
#include "pipelines/pipeline_names.hpp"
#include "storage/connection_string.hpp"
#include "storage/pipeline.hpp"
#include "storage/result.hpp"
#include "tablestore/table_client.hpp"
#include "tablestore/table_service_client.hpp"

namespace fanfold::pipelines {

// What BeginChunkAttempt found.
struct ChunkAttempt {
  bool already_done = false;  // a previous attempt reported: its output is `done.output`
  ChunkRow row;               // the chunk row after this attempt was recorded (or the done one)
  std::int64_t attempt = 0;   // this attempt's number since the last `fanfold retry` (1-based)
};

// What a report changed.
enum class ChunkReportOutcome {
  kCounted,         // this report moved the job's counters
  kAlreadyCounted,  // the chunk had already reported success: nothing changed
  kRecorded,        // a failure that is not final: the chunk row only
};

class JobsTable {
 public:
  JobsTable(const storage::StorageAccount& account, std::string table_name = kDefaultJobsTable,
            const storage::PipelineOptions& options = {});

  const std::string& name() const { return table_.table_name(); }
  storage::Status CreateIfNotExists() const;

  // Insert of a new job row; false (not an error) when the job already exists.
  storage::Result<bool> InsertJob(const JobRow& row) const;
  storage::Result<JobRow> GetJob(const std::string& job) const;
  // Every job row, in job id order.
  storage::Result<std::vector<JobRow>> ListJobs() const;
  // The chunk rows of one job, in chunk order.
  storage::Result<std::vector<ChunkRow>> ListChunks(const std::string& job) const;

  // Reads the job row, lets `change` edit it (returning false to leave it unwritten) and
  // replaces it with If-Match, retrying from the read when another writer got there first.
  // Returns the row as written (or as read, when unchanged). IsNotFound when there is no job.
  storage::Result<JobRow> UpdateJob(const std::string& job,
                                    const std::function<bool(JobRow&)>& change) const;

  // Records the start of an attempt at a chunk (inserting its row, or counting one more attempt
  // on it), unless the chunk is already done.
  storage::Result<ChunkAttempt> BeginChunkAttempt(const std::string& job, std::uint32_t index,
                                                  std::uint64_t begin, std::uint64_t end,
                                                  const std::string& worker) const;
  // A successful attempt: chunk row Done with its output, and the job's done count, rows and
  // rejects advanced, in one transaction (If-Match on both rows).
  storage::Result<ChunkReportOutcome> ReportChunkSuccess(const std::string& job,
                                                         const ChunkRow& done) const;
  // A failed attempt. Final (the chunk has used all its attempts): chunk row Failed and the
  // job's failed count and list advanced together; when every chunk has reported and some
  // failed, the job becomes Failed in the same transaction. Not final: the chunk row only.
  storage::Result<ChunkReportOutcome> ReportChunkFailure(const std::string& job,
                                                         std::uint32_t index,
                                                         const std::string& error,
                                                         bool final) const;
  // `fanfold retry` of an orchestrated job: every Failed chunk becomes Retrying with a fresh
  // attempt budget, and the job Running with no failed chunks, in one transaction. Returns the
  // chunks reset. FailedPrecondition-like InvalidArgument when the job is not Failed.
  storage::Result<std::vector<std::uint32_t>> ResetFailedChunks(const std::string& job) const;

  // Deletes a job's rows (job and chunks).
  storage::Status DeleteJob(const std::string& job) const;

  const tablestore::TableClient& table() const { return table_; }

 private:
  struct JobAndChunk {
    JobRow job;
    std::optional<ChunkRow> chunk;
  };
  storage::Result<JobAndChunk> ReadJobAndChunk(const std::string& job, std::uint32_t index) const;
  // The chunk row and the job row in one transaction, each If-Match its version as read; false
  // when either changed meanwhile (nothing was written).
  storage::Result<bool> CommitChunkAndJob(const std::string& job, const ChunkRow& chunk,
                                          bool chunk_exists, const JobRow& job_row) const;

  tablestore::TableServiceClient service_;
  tablestore::TableClient table_;
};

// "host:pid", what chunk rows record as the worker.
std::string ThisWorkerName();

// Now, as the table stores times.
tablestore::EdmDateTime NowForTable();

}  // namespace fanfold::pipelines
