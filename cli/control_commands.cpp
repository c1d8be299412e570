// fanfold start / terminate / rewind / purge: changing what orchestrations do.
#include <cstdio>
#include <nlohmann/json.hpp>

#include "cli/command.hpp"
#include "cli/hub_access.hpp"
#include "orchestrator/task_hub_client.hpp"

namespace fanfold::cli {
namespace {

using orchestrator::RuntimeStatus;

bool OneId(const Arguments& arguments, const char* command) {
  if (arguments.positionals().size() == 1) return true;
  std::fprintf(stderr, "fanfold %s: give one instance id\n", command);
  return false;
}

int PrintOutcome(const orchestrator::InstanceStatus& status) {
  std::printf("%s %s\n", status.instance_id.c_str(),
              orchestrator::RuntimeStatusName(status.status));
  if (!status.output.empty()) std::printf("output: %s\n", status.output.c_str());
  if (status.failure) {
    std::printf("failure: %s: %s\n", status.failure->error_type.c_str(),
                status.failure->message.c_str());
  }
  return status.status == RuntimeStatus::kCompleted ? kExitOk : kExitFailure;
}

int RunStart(const Arguments& arguments) {
  if (arguments.positionals().size() != 1) {
    std::fprintf(stderr, "fanfold start: give the orchestrator's name\n");
    return kExitUsage;
  }
  const auto input = nlohmann::json::parse(arguments.ValueOr("input", "null"), nullptr, false);
  if (input.is_discarded()) {
    std::fprintf(stderr, "fanfold start: --input is not valid JSON\n");
    return kExitUsage;
  }
  int exit_code = kExitOk;
  auto hub = OpenHub(arguments, &exit_code);
  if (hub == nullptr) return exit_code;
  const storage::Status created = hub->CreateIfNotExists();
  if (!created.ok()) return ReportFailure("start", created);
  orchestrator::TaskHubClient client(hub);
  auto id = client.Start(arguments.positionals()[0], input, arguments.ValueOr("id", ""));
  if (!id.ok()) return ReportFailure("start", id.status());
  if (!arguments.Has("wait")) {
    std::printf("%s\n", id->c_str());
    return kExitOk;
  }
  auto timeout = arguments.IntegerOr("timeout", 600, 1, 7 * 24 * 3600);
  if (!timeout.ok()) return ReportFailure("start", timeout.status());
  auto status = client.WaitForCompletion(*id, std::chrono::seconds(*timeout));
  if (!status.ok()) return ReportFailure("start", status.status());
  return PrintOutcome(*status);
}

int RunTerminate(const Arguments& arguments) {
  if (!OneId(arguments, "terminate")) return kExitUsage;
  int exit_code = kExitOk;
  auto hub = OpenHub(arguments, &exit_code);
  if (hub == nullptr) return exit_code;
  orchestrator::TaskHubClient client(hub);
  const std::string& id = arguments.positionals()[0];
  const storage::Status status =
      client.Terminate(id, arguments.ValueOr("reason", "terminated with fanfold terminate"));
  if (!status.ok()) return ReportInstanceFailure("terminate", id, status, arguments);
  std::printf("terminate requested for %s\n", id.c_str());
  return kExitOk;
}

int RunRewind(const Arguments& arguments) {
  if (!OneId(arguments, "rewind")) return kExitUsage;
  int exit_code = kExitOk;
  auto hub = OpenHub(arguments, &exit_code);
  if (hub == nullptr) return exit_code;
  orchestrator::TaskHubClient client(hub);
  const std::string& id = arguments.positionals()[0];
  auto before = client.GetStatus(id);
  if (!before.ok()) return ReportInstanceFailure("rewind", id, before.status(), arguments);
  const storage::Status status =
      client.Rewind(id, arguments.ValueOr("reason", "rewound with fanfold rewind"));
  if (!status.ok()) return ReportFailure("rewind", status);
  if (!arguments.Has("wait")) {
    std::printf("rewind requested for %s: its failed activities will run again\n", id.c_str());
    return kExitOk;
  }
  auto done = client.WaitForCompletion(id, std::chrono::minutes(10), std::chrono::milliseconds(200),
                                       before->history_length);
  if (!done.ok()) return ReportFailure("rewind", done.status());
  return PrintOutcome(*done);
}

int RunPurge(const Arguments& arguments) {
  int exit_code = kExitOk;
  auto hub = OpenHub(arguments, &exit_code);
  if (hub == nullptr) return exit_code;
  orchestrator::TaskHubClient client(hub);
  if (arguments.positionals().size() == 1) {
    const std::string& id = arguments.positionals()[0];
    const storage::Status status = client.Purge(id);
    if (!status.ok()) return ReportInstanceFailure("purge", id, status, arguments);
    std::printf("purged %s\n", id.c_str());
    return kExitOk;
  }
  if (!arguments.Has("all-finished") && !arguments.Has("prefix")) {
    std::fprintf(stderr, "fanfold purge: give an instance id, --prefix P, or --all-finished\n");
    return kExitUsage;
  }
  orchestrator::InstanceQuery query;
  query.instance_id_prefix = arguments.ValueOr("prefix", "");
  auto purged = client.Purge(query);
  if (!purged.ok() && IsTableMissing(purged.status())) {
    std::printf("purged 0 finished instance(s): %s\n", NoHubYet(arguments).c_str());
    return kExitOk;
  }
  if (!purged.ok()) return ReportFailure("purge", purged.status());
  std::printf("purged %zu finished instance(s)\n", purged->instances);
  return kExitOk;
}

}  // namespace

Command StartCommand() {
  std::vector<OptionSpec> options = HubOptions();
  options.push_back({"input", true, "the orchestrator's input, as JSON (default null)", "JSON"});
  options.push_back(
      {"id", true, "instance id (default a new UUID); starting it again is a no-op", "ID"});
  options.push_back({"wait", false, "wait for the outcome and print it"});
  options.push_back({"timeout", true, "with --wait: give up after this many seconds (600)", "S"});
  return Command{"start",
                 "start an orchestration instance",
                 "NAME [--input JSON] [--id ID] [--wait]",
                 "Starts orchestrator NAME on the hub (a worker must be running to make it\n"
                 "progress) and prints its instance id. Built in: fanfold.fan_out with input\n"
                 "{\"n\": N} fans out N no-op activities.",
                 options,
                 RunStart};
}

Command TerminateCommand() {
  std::vector<OptionSpec> options = HubOptions();
  options.push_back({"reason", true, "recorded as the instance's failure message", "TEXT"});
  return Command{"terminate",
                 "stop a running instance",
                 "ID [--reason TEXT]",
                 "Asks the instance to stop; it becomes Terminated. Activities already running\n"
                 "finish, but their results are ignored.",
                 options,
                 RunTerminate};
}

Command RewindCommand() {
  std::vector<OptionSpec> options = HubOptions();
  options.push_back({"reason", true, "recorded in the history", "TEXT"});
  options.push_back({"wait", false, "wait for the new outcome and print it"});
  return Command{"rewind",
                 "re-run only the failed activities of a Failed instance",
                 "ID [--reason TEXT] [--wait]",
                 "Re-runs the activities whose failure failed the instance, keeping every\n"
                 "result that had already succeeded, and lets it continue from there.",
                 options,
                 RunRewind};
}

Command PurgeCommand() {
  std::vector<OptionSpec> options = HubOptions();
  options.push_back({"prefix", true, "purge finished instances whose id starts with this", "P"});
  options.push_back({"all-finished", false, "purge every Completed, Failed or Terminated one"});
  return Command{"purge",
                 "delete finished instances: history, status and payloads",
                 "ID | --prefix P | --all-finished",
                 "Deletes the history, status row and large-payload blobs of finished\n"
                 "instances. Running instances are never purged; terminate them first.",
                 options,
                 RunPurge};
}

}  // namespace fanfold::cli
