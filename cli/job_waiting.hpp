// Waiting for jobs to finish, as `upload --wait`, `retry --wait`, `run` and `demo` do: the Jobs
// table's row is polled (one read a poll) until the job is Completed, Failed or Refused.
#pragma once

#include <chrono>
#include <functional>
#include <string>
#include <vector>

#include "cli/arguments.hpp"
#include "pipelines/job_rows.hpp"
#include "pipelines/pipeline_context.hpp"
#include "storage/result.hpp"

namespace fanfold::cli {

struct JobWaitOptions {
  std::chrono::seconds timeout{3600};  // for all the jobs together
  std::chrono::milliseconds poll_interval{250};
  // Asked before each poll; a non-OK answer ends the wait with it (run: "the workers died").
  std::function<storage::Status()> check;
  // Said once (stderr) when a job row has not appeared after a while: no worker may be running.
  std::string no_row_hint;
};

// --timeout S: how long --wait waits (default 3600 s).
OptionSpec TimeoutOption();
storage::Result<std::chrono::seconds> ParseTimeout(const Arguments& arguments);

// The rows of `jobs` once every one is finished (IsFinished). A job whose row does not exist yet
// is waited for (the trigger has not seen its event). Timeout() after options.timeout, naming the
// jobs still unfinished and their state.
storage::Result<std::vector<pipelines::JobRow>> WaitForJobs(
    const pipelines::PipelineContext& context, const std::vector<std::string>& jobs,
    const JobWaitOptions& options);

}  // namespace fanfold::cli
