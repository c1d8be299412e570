// fanfold worker: runs the trigger stage (blob events become jobs), the orchestrated pipeline's
// orchestrations and activities, and the chained pipeline's stages, until SIGTERM or SIGINT; then
// lets in-flight work finish and exits 0.
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <limits>
#include <map>
#include <nlohmann/json.hpp>
#include <optional>
#include <set>
#include <thread>
#include <vector>

#include "cli/command.hpp"
#include "cli/hub_access.hpp"
#include "cli/pipeline_access.hpp"
#include "cli/worker_registry.hpp"
#include "orchestrator/worker.hpp"
#include "pipelines/chained/chained_pipeline.hpp"
#include "pipelines/orchestrated/mean_balance_orchestration.hpp"
#include "pipelines/tenants.hpp"
#include "pipelines/trigger.hpp"
#include "storage/counters.hpp"
#include "storage/fault_injecting_transport.hpp"
#include "storage/pipeline.hpp"
#include "telemetry/log.hpp"

namespace fanfold::cli {
namespace {

using orchestrator::CommitStep;

// FANFOLD_CRASH_AT=after-history:3 kills this process (SIGKILL, no clean-up) the 3rd time a
// checkpoint reaches that step: how the crash tests stop a real worker at an exact point.
std::function<bool(CommitStep)> CrashHookFromEnvironment() {
  const char* spec = std::getenv("FANFOLD_CRASH_AT");
  if (spec == nullptr || *spec == '\0') return nullptr;
  const std::string text = spec;
  const auto colon = text.find(':');
  const std::string name = text.substr(0, colon);
  const int nth = colon == std::string::npos ? 1 : std::atoi(text.c_str() + colon + 1);
  CommitStep step;
  if (name == "before-history") {
    step = CommitStep::kBeforeHistory;
  } else if (name == "after-history") {
    step = CommitStep::kAfterHistory;
  } else if (name == "after-sends") {
    step = CommitStep::kAfterSends;
  } else if (name == "before-delete") {
    step = CommitStep::kAfterStatus;
  } else {
    std::fprintf(stderr, "fanfold worker: ignoring unknown FANFOLD_CRASH_AT step '%s'\n",
                 name.c_str());
    return nullptr;
  }
  auto arrivals = std::make_shared<std::atomic<int>>(0);
  return [step, nth, arrivals](CommitStep at) {
    if (at == step && ++*arrivals == nth) std::raise(SIGKILL);
    return false;
  };
}

// FANFOLD_FAIL_CHUNKS=2,5 fails the aggregate of chunks 2 and 5 of every job this worker runs,
// as an unreadable range would: how the retry drills and tests make chunks fail for real.
void InstallChunkFaultFromEnvironment(pipelines::PipelineContext& context) {
  const char* spec = std::getenv("FANFOLD_FAIL_CHUNKS");
  if (spec == nullptr || *spec == '\0') return;
  auto failing = std::make_shared<std::set<std::uint32_t>>();
  std::string text = spec;
  std::size_t at = 0;
  while (at <= text.size()) {
    const std::size_t comma = std::min(text.find(',', at), text.size());
    const std::string item = text.substr(at, comma - at);
    if (!item.empty())
      failing->insert(static_cast<std::uint32_t>(std::strtoul(item.c_str(), nullptr, 10)));
    at = comma + 1;
  }
  std::fprintf(
      stderr, "fanfold worker: FANFOLD_FAIL_CHUNKS is set: failing chunks %s of every job\n", spec);
  context.chunk_fault = [failing](const std::string&, std::uint32_t chunk) {
    if (failing->count(chunk) == 0) return storage::Status::Ok();
    return storage::Status::IoError("chunk " + std::to_string(chunk) +
                                    " cannot be read (injected by FANFOLD_FAIL_CHUNKS)");
  };
}

// FANFOLD_INJECT_FAULTS=0.05 makes 5% of this worker's storage requests fail before they are sent
// (503, 500, timeout and connection reset in equal shares): the fault drills and the benchmark's
// faults suite. Lost responses are left out: they are tested on their own (storage tests).
std::shared_ptr<storage::FaultInjectingTransport> InstallStorageFaultsFromEnvironment() {
  const char* spec = std::getenv("FANFOLD_INJECT_FAULTS");
  if (spec == nullptr || *spec == '\0') return nullptr;
  const double rate = std::strtod(spec, nullptr);
  if (!(rate > 0 && rate < 1)) {
    telemetry::LogWarn("worker.config",
                       {{"message", "ignoring FANFOLD_INJECT_FAULTS: want a share in (0, 1)"}});
    return nullptr;
  }
  storage::FaultOptions faults;
  faults.server_busy_rate = faults.internal_error_rate = faults.timeout_rate = faults.reset_rate =
      rate / 4;
  faults.seed = static_cast<std::uint64_t>(getpid()) * 7919u + 17u;
  auto transport =
      std::make_shared<storage::FaultInjectingTransport>(storage::DefaultTransport(), faults);
  storage::SetDefaultTransport(transport);
  telemetry::LogWarn("worker.config",
                     {{"message", "FANFOLD_INJECT_FAULTS is set: storage requests fail on purpose"},
                      {"fault_rate", rate}});
  return transport;
}

// --log-format and --log-level; every line names this worker (host:pid).
bool ConfigureWorkerLogging(const Arguments& arguments) {
  telemetry::LogOptions log;
  const auto format = telemetry::ParseLogFormat(arguments.ValueOr("log-format", "text"));
  const auto level = telemetry::ParseLogLevel(arguments.ValueOr("log-level", "info"));
  if (!format || !level) {
    std::fprintf(stderr,
                 "fanfold worker: --log-format is text or json; --log-level is debug, info, warn "
                 "or error\n");
    return false;
  }
  log.format = *format;
  log.min_level = *level;
  log.worker = pipelines::ThisWorkerName();
  telemetry::ConfigureLogging(log);
  return true;
}

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
                        {"polls", stats.polls},
                        {"stages", StageStatsJson(stages)},
                        {"empty_polls", stats.empty_polls},
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
  if (!ConfigureWorkerLogging(arguments)) return kExitUsage;
  const auto faults = InstallStorageFaultsFromEnvironment();
  int exit_code = kExitOk;
  auto hub = OpenHub(arguments, &exit_code);
  if (hub == nullptr) return exit_code;
  auto context = OpenPipelines(arguments, &exit_code);
  if (context == nullptr) return exit_code;
  InstallChunkFaultFromEnvironment(*context);
  auto concurrency = arguments.IntegerOr("concurrency", 2, 1, 256);
  if (!concurrency.ok()) return ReportFailure("worker", concurrency.status());
  const storage::Status created = hub->CreateIfNotExists();
  if (!created.ok()) return ReportFailure("worker", created);

