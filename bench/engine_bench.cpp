// fanfold_engine_bench: fan-out/fan-in of N no-op activities through real `fanfold worker`
// processes, for N and worker counts given on the command line. Per run: wall time from start
// to completion, activities per second, storage requests per activity (from each worker's
// --stats-file, so idle polling is included: it is a real cost), CPU of the workers and of
// Azurite. Results are JSON; nothing here passes or fails.
#include <fcntl.h>
#include <signal.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "bench/system_info.hpp"
#include "orchestrator/task_hub_client.hpp"
#include "storage/random_id.hpp"
#include "tests/support/azurite_process.hpp"

namespace fanfold::bench {
namespace {

struct Options {
  std::vector<int> sizes = {10, 100, 1000, 2000};
  std::vector<int> workers = {1, 2, 4};
  int concurrency = 4;
  int partitions = 4;
  std::string output;
  std::string fanfold = FANFOLD_BINARY;
};

std::vector<int> ParseList(const std::string& text) {
  std::vector<int> out;
  std::stringstream stream(text);
  std::string item;
  while (std::getline(stream, item, ','))
    out.push_back(std::stoi(item));
  return out;
}

struct Worker {
  pid_t pid = -1;
  std::string stats_file;
};

Worker Spawn(const Options& options, const std::string& hub, const std::string& connection) {
  Worker worker;
  worker.stats_file = "/tmp/fanfold-bench-" + storage::NewUuid() + ".json";
  worker.pid = fork();
  if (worker.pid == 0) {
    setenv("AZURE_STORAGE_CONNECTION_STRING", connection.c_str(), 1);
    const int null = open("/dev/null", O_WRONLY);
    dup2(null, STDERR_FILENO);
    std::vector<std::string> arguments = {options.fanfold, "worker",
                                          "--hub",         hub,
                                          "--partitions",  std::to_string(options.partitions),
                                          "--concurrency", std::to_string(options.concurrency),
                                          "--stats-file",  worker.stats_file};
    std::vector<char*> argv;
    for (auto& argument : arguments)
      argv.push_back(argument.data());
    argv.push_back(nullptr);
    execv(options.fanfold.c_str(), argv.data());
    _exit(127);
  }
  return worker;
}

// One run: fresh hub, `workers` processes, one fan-out of n.
nlohmann::json Run(const Options& options, const storage::StorageAccount& account,
                   const std::string& connection, const std::vector<pid_t>& azurite, int workers,
                   int n) {
  orchestrator::TaskHubOptions hub_options;
  hub_options.name = "bench" + storage::NewUuid().substr(0, 8);
  hub_options.partition_count = options.partitions;
  auto hub = orchestrator::TaskHub::Open(account, hub_options);
  if (!hub.ok() || !(*hub)->CreateIfNotExists().ok()) return {{"error", "cannot create hub"}};
  std::vector<Worker> processes;
  for (int i = 0; i < workers; ++i)
    processes.push_back(Spawn(options, hub_options.name, connection));
  std::this_thread::sleep_for(std::chrono::milliseconds(300));  // let them start polling

  const double azurite_before = ProcessCpuSeconds(azurite).value_or(0);
  orchestrator::TaskHubClient client(*hub);
  const auto start = std::chrono::steady_clock::now();
  auto id = client.Start("fanfold.fan_out", {{"n", n}});
  auto done = id.ok() ? client.WaitForCompletion(*id, std::chrono::minutes(10),
                                                 std::chrono::milliseconds(10))
                      : storage::Result<orchestrator::InstanceStatus>(id.status());
  const double seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  const double azurite_after = ProcessCpuSeconds(azurite).value_or(0);

  double worker_cpu = 0;
  long max_rss_kib = 0;
  nlohmann::json by_kind = nlohmann::json::object();
  uint64_t attempts = 0;
  for (auto& process : processes) {
    kill(process.pid, SIGTERM);
    int status = 0;
    rusage usage{};
    wait4(process.pid, &status, 0, &usage);
    worker_cpu += static_cast<double>(usage.ru_utime.tv_sec + usage.ru_stime.tv_sec) +
                  static_cast<double>(usage.ru_utime.tv_usec + usage.ru_stime.tv_usec) / 1e6;
    max_rss_kib = std::max(max_rss_kib, usage.ru_maxrss);
    std::ifstream in(process.stats_file);
    const auto stats = nlohmann::json::parse(in, nullptr, false);
    std::remove(process.stats_file.c_str());
    if (stats.is_discarded()) continue;
    attempts += stats["storage"].value("total_attempts", 0ULL);
    for (const auto& [kind, count] : stats["storage"]["attempts"].items()) {
      by_kind[kind] = by_kind.value(kind, 0ULL) + count.get<uint64_t>();
    }
  }
  (void)(*hub)->DeleteAll();
  nlohmann::json per_activity = nlohmann::json::object();
  for (const auto& [kind, count] : by_kind.items()) {
    per_activity[kind] = static_cast<double>(count.get<uint64_t>()) / n;
  }
  const bool exact = done.ok() && done->status == orchestrator::RuntimeStatus::kCompleted &&
                     done->output == std::to_string(static_cast<long long>(n) * (n - 1) / 2);
  nlohmann::json run = {{"workers", workers},
                        {"activities", n},
                        {"seconds", seconds},
                        {"completed_exactly", exact},
                        {"activities_per_second", n / seconds},
                        {"requests", attempts},
                        {"requests_per_activity", static_cast<double>(attempts) / n},
                        {"requests_per_activity_by_kind", per_activity},
                        {"worker_cpu_seconds", worker_cpu},
                        {"worker_max_rss_kib", max_rss_kib}};
  if (!azurite.empty()) run["azurite_cpu_seconds"] = azurite_after - azurite_before;
  if (!done.ok()) {
    run["error"] = done.status().ToString();
  } else if (!exact) {
    run["status"] = orchestrator::RuntimeStatusName(done->status);
    run["output"] = done->output;
    if (done->failure) run["failure"] = orchestrator::ToJson(*done->failure);
  }
  return run;
}

}  // namespace
}  // namespace fanfold::bench

