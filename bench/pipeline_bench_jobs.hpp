// Starting jobs and waiting for them, as a user would: upload the file (Put Blob + BlobCreated
// event, pipelines/upload.hpp) and poll the Jobs table until the job row is finished. Times are
// wall-clock, because the job rows' `finished` times (written by the workers, on this machine)
// are what latencies are measured to.
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <map>
#include <string>
#include <vector>

#include "pipelines/job_rows.hpp"
#include "pipelines/pipeline_context.hpp"
#include "pipelines/upload_metadata.hpp"
#include "storage/result.hpp"

namespace fanfold::bench {

using WallClock = std::chrono::system_clock;

struct Submission {
  std::string path;
  std::string name;  // the file's base name (the blob)
  std::string job;   // empty when the upload failed
  std::uint64_t bytes = 0;
  WallClock::time_point upload_start;
  WallClock::time_point posted;  // the BlobCreated event is on the queue
  std::string error;
};

// Uploads one file and posts its event; a failure is recorded in the submission, not returned:
// a job that never started is part of what a run measured.
Submission SubmitFile(const pipelines::PipelineContext& context, const std::string& path,
                      const pipelines::UploadOptions& options);

// Seconds from `from` to `to`.
double SecondsBetween(WallClock::time_point from, WallClock::time_point to);
WallClock::time_point FinishedTime(const pipelines::JobRow& row);

struct WaitSettings {
  std::chrono::milliseconds poll_interval{250};
  WallClock::time_point deadline;
  // Called before each poll: the faults suite kills workers here; non-OK ends the wait.
  std::function<storage::Status()> on_poll;
  // True once no more jobs will be added (the uploads are done).
  std::function<bool()> all_submitted;
  // The job ids to wait for so far (the uploads add to it as they go).
  std::function<std::vector<std::string>()> expected;
};

// Polls the Jobs table (one query a poll) until every expected job's row is finished and
// all_submitted() is true, or the deadline passes (Timeout; the rows seen are still returned
// through `rows`).
storage::Status WaitForJobRows(const pipelines::PipelineContext& observer,
                               const WaitSettings& settings,
                               std::map<std::string, pipelines::JobRow>* rows);

}  // namespace fanfold::bench
