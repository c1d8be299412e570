// fanfold instances / fanfold instance: what the hub's orchestrations are doing.
#include <cstdio>
#include <nlohmann/json.hpp>

#include "cli/command.hpp"
#include "cli/hub_access.hpp"
#include "cli/table_printer.hpp"
#include "orchestrator/task_hub_client.hpp"
#include "storage/ascii_text.hpp"

namespace fanfold::cli {
namespace {

using orchestrator::InstanceStatus;
using orchestrator::RuntimeStatus;

std::string ShortTime(storage::Timestamp time) {
  if (time == storage::Timestamp{}) return "-";
  const std::string iso = storage::FormatIso8601(time);  // 2026-11-22T10:50:38.1234560Z
  return iso.substr(0, 10) + " " + iso.substr(11, 8);
}

std::string Elapsed(const InstanceStatus& status) {
  const auto end =
      status.completed != storage::Timestamp{} ? status.completed : status.last_updated;
  if (status.created == storage::Timestamp{} || end < status.created) return "-";
  const double seconds = std::chrono::duration<double>(end - status.created).count();
  char text[32];
  std::snprintf(text, sizeof text, "%.1fs", seconds);
  return text;
}

int RunInstances(const Arguments& arguments) {
  int exit_code = kExitOk;
  auto hub = OpenHub(arguments, &exit_code);
  if (hub == nullptr) return exit_code;
  orchestrator::InstanceQuery query;
  if (const auto status = arguments.Value("status")) {
    for (const std::string& name : storage::SplitCommas(*status)) {
      auto parsed = orchestrator::RuntimeStatusFromName(name);
      if (!parsed) {
        std::fprintf(stderr,
                     "fanfold instances: unknown status '%s' (Pending, Running, Completed, "
                     "Failed, Terminated)\n",
                     name.c_str());
        return kExitUsage;
      }
      query.statuses.push_back(*parsed);
    }
  }
  query.instance_id_prefix = arguments.ValueOr("prefix", "");
  auto limit = arguments.IntegerOr("limit", 100, 1, 100000);
  if (!limit.ok()) return ReportFailure("instances", limit.status());
  query.page_size = static_cast<int>(std::min<long long>(*limit, 1000));

  orchestrator::TaskHubClient client(hub);
  std::vector<InstanceStatus> found;
  while (found.size() < static_cast<size_t>(*limit)) {
    auto page = client.Query(query);
    if (!page.ok() && IsTableMissing(page.status())) {
      // A fresh account: nothing has run on this hub, so there is nothing to list.
      std::printf("%s\n", arguments.Has("json") ? "[]" : NoHubYet(arguments).c_str());
      return kExitOk;
    }
    if (!page.ok()) return ReportFailure("instances", page.status());
    for (auto& instance : page->instances)
      found.push_back(std::move(instance));
    if (page->continuation.empty()) break;
    query.continuation = page->continuation;
  }
  if (found.size() > static_cast<size_t>(*limit)) found.resize(static_cast<size_t>(*limit));
  if (arguments.Has("json")) {
    nlohmann::json out = nlohmann::json::array();
    for (const auto& instance : found)
      out.push_back(orchestrator::ToJson(instance));
    std::printf("%s\n", out.dump(2).c_str());
    return kExitOk;
  }
  TablePrinter table({"INSTANCE", "NAME", "STATUS", "CREATED", "ELAPSED", "EVENTS"});
  for (const auto& instance : found) {
    table.AddRow({instance.instance_id, instance.name,
                  orchestrator::RuntimeStatusName(instance.status), ShortTime(instance.created),
                  Elapsed(instance), std::to_string(instance.history_length)});
  }
  std::printf("%s", table.Render().c_str());
  if (found.empty()) std::printf("(no instances match)\n");
  return kExitOk;
}

int RunInstance(const Arguments& arguments) {
  if (arguments.positionals().size() != 1) {
    std::fprintf(stderr, "fanfold instance: give one instance id\n");
    return kExitUsage;
  }
  const std::string& id = arguments.positionals()[0];
  int exit_code = kExitOk;
  auto hub = OpenHub(arguments, &exit_code);
  if (hub == nullptr) return exit_code;
  orchestrator::TaskHubClient client(hub);
  auto status = client.GetStatus(id);
  if (!status.ok()) return ReportInstanceFailure("instance", id, status.status(), arguments);
  nlohmann::json history = nlohmann::json::array();
  if (arguments.Has("history")) {
    auto snapshot = hub->history().Load(id);
    if (!snapshot.ok()) return ReportFailure("instance", snapshot.status());
    for (const auto& event : snapshot->events)
      history.push_back(orchestrator::ToJson(event));
  }
  if (arguments.Has("json")) {
    nlohmann::json out = orchestrator::ToJson(*status);
    if (arguments.Has("history")) out["history"] = history;
    std::printf("%s\n", out.dump(2).c_str());
    return kExitOk;
  }
  std::printf("instance  %s\nname      %s\nstatus    %s\ncreated   %s\nupdated   %s\n",
              status->instance_id.c_str(), status->name.c_str(),
              orchestrator::RuntimeStatusName(status->status), ShortTime(status->created).c_str(),
              ShortTime(status->last_updated).c_str());
  if (status->completed != storage::Timestamp{}) {
    std::printf("finished  %s (%s)\n", ShortTime(status->completed).c_str(),
                Elapsed(*status).c_str());
  }
  if (!status->custom_status.empty()) std::printf("progress  %s\n", status->custom_status.c_str());
  if (!status->output.empty()) std::printf("output    %s\n", status->output.c_str());
  if (status->failure) {
    std::printf("failure   %s: %s\n", status->failure->error_type.c_str(),
                status->failure->message.c_str());
    if (status->status == RuntimeStatus::kFailed) {
      std::printf("next      fanfold rewind %s   (re-runs only the failed activities)\n",
                  id.c_str());
    }
  }
  if (arguments.Has("history")) {
    std::printf("history   %zu events\n", history.size());
    for (const auto& event : history)
      std::printf("  %s\n", event.dump().c_str());
  }
  return kExitOk;
}

}  // namespace

Command InstancesCommand() {
  std::vector<OptionSpec> options = HubOptions();
  options.push_back({"status", true, "only these statuses, comma-separated", "S[,S]"});
  options.push_back({"prefix", true, "only instance ids starting with this", "TEXT"});
  options.push_back({"limit", true, "at most this many (default 100)", "N"});
  options.push_back({"json", false, "print JSON instead of a table"});
  return Command{"instances",
                 "list orchestration instances of a hub",
                 "[--status S] [--prefix P] [--limit N] [--json]",
                 "Lists instances with their status, creation time, elapsed time and history "
                 "length.",
                 options,
                 RunInstances};
}

Command InstanceCommand() {
  std::vector<OptionSpec> options = HubOptions();
  options.push_back({"history", false, "also print the instance's history events"});
  options.push_back({"json", false, "print JSON"});
  return Command{"instance",
                 "show one orchestration instance",
                 "ID [--history] [--json]",
                 "Shows an instance's status, input, output, progress and failure; with\n"
                 "--history, every event of its history.",
                 options,
                 RunInstance};
}

}  // namespace fanfold::cli