int main(int argc, char** argv) {
  using namespace fanfold;
  bench::Options options;
  std::string command;
  for (int i = 0; i < argc; ++i)
    command += (i ? " " : "") + std::string(argv[i]);
  for (int i = 1; i < argc; ++i) {
    const std::string arg = argv[i];
    const auto value = [&]() { return i + 1 < argc ? std::string(argv[++i]) : std::string(); };
    if (arg == "--sizes") {
      options.sizes = bench::ParseList(value());
    } else if (arg == "--workers") {
      options.workers = bench::ParseList(value());
    } else if (arg == "--concurrency") {
      options.concurrency = std::stoi(value());
    } else if (arg == "--partitions") {
      options.partitions = std::stoi(value());
    } else if (arg == "--output") {
      options.output = value();
    } else {
      std::fprintf(stderr,
                   "usage: fanfold_engine_bench [--sizes 10,100,1000,2000] [--workers 1,2,4] "
                   "[--concurrency 4] [--partitions 4] [--output FILE]\n");
      return 2;
    }
  }
  std::unique_ptr<testing::AzuriteProcess> azurite;
  std::string connection;
  const char* configured = std::getenv("AZURE_STORAGE_CONNECTION_STRING");
  if (configured != nullptr && *configured != '\0') {
    connection = configured;
  } else {
    auto started = testing::AzuriteProcess::Start();
    if (!started.ok()) {
      std::fprintf(stderr, "cannot start Azurite: %s\n", started.status().ToString().c_str());
      return 1;
    }
    azurite = std::move(started).value();
    connection = azurite->connection_string();
  }
  auto account = storage::StorageAccount::FromConnectionString(connection);
  if (!account.ok()) {
    std::fprintf(stderr, "%s\n", account.status().ToString().c_str());
    return 1;
  }
  nlohmann::json runs = nlohmann::json::array();
  for (const int workers : options.workers) {
    for (const int n : options.sizes) {
      auto run = bench::Run(options, *account, connection,
                            azurite ? azurite->pids() : std::vector<pid_t>{}, workers, n);
      std::fprintf(stderr, "workers=%d n=%d: %s\n", workers, n, run.dump().c_str());
      runs.push_back(std::move(run));
    }
  }
  const nlohmann::json result = {
      {"benchmark", "engine_fan_out"},
      {"command", command},
      {"started_utc", bench::UtcNow()},
      {"git_commit", bench::ReadSourceInfo(FANFOLD_SOURCE_DIR).git_commit},
      {"machine", bench::ReadMachineInfo().ToJson()},
      {"endpoint", azurite ? "azurite" : "configured-account"},
      {"azurite_mode", azurite ? nlohmann::json(azurite->mode()) : nlohmann::json()},
      {"worker_concurrency", options.concurrency},
      {"partitions", options.partitions},
      {"runs", runs}};
  const std::string text = result.dump(2);
  if (options.output.empty()) {
    std::printf("%s\n", text.c_str());
  } else {
    std::ofstream(options.output) << text << "\n";
  }
  return 0;
}
