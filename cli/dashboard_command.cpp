// fanfold dashboard: the web dashboard over the jobs and orchestrations of one deployment
// (dashboard/). It reads storage and needs no worker; actions are off unless asked for.
#include <csignal>
#include <cstdio>
#include <cstdlib>

#include "cli/command.hpp"
#include "cli/hub_access.hpp"
#include "cli/pipeline_access.hpp"
#include "cli/worker_setup.hpp"
#include "dashboard/dashboard_server.hpp"
#include "telemetry/log.hpp"

namespace fanfold::cli {
namespace {

int RunDashboard(const Arguments& arguments) {
  if (!arguments.positionals().empty()) {
    std::fprintf(stderr, "fanfold dashboard: takes no positional arguments\n");
    return kExitUsage;
  }
  // Before the server's threads exist, so only the sigwait below takes SIGINT/SIGTERM.
  const sigset_t signals = BlockStopSignals();
  dashboard::DashboardOptions options;
  options.address = arguments.ValueOr("addr", "127.0.0.1:8080");
  options.allow_actions = arguments.Has("allow-actions");
  const char* env_token = std::getenv("FANFOLD_DASHBOARD_TOKEN");
  options.token = arguments.ValueOr("token", env_token != nullptr ? env_token : "");

  int exit_code = kExitOk;
  auto context = OpenPipelines(arguments, &exit_code);
  if (context == nullptr) return exit_code;
  auto hub = OpenHub(arguments, &exit_code);
  if (hub == nullptr) return exit_code;
  auto pipelines = OpenJobPipelines(arguments, context);
  auto api = std::make_shared<const dashboard::DashboardApi>(context, pipelines, hub);
  dashboard::DashboardServer server(api);
  auto bound = server.Start(options);
  if (!bound.ok()) {
    std::fprintf(stderr, "fanfold dashboard: %s\n", bound.status().message().c_str());
    return bound.status().IsInvalidArgument() ? kExitUsage : kExitUnavailable;
  }
  // The URL goes to stdout (scripts and tests read the port from it); the rest is a log line.
  std::printf("fanfold dashboard: http://%s/\n", bound->c_str());
  std::fflush(stdout);
  telemetry::LogInfo(
      "dashboard.started",
      {{"address", *bound}, {"actions", options.allow_actions}, {"token", !options.token.empty()}});
  int signal = 0;
  sigwait(&signals, &signal);
  server.Stop();
  telemetry::LogInfo("dashboard.stopped", {{"signal", signal == SIGINT ? "SIGINT" : "SIGTERM"}});
  return kExitOk;
}

}  // namespace

Command DashboardCommand() {
  std::vector<OptionSpec> options = PipelineOptions();
  options.push_back({"addr", true,
                     "where to listen (default 127.0.0.1:8080; port 0 picks a free one)",
                     "HOST:PORT"});
  options.push_back({"allow-actions", false,
                     "enable the retry, rewind, terminate and purge buttons (off by default)"});
  options.push_back({"token", true,
                     "bearer token the actions need (default $FANFOLD_DASHBOARD_TOKEN); "
                     "required with --allow-actions on a non-loopback --addr",
                     "TOKEN"});
  return Command{
      "dashboard",
      "serve a web dashboard of the jobs and orchestrations",
      "[--addr HOST:PORT] [--allow-actions] [--token T]",
      "Serves the dashboard at http://HOST:PORT/: every job (filters, sorting, tenant totals),\n"
      "one job's progress, result, rejects and chunk chart (queue wait apart from run time),\n"
      "the orchestration instances and their history. Pages and scripts are built in; nothing\n"
      "is fetched from the internet. It reads storage and needs no worker. With\n"
      "--allow-actions, buttons retry a job and rewind, terminate or purge an instance, each\n"
      "after a confirmation; off loopback they need --token. The JSON API behind the pages is\n"
      "described in docs/operations.md.",
      options,
      RunDashboard};
}

}  // namespace fanfold::cli
