// fanfold run: the one-liner. Starts its own workers, uploads the files as jobs, waits, prints
// the results and timings, and stops the workers.
#include <chrono>
#include <cstdio>

#include "cli/command.hpp"
#include "cli/hub_access.hpp"
#include "cli/job_runner.hpp"
#include "cli/job_waiting.hpp"
#include "cli/pipeline_access.hpp"
#include "cli/result_output.hpp"
#include "cli/worker_scrape.hpp"

namespace fanfold::cli {
namespace {

int RunRun(const Arguments& arguments) {
  using Clock = std::chrono::steady_clock;
  const auto start = Clock::now();
  const auto& files = arguments.positionals();
  if (files.empty()) return UsageError("run", "give one or more files");
  if (!arguments.Has("pipeline"))
    return UsageError("run", "give --pipeline orchestrated or chained");
  auto options = ParseJobOptions(arguments);
  if (!options.ok()) return UsageError("run", options.status().message());
  auto workers_count = arguments.IntegerOr("workers", 2, 1, 64);
  if (!workers_count.ok()) return UsageError("run", workers_count.status().message());
  auto timeout = ParseTimeout(arguments);
  if (!timeout.ok()) return UsageError("run", timeout.status().message());
  const storage::Status checked = CheckUploadFiles(files);
  if (checked.IsInvalidArgument()) return UsageError("run", checked.message());
  if (!checked.ok()) {
    std::fprintf(stderr, "fanfold run: %s\n", checked.message().c_str());
    return kExitFailure;
  }
  int exit_code = kExitOk;
  auto context = OpenPipelines(arguments, &exit_code);
  if (context == nullptr) return exit_code;
  if (OpenHub(arguments, &exit_code) == nullptr) return exit_code;  // checks --hub early
  const std::string flags = DeploymentFlags(arguments);

  WorkerChildren workers;
  const storage::Status started =
      workers.Start(static_cast<int>(*workers_count), OwnWorkerArguments(arguments),
                    arguments.ValueOr("metrics-addr", ""));
  if (!started.ok()) {
    if (started.IsInvalidArgument()) return UsageError("run", started.message());
    std::fprintf(stderr, "fanfold run: %s\n", started.message().c_str());
    return kExitFailure;
  }
  auto run = UploadAndWait(*context, files, *options, *timeout, workers);
  if (!run.ok()) {
    const bool clean = workers.Stop();
    std::fprintf(stderr, "fanfold run: %s\n", run.status().ToString().c_str());
    std::fprintf(stderr, "worker logs: %s%s\n", workers.log_directory().c_str(),
                 clean ? "" : " (a worker did not stop cleanly)");
    if (run.status().IsTimeout() || run.status().code() == storage::StatusCode::kAborted) {
      return kExitFailure;
    }
    return ReportFailure("run", run.status());
  }
  const bool completed = PrintJobResults("run", *run, flags);
  bool metrics_consistent = true;
  if (!workers.metrics_urls().empty()) {
    std::printf("\n");
    metrics_consistent = CheckWorkerMetrics(workers, run->rows);
  }
  const bool clean = workers.Stop();
  const double total = std::chrono::duration<double>(Clock::now() - start).count();
  std::printf("\ntimings: upload %s, job %s, total %s (%lld workers started and stopped)\n",
              Seconds(run->upload_seconds).c_str(), Seconds(run->job_seconds).c_str(),
              Seconds(total).c_str(), *workers_count);
  if (!completed || !clean || !metrics_consistent) {
    std::fprintf(stderr, "worker logs: %s%s\n", workers.log_directory().c_str(),
                 clean ? "" : " (a worker did not stop cleanly)");
    return kExitFailure;
  }
  if (KeepWorkerLogs(arguments)) {
    std::printf("worker logs: %s/worker-*.log\n", workers.log_directory().c_str());
  } else {
    workers.RemoveLogs();
  }
  return kExitOk;
}

}  // namespace

Command RunCommand() {
  std::vector<OptionSpec> options = PipelineOptions();
  for (auto& option : JobOptionSpecs()) {
    if (option.name == "pipeline") option.help = "orchestrated or chained (required)";
    options.push_back(std::move(option));
  }
  options.push_back({"workers", true, "worker processes to start (default 2)", "N"});
  for (auto& option : OwnWorkerOptionSpecs())
    options.push_back(std::move(option));
  options.push_back({"timeout", true, "give up after S seconds (default 3600)", "S"});
  return Command{
      "run",
      "one-liner: start workers, upload, wait, print the result, stop the workers",
      "FILE... --pipeline orchestrated|chained [--workers N] [--chunks N | --chunk-size B]",
      "Starts N 'fanfold worker' processes (this binary, same --prefix/--hub), uploads each\n"
      "FILE as a job ('fanfold upload'), waits until every job finished, prints the results\n"
      "and the timings (upload, job, total), and stops the workers (SIGTERM; SIGKILL after\n"
      "10 s). The workers' output goes to log files in a temporary directory, whose path is\n"
      "printed when something fails. Exit status 1 when a job did not complete.",
      options,
      RunRun};
}

}  // namespace fanfold::cli
