#include "bench/pipeline_bench_execution.hpp"

#include <atomic>
#include <cstdio>
#include <mutex>
#include <thread>

namespace fanfold::bench {
namespace {

using Steady = std::chrono::steady_clock;

// The uploads of one run, made on their own thread so that a steady rate is kept however long
// the polls take; the waiting side reads what has been submitted so far.
class Uploader {
 public:
  Uploader(const pipelines::PipelineContext& context, const ExecutionSpec& spec)
      : context_(context), spec_(spec) {}
  ~Uploader() {
    if (thread_.joinable()) thread_.join();
  }

  void Start() {
    thread_ = std::thread([this] { Run(); });
  }
  void Join() {
    if (thread_.joinable()) thread_.join();
  }
  bool done() const { return done_.load(); }
  std::vector<std::string> jobs() const {
    std::lock_guard<std::mutex> lock(mutex_);
    std::vector<std::string> ids;
    for (const auto& submission : submissions_)
      if (!submission.job.empty()) ids.push_back(submission.job);
    return ids;
  }
  std::vector<Submission> submissions() const {
    std::lock_guard<std::mutex> lock(mutex_);
    return submissions_;
  }

 private:
  void Run() {
    const auto start = Steady::now();
    for (std::size_t i = 0; i < spec_.paths.size(); ++i) {
      if (spec_.rate_per_s > 0) {
        std::this_thread::sleep_until(
            start + std::chrono::duration_cast<Steady::duration>(
                        std::chrono::duration<double>(static_cast<double>(i) / spec_.rate_per_s)));
      }
      Submission submission = SubmitFile(context_, spec_.paths[i], spec_.upload);
      if (!submission.error.empty()) {
        std::fprintf(stderr, "pipeline bench: upload of %s failed: %s\n", spec_.paths[i].c_str(),
                     submission.error.c_str());
      }
      std::lock_guard<std::mutex> lock(mutex_);
      submissions_.push_back(std::move(submission));
    }
    done_ = true;
  }

  const pipelines::PipelineContext& context_;
  const ExecutionSpec& spec_;
  mutable std::mutex mutex_;
  std::vector<Submission> submissions_;
  std::atomic<bool> done_{false};
  std::thread thread_;
};

}  // namespace

storage::Result<ExecutionOutcome> Execute(const BenchEnvironment& env, const ExecutionSpec& spec) {
  ExecutionOutcome outcome;
  const auto wall_start = Steady::now();
  const ProcessUsage driver_before = SelfUsage();
  WorkerSettings settings = env.workers;
  settings.fault_rate = spec.fault_rate;
  auto started = Deployment::Start(settings, spec.workers);
  if (!started.ok()) return started.status();
  Deployment& deployment = **started;

  // The uploads count in the global counters (the driver's share of the run); the polls of the
  // Jobs table are the benchmark's own cost and go to counters nobody reports.
  const pipelines::PipelineContext uploads(deployment.account(), pipelines::PipelineNames{});
  storage::StorageCounters observer_counters;
  storage::PipelineOptions observer_options;
  observer_options.counters = &observer_counters;
  const pipelines::PipelineContext observer(deployment.account(), pipelines::PipelineNames{},
                                            observer_options);
  FANFOLD_RETURN_IF_ERROR(uploads.CreateCommonResources());
  const storage::CounterSnapshot driver_start = storage::StorageCounters::Global().Snapshot();

  Uploader uploader(uploads, spec);
  outcome.cpu_before = deployment.SampleCpu();
  const auto window_start = Steady::now();
  uploader.Start();

  auto next_kill = window_start + std::chrono::seconds(spec.kill_every_s);
  WaitSettings wait;
  wait.poll_interval = spec.poll_interval;
  wait.deadline =
      WallClock::now() + std::chrono::seconds(env.options.job_timeout_s) +
      std::chrono::duration_cast<std::chrono::seconds>(std::chrono::duration<double>(
          spec.rate_per_s > 0 ? static_cast<double>(spec.paths.size()) / spec.rate_per_s : 0.0));
  wait.all_submitted = [&] { return uploader.done(); };
  wait.expected = [&] { return uploader.jobs(); };
  wait.on_poll = [&]() -> storage::Status {
    // Kills stop with the uploads: the last jobs then finish on workers that live, as the
    // steady state of a platform restarting crashed workers would have them.
    if (spec.kill_every_s > 0 && Steady::now() >= next_kill && !uploader.done()) {
      std::fprintf(stderr, "pipeline bench: %s: SIGKILL one worker, starting a fresh one\n",
                   spec.label.c_str());
      FANFOLD_RETURN_IF_ERROR(deployment.KillAndReplace());
      next_kill += std::chrono::seconds(spec.kill_every_s);
    }
    return deployment.CheckWorkers();
  };
  outcome.wait_status = WaitForJobRows(observer, wait, &outcome.rows);
  outcome.cpu_after = deployment.SampleCpu();
  outcome.window_seconds = std::chrono::duration<double>(Steady::now() - window_start).count();
  uploader.Join();
  outcome.submissions = uploader.submissions();
  outcome.driver_storage = storage::StorageCounters::Global().Snapshot() - driver_start;
  outcome.kills = deployment.kills();

  outcome.deployment = deployment.Stop();
  started->reset();
  outcome.wall_seconds = std::chrono::duration<double>(Steady::now() - wall_start).count();
  const ProcessUsage driver_after = SelfUsage();
  outcome.driver = driver_after;
  outcome.driver.user_seconds -= driver_before.user_seconds;
  outcome.driver.system_seconds -= driver_before.system_seconds;
  outcome.driver.exit = "running";
  outcome.deployment.processes.push_back(outcome.driver);

  WorkerLogSet logs;
  for (const auto& log : outcome.deployment.logs) {
    logs.paths_and_names.emplace_back(log.path, log.name);
    logs.names_by_pid[log.pid] = log.name;
  }
  outcome.timelines = ReadTimelines(logs, &outcome.log_lines);
  return outcome;
}

}  // namespace fanfold::bench
