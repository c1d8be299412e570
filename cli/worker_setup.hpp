// What `fanfold worker` and `fanfold serve-functions` share: the flags that shape the work
// (concurrency, visibility timeout, poison threshold, tenant limits...), the FANFOLD_* drills set
// by environment variables, the storage both create, and the stages and engine options built
// from the flags. The two commands differ only in who receives the messages: the worker polls,
// the Functions host polls for serve-functions.
#pragma once

#include <csignal>
#include <memory>
#include <optional>
#include <vector>

#include "cli/arguments.hpp"
#include "cli/failure_notifications.hpp"
#include "orchestrator/registry.hpp"
#include "orchestrator/task_hub.hpp"
#include "orchestrator/worker.hpp"
#include "pipelines/pipeline_context.hpp"
#include "pipelines/queue_stage.hpp"
#include "storage/fault_injecting_transport.hpp"

namespace fanfold::cli {

struct WorkerSetup {
  std::shared_ptr<orchestrator::TaskHub> hub;
  std::shared_ptr<pipelines::PipelineContext> context;
  std::unique_ptr<orchestrator::Registry> registry;
  // engine.pacer paces every poll of this process: the engine's and the stages'.
  orchestrator::WorkerOptions engine;
  // The queue-fed stages: the trigger and the chained pipeline's split, aggregate and merge.
  std::vector<std::unique_ptr<pipelines::QueueStage>> stages;
  bool chained = true;  // the chained pipeline's stages are among them
  std::shared_ptr<storage::FaultInjectingTransport> faults;  // FANFOLD_INJECT_FAULTS, else null
  std::unique_ptr<FailureNotifications> notifications;       // null: no webhooks configured
};

// Blocks SIGINT and SIGTERM in this thread, hence in every thread it starts afterwards, and
// returns that set for a watcher thread's sigwait. Call before any other thread exists.
sigset_t BlockStopSignals();

// The options SetUpWorker reads (the pipeline and hub options included).
std::vector<OptionSpec> WorkerSetupOptions();

// --log-format and --log-level; every line names this process (host:pid). False (after printing
// why) when either is not a known value.
bool ConfigureWorkerLogging(const Arguments& arguments, const char* command);

// Validates the flags, installs the drills, creates missing storage and builds the stages.
// nullopt, with the reason printed and *exit_code set, when something is wrong.
std::optional<WorkerSetup> SetUpWorker(const Arguments& arguments, const char* command,
                                       int* exit_code);

// Every queue the stages and engine take work from, and their poison queues.
std::vector<queuestore::QueueClient> ServedQueues(const pipelines::PipelineContext& context,
                                                  const orchestrator::TaskHub& hub, bool chained);

}  // namespace fanfold::cli