  auto visibility = arguments.IntegerOr("visibility-timeout", 60, 2, 7 * 24 * 3600);
  if (!visibility.ok()) return ReportFailure("worker", visibility.status());
  auto max_dequeue = arguments.IntegerOr("max-dequeue", 5, 1, 1000);
  if (!max_dequeue.ok()) return ReportFailure("worker", max_dequeue.status());
  auto chunk_attempts = arguments.IntegerOr("chunk-attempts", 3, 1, 100);
  if (!chunk_attempts.ok()) return ReportFailure("worker", chunk_attempts.status());
  auto max_file_bytes = arguments.IntegerOr(
      "max-file-bytes", static_cast<long long>(activities::kDefaultMaxFileBytes), 1,
      std::numeric_limits<long long>::max());
  if (!max_file_bytes.ok()) return ReportFailure("worker", max_file_bytes.status());
  const auto default_pipeline =
      pipelines::ParsePipelineKind(arguments.ValueOr("default-pipeline", "orchestrated"));
  if (!default_pipeline) {
    std::fprintf(stderr, "fanfold worker: --default-pipeline must be orchestrated or chained\n");
    return kExitUsage;
  }
  const bool run_trigger = !arguments.Has("no-trigger");
  const bool run_chained = !arguments.Has("no-chained");
  // Tenant limits: --tenants FILE, else $FANFOLD_TENANTS_FILE, else none (no limits).
  auto tenants = pipelines::LoadTenantsFromFlagOrEnv(arguments.ValueOr("tenants", ""));
  if (!tenants.ok()) {
    std::fprintf(stderr, "fanfold worker: %s\n", tenants.status().message().c_str());
    return kExitConfiguration;
  }

  const storage::Status common = context->CreateCommonResources();
  if (!common.ok()) return ReportFailure("worker", common);
  if (run_chained) {
    const storage::Status chained = pipelines::chained::PrepareChainedResources(*context);
    if (!chained.ok()) return ReportFailure("worker", chained);
  }

