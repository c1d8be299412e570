#include "bench/pipeline_bench_deployment.hpp"

#include <signal.h>

#include <chrono>
#include <cstdio>
#include <fstream>
#include <nlohmann/json.hpp>
#include <thread>

#include "bench/pipeline_bench_storage.hpp"

namespace fanfold::bench {
namespace {

// A worker logs worker.started once its queues and tables exist and it polls; the first upload
// of a run must not measure process start-up. Text logs (no such line) get a fixed pause.
constexpr auto kWorkerStartupLimit = std::chrono::seconds(30);
constexpr auto kWorkerStartupWithoutLogs = std::chrono::milliseconds(700);

bool LogShowsStarted(const std::string& path) {
  std::ifstream in(path);
  std::string line;
  while (std::getline(in, line)) {
    if (line.find("\"event\":\"worker.started\"") != std::string::npos) return true;
  }
  return false;
}
// A worker finishes its in-flight work on SIGTERM; more than this is a hang, not draining.
constexpr auto kDrainGrace = std::chrono::seconds(60);

// The count a worker's --stats-file reports for injected faults, if it reports one: the lead's
// hook names are not settled, so the usual spellings are all accepted.
long long InjectedFaults(const nlohmann::json& stats) {
  const auto faults = stats.find("faults");
  if (faults == stats.end()) return -1;
  if (faults->is_number_integer()) return faults->get<long long>();
  if (!faults->is_object()) return -1;
  for (const char* key : {"injected", "total_faults", "total"}) {
    if (faults->contains(key) && (*faults)[key].is_number_integer()) {
      return (*faults)[key].get<long long>();
    }
  }
  long long sum = 0;
  for (const auto& [key, value] : faults->items()) {
    if (key != "requests" && value.is_number_integer()) sum += value.get<long long>();
  }
  return sum;
}

}  // namespace

Deployment::Deployment(const WorkerSettings& settings,
                       std::unique_ptr<testing::AzuriteProcess> azurite,
                       storage::StorageAccount account)
    : settings_(settings), azurite_(std::move(azurite)), account_(std::move(account)) {}

Deployment::~Deployment() {
  if (!stopped_) Stop();
}

storage::Result<std::unique_ptr<Deployment>> Deployment::Start(const WorkerSettings& settings,
                                                               int workers) {
  auto azurite = testing::AzuriteProcess::Start();
  if (!azurite.ok()) return azurite.status();
  auto account = storage::StorageAccount::FromConnectionString((*azurite)->connection_string());
  if (!account.ok()) return account.status();
  std::unique_ptr<Deployment> deployment(
      new Deployment(settings, std::move(*azurite), std::move(*account)));
  for (int i = 0; i < workers; ++i)
    FANFOLD_RETURN_IF_ERROR(deployment->AddWorker());
  FANFOLD_RETURN_IF_ERROR(deployment->WaitUntilStarted());
  return deployment;
}

storage::Status Deployment::AddWorker() {
  Worker worker;
  const int number = static_cast<int>(workers_.size()) + 1;
  worker.name = "worker-" + std::to_string(number);
  // Azurite's first pid tells this deployment's files from those of earlier ones in work_dir.
  const std::string stem =
      settings_.work_dir + "/" + std::to_string(azurite_->pids().front()) + "-" + worker.name;
  worker.log_path = stem + ".log";
  worker.stats_path = stem + ".stats.json";
  SpawnSpec spec;
  spec.argv = {settings_.fanfold,      "worker",
               "--concurrency",        std::to_string(settings_.concurrency),
               "--visibility-timeout", std::to_string(settings_.visibility_timeout_s),
               "--idle-poll-ms",       std::to_string(settings_.idle_poll_ms),
               "--stats-file",         worker.stats_path};
  if (settings_.json_logs) {
    spec.argv.push_back("--log-format");
    spec.argv.push_back("json");
  }
  spec.env.emplace_back("AZURE_STORAGE_CONNECTION_STRING", azurite_->connection_string());
  if (settings_.fault_rate > 0) {
    spec.env.emplace_back("FANFOLD_INJECT_FAULTS", std::to_string(settings_.fault_rate));
  }
  spec.stderr_path = worker.log_path;
  std::remove(worker.stats_path.c_str());
  auto pid = Spawn(spec);
  if (!pid.ok()) return pid.status();
  worker.pid = *pid;
  worker.usage.role = "worker";
  worker.usage.name = worker.name;
  worker.usage.pid = *pid;
  workers_.push_back(std::move(worker));
  return storage::Status::Ok();
}

storage::Status Deployment::WaitUntilStarted() {
  if (!settings_.json_logs) {
    std::this_thread::sleep_for(kWorkerStartupWithoutLogs);
    return CheckWorkers();
  }
  const auto deadline = std::chrono::steady_clock::now() + kWorkerStartupLimit;
  for (const auto& worker : workers_) {
    while (!LogShowsStarted(worker.log_path)) {
      FANFOLD_RETURN_IF_ERROR(CheckWorkers());
      if (std::chrono::steady_clock::now() > deadline) {
        return storage::Status::Timeout(worker.name + " did not log worker.started within 30 s");
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
  }
  return CheckWorkers();
}

storage::Status Deployment::KillAndReplace() {
  for (auto& worker : workers_) {
    if (worker.ended) continue;
    kill(worker.pid, SIGKILL);
    Reap(worker.pid, std::chrono::seconds(10), &worker.usage);
    worker.usage.exit = "killed";
    worker.ended = true;
    worker.killed = true;
    ++kills_;
    return AddWorker();
  }
  return AddWorker();
}

storage::Status Deployment::CheckWorkers() {
  for (auto& worker : workers_) {
    if (worker.ended) continue;
    if (ReapIfEnded(worker.pid, &worker.usage)) {
      worker.ended = true;
      return storage::Status::IoError(worker.name + " ended by itself (" + worker.usage.exit +
                                      "); its log ends: " + FileTail(worker.log_path, 1500));
    }
  }
  return storage::Status::Ok();
}

CpuSample Deployment::SampleCpu() {
  CpuSample sample;
  for (const auto& worker : workers_) {
    if (worker.ended) {
      sample.workers += worker.usage.cpu_seconds();
    } else if (const auto live = ReadLiveUsage(worker.pid)) {
      sample.workers += live->cpu_seconds();
    }
  }
  sample.azurite = AzuriteUsage().cpu_seconds();
  return sample;
}

// Azurite as one entry, whether it runs as one process or three: CPU summed, and peak RSS
// summed too (the processes may peak at different moments, so an upper bound of their joint
// peak, and the same number as before for a single process).
ProcessUsage Deployment::AzuriteUsage() const {
  ProcessUsage total;
  total.role = "azurite";
  total.name = "azurite";
  const std::vector<pid_t> pids = azurite_->pids();
  if (!pids.empty()) total.pid = pids.front();  // the JSON has room for one
  for (const pid_t pid : pids) {
    const auto live = ReadLiveUsage(pid);
    if (!live) continue;
    total.user_seconds += live->user_seconds;
    total.system_seconds += live->system_seconds;
    total.peak_rss_kib += live->peak_rss_kib;
  }
  return total;
}

DeploymentResult Deployment::Stop() {
  stopped_ = true;
  DeploymentResult result;
  for (auto& worker : workers_) {
    if (!worker.ended) kill(worker.pid, SIGTERM);
  }
  for (auto& worker : workers_) {
    if (!worker.ended) {
      Reap(worker.pid, kDrainGrace, &worker.usage);
      worker.ended = true;
    }
    result.processes.push_back(worker.usage);
    result.logs.push_back({worker.name, worker.pid, worker.log_path});
    std::ifstream in(worker.stats_path);
    const auto stats = nlohmann::json::parse(in, nullptr, false);
    if (stats.is_discarded() || !stats.contains("storage")) {
      ++result.workers_without_stats;
      continue;
    }
    result.workers_storage += SnapshotFromJson(stats["storage"]);
    const nlohmann::json lanes = stats.value("polls_by_lane", nlohmann::json::object());
    for (const auto& [lane, polls] : lanes.items()) {
      auto& sum = result.polls_by_lane[lane];
      if (!sum.is_object()) sum = nlohmann::json::object();
      for (const char* field : {"requests", "empty"})
        sum[field] = sum.value(field, 0ULL) + polls.value(field, 0ULL);
    }
    const long long injected = InjectedFaults(stats);
    if (injected >= 0) result.injected_faults = std::max(0LL, result.injected_faults) + injected;
  }
  ProcessUsage azurite = AzuriteUsage();
  azurite.exit = "ok";  // stopped by us, after the measurement
  result.processes.push_back(azurite);
  azurite_.reset();
  return result;
}

}  // namespace fanfold::bench
