// fanfold retry: re-runs only what failed in a Failed job; every chunk that succeeded keeps its
// result. What a retry does is the job's pipeline's business (JobPipeline::Retry): this command
// finds the job, asks its pipeline, and waits when told to.
#include <cstdio>

#include "cli/command.hpp"
#include "cli/hub_access.hpp"
#include "cli/job_upload.hpp"
#include "cli/job_waiting.hpp"
#include "cli/pipeline_access.hpp"
#include "cli/result_output.hpp"

namespace fanfold::cli {
namespace {

using pipelines::JobRow;
using pipelines::JobState;

int RunRetry(const Arguments& arguments) {
  if (arguments.positionals().size() != 1) {
    std::fprintf(stderr, "fanfold retry: give one job id ('fanfold status' lists them)\n");
    return kExitUsage;
  }
  const std::string& job = arguments.positionals()[0];
  auto timeout = ParseTimeout(arguments);
  if (!timeout.ok()) return ReportFailure("retry", timeout.status());
  int exit_code = kExitOk;
  auto context = OpenPipelines(arguments, &exit_code);
  if (context == nullptr) return exit_code;
  const std::string flags = DeploymentFlags(arguments);
  auto row = ReadJobOrExplain(*context, job, "retry", flags, &exit_code);
  if (!row) return exit_code;
  switch (row->state) {
    case JobState::kCompleted:
      std::printf("job %s completed: nothing to retry (fanfold result %s%s)\n", job.c_str(),
                  job.c_str(), flags.c_str());
      return kExitOk;
    case JobState::kRefused:
      ExplainUnfinished("retry", *row, flags);
      return kExitFailure;
    case JobState::kQueued:
    case JobState::kRunning:  // possibly a retry that stopped half-way: the pipeline knows
    case JobState::kFailed:
      break;
  }
  const auto pipelines = OpenJobPipelines(arguments, context);
  auto pipeline = pipelines->For(*row);
  if (!pipeline.ok()) return ReportFailure("retry", pipeline.status());
  auto retried = (*pipeline)->Retry(*row);
  if (!retried.ok()) {
    if (retried.status().code() == storage::StatusCode::kInvalidArgument) {
      std::fprintf(stderr, "fanfold retry: %s\n", retried.status().message().c_str());
      return kExitFailure;
    }
    return ReportFailure("retry", retried.status());
  }
  std::printf("%s\n", retried->c_str());
  if (!arguments.Has("wait")) {
    std::fprintf(stderr, "Follow with: fanfold status %s --watch%s\n", job.c_str(), flags.c_str());
    return kExitOk;
  }
  JobWaitOptions wait;
  wait.timeout = *timeout;
  wait.no_row_hint = NoWorkerHint(flags);
  auto rows = WaitForJobs(*context, {job}, wait);
  if (!rows.ok()) {
    if (rows.status().IsTimeout()) {
      std::fprintf(stderr, "fanfold retry: %s\nFollow with: fanfold status %s --watch%s\n",
                   rows.status().message().c_str(), job.c_str(), flags.c_str());
      return kExitFailure;
    }
    return ReportFailure("retry", rows.status());
  }
  const JobRow& done = rows->front();
  auto result = ReadJobResult(done);
  std::printf("%s", JobResultText(done, result.ok() ? &*result : nullptr).c_str());
  if (done.state != JobState::kCompleted) {
    ExplainUnfinished("retry", done, flags);
    return kExitFailure;
  }
  return kExitOk;
}

}  // namespace

Command RetryCommand() {
  std::vector<OptionSpec> options = PipelineOptions();
  options.push_back({"wait", false, "wait for the job to finish and print its result"});
  options.push_back(TimeoutOption());
  return Command{
      "retry",
      "re-run only the failed chunks of a Failed job",
      "JOB [--wait] [--timeout S]",
      "Re-runs what failed in a Failed job and keeps every chunk that succeeded.\n"
      "Orchestrated jobs: the failed chunks get a fresh attempt budget and the orchestration\n"
      "is rewound ('fanfold rewind'), so only their activities run again. Chained jobs: the\n"
      "job's poisoned chunk messages go back to the chunks queue and a new merge is queued.\n"
      "Prints what was re-queued. A worker must be running. With --wait, waits and prints\n"
      "the result; exit status 1 if the job does not complete.",
      options,
      RunRetry};
}

}  // namespace fanfold::cli
