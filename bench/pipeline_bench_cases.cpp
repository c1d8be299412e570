// Suites 2-4: many jobs per case. load: a split set uploaded all at once and at a steady rate;
// scale: the burst at several worker counts; faults: the steady load with injected storage
// faults in every worker and one worker SIGKILLed (and replaced) every few seconds.
#include <algorithm>
#include <cstdio>

#include "bench/pipeline_bench_execution.hpp"
#include "bench/pipeline_bench_suites.hpp"
#include "bench/pipeline_bench_summary.hpp"

namespace fanfold::bench {
namespace {

struct CaseSpec {
  std::string suite;
  std::string set;  // split set id
  int files = 0;    // the first N parts
  double rate_per_s = 0;
  pipelines::PipelineKind pipeline = pipelines::PipelineKind::kOrchestrated;
  int workers = 4;
  int chunks_per_file = 2;
  double fault_rate = 0;
  int kill_every_s = 0;
};

storage::Result<nlohmann::json> RunCase(const BenchEnvironment& env, const CaseSpec& spec) {
  const auto& all_parts = env.part_paths.at(spec.set);
  const std::size_t count = std::min<std::size_t>(all_parts.size(), spec.files);
  const std::string mode = spec.rate_per_s > 0 ? "steady" : "burst";
  const std::string label = spec.suite + " " + spec.set + " " + mode + " " +
                            pipelines::PipelineKindName(spec.pipeline) +
                            " workers=" + std::to_string(spec.workers);
  std::fprintf(stderr, "pipeline bench: %s: %zu files...\n", label.c_str(), count);
  ExecutionSpec exec;
  exec.paths.assign(all_parts.begin(), all_parts.begin() + static_cast<std::ptrdiff_t>(count));
  exec.upload.pipeline = spec.pipeline;
  exec.upload.chunk_count = static_cast<std::uint32_t>(spec.chunks_per_file);
  exec.workers = spec.workers;
  exec.rate_per_s = spec.rate_per_s;
  exec.fault_rate = spec.fault_rate;
  exec.kill_every_s = spec.kill_every_s;
  exec.label = label;
  auto outcome = Execute(env, exec);
  if (!outcome.ok()) return outcome.status();

  std::uint64_t bytes = 0;
  for (const auto& path : exec.paths) {
    if (const Reference* reference = env.ReferenceOf(path)) bytes += reference->bytes;
  }
  nlohmann::json out = {{"suite", spec.suite},
                        {"file_set", spec.set},
                        {"files", count},
                        {"bytes", bytes},
                        {"mode", mode}};
  if (spec.rate_per_s > 0) out["rate_per_s"] = spec.rate_per_s;
  out["pipeline"] = pipelines::PipelineKindName(spec.pipeline);
  out["workers"] = spec.workers;
  out["chunks_per_file"] = spec.chunks_per_file;
  if (spec.suite == "faults") {
    const long long injected = outcome->deployment.injected_faults;
    out["faults"] = {{"rate", spec.fault_rate},
                     {"injected", injected >= 0 ? nlohmann::json(injected) : nlohmann::json()},
                     {"kills", outcome->kills},
                     {"kill_every_s", spec.kill_every_s},
                     {"workers_without_stats", outcome->deployment.workers_without_stats}};
  }

  WallClock::time_point first_upload = WallClock::time_point::max();
  WallClock::time_point last_finished = WallClock::time_point::min();
  int completed = 0;
  int exact = 0;
  int failed = 0;
  int unfinished = 0;
  std::vector<double> latencies;
  nlohmann::json jobs = nlohmann::json::array();
  for (const auto& submission : outcome->submissions)
    first_upload = std::min(first_upload, submission.upload_start);
  for (const auto& submission : outcome->submissions) {
    nlohmann::json job = {{"file", submission.name},
                          {"job", submission.job},
                          {"submitted", SecondsBetween(first_upload, submission.upload_start)}};
    const auto it = outcome->rows.find(submission.job);
    const pipelines::JobRow* row =
        submission.job.empty() || it == outcome->rows.end() ? nullptr : &it->second;
    const bool finished = row != nullptr && pipelines::IsFinished(row->state) && row->finished;
    if (finished) {
      const auto at = FinishedTime(*row);
      last_finished = std::max(last_finished, at);
      job["finished"] = SecondsBetween(first_upload, at);
      job["latency_seconds"] = SecondsBetween(submission.upload_start, at);
    } else {
      job["finished"] = nullptr;
      job["latency_seconds"] = nullptr;
    }
    job["state"] = row != nullptr ? pipelines::JobStateName(row->state)
                                  : (submission.error.empty() ? "NotStarted" : "UploadFailed");
    const bool is_exact = row != nullptr && JobIsExact(*row, env.ReferenceOf(submission.path));
    job["exact"] = is_exact;
    if (row != nullptr && row->state == pipelines::JobState::kCompleted) {
      ++completed;
      latencies.push_back(job["latency_seconds"].get<double>());
    } else if (finished) {
      ++failed;
      if (!row->error.empty()) job["error"] = row->error;
    } else {
      ++unfinished;
      if (!submission.error.empty()) job["error"] = submission.error;
    }
    exact += is_exact ? 1 : 0;
    jobs.push_back(std::move(job));
  }
  const double wall = last_finished > first_upload ? SecondsBetween(first_upload, last_finished)
                                                   : outcome->window_seconds;
  out["wall_seconds"] = wall;
  out["jobs_per_minute"] = wall > 0 ? completed / (wall / 60.0) : 0.0;
  out["completed"] = completed;
  out["exact"] = exact;
  out["failed"] = failed;
  out["unfinished"] = unfinished + static_cast<int>(count - outcome->submissions.size());
  out["latency"] = LatencyJson(latencies);
  out["jobs"] = std::move(jobs);
  AddCostFields(outcome->deployment, outcome->driver_storage, "job", static_cast<double>(count),
                &out);
  out["cpu"] = CpuJson(outcome->cpu_before, outcome->cpu_after, outcome->window_seconds);
  out["run_seconds"] = outcome->wall_seconds;
  if (!outcome->wait_status.ok()) out["error"] = outcome->wait_status.ToString();

  const auto& latency = out["latency"];
  std::fprintf(stderr,
               "pipeline bench: %s: %d/%zu completed, %d exact, wall %.1f s, %.0f jobs/min, "
               "latency p50 %.2f p95 %.2f max %.2f s, cpu workers %.0f%% azurite %.0f%%\n",
               label.c_str(), completed, count, exact, wall, out["jobs_per_minute"].get<double>(),
               latency["p50"].get<double>(), latency["p95"].get<double>(),
               latency["max"].get<double>(), 100 * out["cpu"]["workers_share"].get<double>(),
               100 * out["cpu"]["azurite_share"].get<double>());
  return out;
}

constexpr pipelines::PipelineKind kPipelines[] = {pipelines::PipelineKind::kOrchestrated,
                                                  pipelines::PipelineKind::kChained};

double SteadyRate(const BenchEnvironment& env, const std::string& set) {
  return set.rfind("sf10", 0) == 0 ? env.plan.steady_rate_sf10 : env.plan.steady_rate_sf1;
}

}  // namespace

storage::Result<nlohmann::json> RunLoadSuite(const BenchEnvironment& env) {
  nlohmann::json cases = nlohmann::json::array();
  for (const auto& set : env.plan.load_sets) {
    for (const double rate : {0.0, SteadyRate(env, set)}) {
      for (const auto pipeline : kPipelines) {
        CaseSpec spec;
        spec.suite = "load";
        spec.set = set;
        spec.files = env.plan.parts_used;
        spec.rate_per_s = rate;
        spec.pipeline = pipeline;
        spec.workers = env.plan.load_workers;
        spec.chunks_per_file = env.plan.chunks_per_file;
        auto result = RunCase(env, spec);
        if (!result.ok()) return result.status();
        cases.push_back(std::move(*result));
      }
    }
  }
  return cases;
}

storage::Result<nlohmann::json> RunScaleSuite(const BenchEnvironment& env) {
  nlohmann::json cases = nlohmann::json::array();
  for (const auto& set : env.plan.scale_sets) {
    for (const int workers : env.plan.scale_workers) {
      for (const auto pipeline : kPipelines) {
        CaseSpec spec;
        spec.suite = "scale";
        spec.set = set;
        spec.files = env.plan.parts_used;
        spec.pipeline = pipeline;
        spec.workers = workers;
        spec.chunks_per_file = env.plan.chunks_per_file;
        auto result = RunCase(env, spec);
        if (!result.ok()) return result.status();
        cases.push_back(std::move(*result));
      }
    }
  }
  return cases;
}

storage::Result<nlohmann::json> RunFaultsSuite(const BenchEnvironment& env) {
  nlohmann::json cases = nlohmann::json::array();
  if (env.part_paths.count(env.plan.faults_set) == 0) return cases;
  for (const auto pipeline : kPipelines) {
    CaseSpec spec;
    spec.suite = "faults";
    spec.set = env.plan.faults_set;
    spec.files = env.plan.faults_files;
    spec.rate_per_s = env.plan.faults_rate_per_s;
    spec.pipeline = pipeline;
    spec.workers = env.plan.faults_workers;
    spec.chunks_per_file = env.plan.chunks_per_file;
    spec.fault_rate = env.options.fault_rate;
    spec.kill_every_s = env.plan.kill_every_s;
    auto result = RunCase(env, spec);
    if (!result.ok()) return result.status();
    cases.push_back(std::move(*result));
  }
  return cases;
}

}  // namespace fanfold::bench
