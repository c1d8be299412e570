#include "cli/hub_access.hpp"

#include <cstdio>
#include <cstdlib>

#include "storage/connection_string.hpp"

namespace fanfold::cli {

std::vector<OptionSpec> HubOptions() {
  return {
      {"hub", true, "task hub name (default $FANFOLD_HUB or fanfold)", "NAME"},
      {"partitions", true, "control queues of the hub (default 4; same for every process)", "N"}};
}

int ReportFailure(const std::string& command, const storage::Status& status) {
  std::fprintf(stderr, "fanfold %s: %s\n", command.c_str(), status.ToString().c_str());
  if (status.IsTransport() || status.IsTimeout() || status.http_status() == 403) {
    std::fprintf(stderr, "Run 'fanfold doctor' to check the storage account.\n");
    return kExitUnavailable;
  }
  if (status.IsInvalidArgument()) return kExitUsage;
  if (status.IsNotFound()) return kExitFailure;
  return kExitFailure;
}

namespace {

// --hub, else $FANFOLD_HUB, else "fanfold".
std::string HubName(const Arguments& arguments) {
  const char* env_hub = std::getenv("FANFOLD_HUB");
  return arguments.ValueOr("hub", env_hub != nullptr && *env_hub ? env_hub : "fanfold");
}

}  // namespace

bool IsTableMissing(const storage::Status& status) {
  return status.IsNotFound() && status.error_code() == "TableNotFound";
}

std::string NoHubYet(const Arguments& arguments) {
  const std::string name = HubName(arguments);
  const std::string flag = arguments.Has("hub") ? " --hub " + name : "";
  return "no task hub '" + name + "' yet: start a worker" + flag + ", or `fanfold hub create" +
         flag + "`";
}

int ReportInstanceFailure(const std::string& command, const std::string& id,
                          const storage::Status& status, const Arguments& arguments) {
  if (IsTableMissing(status)) {
    std::fprintf(stderr, "fanfold %s: no instance '%s': %s\n", command.c_str(), id.c_str(),
                 NoHubYet(arguments).c_str());
    return kExitFailure;
  }
  // The instance's status row is missing; other 404s (a deleted queue) are reported as they are.
  if (status.IsNotFound() && status.error_code() == "ResourceNotFound") {
    std::fprintf(stderr, "fanfold %s: no instance '%s' in this hub\n", command.c_str(), id.c_str());
    return kExitFailure;
  }
  return ReportFailure(command, status);
}

std::shared_ptr<orchestrator::TaskHub> OpenHub(const Arguments& arguments, int* exit_code) {
  auto account = storage::StorageAccount::FromEnvironment();
  if (!account.ok()) {
    std::fprintf(stderr, "fanfold: %s\n", account.status().message().c_str());
    *exit_code = kExitConfiguration;
    return nullptr;
  }
  orchestrator::TaskHubOptions options;
  options.name = HubName(arguments);
  auto partitions = arguments.IntegerOr("partitions", 4, 1, 16);
  if (!partitions.ok()) {
    std::fprintf(stderr, "fanfold: %s\n", partitions.status().message().c_str());
    *exit_code = kExitUsage;
    return nullptr;
  }
  options.partition_count = static_cast<int>(*partitions);
  auto hub = orchestrator::TaskHub::Open(*account, options);
  if (!hub.ok()) {
    std::fprintf(stderr, "fanfold: %s\n", hub.status().message().c_str());
    *exit_code = kExitUsage;
    return nullptr;
  }
  return *hub;
}

}  // namespace fanfold::cli
