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

std::shared_ptr<orchestrator::TaskHub> OpenHub(const Arguments& arguments, int* exit_code) {
  auto account = storage::StorageAccount::FromEnvironment();
  if (!account.ok()) {
    std::fprintf(stderr, "fanfold: %s\n", account.status().message().c_str());
    *exit_code = kExitConfiguration;
    return nullptr;
  }
  orchestrator::TaskHubOptions options;
  const char* env_hub = std::getenv("FANFOLD_HUB");
  options.name = arguments.ValueOr("hub", env_hub != nullptr && *env_hub ? env_hub : "fanfold");
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