  orchestrator::WorkerOptions options;
  options.activity_concurrency = static_cast<int>(*concurrency);
  auto idle_poll = arguments.IntegerOr("max-idle-poll-ms", 250, 10, 60'000);
  if (!idle_poll.ok()) return ReportFailure("worker", idle_poll.status());
  options.max_poll_interval = std::chrono::milliseconds(*idle_poll);
  options.orchestration.visibility_timeout = std::chrono::seconds(*visibility);
  options.activity.visibility_timeout = std::chrono::seconds(*visibility);
  // Control messages also come back when a checkpoint loses a race (the optimistic cache
  // releases the batch to redo it from storage), so their count rises with contention, not only
  // with crashes: their poison threshold never goes below 10.
  options.orchestration.max_dequeue_count = std::max(static_cast<int>(*max_dequeue), 10);
  options.activity.max_dequeue_count = static_cast<int>(*max_dequeue);
  options.run_orchestrations = !arguments.Has("activities-only");
  options.run_activities = !arguments.Has("orchestrations-only");
  options.orchestration.crash_at = CrashHookFromEnvironment();
  const auto registry = BuildWorkerRegistry(context);
  orchestrator::Worker worker(hub, *registry, options);

  // The queue-fed stages: the trigger and the chained pipeline's split, aggregate and merge.
  std::vector<std::unique_ptr<pipelines::QueueStage>> stages;
  pipelines::QueueStageOptions stage_options;
  stage_options.concurrency = static_cast<int>(*concurrency);
  stage_options.visibility_timeout = std::chrono::seconds(*visibility);
  stage_options.max_dequeue = static_cast<int>(*max_dequeue);
  stage_options.max_poll_interval = std::chrono::milliseconds(*idle_poll);
  if (run_trigger) {
    pipelines::TriggerOptions trigger_options;
    trigger_options.default_pipeline = *default_pipeline;
    trigger_options.max_file_bytes = static_cast<std::uint64_t>(*max_file_bytes);
    trigger_options.max_attempts = static_cast<int>(*chunk_attempts);
    if (tenants->has_value()) {
      trigger_options.tenants =
          std::make_shared<const pipelines::TenantsConfig>(std::move(**tenants));
    }
    std::map<pipelines::PipelineKind, pipelines::JobDispatcher> dispatchers = {
        {pipelines::PipelineKind::kOrchestrated,
         [hub](const pipelines::JobSpec& spec) {
           return pipelines::orchestrated::StartOrchestratedJob(hub, spec);
         }},
        {pipelines::PipelineKind::kChained, [context](const pipelines::JobSpec& spec) {
           return pipelines::chained::StartChainedJob(*context, spec);
         }}};
    auto trigger = std::make_shared<const pipelines::Trigger>(context, trigger_options,
                                                              std::move(dispatchers));
    stages.push_back(pipelines::MakeTriggerStage(context, trigger, stage_options));
  }
  if (run_chained) {
    pipelines::chained::ChainedStageOptions chained_options;
    chained_options.aggregate_concurrency = static_cast<int>(*concurrency);
    chained_options.visibility_timeout = std::chrono::seconds(*visibility);
    chained_options.max_dequeue = static_cast<int>(*max_dequeue);
    chained_options.max_poll_interval = std::chrono::milliseconds(*idle_poll);
    // A killed merger's partials come back after this: as long as a message's visibility, but
    // never so short that a merge in progress could lose them (a merge takes well under 10 s).
    chained_options.merge_hold_timeout =
        std::max(std::chrono::seconds(10), std::chrono::seconds(*visibility));
    for (auto& stage : pipelines::chained::MakeChainedStages(context, chained_options)) {
      stages.push_back(std::move(stage));
    }
  }

  // Signals are taken by a watcher thread (sigwait), never in a handler: Stop() takes a lock.
  sigset_t signals;
  sigemptyset(&signals);
  sigaddset(&signals, SIGINT);
  sigaddset(&signals, SIGTERM);
  pthread_sigmask(SIG_BLOCK, &signals, nullptr);
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
  telemetry::LogInfo(
      "worker.started",
      {{"hub", hub->names().history_table.substr(0, hub->names().history_table.size() - 7)},
       {"control_queues", hub->names().partition_count},
       {"concurrency", *concurrency},
       {"pid", getpid()}});
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
  std::vector<OptionSpec> options = PipelineOptions();
  options.push_back({"concurrency", true, "activities run at once (default 2)", "N"});
  options.push_back({"orchestrations-only", false, "do not run activities"});
  options.push_back({"activities-only", false, "do not run orchestrations"});
  options.push_back({"visibility-timeout", true,
                     "seconds a taken message stays hidden; a dead worker's work reappears "
                     "after this (default 60)",
                     "S"});
  options.push_back(
      {"stats-file", true,
       "write this process's counters as JSON here, every 2 s and on exit (\"final\": true)",
       "FILE"});
  options.push_back({"max-dequeue", true,
                     "deliveries before a message goes to the poison queue (default 5)", "N"});
  options.push_back({"no-trigger", false, "do not turn blob events into jobs"});
  options.push_back({"no-chained", false, "do not run the chained pipeline's stages"});
  options.push_back({"default-pipeline", true,
                     "pipeline of an upload whose metadata names none (orchestrated, chained; "
                     "default orchestrated)",
                     "P"});
  options.push_back(
      {"max-file-bytes", true, "larger uploads are refused at the trigger (default 64 GiB)", "N"});
  options.push_back({"tenants", true,
                     "per-tenant ingestion limits (default $FANFOLD_TENANTS_FILE; none: no limits)",
                     "FILE"});
  options.push_back({"chunk-attempts", true,
                     "attempts of each chunk before it counts as failed (default 3)", "N"});
  options.push_back({"log-format", true,
                     "text (default: one readable line per event) or json (one object per line)",
                     "F"});
  options.push_back({"log-level", true, "debug, info (default), warn or error", "L"});
  options.push_back({"max-idle-poll-ms", true,
                     "longest wait between polls of an idle queue (default 250)", "MS"});
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
