// fanfold retry: re-runs only what failed in a Failed job; every chunk that succeeded keeps its
// result. Orchestrated: the failed chunk rows get a fresh attempt budget and the orchestration is
// rewound (its completed activities stay in history). Chained: the job's poisoned messages go
// back to their queues.
#include <chrono>
#include <cstdio>
#include <thread>

#include "cli/command.hpp"
#include "cli/hub_access.hpp"
#include "cli/job_upload.hpp"
#include "cli/job_waiting.hpp"
#include "cli/pipeline_access.hpp"
#include "cli/result_output.hpp"
#include "orchestrator/task_hub_client.hpp"
#include "pipelines/chained/chained_pipeline.hpp"

namespace fanfold::cli {
namespace {

using orchestrator::RuntimeStatus;
using pipelines::JobRow;
using pipelines::JobState;

std::string List(const std::vector<std::uint32_t>& chunks) {
  std::string out;
  for (const auto chunk : chunks)
    out += (out.empty() ? "" : ", ") + std::to_string(chunk);
  return out;
}

// The job row turns Failed in the transaction of the last chunk's report; the orchestration
// fails a moment later. Waits (briefly) for the orchestration to catch up.
storage::Result<orchestrator::InstanceStatus> FailedInstance(
    const orchestrator::TaskHubClient& client, const std::string& job, bool wait) {
  const auto deadline = std::chrono::steady_clock::now() +
                        (wait ? std::chrono::seconds(30) : std::chrono::seconds(0));
  while (true) {
    auto status = client.GetStatus(job);
    if (!status.ok()) return status.status();
    if (status->status != RuntimeStatus::kRunning && status->status != RuntimeStatus::kPending) {
      return status;
    }
    if (std::chrono::steady_clock::now() >= deadline) return status;
    std::this_thread::sleep_for(std::chrono::milliseconds(200));
  }
}

int RetryOrchestrated(const Arguments& arguments, const pipelines::PipelineContext& context,
                      const JobRow& row) {
  int exit_code = kExitOk;
  auto hub = OpenHub(arguments, &exit_code);
  if (hub == nullptr) return exit_code;
  orchestrator::TaskHubClient client(hub);
  auto instance = FailedInstance(client, row.job, row.state == JobState::kFailed);
  if (!instance.ok()) {
    if (instance.status().IsNotFound()) {
      std::fprintf(stderr,
                   "fanfold retry: job %s has no orchestration in this task hub: give the "
                   "--hub (or FANFOLD_HUB) its workers use\n",
                   row.job.c_str());
      return kExitFailure;
    }
    return ReportFailure("retry", instance.status());
  }
  if (instance->status != RuntimeStatus::kFailed && row.state != JobState::kFailed) {
    ExplainUnfinished("retry", row, DeploymentFlags(arguments));  // simply still running
    return kExitFailure;
  }
  if (instance->status != RuntimeStatus::kFailed) {
    std::fprintf(stderr,
                 "fanfold retry: job %s is %s but its orchestration is %s; try again in a "
                 "moment\n",
                 row.job.c_str(), pipelines::JobStateName(row.state),
                 orchestrator::RuntimeStatusName(instance->status));
    return kExitFailure;
  }
  std::vector<std::uint32_t> reset;
  if (row.state == JobState::kFailed) {
    auto chunks = context.jobs.ResetFailedChunks(row.job);
    if (!chunks.ok()) return ReportFailure("retry", chunks.status());
    reset = std::move(*chunks);
  }
  // A Running row under a Failed orchestration: an earlier retry reset the chunks and stopped
  // before the rewind; the rewind alone finishes it.
  const std::string reason =
      "fanfold retry" + (reset.empty() ? std::string() : ": chunks " + List(reset));
  const storage::Status rewound = client.Rewind(row.job, reason);
  if (!rewound.ok()) return ReportFailure("retry", rewound);
  if (reset.empty()) {
    std::printf("job %s (orchestrated): rewound; the failed step runs again\n", row.job.c_str());
  } else {
    std::printf(
        "job %s (orchestrated): re-queued chunk%s %s; the other chunks keep their "
        "results\n",
        row.job.c_str(), reset.size() == 1 ? "" : "s", List(reset).c_str());
  }
  return kExitOk;
}

int RetryChained(const pipelines::PipelineContext& context, const JobRow& row) {
  auto report = pipelines::chained::RetryChainedJob(context, row.job);
  if (!report.ok()) return ReportFailure("retry", report.status());
  std::printf("job %s (chained):", row.job.c_str());
  if (!report->chunks_moved.empty()) {
    std::printf(" re-queued chunk%s %s from the poison queue;",
                report->chunks_moved.size() == 1 ? "" : "s", List(report->chunks_moved).c_str());
  }
  if (!report->chunks_remade.empty()) {
    std::printf(" re-made chunk%s %s from the plan;", report->chunks_remade.size() == 1 ? "" : "s",
                List(report->chunks_remade).c_str());
  }
  if (report->split_restarted) std::printf(" restarted the split;");
  std::printf(" the partials already received are kept\n");
  return kExitOk;
}

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
  const bool chained = IsChainedJob(*row);
  switch (row->state) {
    case JobState::kCompleted:
      std::printf("job %s completed: nothing to retry (fanfold result %s%s)\n", job.c_str(),
                  job.c_str(), flags.c_str());
      return kExitOk;
    case JobState::kRefused:
      ExplainUnfinished("retry", *row, flags);
      return kExitFailure;
    case JobState::kQueued:
    case JobState::kRunning:
      // Orchestrated: possibly a retry that stopped between its two steps (see above).
      if (chained) {
        ExplainUnfinished("retry", *row, flags);
        return kExitFailure;
      }
      break;
    case JobState::kFailed:
      break;
  }
  const int retried =
      chained ? RetryChained(*context, *row) : RetryOrchestrated(arguments, *context, *row);
  if (retried != kExitOk || !arguments.Has("wait")) {
    if (retried == kExitOk) {
      std::fprintf(stderr, "Follow with: fanfold status %s --watch%s\n", job.c_str(),
                   flags.c_str());
    }
    return retried;
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
