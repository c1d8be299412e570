// The Jobs table's two row kinds, as values. PartitionKey = job id; RowKey "job" is the job's
// summary and "chunk-00042" one chunk of an orchestrated job (the chained pipeline writes only
// the job row, at start and at end: the contrast the report measures).
#pragma once

#include <cstdint>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "storage/result.hpp"
#include "tablestore/edm.hpp"
#include "tablestore/entity.hpp"

namespace fanfold::pipelines {

inline constexpr std::string_view kJobRowKey = "job";

enum class JobState {
  kQueued,     // the trigger accepted it; the pipeline has not picked it up yet
  kRunning,    // chunks are being read
  kCompleted,  // every chunk reported and the result is written
  kFailed,     // some chunk failed all its attempts (or the plan failed); `fanfold retry` resumes
  kRefused,    // the trigger refused the file (not text, too large, ...): nothing to retry
};
const char* JobStateName(JobState state);
std::optional<JobState> ParseJobState(std::string_view text);
inline bool IsFinished(JobState state) {
  return state == JobState::kCompleted || state == JobState::kFailed || state == JobState::kRefused;
}

enum class ChunkState { kRunning, kRetrying, kDone, kFailed };
const char* ChunkStateName(ChunkState state);
std::optional<ChunkState> ParseChunkState(std::string_view text);

struct JobRow {
  std::string job;
  std::string pipeline;  // PipelineKindName
  std::string container;
  std::string blob;
  std::string blob_etag;
  // Who uploaded it: the first segment of the blob name (pipelines/tenants.hpp); empty for none
  // and for rows written before tenants existed.
  std::string tenant;
  std::int64_t size = 0;
  JobState state = JobState::kQueued;
  std::string error;  // why it was refused or failed; empty otherwise
  std::int64_t chunks_total = 0;
  std::int64_t chunks_done = 0;
  std::int64_t chunks_failed = 0;
  std::vector<std::uint32_t> failed_chunks;  // ascending
  std::int64_t rows = 0;
  std::int64_t rejected = 0;
  std::string result;  // JSON of the merge (MergeOutputToJson) once Completed
  std::string spec;    // JobSpecToJson: enough to re-dispatch the job
  std::optional<tablestore::EdmDateTime> created;
  std::optional<tablestore::EdmDateTime> started;
  std::optional<tablestore::EdmDateTime> finished;
  // When `fanfold retry` last revived it: an end reported by a pipeline from before this moment
  // (a redelivered message of the failed run) is stale and moves nothing (job_lifecycle.hpp).
  std::optional<tablestore::EdmDateTime> revived;
  std::string etag;  // of the row, as read

  double ElapsedSeconds(tablestore::EdmDateTime now) const;
  std::string File() const { return container + "/" + blob; }  // "uploads/t1/a.csv"
  // What a job's end events (job.completed, job.failed) carry: job, pipeline, file and, once the
  // row is finished, duration_ms from creation to finish (what the job latency histogram counts).
  nlohmann::json EndLogFields() const;
};

struct ChunkRow {
  std::uint32_t index = 0;
  std::uint64_t begin = 0;
  std::uint64_t end = 0;
  ChunkState state = ChunkState::kRunning;
  std::int64_t attempts = 0;    // every attempt ever started, retries of `fanfold retry` included
  std::int64_t retry_base = 0;  // attempts when `fanfold retry` last reset the chunk
  std::string worker;           // host:pid of the latest attempt
  std::int64_t rows = 0;
  std::int64_t rejected = 0;
  double milliseconds = 0;  // of the attempt that succeeded
  std::string error;        // of the latest failed attempt
  std::string output;       // AggregateOutputToJson of the successful attempt
  // The latest attempt's times: when its work was sent to the queue (absent when the sender did
  // not say), when it started, and `updated` when it ended. Queue wait = started - queued; what
  // the dashboard's chunk chart draws apart from the run (updated - started).
  std::optional<tablestore::EdmDateTime> queued;
  std::optional<tablestore::EdmDateTime> started;
  std::optional<tablestore::EdmDateTime> updated;
  std::string etag;
};

// "chunk-00042".
std::string ChunkRowKey(std::uint32_t index);

tablestore::Entity JobRowToEntity(const JobRow& row);
storage::Result<JobRow> JobRowFromEntity(const tablestore::Entity& entity);
tablestore::Entity ChunkRowToEntity(const std::string& job, const ChunkRow& row);
storage::Result<ChunkRow> ChunkRowFromEntity(const tablestore::Entity& entity);

// A string property holds at most 32K UTF-16 characters, so long text (results with many
// nations and reject samples) is stored as Name, Name_1, Name_2..., split between characters.
// InvalidArgument past kMaxLongStringChars bytes or for text that is not valid UTF-8.
inline constexpr std::size_t kMaxLongStringChars = 12 * 32000;
storage::Status SetLongString(tablestore::Entity& entity, const std::string& name,
                              std::string_view text);
std::string GetLongString(const tablestore::Entity& entity, const std::string& name);

}  // namespace fanfold::pipelines
