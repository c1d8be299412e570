// fanfold worker: runs the trigger stage (blob events become jobs), the orchestrated pipeline's
// orchestrations and activities, and the chained pipeline's stages, until SIGTERM or SIGINT; then
// lets in-flight work finish and exits 0.
#include <unistd.h>

#include <chrono>
#include <csignal>
#include <cstdio>
#include <nlohmann/json.hpp>
#include <optional>
#include <thread>
#include <vector>

#include "cli/command.hpp"
#include "cli/hub_access.hpp"
#include "cli/worker_metrics.hpp"
#include "cli/worker_setup.hpp"
#include "orchestrator/worker.hpp"
#include "storage/counters.hpp"
#include "storage/fault_injecting_transport.hpp"
#include "telemetry/log.hpp"

namespace fanfold::cli {
namespace {

nlohmann::json StageStatsJson(const std::vector<std::unique_ptr<pipelines::QueueStage>>& stages) {
  nlohmann::json out = nlohmann::json::object();
  for (const auto& stage : stages) {
    const auto stats = stage->stats();
    out[stage->name()] = {{"handled", stats.handled},
                          {"retried", stats.retried},
                          {"deferred", stats.deferred},
                          {"poisoned", stats.poisoned},
                          {"errors", stats.errors}};
  }
  return out;
}

// {"lane": {"requests": n, "empty": m}}: which queues the polling bill is for.
nlohmann::json PollsByLaneJson(const std::vector<queuestore::PollPacer::LanePolls>& lanes) {
  nlohmann::json out = nlohmann::json::object();
  for (const auto& lane : lanes)
    out[lane.lane] = {{"requests", lane.requests}, {"empty", lane.empty_requests}};
  return out;
}

// For benchmarks: everything this process did so far, as one JSON object. `final` is false for
// the copies written while running, so a killed worker still leaves its counts up to then.
nlohmann::json WorkerStatsJson(const orchestrator::Worker& worker,
                               const std::vector<std::unique_ptr<pipelines::QueueStage>>& stages,
                               const storage::FaultInjectingTransport* faults, bool final) {
  const auto stats = worker.stats();
  nlohmann::json out = {{"final", final},
                        {"activities_completed", stats.activity.completed},
                        {"activities_failed", stats.activity.failed},
                        {"checkpoints", stats.orchestration.checkpoints},
                        {"lost_races", stats.orchestration.conflicts},
                        {"duplicates", stats.orchestration.duplicates},
                        {"full_replays", stats.orchestration.full_replays},
                        {"poll_requests", stats.poll_requests},
                        {"stages", StageStatsJson(stages)},
                        {"empty_poll_requests", stats.empty_poll_requests},
                        {"polls_by_lane", PollsByLaneJson(stats.polls_by_lane)},
                        {"storage", storage::StorageCounters::Global().Snapshot().ToJson()}};
  if (faults != nullptr) {
    const auto counts = faults->counts();
    out["faults"] = {{"requests", counts.requests},       {"injected", counts.total_faults()},
                     {"server_busy", counts.server_busy}, {"internal_error", counts.internal_error},
                     {"timeouts", counts.timeouts},       {"resets", counts.resets}};
  }
  return out;
}

// Written to a temporary name and renamed, so a reader never sees half a file.
bool WriteStatsFile(const std::string& path, const nlohmann::json& stats) {
  const std::string temporary = path + ".tmp";
  std::FILE* file = std::fopen(temporary.c_str(), "w");
  if (file == nullptr) return false;
  const std::string text = stats.dump(2) + "\n";
  const bool written = std::fwrite(text.data(), 1, text.size(), file) == text.size();
  return std::fclose(file) == 0 && written && std::rename(temporary.c_str(), path.c_str()) == 0;
}

int RunWorker(const Arguments& arguments) {
  if (!ConfigureWorkerLogging(arguments, "worker")) return kExitUsage;
  // Before any thread starts (the notifier's start in SetUpWorker), so that every thread inherits
  // the mask and only the watcher's sigwait takes SIGTERM: a thread started earlier would take
  // it and die with the default action instead of draining.
  const sigset_t signals = BlockStopSignals();
  int exit_code = kExitOk;
  auto setup = SetUpWorker(arguments, "worker", &exit_code);
  if (!setup) return exit_code;
  const auto& hub = setup->hub;
  const auto& faults = setup->faults;
  auto& stages = setup->stages;
  const int concurrency = setup->engine.activity_concurrency;
  orchestrator::Worker worker(hub, *setup->registry, setup->engine);

  std::unique_ptr<WorkerMetrics> metrics;
  if (const auto address = arguments.Value("metrics-addr")) {
    auto depth_interval = arguments.IntegerOr("metrics-queue-interval", 15, 1, 3600);
    if (!depth_interval.ok()) return ReportFailure("worker", depth_interval.status());
    auto started = WorkerMetrics::Start(
        *address,
        WorkerMetricsSources{&worker, &stages, ServedQueues(*setup->context, *hub, setup->chained),
                             std::chrono::seconds(*depth_interval)});
    if (!started.ok()) {
      std::fprintf(stderr, "fanfold worker: %s\n", started.status().message().c_str());
      return started.status().IsInvalidArgument() ? kExitUsage : kExitConfiguration;
    }
    metrics = std::move(*started);
  }

  // Signals are taken by a watcher thread (sigwait), never in a handler: Stop() takes a lock.
  std::atomic<bool> done{false};
  const std::optional<std::string> stats_file = arguments.Value("stats-file");
  std::thread watcher([&] {
    const timespec tick{0, 200'000'000};
    auto next_stats = std::chrono::steady_clock::now();
    while (!done.load()) {
      if (stats_file && std::chrono::steady_clock::now() >= next_stats) {
        (void)WriteStatsFile(*stats_file, WorkerStatsJson(worker, stages, faults.get(), false));
        next_stats += std::chrono::seconds(2);
      }
      const int signal = sigtimedwait(&signals, nullptr, &tick);
      if (signal == SIGINT || signal == SIGTERM) {
        telemetry::LogInfo("worker.stopping", {{"signal", signal == SIGINT ? "SIGINT" : "SIGTERM"},
                                               {"message", "finishing in-flight work"}});
        worker.Stop();
        for (auto& stage : stages)
          stage->Stop();
        return;
      }
    }
  });
  nlohmann::json started_fields = {
      {"hub", hub->names().history_table.substr(0, hub->names().history_table.size() - 7)},
      {"control_queues", hub->names().partition_count},
      {"concurrency", concurrency},
      {"pid", getpid()}};
  if (metrics) started_fields["metrics"] = "http://" + metrics->address() + "/metrics";
  if (setup->notifications) started_fields["webhooks"] = setup->notifications->target_count();
  telemetry::LogInfo("worker.started", started_fields);
  std::vector<std::thread> stage_threads;
  for (auto& stage : stages)
    stage_threads.emplace_back([&stage] { stage->Run(); });
  worker.Run();
  for (auto& stage : stages)
    stage->Stop();
  for (auto& thread : stage_threads)
    thread.join();
  done = true;
  watcher.join();
  const auto stats = worker.stats();
  const nlohmann::json final_stats = WorkerStatsJson(worker, stages, faults.get(), true);
  const nlohmann::json& requests = final_stats.at("storage");
  telemetry::LogInfo("worker.stopped",
                     {{"activities", stats.activity.completed + stats.activity.failed},
                      {"checkpoints", stats.orchestration.checkpoints},
                      {"lost_races", stats.orchestration.conflicts},
                      {"duplicates", stats.orchestration.duplicates},
                      {"storage_errors", stats.errors},
                      {"storage_requests", requests.at("total_attempts")}});
  if (stats_file && !WriteStatsFile(*stats_file, final_stats)) {
    std::fprintf(stderr, "fanfold worker: cannot write --stats-file %s\n", stats_file->c_str());
    return kExitFailure;
  }
  return kExitOk;
}

}  // namespace

Command WorkerCommand() {
  std::vector<OptionSpec> options = WorkerSetupOptions();
  options.push_back(
      {"stats-file", true,
       "write this process's counters as JSON here, every 2 s and on exit (\"final\": true)",
       "FILE"});
  options.push_back({"metrics-addr", true,
                     "serve Prometheus metrics at http://ADDR/metrics (e.g. 127.0.0.1:9464; port "
                     "0 picks one, logged in worker.started)",
                     "ADDR"});
  options.push_back({"metrics-queue-interval", true,
                     "seconds between reads of queue depths for /metrics (default 15; each read "
                     "is one billed request per queue)",
                     "S"});
  return Command{
      "worker",
      "run a worker: the trigger, both pipelines and the engine, until stopped",
      "[--concurrency N] [--prefix NAME] [--hub NAME]",
      "Creates the storage it needs (uploads container, queues, Jobs table, task hub)\n"
      "if missing, then polls and runs whatever work arrives: blob events become jobs,\n"
      "orchestrations and activities of the orchestrated pipeline, and the chained\n"
      "pipeline's split, aggregate and merge stages. Workers are stateless: any number,\n"
      "on any number of machines, can serve one deployment. SIGTERM or SIGINT lets\n"
      "in-flight work finish, then exits 0.\n"
      "FANFOLD_FAIL_CHUNKS=2,5 makes chunks 2 and 5 of every job fail (retry drills);\n"
      "FANFOLD_INJECT_FAULTS=0.05 makes 5% of its storage requests fail (fault drills).",
      options,
      RunWorker};
}

}  // namespace fanfold::cli
