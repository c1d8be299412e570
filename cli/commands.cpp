#include <cstdio>

#include "cli/command.hpp"

namespace fanfold::cli {

int UsageError(const char* command, const std::string& message) {
  std::fprintf(stderr, "fanfold %s: %s\nRun 'fanfold %s --help' for usage.\n", command,
               message.c_str(), command);
  return kExitUsage;
}

const std::vector<Command>& AllCommands() {
  static const std::vector<Command> commands = {
      DemoCommand(),      RunCommand(),       UploadCommand(),
      StatusCommand(),    ResultCommand(),    TenantsCommand(),
      RetryCommand(),     WorkerCommand(),    ServeFunctionsCommand(),
      StartCommand(),     InstancesCommand(), InstanceCommand(),
      TerminateCommand(), RewindCommand(),    PurgeCommand(),
      HubCommand(),       GenCommand(),       SplitCommand(),
      DashboardCommand(), DoctorCommand()};
  return commands;
}

}  // namespace fanfold::cli
