// What the engine commands share: the --hub/--partitions options, opening the hub named by them
// on the account from AZURE_STORAGE_CONNECTION_STRING, and turning a storage failure into a
// message and exit code a person can act on.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "cli/arguments.hpp"
#include "cli/command.hpp"
#include "orchestrator/task_hub.hpp"

namespace fanfold::cli {

// --hub NAME (default FANFOLD_HUB or "fanfold") and --partitions N (default 4).
std::vector<OptionSpec> HubOptions();
// Opens the hub; on failure prints why to stderr and sets *exit_code.
std::shared_ptr<orchestrator::TaskHub> OpenHub(const Arguments& arguments, int* exit_code);
// Prints "fanfold <command>: <status>" and a hint; returns the exit code for it.
int ReportFailure(const std::string& command, const storage::Status& status);

// True when storage answered 404 TableNotFound. On a hub's tables that means no worker has
// started on the hub and no `fanfold hub create` made it: what read-only commands see on a fresh
// account, and show as an empty hub rather than as an error.
bool IsTableMissing(const storage::Status& status);
// "no task hub 'NAME' yet: start a worker, or `fanfold hub create`" (with the --hub given).
std::string NoHubYet(const Arguments& arguments);
// For a command on one instance: a status that says the instance (or its whole hub) does not
// exist becomes one line saying so, exit 1; any other failure goes to ReportFailure.
int ReportInstanceFailure(const std::string& command, const std::string& id,
                          const storage::Status& status, const Arguments& arguments);

}  // namespace fanfold::cli
