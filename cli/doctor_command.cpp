// fanfold doctor: is the configured account usable? One authorized request per service, with
// its round-trip time, and a next step for each kind of failure. Never prints a secret.
#include <cstdio>

#include "cli/command.hpp"
#include "storage/connection_string.hpp"
#include "storage/service_probe.hpp"

namespace fanfold::cli {
namespace {

using storage::StorageService;

std::string Advice(const storage::Status& status, bool development) {
  if (status.IsTransport() || status.IsTimeout()) {
    return development ? "start Azurite with 'bash scripts/azurite.sh start', or set "
                         "AZURE_STORAGE_CONNECTION_STRING to a real account"
                       : "check the endpoint, network and firewall of the storage account";
  }
  if (status.http_status() == 403) {
    return "the service refused our credentials: check AccountKey or the SAS (expiry, "
           "permissions, services)";
  }
  return "see the error above";
}

int RunDoctor(const Arguments& arguments) {
  auto account = storage::StorageAccount::FromEnvironment();
  if (!account.ok()) {
    std::fprintf(stderr, "fanfold doctor: %s\n", account.status().message().c_str());
    return kExitConfiguration;
  }
  storage::PipelineOptions options;
  options.retry.max_retries = arguments.Has("no-retry") ? 0 : 2;
  options.retry.initial_delay = std::chrono::milliseconds(100);
  std::printf("storage: %s\n", account->Describe().c_str());
  bool all_ok = true;
  for (const auto service :
       {StorageService::kBlob, StorageService::kQueue, StorageService::kTable}) {
    const auto probe = storage::ProbeService(*account, service, options);
    const double ms = static_cast<double>(probe.round_trip.count()) / 1000.0;
    if (probe.status.ok()) {
      std::printf("  %-5s ok    %8.1f ms  %s\n", storage::StorageServiceName(service), ms,
                  probe.endpoint.c_str());
    } else {
      all_ok = false;
      std::printf("  %-5s FAIL  %8.1f ms  %s\n        %s\n        next: %s\n",
                  storage::StorageServiceName(service), ms, probe.endpoint.c_str(),
                  probe.status.ToString().c_str(),
                  Advice(probe.status, account->is_development_storage).c_str());
    }
  }
  std::printf(all_ok ? "all services reachable and authorized\n"
                     : "some services are not usable (see above)\n");
  return all_ok ? kExitOk : kExitUnavailable;
}

}  // namespace

Command DoctorCommand() {
  return Command{
      "doctor",
      "check that the configured storage account is reachable and authorized",
      "[--no-retry]",
      "Sends one authorized request to each of the Blob, Queue and Table endpoints of the\n"
      "account in AZURE_STORAGE_CONNECTION_STRING (default: Azurite on 127.0.0.1) and prints\n"
      "each endpoint and its round-trip time. Exit status 0 when all three work, 3 when the\n"
      "connection string is malformed, 4 when a service is unreachable or refuses access.",
      {{"no-retry", false, "fail at the first error instead of retrying twice"}},
      RunDoctor};
}

}  // namespace fanfold::cli
