// The one-liners' common part (`fanfold run`, `fanfold demo`): start workers of this binary,
// upload files as jobs, wait for them with the workers watched, and show results and timings.
#pragma once

#include <chrono>
#include <string>
#include <vector>

#include "cli/arguments.hpp"
#include "cli/job_upload.hpp"
#include "cli/worker_children.hpp"
#include "pipelines/job_rows.hpp"
#include "pipelines/pipeline_context.hpp"
#include "storage/result.hpp"

namespace fanfold::cli {

// The arguments of our own workers: the deployment this command uses (--prefix, --hub,
// --partitions, when given) and quick polling (they live only as long as the command).
std::vector<std::string> OwnWorkerArguments(const Arguments& arguments);
// --log-format, --log-level, --metrics-addr, --notify and --keep-logs, for the commands that
// start workers.
std::vector<OptionSpec> OwnWorkerOptionSpecs();
// Whether the workers' log directory should outlive a run that went well: asked for, or kept
// for reading (JSON logs, metrics scrapes).
bool KeepWorkerLogs(const Arguments& arguments);

struct JobRun {
  std::vector<UploadedJob> uploads;
  std::vector<pipelines::JobRow> rows;  // one per upload, finished
  double upload_seconds = 0;            // the uploads and their events
  double job_seconds = 0;               // from the last event to the last job's end
};

// Uploads `files` and waits until every job has finished (or `timeout`, or a worker exits).
storage::Result<JobRun> UploadAndWait(const pipelines::PipelineContext& context,
                                      const std::vector<std::string>& files,
                                      const pipelines::UploadOptions& options,
                                      std::chrono::seconds timeout, WorkerChildren& workers);

// Prints each job's result (stdout) or why it has none (stderr); true when all completed.
bool PrintJobResults(const std::string& command, const JobRun& run,
                     const std::string& deployment_flags);

// "2.31 s".
std::string Seconds(double seconds);

}  // namespace fanfold::cli
