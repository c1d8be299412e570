// One measured run of jobs, whatever the suite: a fresh deployment, the uploads on their
// schedule (all at once, or at a steady rate), optional worker kills, the wait for every job
// row to finish, then the stop and everything measured on the way. The suites turn the outcome
// into their JSON.
#pragma once

#include <map>
#include <string>
#include <vector>

#include "bench/pipeline_bench_deployment.hpp"
#include "bench/pipeline_bench_environment.hpp"
#include "bench/pipeline_bench_jobs.hpp"
#include "bench/pipeline_bench_logs.hpp"
#include "pipelines/job_rows.hpp"
#include "pipelines/upload_metadata.hpp"
#include "storage/counters.hpp"
#include "storage/result.hpp"

namespace fanfold::bench {

struct ExecutionSpec {
  std::vector<std::string> paths;
  pipelines::UploadOptions upload;
  int workers = 1;
  double rate_per_s = 0;  // 0: all at once (burst)
  double fault_rate = 0;  // FANFOLD_INJECT_FAULTS of every worker
  int kill_every_s = 0;   // 0: no kills
  std::chrono::milliseconds poll_interval{250};
  std::string label;  // for progress lines
};

struct ExecutionOutcome {
  std::vector<Submission> submissions;  // in upload order
  std::map<std::string, pipelines::JobRow> rows;
  storage::Status wait_status;  // Timeout when some job never finished
  DeploymentResult deployment;
  storage::CounterSnapshot driver_storage;  // the uploads and events only
  ProcessUsage driver;                      // this process, during the run
  CpuSample cpu_before;                     // at the first upload
  CpuSample cpu_after;                      // when the last job finished
  double window_seconds = 0;                // between the two samples
  double wall_seconds = 0;                  // deployment start to stop
  int kills = 0;
  std::map<std::string, JobTimeline> timelines;
  std::size_t log_lines = 0;  // JSON log lines read
};

// Non-OK only when the run could not be measured at all (Azurite or a worker would not start).
storage::Result<ExecutionOutcome> Execute(const BenchEnvironment& env, const ExecutionSpec& spec);

}  // namespace fanfold::bench
