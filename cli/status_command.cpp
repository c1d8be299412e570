// fanfold status: what the jobs of both pipelines are doing; one job in detail; --watch follows
// them until they finish.
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <thread>

#include "cli/command.hpp"
#include "cli/hub_access.hpp"
#include "cli/job_status_view.hpp"
#include "cli/pipeline_access.hpp"
#include "cli/result_output.hpp"

namespace fanfold::cli {
namespace {

using pipelines::JobState;

constexpr std::chrono::seconds kWaitForRow{60};

struct Snapshot {
  std::vector<JobView> jobs;
  bool finished = true;   // every job shown is Completed, Failed or Refused
  bool completed = true;  // every job shown is Completed
};

storage::Result<Snapshot> Read(const pipelines::PipelineContext& context,
                               const pipelines::JobPipelines& pipelines,
                               const std::optional<std::string>& job,
                               const std::optional<std::string>& tenant, bool with_chunks) {
  Snapshot snapshot;
  std::vector<pipelines::JobRow> rows;
  if (job) {
    auto row = context.jobs.GetJob(*job);
    if (!row.ok()) return row.status();
    rows.push_back(std::move(*row));
  } else {
    auto all = context.jobs.ListJobs();
    // No Jobs table yet (a fresh account): no jobs, which the list says with a hint.
    if (!all.ok() && !IsTableMissing(all.status())) return all.status();
    if (all.ok()) rows = std::move(*all);
  }
  if (tenant) {
    std::erase_if(
        rows, [&](const pipelines::JobRow& row) { return pipelines::TenantOfJob(row) != *tenant; });
  }
  for (auto& row : rows) {
    snapshot.finished = snapshot.finished && pipelines::IsFinished(row.state);
    snapshot.completed = snapshot.completed && row.state == JobState::kCompleted;
    auto view = ReadJobView(context, pipelines, std::move(row), with_chunks);
    if (!view.ok()) return view.status();
    snapshot.jobs.push_back(std::move(*view));
  }
  return snapshot;
}

std::string Render(const Snapshot& snapshot, bool one_job, bool json, bool progress,
                   const std::string& flags, const std::optional<std::string>& tenant) {
  if (json) {
    if (one_job) return JobJson(snapshot.jobs.front()).dump(2) + "\n";
    nlohmann::ordered_json out = nlohmann::ordered_json::array();
    for (const auto& job : snapshot.jobs)
      out.push_back(JobJson(job));
    return out.dump(2) + "\n";
  }
  if (one_job) return JobText(snapshot.jobs.front(), flags);
  std::string text = JobsText(snapshot.jobs, progress);
  if (tenant) {
    std::vector<pipelines::JobRow> rows;
    for (const auto& job : snapshot.jobs)
      rows.push_back(job.row);
    text += "\n" + TenantsText(pipelines::SummarizeTenants(rows, {*tenant}));
  }
  return text;
}

int RunStatus(const Arguments& arguments) {
  if (arguments.positionals().size() > 1) {
    std::fprintf(stderr, "fanfold status: give at most one job id\n");
    return kExitUsage;
  }
  std::optional<std::string> job;
  if (!arguments.positionals().empty()) job = arguments.positionals()[0];
  const bool with_chunks = arguments.Has("chunks");
  if (with_chunks && !job) {
    std::fprintf(stderr, "fanfold status: --chunks shows one job's chunks: give its id\n");
    return kExitUsage;
  }
  const bool json = arguments.Has("json");
  const bool watch = arguments.Has("watch");
  std::optional<std::string> tenant = arguments.Value("tenant");
  if (tenant && job) {
    std::fprintf(stderr, "fanfold status: --tenant filters the list of jobs: give no job id\n");
    return kExitUsage;
  }
  int exit_code = kExitOk;
  auto context = OpenPipelines(arguments, &exit_code);
  if (context == nullptr) return exit_code;
  const auto pipelines = OpenJobPipelines(arguments, context);
  const std::string flags = DeploymentFlags(arguments);

  const bool tty = isatty(STDOUT_FILENO) != 0;
  std::string last;
  // A job's row appears when a worker's trigger has seen its upload: --watch right after
  // `fanfold upload` waits for it a while.
  const auto appear_by = std::chrono::steady_clock::now() + kWaitForRow;
  bool said_waiting = false;
  while (true) {
    auto snapshot = Read(*context, *pipelines, job, tenant, with_chunks);
    if (!snapshot.ok()) {
      if (job && snapshot.status().IsNotFound()) {
        if (watch && std::chrono::steady_clock::now() < appear_by) {
          if (!said_waiting) {
            std::fprintf(stderr,
                         "fanfold status: no job '%s' yet; waiting for a worker to pick up its "
                         "upload\n",
                         job->c_str());
            said_waiting = true;
          }
          std::this_thread::sleep_for(std::chrono::milliseconds(250));
          continue;
        }
        std::fprintf(stderr, "fanfold status: no job '%s' here; 'fanfold status%s' lists them%s\n",
                     job->c_str(), flags.c_str(),
                     watch ? " (if it was just uploaded: is a worker running?)" : "");
        return kExitFailure;
      }
      return ReportFailure("status", snapshot.status());
    }
    if (!watch) {
      std::printf("%s", Render(*snapshot, job.has_value(), json, false, flags, tenant).c_str());
      return kExitOk;
    }
    // --watch --json prints once, at the end.
    if (!json) {
      const std::string frame = Render(*snapshot, job.has_value(), false, true, flags, tenant);
      if (tty) {
        std::printf("\033[H\033[2J%s", frame.c_str());
      } else if (frame != last) {
        std::printf("%s%s", last.empty() ? "" : "\n", frame.c_str());
      }
      std::fflush(stdout);
      last = frame;
    }
    if (snapshot->finished) {
      if (json)
        std::printf("%s", Render(*snapshot, job.has_value(), true, false, flags, tenant).c_str());
      return snapshot->completed ? kExitOk : kExitFailure;
    }
    std::this_thread::sleep_for(std::chrono::seconds(1));
  }
}

}  // namespace

Command StatusCommand() {
  std::vector<OptionSpec> options = PipelineOptions();
  options.push_back({"chunks", false,
                     "with JOB: every chunk (state, attempts, worker, rows, "
                     "duration); orchestrated jobs only"});
  options.push_back({"watch", false, "redraw every second until the job(s) finish"});
  options.push_back({"json", false, "print JSON"});
  options.push_back({"tenant", true,
                     "only this tenant's jobs (uploads/TENANT/...), then its totals; \"\" for "
                     "uploads that name no tenant",
                     "TENANT"});
  return Command{
      "status",
      "show the jobs of both pipelines, or one job and its chunks",
      "[JOB] [--chunks] [--watch] [--json] [--tenant T]",
      "Without JOB: every job (file, pipeline, state, chunks done/failed/total, rows,\n"
      "rejected rows, elapsed time) and why each Failed or Refused job did. With JOB: that\n"
      "job's progress, reason and failed chunks, and with --chunks each chunk's state,\n"
      "attempts, worker, rows and duration (the chained pipeline keeps no chunk rows; its\n"
      "progress is the approximate count of partials received). --watch redraws every\n"
      "second until the job(s) finish and then exits 0 if they all completed, 1 if not; a\n"
      "job just uploaded is waited for (up to 60 s) until a worker's trigger records it.",
      options,
      RunStatus};
}

}  // namespace fanfold::cli
