// fanfold hub create|delete: the task hub's storage resources.
#include <cstdio>

#include "cli/command.hpp"
#include "cli/hub_access.hpp"

namespace fanfold::cli {
namespace {

int RunHub(const Arguments& arguments) {
  if (arguments.positionals().size() != 1 ||
      (arguments.positionals()[0] != "create" && arguments.positionals()[0] != "delete")) {
    std::fprintf(stderr, "fanfold hub: say 'create' or 'delete'\n");
    return kExitUsage;
  }
  int exit_code = kExitOk;
  auto hub = OpenHub(arguments, &exit_code);
  if (hub == nullptr) return exit_code;
  const bool create = arguments.positionals()[0] == "create";
  if (!create && !arguments.Has("yes")) {
    std::fprintf(stderr,
                 "fanfold hub delete: this deletes every instance's history and status; add "
                 "--yes to confirm\n");
    return kExitUsage;
  }
  const storage::Status status = create ? hub->CreateIfNotExists() : hub->DeleteAll();
  if (!status.ok()) return ReportFailure("hub", status);
  std::printf("%s: tables %s, %s; queues %s, %s, %s00..%02d; containers %s, %s\n",
              create ? "ready" : "deleted", hub->names().history_table.c_str(),
              hub->names().instances_table.c_str(), hub->names().work_item_queue.c_str(),
              hub->names().poison_queue.c_str(), hub->names().control_queue_prefix.c_str(),
              hub->names().partition_count - 1, hub->names().large_message_container.c_str(),
              hub->names().lease_container.c_str());
  return kExitOk;
}

}  // namespace

Command HubCommand() {
  std::vector<OptionSpec> options = HubOptions();
  options.push_back({"yes", false, "confirm delete"});
  return Command{"hub",
                 "create or delete a task hub's tables, queues and container",
                 "create|delete [--hub NAME] [--yes]",
                 "Workers create their hub on start; this is for setting one up ahead of time\n"
                 "or removing it with everything in it.",
                 options,
                 RunHub};
}

}  // namespace fanfold::cli
