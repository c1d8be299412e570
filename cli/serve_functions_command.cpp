// fanfold serve-functions: the Azure Functions custom handler. The Functions host polls the
// queues and POSTs each message here; this process runs what a worker would run for it. With
// --write-app DIR it writes the app's host.json and function.json files instead.
#include <pthread.h>

#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <mutex>
#include <thread>

#include "cli/command.hpp"
#include "cli/hub_access.hpp"
#include "cli/pipeline_access.hpp"
#include "cli/worker_metrics.hpp"
#include "cli/worker_setup.hpp"
#include "functions/custom_handler.hpp"
#include "functions/function_app.hpp"
#include "orchestrator/activity_processor.hpp"
#include "orchestrator/orchestration_processor.hpp"
#include "telemetry/log.hpp"

namespace fanfold::cli {
namespace {

int WriteApp(const Arguments& arguments, const std::string& directory) {
  int exit_code = kExitOk;
  auto hub = OpenHub(arguments, &exit_code);
  if (hub == nullptr) return exit_code;
  auto context = OpenPipelines(arguments, &exit_code);
  if (context == nullptr) return exit_code;
  const auto functions = functions::QueueFunctions(context->names, hub->names());
  const storage::Status written = functions::WriteFunctionApp(directory, functions);
  if (!written.ok()) {
    std::fprintf(stderr, "fanfold serve-functions: %s\n", written.message().c_str());
    return kExitFailure;
  }
  std::printf("wrote %s/host.json and %zu function.json files:\n", directory.c_str(),
              functions.size());
  for (const auto& function : functions)
    std::printf("  %-16s <- queue %s\n", function.name.c_str(), function.queue.c_str());
  return kExitOk;
}

std::optional<int> HandlerPort(const Arguments& arguments) {
  std::string text = arguments.ValueOr("port", "");
  if (text.empty()) {
    const char* from_host = std::getenv("FUNCTIONS_CUSTOMHANDLER_PORT");
    text = from_host == nullptr ? "" : from_host;
  }
  char* end = nullptr;
  const long port = std::strtol(text.c_str(), &end, 10);
  if (text.empty() || *end != '\0' || port < 0 || port > 65535) return std::nullopt;
  return static_cast<int>(port);
}

int RunServeFunctions(const Arguments& arguments) {
  if (const auto directory = arguments.Value("write-app")) return WriteApp(arguments, *directory);
  if (!ConfigureWorkerLogging(arguments, "serve-functions")) return kExitUsage;
  // Before any thread starts (the notifier's start in SetUpWorker), so that every thread inherits
  // the mask and only the watcher's sigwait takes SIGTERM: a thread started earlier would take
  // it and die with the default action instead of draining.
  const sigset_t signals = BlockStopSignals();
  const auto port = HandlerPort(arguments);
  if (!port) {
    std::fprintf(stderr,
                 "fanfold serve-functions: no port: the Functions host sets "
                 "FUNCTIONS_CUSTOMHANDLER_PORT; outside it, pass --port N\n");
    return kExitUsage;
  }
  int exit_code = kExitOk;
  auto setup = SetUpWorker(arguments, "serve-functions", &exit_code);
  if (!setup) return exit_code;
  const auto& hub = setup->hub;
  orchestrator::OrchestrationProcessor orchestrations(hub, *setup->registry,
                                                      setup->engine.orchestration);
  orchestrator::ActivityProcessor activities(hub, *setup->registry, setup->engine.activity);
  // A worker runs each control queue's messages on one thread; so does this (per partition),
  // rather than leaving concurrent invocations for one instance to lose races to each other.
  std::vector<std::mutex> partition_locks(static_cast<std::size_t>(hub->names().partition_count));

  functions::CustomHandler handler;
  for (const auto& function : functions::QueueFunctions(setup->context->names, hub->names())) {
    switch (function.kind) {
      case functions::FunctionKind::kStage:
        for (const auto& stage : setup->stages) {
          if (stage->queue_name() != function.queue) continue;
          pipelines::QueueStage* served = stage.get();
          handler.Register(function.name, [served](const queuestore::ReceivedMessage& message) {
            return served->HandleReceived(message);
          });
        }
        break;
      case functions::FunctionKind::kActivities:
        if (!setup->engine.run_activities) break;  // --orchestrations-only
        handler.Register(function.name, [&activities](const queuestore::ReceivedMessage& message) {
          return activities.ProcessMessages({message}, 1, false).status();
        });
        break;
      case functions::FunctionKind::kOrchestrator: {
        if (!setup->engine.run_orchestrations) break;  // --activities-only
        const int partition = function.partition;
        handler.Register(function.name, [&orchestrations, &partition_locks,
                                         partition](const queuestore::ReceivedMessage& message) {
          const std::lock_guard<std::mutex> lock(
              partition_locks[static_cast<std::size_t>(partition)]);
          return orchestrations.ProcessMessages(partition, {message}).status();
        });
        break;
      }
    }
  }

  std::unique_ptr<WorkerMetrics> metrics;
  if (const auto address = arguments.Value("metrics-addr")) {
    // No queue depths: the Functions host and its scale controller watch those.
    auto started = WorkerMetrics::Start(
        *address, WorkerMetricsSources{nullptr, &setup->stages, {}, std::chrono::seconds(15)});
    if (!started.ok()) {
      std::fprintf(stderr, "fanfold serve-functions: %s\n", started.status().message().c_str());
      return kExitConfiguration;
    }
    metrics = std::move(*started);
  }

  functions::CustomHandlerServer server(handler);
  const auto bound = server.Start(*port);
  if (!bound.ok()) {
    std::fprintf(stderr, "fanfold serve-functions: %s\n", bound.status().message().c_str());
    return kExitUnavailable;
  }
  nlohmann::json started = {{"port", *bound}, {"functions", handler.functions()}};
  if (metrics) started["metrics"] = "http://" + metrics->address() + "/metrics";
  telemetry::LogInfo("functions.started", started);
  std::thread watcher([&] {
    int signal = 0;
    sigwait(&signals, &signal);
    telemetry::LogInfo("functions.stopping", {{"signal", signal == SIGINT ? "SIGINT" : "SIGTERM"},
                                              {"message", "finishing in-flight invocations"}});
    server.Stop();
  });
  server.Wait();
  watcher.join();
  telemetry::LogInfo("functions.stopped", nullptr);
  return kExitOk;
}

}  // namespace

Command ServeFunctionsCommand() {
  std::vector<OptionSpec> options = WorkerSetupOptions();
  options.push_back({"port", true,
                     "listen on 127.0.0.1:N (default $FUNCTIONS_CUSTOMHANDLER_PORT, which the "
                     "Functions host sets)",
                     "N"});
  options.push_back({"write-app", true,
                     "write host.json and one function.json per queue-triggered function into "
                     "DIR, then exit",
                     "DIR"});
  options.push_back(
      {"metrics-addr", true, "serve Prometheus metrics at http://ADDR/metrics", "ADDR"});
  return Command{"serve-functions",
                 "run as an Azure Functions custom handler (the host polls the queues)",
                 "[--port N] [--write-app DIR]",
                 "Speaks the Azure Functions custom handler contract: the Functions host receives\n"
                 "each queue message and POSTs {Data, Metadata} to /<function>; this runs what a\n"
                 "worker would run for that message and answers {Outputs, Logs, ReturnValue}: 200\n"
                 "once the message is settled, 500 to have the host retry it. Functions: trigger,\n"
                 "chain-split, chain-aggregate, chain-merge, activities, orchestrator-00...\n"
                 "--write-app DIR writes the app's files for these names (see infra/README.md).",
                 options,
                 RunServeFunctions};
}

}  // namespace fanfold::cli
