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

}  // namespace fanfold::cli
