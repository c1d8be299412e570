// What `fanfold worker` and `fanfold serve-functions` share: the flags that shape the work, the
// drills set by environment variables, the storage both create, and the stages and engine
// options built from the flags.
#include "cli/worker_setup.hpp"

#include <unistd.h>

#include <algorithm>
#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <limits>
#include <map>
#include <set>

#include "cli/hub_access.hpp"
#include "cli/pipeline_access.hpp"
#include "cli/worker_registry.hpp"
#include "pipelines/chained/chained_pipeline.hpp"
#include "pipelines/orchestrated/mean_balance_orchestration.hpp"
#include "pipelines/tenants.hpp"
#include "pipelines/trigger.hpp"
#include "storage/ascii_text.hpp"
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
  for (const std::string& item : storage::SplitCommas(spec)) {
    if (!item.empty())
      failing->insert(static_cast<std::uint32_t>(std::strtoul(item.c_str(), nullptr, 10)));
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

}  // namespace

// --log-format and --log-level; every line names this worker (host:pid).
bool ConfigureWorkerLogging(const Arguments& arguments, const char* command) {
  telemetry::LogOptions log;
  const auto format = telemetry::ParseLogFormat(arguments.ValueOr("log-format", "text"));
  const auto level = telemetry::ParseLogLevel(arguments.ValueOr("log-level", "info"));
  if (!format || !level) {
    std::fprintf(stderr,
                 "fanfold %s: --log-format is text or json; --log-level is debug, info, warn or "
                 "error\n",
                 command);
    return false;
  }
  log.format = *format;
  log.min_level = *level;
  log.worker = telemetry::ThisProcessName();
  telemetry::ConfigureLogging(log);
  return true;
}
// Every queue this worker takes work from, and the poison queues: what /metrics reports depths of.
std::vector<queuestore::QueueClient> ServedQueues(const pipelines::PipelineContext& context,
                                                  const orchestrator::TaskHub& hub, bool chained) {
  std::vector<queuestore::QueueClient> queues;
  const auto& names = context.names;
  for (const auto& name : {names.events_queue, names.events_poison_queue})
    queues.push_back(context.Queue(name));
  if (chained) {
    for (const auto& name : {names.chain_split_queue, names.chain_chunks_queue,
                             names.chain_merge_queue, names.chain_poison_queue})
      queues.push_back(context.Queue(name));
  }
  queues.push_back(hub.work_item_queue());
  for (int partition = 0; partition < hub.names().partition_count; ++partition)
    queues.push_back(hub.control_queue(partition));
  queues.push_back(hub.poison_queue());
  return queues;
}

