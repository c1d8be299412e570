// A fanfold subcommand: its name, one-line summary, usage and options, and what it runs.
// Exit codes are shared by all commands so scripts can tell failures apart.
#pragma once

#include <string>
#include <vector>

#include "cli/arguments.hpp"

namespace fanfold::cli {

enum ExitCode : int {
  kExitOk = 0,
  kExitFailure = 1,        // the command ran and what it checked or ran failed
  kExitUsage = 2,          // wrong arguments: see --help
  kExitConfiguration = 3,  // bad AZURE_STORAGE_CONNECTION_STRING or settings
  kExitUnavailable = 4,    // storage could not be reached or refused our credentials
};

struct Command {
  std::string name;
  std::string summary;
  std::string usage;  // after "fanfold <name>"
  std::string description;
  std::vector<OptionSpec> options;
  int (*run)(const Arguments& arguments);
};

// "fanfold COMMAND: MESSAGE" and where to read the usage, on stderr; returns kExitUsage.
int UsageError(const char* command, const std::string& message);

// Every command, in the order --help lists them.
const std::vector<Command>& AllCommands();

// The commands.
Command DoctorCommand();
Command WorkerCommand();
Command ServeFunctionsCommand();
Command StartCommand();
Command InstancesCommand();
Command InstanceCommand();
Command TerminateCommand();
Command RewindCommand();
Command PurgeCommand();
Command HubCommand();
Command GenCommand();
Command SplitCommand();
// The job commands.
Command UploadCommand();
Command StatusCommand();
Command ResultCommand();
Command RetryCommand();
Command RunCommand();
Command DemoCommand();
Command TenantsCommand();
Command DashboardCommand();

}  // namespace fanfold::cli
