#include "cli/command.hpp"

namespace fanfold::cli {

const std::vector<Command>& AllCommands() {
  static const std::vector<Command> commands = {
      DemoCommand(),      RunCommand(),       UploadCommand(),
      StatusCommand(),    ResultCommand(),    TenantsCommand(),
      RetryCommand(),     WorkerCommand(),    ServeFunctionsCommand(),
      StartCommand(),     InstancesCommand(), InstanceCommand(),
      TerminateCommand(), RewindCommand(),    PurgeCommand(),
      HubCommand(),       GenCommand(),       SplitCommand(),
      DoctorCommand()};
  return commands;
}

}  // namespace fanfold::cli
