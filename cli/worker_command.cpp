// fanfold worker: runs the hub's orchestrations and activities until SIGTERM or SIGINT, then
// lets in-flight work finish and exits 0.
#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <nlohmann/json.hpp>
#include <thread>

#include "cli/command.hpp"
#include "cli/hub_access.hpp"
#include "cli/worker_registry.hpp"
#include "orchestrator/worker.hpp"
#include "storage/counters.hpp"

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

int RunWorker(const Arguments& arguments) {
  int exit_code = kExitOk;
  auto hub = OpenHub(arguments, &exit_code);
  if (hub == nullptr) return exit_code;
  auto concurrency = arguments.IntegerOr("concurrency", 2, 1, 256);
  if (!concurrency.ok()) return ReportFailure("worker", concurrency.status());
  const storage::Status created = hub->CreateIfNotExists();
  if (!created.ok()) return ReportFailure("worker", created);

  auto visibility = arguments.IntegerOr("visibility-timeout", 60, 2, 7 * 24 * 3600);
  if (!visibility.ok()) return ReportFailure("worker", visibility.status());
  auto max_dequeue = arguments.IntegerOr("max-dequeue", 5, 1, 1000);
  if (!max_dequeue.ok()) return ReportFailure("worker", max_dequeue.status());

  orchestrator::WorkerOptions options;
  options.activity_concurrency = static_cast<int>(*concurrency);
  auto idle_poll = arguments.IntegerOr("max-idle-poll-ms", 250, 10, 60'000);
  if (!idle_poll.ok()) return ReportFailure("worker", idle_poll.status());
  options.max_poll_interval = std::chrono::milliseconds(*idle_poll);
  options.orchestration.visibility_timeout = std::chrono::seconds(*visibility);
  options.activity.visibility_timeout = std::chrono::seconds(*visibility);
  options.orchestration.max_dequeue_count = static_cast<int>(*max_dequeue);
  options.activity.max_dequeue_count = static_cast<int>(*max_dequeue);
  options.run_orchestrations = !arguments.Has("activities-only");
  options.run_activities = !arguments.Has("orchestrations-only");
  options.orchestration.crash_at = CrashHookFromEnvironment();
  const auto registry = BuildWorkerRegistry();
  orchestrator::Worker worker(hub, *registry, options);

  // Signals are taken by a watcher thread (sigwait), never in a handler: Stop() takes a lock.
  sigset_t signals;
  sigemptyset(&signals);
  sigaddset(&signals, SIGINT);
  sigaddset(&signals, SIGTERM);
  pthread_sigmask(SIG_BLOCK, &signals, nullptr);
  std::atomic<bool> done{false};
  std::thread watcher([&] {
    const timespec tick{0, 200'000'000};
    while (!done.load()) {
      const int signal = sigtimedwait(&signals, nullptr, &tick);
      if (signal == SIGINT || signal == SIGTERM) {
        std::fprintf(stderr, "fanfold worker: %s received, finishing in-flight work\n",
                     signal == SIGINT ? "SIGINT" : "SIGTERM");
        worker.Stop();
        return;
      }
    }
  });
  std::fprintf(stderr, "fanfold worker: hub %s, %d control queue(s), %lld activity slot(s)\n",
               hub->names().history_table.substr(0, hub->names().history_table.size() - 7).c_str(),
               hub->names().partition_count, *concurrency);
  worker.Run();
  done = true;
  watcher.join();
  const auto stats = worker.stats();
  std::fprintf(stderr,
               "fanfold worker: stopped; %llu activities, %llu checkpoints, %llu lost races, "
               "%llu duplicates, %llu storage errors\n",
               static_cast<unsigned long long>(stats.activity.completed + stats.activity.failed),
               static_cast<unsigned long long>(stats.orchestration.checkpoints),
               static_cast<unsigned long long>(stats.orchestration.conflicts),
               static_cast<unsigned long long>(stats.orchestration.duplicates),
               static_cast<unsigned long long>(stats.errors));
  const nlohmann::json requests = storage::StorageCounters::Global().Snapshot().ToJson();
  std::fprintf(stderr, "fanfold worker: storage requests %s\n", requests.dump().c_str());
  if (const auto path = arguments.Value("stats-file")) {
    // For benchmarks: everything this process did, as one JSON object.
    const nlohmann::json out = {{"activities_completed", stats.activity.completed},
                                {"activities_failed", stats.activity.failed},
                                {"checkpoints", stats.orchestration.checkpoints},
                                {"lost_races", stats.orchestration.conflicts},
                                {"duplicates", stats.orchestration.duplicates},
                                {"full_replays", stats.orchestration.full_replays},
                                {"polls", stats.polls},
                                {"empty_polls", stats.empty_polls},
                                {"storage", requests}};
    std::FILE* file = std::fopen(path->c_str(), "w");
    if (file == nullptr) {
      std::fprintf(stderr, "fanfold worker: cannot write --stats-file %s\n", path->c_str());
      return kExitFailure;
    }
    std::fprintf(file, "%s\n", out.dump(2).c_str());
    std::fclose(file);
  }
  return kExitOk;
}

}  // namespace

Command WorkerCommand() {
  std::vector<OptionSpec> options = HubOptions();
  options.push_back({"concurrency", true, "activities run at once (default 2)", "N"});
  options.push_back({"orchestrations-only", false, "do not run activities"});
  options.push_back({"activities-only", false, "do not run orchestrations"});
  options.push_back({"visibility-timeout", true,
                     "seconds a taken message stays hidden; a dead worker's work reappears "
                     "after this (default 60)",
                     "S"});
  options.push_back(
      {"stats-file", true, "on exit, write this process's counters as JSON here", "FILE"});
  options.push_back({"max-dequeue", true,
                     "deliveries before a message goes to the poison queue (default 5)", "N"});
  return Command{"worker",
                 "run a worker: orchestrations and activities of a task hub, until stopped",
                 "[--hub NAME] [--concurrency N]",
                 "Creates the hub's tables, queues and container if needed, then polls them and\n"
                 "runs whatever work arrives. Any number of workers, on any number of machines,\n"
                 "can serve one hub. SIGTERM or SIGINT lets in-flight work finish, then exits 0.",
                 options,
                 RunWorker};
}

}  // namespace fanfold::cli
