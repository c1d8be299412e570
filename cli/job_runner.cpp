#include "cli/job_runner.hpp"

#include <cstdio>

#include "cli/job_waiting.hpp"
#include "cli/result_output.hpp"

namespace fanfold::cli {

std::vector<std::string> OwnWorkerArguments(const Arguments& arguments) {
  std::vector<std::string> out;
  for (const char* name : {"prefix", "hub", "partitions", "log-format", "log-level", "notify"}) {
    if (const auto value = arguments.Value(name)) {
      out.push_back(std::string("--") + name);
      out.push_back(*value);
    }
  }
  // A one-shot run's own workers serve one job and are thrown away: they poll as if always busy
  // (each queue at least every 10 ms x the worker's queue polls, 90 ms with 4 partitions).
  out.insert(out.end(), {"--idle-poll-ms", "10"});
  return out;
}

std::vector<OptionSpec> OwnWorkerOptionSpecs() {
  return {{"log-format", true, "the workers' log lines: text (default) or json", "F"},
          {"log-level", true, "the workers' log level: debug, info (default), warn, error", "L"},
          {"metrics-addr", true,
           "workers serve Prometheus metrics: worker i on HOST:PORT+i; scraped at the end and "
           "checked against the jobs",
           "HOST:PORT"},
          {"notify", true, "the workers' failure webhooks (see `fanfold worker --help`)", "SPECS"},
          {"keep-logs", false, "keep the workers' logs (and scrapes) even when all went well"}};
}

bool KeepWorkerLogs(const Arguments& arguments) {
  return arguments.Has("keep-logs") || arguments.Has("metrics-addr") ||
         arguments.ValueOr("log-format", "text") == "json";
}

storage::Result<JobRun> UploadAndWait(const pipelines::PipelineContext& context,
                                      const std::vector<std::string>& files,
                                      const pipelines::UploadOptions& options,
                                      std::chrono::seconds timeout, WorkerChildren& workers) {
  using Clock = std::chrono::steady_clock;
  JobRun run;
  const auto start = Clock::now();
  auto uploaded = UploadFiles(context, files, options);
  if (!uploaded.ok()) return uploaded.status();
  run.uploads = std::move(*uploaded);
  const auto events_posted = Clock::now();
  run.upload_seconds = std::chrono::duration<double>(events_posted - start).count();

  std::vector<std::string> jobs;
  for (const auto& upload : run.uploads)
    jobs.push_back(upload.job);
  JobWaitOptions wait;
  wait.timeout = timeout;
  wait.poll_interval = std::chrono::milliseconds(100);
  wait.check = [&workers] { return workers.CheckRunning(); };
  auto rows = WaitForJobs(context, jobs, wait);
  if (!rows.ok()) return rows.status();
  run.rows = std::move(*rows);
  run.job_seconds = std::chrono::duration<double>(Clock::now() - events_posted).count();
  return run;
}

bool PrintJobResults(const std::string& command, const JobRun& run,
                     const std::string& deployment_flags) {
  bool all_completed = true;
  for (std::size_t i = 0; i < run.rows.size(); ++i) {
    const auto& row = run.rows[i];
    if (i > 0) std::printf("\n");
    if (row.state != pipelines::JobState::kCompleted) {
      all_completed = false;
      std::printf("%s", JobResultText(row, nullptr).c_str());
      ExplainUnfinished(command, row, deployment_flags);
      continue;
    }
    auto result = ReadJobResult(row);
    if (!result.ok()) {
      all_completed = false;
      std::fprintf(stderr, "fanfold %s: %s\n", command.c_str(), result.status().message().c_str());
      continue;
    }
    std::printf("file %s\n%s", run.uploads[i].file.c_str(), JobResultText(row, &*result).c_str());
  }
  return all_completed;
}

std::string Seconds(double seconds) {
  char text[32];
  std::snprintf(text, sizeof text, "%.2f s", seconds);
  return text;
}

}  // namespace fanfold::cli
