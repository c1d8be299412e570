// fanfold_storage_bench: throughput and latency of the storage clients (table upserts and gets,
// queue puts, gets, deletes and put/get/delete cycles, 1 MiB blob range reads) at several thread
// counts, next to a bare libcurl client issuing the same reads, written as one JSON document
// with what is needed to compare runs (machine, commit, endpoint kind, counters, Azurite's CPU).
// It measures; it never judges: the exit status says only whether it could measure.
#include <curl/curl.h>

#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <memory>
#include <nlohmann/json.hpp>
#include <string>

#include "bench/bench_options.hpp"
#include "bench/case_runner.hpp"
#include "bench/client_workloads.hpp"
#include "bench/simple_client.hpp"
#include "bench/system_info.hpp"
#include "storage/connection_string.hpp"
#include "storage/pipeline.hpp"
#include "tests/support/azurite_process.hpp"

namespace fanfold::bench {
namespace {

constexpr const char* kSimplePrefix = "simple_";

// argv as a shell would need it typed back.
std::string QuotedCommandLine(int argc, char** argv) {
  std::string line;
  for (int i = 0; i < argc; ++i) {
    std::string argument = argv[i];
    const bool plain = !argument.empty() && argument.find_first_not_of(
                                                "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUV"
                                                "WXYZ0123456789_-+=/.,:@%") == std::string::npos;
    if (!plain) {
      std::string quoted = "'";
      for (const char c : argument)
        quoted += c == '\'' ? std::string("'\\''") : std::string(1, c);
      argument = quoted + "'";
    }
    line += (i == 0 ? "" : " ") + argument;
  }
  return line;
}

bool IsLoopback(const storage::Url& url) {
  const std::string host = url.authority.substr(0, url.authority.rfind(':'));
  return host == "127.0.0.1" || host == "localhost" || host == "[::1]";
}

std::string AzuriteVersion() {
  std::ifstream in(std::string(FANFOLD_SOURCE_DIR) +
                   "/infra/azurite/node_modules/azurite/package.json");
  const nlohmann::json package = nlohmann::json::parse(in, nullptr, /*allow_exceptions=*/false);
  return package.is_object() && package.contains("version") && package["version"].is_string()
             ? package["version"].get<std::string>()
             : "unknown";
}

// The service a case runs against: the configured account, or a private Azurite of its own.
struct Target {
  std::unique_ptr<testing::AzuriteProcess> azurite;  // null for the configured account
  storage::StorageAccount account;
};

storage::Result<Target> StartPrivateAzurite() {
  auto process = testing::AzuriteProcess::Start();
  if (!process.ok()) return process.status();
  Target target;
  target.azurite = std::move(process).value();
  auto account = storage::StorageAccount::FromConnectionString(target.azurite->connection_string());
  if (!account.ok()) return account.status();
  target.account = std::move(account).value();
  return target;
}

// Runs `name` (a fanfold operation, or simple_<operation>) once with spec.threads threads.
storage::Result<CaseResult> Measure(const std::string& name, const CaseSpec& spec,
                                    ClientWorkloads& workloads,
                                    const storage::StorageAccount& account,
                                    const CaseProbes& base_probes,
                                    storage::StorageCounters* client_counters,
                                    storage::StorageCounters* simple_counters) {
  CaseProbes probes = base_probes;
  if (spec.client == "simple") {
    FANFOLD_RETURN_IF_ERROR(workloads.EnsureReadTarget(spec.operation));
    // Signed now, so every case's signature is fresh (they last 15 minutes).
    const PresignedGet request =
        spec.operation == "table_get"
            ? PresignTableGet(account, workloads.table_name(), ClientWorkloads::kGetPartitionKey,
                              ClientWorkloads::kGetRowKey)
            : PresignQueuePeek(account, workloads.peek_queue_name());
    SimpleClient client(request, spec.threads, simple_counters);
    probes.counters = simple_counters;
    return RunCase(
        spec, [&client](OpContext& context) { return client.Send(context); }, probes);
  }
  auto prepared = workloads.Prepare(name);
  if (!prepared.ok()) return prepared.status();
  probes.counters = client_counters;
  return RunCase(spec, prepared->operation, probes, prepared->refill);
}

int Run(int argc, char** argv) {
  bool help = false;
  auto parsed = ParseBenchOptions(argc, argv, &help);
  if (help) {
    std::fputs(BenchUsage(), stdout);
    return 0;
  }
  if (!parsed.ok()) {
    std::fprintf(stderr, "%s\n%s", parsed.status().message().c_str(), BenchUsage());
    return 2;
  }
  const BenchOptions& options = *parsed;
  const std::string started_at = UtcNow();
  const std::vector<double> load_at_start = LoadAverages();
  const auto started = std::chrono::steady_clock::now();

  WorkloadSettings settings;
  settings.blob_bytes = options.blob_mib << 20;
  settings.range_bytes = options.range_kib << 10;
  settings.queue_pool = options.queue_pool;
  storage::StorageCounters client_counters;
  storage::StorageCounters simple_counters;

  // The connection string is a secret: it is used, never printed or written.
  std::optional<Target> configured;
  std::unique_ptr<ClientWorkloads> shared_workloads;
  if (const char* text = std::getenv(storage::kConnectionStringVariable);
      text != nullptr && *text != '\0') {
    auto account = storage::StorageAccount::FromConnectionString(text);
    if (!account.ok()) {
      std::fprintf(stderr, "bad connection string: %s\n", account.status().ToString().c_str());
      return 1;
    }
    configured.emplace();
    configured->account = std::move(account).value();
    std::fprintf(stderr, "endpoint: %s\n", configured->account.Describe().c_str());
    auto workloads = ClientWorkloads::Create(configured->account, &client_counters, settings);
    if (!workloads.ok()) {
      std::fprintf(stderr, "cannot prepare: %s\n", workloads.status().ToString().c_str());
      return 1;
    }
    shared_workloads = std::move(workloads).value();
  } else {
    // A fresh Azurite per case: its queue store slows with every message it has seen (see
    // README), so cases on one instance would measure each other's leftovers.
    std::fprintf(stderr, "endpoint: a fresh private Azurite per case\n");
  }
  const bool local = !configured || configured->account.is_development_storage ||
                     IsLoopback(configured->account.table_endpoint);

  nlohmann::json results = nlohmann::json::array();
  double azurite_cpu_total = 0;
  std::string azurite_mode;  // FANFOLD_AZURITE_MODE's, as the private Azurites ran
  for (const std::string& name : options.cases) {
    const bool simple = name.rfind(kSimplePrefix, 0) == 0;
    for (const int threads : options.threads) {
      CaseSpec spec;
      spec.operation = simple ? name.substr(std::string(kSimplePrefix).size()) : name;
      spec.client = simple ? "simple" : "fanfold";
      spec.threads = threads;
      spec.duration = std::chrono::duration<double>(options.seconds);
      spec.requests_per_operation = ClientWorkloads::RequestsPerOperation(spec.operation);

      Target private_target;
      std::unique_ptr<ClientWorkloads> private_workloads;
      CaseProbes probes;
      if (!configured) {
        auto started_target = StartPrivateAzurite();
        if (!started_target.ok()) {
          std::fprintf(stderr, "cannot start Azurite: %s\n",
                       started_target.status().ToString().c_str());
          return 1;
        }
        private_target = std::move(started_target).value();
        probes.azurite_pids = private_target.azurite->pids();
        azurite_mode = private_target.azurite->mode();
        auto workloads =
            ClientWorkloads::Create(private_target.account, &client_counters, settings);
        if (!workloads.ok()) {
          std::fprintf(stderr, "cannot prepare: %s\n", workloads.status().ToString().c_str());
          return 1;
        }
        private_workloads = std::move(workloads).value();
      }
      const storage::StorageAccount& account =
          configured ? configured->account : private_target.account;
      ClientWorkloads& workloads = configured ? *shared_workloads : *private_workloads;
      auto result =
          Measure(name, spec, workloads, account, probes, &client_counters, &simple_counters);
      if (!result.ok()) {
        std::fprintf(stderr, "cannot run %s: %s\n", name.c_str(),
                     result.status().ToString().c_str());
        return 1;
      }
      std::fprintf(stderr, "%s\n", result->Summary().c_str());
      if (result->azurite_cpu_seconds) azurite_cpu_total += *result->azurite_cpu_seconds;
      results.push_back(result->ToJson());
    }
  }
  shared_workloads.reset();  // deletes what it created in the configured account

  const MachineInfo machine = ReadMachineInfo();
  const SourceInfo source = ReadSourceInfo(FANFOLD_SOURCE_DIR);
  nlohmann::json endpoint = {{"kind", local ? "azurite" : "azure"},
                             {"fresh_private_azurite_per_case", !configured}};
  if (!configured) {
    endpoint["azurite_version"] = AzuriteVersion();
    endpoint["azurite_mode"] = azurite_mode;
  }
  nlohmann::json document = {
      {"benchmark", "fanfold-storage"},
      {"schema_version", 1},
      {"command_line", QuotedCommandLine(argc, argv)},
      {"started_at", started_at},
      {"finished_at", UtcNow()},
      {"total_seconds",
       std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count()},
      {"git", {{"commit", source.git_commit}, {"dirty", source.git_dirty}}},
      {"machine", machine.ToJson()},
      {"load_average_at_start", load_at_start},
      {"load_average_at_end", LoadAverages()},
      {"endpoint", endpoint},
      {"settings",
       {{"seconds_per_case", options.seconds},
        {"threads", options.threads},
        {"cases", options.cases},
        {"blob_mib", options.blob_mib},
        {"range_kib", options.range_kib},
        {"queue_pool", options.queue_pool},
        {"api_version", storage::kStorageApiVersion}}},
      {"results", results},
  };
  if (const char* script = std::getenv("FANFOLD_BENCH_SCRIPT_COMMAND"); script && *script) {
    document["script_command_line"] = script;
  }
  // Over the timed rounds of all cases; unknown for an Azurite this process did not start.
  document["azurite_cpu_seconds_total"] =
      configured ? nlohmann::json() : nlohmann::json(azurite_cpu_total);
  document["bench_cpu_seconds_total"] = SelfCpuSeconds();

  const std::string text = document.dump(2) + "\n";
  if (options.output.empty()) {
    std::fputs(text.c_str(), stdout);
  } else {
    std::ofstream out(options.output);
    out << text;
    if (!out) {
      std::fprintf(stderr, "cannot write %s\n", options.output.c_str());
      return 1;
    }
    std::fprintf(stderr, "wrote %s\n", options.output.c_str());
  }
  return 0;
}

}  // namespace
}  // namespace fanfold::bench

int main(int argc, char** argv) {
  curl_global_init(CURL_GLOBAL_DEFAULT);
  const int status = fanfold::bench::Run(argc, argv);
  curl_global_cleanup();
  return status;
}
