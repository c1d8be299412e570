// The Jobs table: what users query (`fanfold status`), and where the orchestrated pipeline keeps
// its per-chunk progress and partial results.
//
// A job row changes only through the named moves of a job's life (job_lifecycle.hpp, all in
// job_lifecycle.cpp): each is a read, a check that the move is legal, and a write under
// If-Match, retried on 412, so concurrent workers never lose each other's updates and each move
// happens (and is announced) once.
//
// A chunk row is written only by attempts at that chunk: a report never touches the job row, so
// a thousand chunks reporting at once never queue on one entity. The job's counters are derived
// from the chunk rows when asked (TallyChunks: live progress) and written once, with the job's
// end (see docs/architecture.md, "Progress without a hot row").
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "pipelines/job_lifecycle.hpp"
#include "pipelines/job_rows.hpp"
#include "pipelines/pipeline_names.hpp"
#include "storage/connection_string.hpp"
#include "storage/pipeline.hpp"
#include "storage/result.hpp"
#include "tablestore/table_client.hpp"
#include "tablestore/table_service_client.hpp"

namespace fanfold::pipelines {

class JobsTable {
 public:
  JobsTable(const storage::StorageAccount& account, std::string table_name = kDefaultJobsTable,
            const storage::PipelineOptions& options = {});

  const std::string& name() const { return table_.table_name(); }
  storage::Status CreateIfNotExists() const;

  storage::Result<JobRow> GetJob(const std::string& job) const;
  // Every job row, in job id order.
  storage::Result<std::vector<JobRow>> ListJobs() const;
  // Every job row to `visit`, in job id order, one query page in memory at a time; stops when
  // visit returns false. An unreadable row is the error.
  storage::Status ForEachJob(const std::function<bool(JobRow)>& visit) const;
  // The chunk rows of one job, in chunk order.
  storage::Result<std::vector<ChunkRow>> ListChunks(const std::string& job) const;

  // ---- A job's life: the only writers of a job row (job_lifecycle.hpp / .cpp) ----

  // A new job, Queued; not moved (and the stored row) when the job already exists.
  storage::Result<JobTransition> Queue(JobRow row) const;
  // A new job, Refused with `reason` (job.refused); not moved when the job already exists.
  storage::Result<JobTransition> Refuse(JobRow row, std::string_view reason) const;
  // A Queued job's note (why it waits); moves nothing else.
  storage::Result<JobTransition> NoteWaiting(const std::string& job, std::string_view note) const;
  // Queued -> Running, once its pipeline has been started (job.accepted, with `action`). A job
  // whose pipeline finished before this write is only stamped started (and still announced).
  storage::Result<JobTransition> Start(const std::string& job, std::string_view action) const;
  // Queued or Running -> Failed (job.failed, which the failure notifier sends).
  storage::Result<JobTransition> Fail(const std::string& job, const JobFailure& failure) const;
  // Queued or Running -> Completed with the result (job.completed).
  storage::Result<JobTransition> Complete(const std::string& job,
                                          const JobCompletion& completion) const;
  // Failed -> Running for `fanfold retry` (job.revived), only from the version the caller read
  // (`expected_etag`), so two retries cannot both revive it.
  storage::Result<JobTransition> Revive(const std::string& job, std::string_view why,
                                        const std::string& expected_etag) const;

  // ---- Chunk rows: the orchestrated pipeline's progress, one row per chunk ----

  // The chunk's row; nullopt when no attempt at it has reported yet.
  storage::Result<std::optional<ChunkRow>> GetChunk(const std::string& job,
                                                    std::uint32_t index) const;
  // A successful attempt: the row becomes Done with its output. Insert-or-replace, no
  // condition: every attempt at a chunk computes the same answer from the same bytes.
  storage::Status RecordChunkDone(const std::string& job, ChunkRow done) const;
  // A failed attempt: the row shows Retrying with the error and one more failed attempt, unless
  // it is Done (a twin attempt succeeded). The orchestrator's retry policy decides what is final.
  storage::Status RecordChunkFailure(const std::string& job, const ChunkRow& range,
                                     std::string_view error) const;
  // Counts over the chunk rows (one query, four columns): live progress, and the tally written
  // with a job's end. `failed` lists chunks whose latest attempt failed.
  storage::Result<ChunkTally> TallyChunks(const std::string& job) const;

  // Deletes a job's rows (job and chunks).
  storage::Status DeleteJob(const std::string& job) const;

  const tablestore::TableClient& table() const { return table_; }

 private:
  // Reads the job row, lets `change` edit it (returning false to leave it unwritten) and
  // replaces it with If-Match, retrying from the read when another writer got there first.
  // Returns the row as written (or as read) and whether it was written.
  storage::Result<JobTransition> Move(const std::string& job,
                                      const std::function<bool(JobRow&)>& change) const;
  storage::Result<JobTransition> Insert(JobRow row) const;

  tablestore::TableServiceClient service_;
  tablestore::TableClient table_;
};

// Now, as the table stores times.
tablestore::EdmDateTime NowForTable();

}  // namespace fanfold::pipelines