std::optional<WorkerSetup> SetUpWorker(const Arguments& arguments, const char* command,
                                       int* exit_code) {
  const auto Fail = [exit_code](int code) -> std::optional<WorkerSetup> {
    *exit_code = code;
    return std::nullopt;
  };
  WorkerSetup setup;
  auto notifications = FailureNotifications::FromArguments(arguments);
  if (!notifications.ok()) {
    std::fprintf(stderr, "fanfold %s: --notify / FANFOLD_NOTIFY_WEBHOOKS: %s\n", command,
                 notifications.status().message().c_str());
    return Fail(kExitUsage);
  }
  setup.notifications = std::move(*notifications);
  setup.faults = InstallStorageFaultsFromEnvironment();
  auto hub = OpenHub(arguments, exit_code);
  if (hub == nullptr) return std::nullopt;
  auto context = OpenPipelines(arguments, exit_code);
  if (context == nullptr) return std::nullopt;
  InstallChunkFaultFromEnvironment(*context);
  auto concurrency = arguments.IntegerOr("concurrency", 2, 1, 256);
  if (!concurrency.ok()) return Fail(ReportFailure(command, concurrency.status()));
  const storage::Status created = hub->CreateIfNotExists();
  if (!created.ok()) return Fail(ReportFailure(command, created));

  auto visibility = arguments.IntegerOr("visibility-timeout", 60, 2, 7 * 24 * 3600);
  if (!visibility.ok()) return Fail(ReportFailure(command, visibility.status()));
  auto max_dequeue = arguments.IntegerOr("max-dequeue", 5, 1, 1000);
  if (!max_dequeue.ok()) return Fail(ReportFailure(command, max_dequeue.status()));
  auto chunk_attempts = arguments.IntegerOr("chunk-attempts", 3, 1, 100);
  if (!chunk_attempts.ok()) return Fail(ReportFailure(command, chunk_attempts.status()));
  auto max_file_bytes = arguments.IntegerOr(
      "max-file-bytes", static_cast<long long>(activities::kDefaultMaxFileBytes), 1,
      std::numeric_limits<long long>::max());
  if (!max_file_bytes.ok()) return Fail(ReportFailure(command, max_file_bytes.status()));
  const auto default_pipeline =
      pipelines::ParsePipelineKind(arguments.ValueOr("default-pipeline", "orchestrated"));
  if (!default_pipeline) {
    std::fprintf(stderr, "fanfold %s: --default-pipeline must be orchestrated or chained\n",
                 command);
    return Fail(kExitUsage);
  }
  const bool run_trigger = !arguments.Has("no-trigger");
  const bool run_chained = !arguments.Has("no-chained");
  // Tenant limits: --tenants FILE, else $FANFOLD_TENANTS_FILE, else none (no limits).
  auto tenants = pipelines::LoadTenantsFromFlagOrEnv(arguments.ValueOr("tenants", ""));
  if (!tenants.ok()) {
    std::fprintf(stderr, "fanfold %s: %s\n", command, tenants.status().message().c_str());
    return Fail(kExitConfiguration);
  }

  const storage::Status common = context->CreateCommonResources();
  if (!common.ok()) return Fail(ReportFailure(command, common));
  if (run_chained) {
    const storage::Status chained = pipelines::chained::PrepareChainedResources(*context);
    if (!chained.ok()) return Fail(ReportFailure(command, chained));
  }

  orchestrator::WorkerOptions& options = setup.engine;
  options.activity_concurrency = static_cast<int>(*concurrency);
  // One pacer for every queue this process reads: its idle cost is the worker's, not the queue's.
  auto idle_poll = arguments.IntegerOr("idle-poll-ms", 6000, 10, 3'600'000);
  if (!idle_poll.ok()) return Fail(ReportFailure(command, idle_poll.status()));
  queuestore::PollPacerOptions pacing;
  pacing.idle_interval = std::chrono::milliseconds(*idle_poll);
  auto pacer = std::make_shared<queuestore::PollPacer>(pacing);
  options.pacer = pacer;
  // Control-queue ownership: the lease length is what a killed worker's partitions wait before
  // another worker polls them; rounds come at a third of it.
  auto lease = arguments.IntegerOr("partition-lease-seconds", 30, 15, 60);
  if (!lease.ok()) return Fail(ReportFailure(command, lease.status()));
  options.leases.enabled = !arguments.Has("no-partition-leases");
  options.leases.lease_duration = std::chrono::seconds(*lease);
  options.leases.round_interval = std::chrono::seconds(std::max<long long>(*lease / 3, 5));
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

  // The queue-fed stages: the trigger and the chained pipeline's split, aggregate and merge.
  auto& stages = setup.stages;
  pipelines::QueueStageOptions stage_options;
  stage_options.concurrency = static_cast<int>(*concurrency);
  stage_options.visibility_timeout = std::chrono::seconds(*visibility);
  stage_options.max_dequeue = static_cast<int>(*max_dequeue);
  stage_options.pacer = pacer;
  if (run_trigger) {
    pipelines::TriggerOptions trigger_options;
    trigger_options.default_pipeline = *default_pipeline;
    trigger_options.max_file_bytes = static_cast<std::uint64_t>(*max_file_bytes);
    trigger_options.max_attempts = static_cast<int>(*chunk_attempts);
    if (tenants->has_value()) {
      trigger_options.tenants =
          std::make_shared<const pipelines::TenantsConfig>(std::move(**tenants));
    }
    // The trigger starts a job through its pipeline, whichever it is.
    auto job_pipelines = std::make_shared<const pipelines::JobPipelines>(
        context, [hub]() -> storage::Result<std::shared_ptr<const orchestrator::TaskHub>> {
          return std::shared_ptr<const orchestrator::TaskHub>(hub);
        });
    auto dispatchers = pipelines::StartersOf(job_pipelines);
    auto trigger = std::make_shared<const pipelines::Trigger>(context, trigger_options,
                                                              std::move(dispatchers));
    stages.push_back(pipelines::MakeTriggerStage(context, trigger, stage_options));
  }
  if (run_chained) {
    pipelines::chained::ChainedStageOptions chained_options;
    chained_options.aggregate_concurrency = static_cast<int>(*concurrency);
    chained_options.visibility_timeout = std::chrono::seconds(*visibility);
    chained_options.max_dequeue = static_cast<int>(*max_dequeue);
    chained_options.pacer = pacer;
    // A killed merger's partials come back after this: as long as a message's visibility, but
    // never so short that a merge in progress could lose them (a merge takes well under 10 s).
    chained_options.merge_hold_timeout =
        std::max(std::chrono::seconds(10), std::chrono::seconds(*visibility));
    for (auto& stage : pipelines::chained::MakeChainedStages(context, chained_options)) {
      stages.push_back(std::move(stage));
    }
  }

  setup.chained = run_chained;
  setup.registry = BuildWorkerRegistry(context);
  setup.hub = std::move(hub);
  setup.context = std::move(context);
  return setup;
}

sigset_t BlockStopSignals() {
  sigset_t signals;
  sigemptyset(&signals);
  sigaddset(&signals, SIGINT);
  sigaddset(&signals, SIGTERM);
  pthread_sigmask(SIG_BLOCK, &signals, nullptr);
  return signals;
}

std::vector<OptionSpec> WorkerSetupOptions() {
  std::vector<OptionSpec> options = PipelineOptions();
  options.push_back({"notify", true,
                     "webhooks told of failed jobs and poisoned messages: comma-separated "
                     "slack=URL, teams=URL, json=URL or URL (default $FANFOLD_NOTIFY_WEBHOOKS)",
                     "SPECS"});
  options.push_back({"concurrency", true, "activities run at once (default 2)", "N"});
  options.push_back({"orchestrations-only", false, "do not run activities"});
  options.push_back({"activities-only", false, "do not run orchestrations"});
  options.push_back({"visibility-timeout", true,
                     "seconds a taken message stays hidden; a dead worker's work reappears "
                     "after this (default 60)",
                     "S"});
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
  options.push_back({"partition-lease-seconds", true,
                     "length of the control-queue leases, 15-60 (default 30): a busy worker owns "
                     "its share of the control queues and renews every third of it; a killed "
                     "worker's queues wait up to this long for another owner",
                     "S"});
  options.push_back({"no-partition-leases", false,
                     "poll every control queue, owning none (what serve-functions does)"});
  options.push_back({"idle-poll-ms", true,
                     "once every queue is idle, the worker polls once per MS on average, taking "
                     "its queues in turn (default 6000: 600 billed requests an hour); a message "
                     "after a quiet period may wait up to MS x the number of queues",
                     "MS"});
  return options;
}

}  // namespace fanfold::cli
