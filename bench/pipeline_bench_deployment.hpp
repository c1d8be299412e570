// One run's private world: a fresh in-memory Azurite and N `fanfold worker` processes on it,
// started and stopped as a unit. Azurite 3.35 in memory slows down as messages accumulate, and
// its cleanup pass can freeze it for tens of seconds, so no two runs ever share one.
#pragma once

#include <sys/types.h>

#include <memory>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "bench/pipeline_bench_process.hpp"
#include "storage/connection_string.hpp"
#include "storage/counters.hpp"
#include "storage/result.hpp"
#include "tests/support/azurite_process.hpp"

namespace fanfold::bench {

struct WorkerSettings {
  std::string fanfold;  // the binary
  int concurrency = 2;
  int visibility_timeout_s = 15;
  int idle_poll_ms = 6000;  // the worker's default: the bench measures what users run
  bool json_logs = true;    // --log-format json (false when this fanfold lacks it)
  double fault_rate = 0;    // FANFOLD_INJECT_FAULTS in the workers' environment when > 0
  std::string work_dir;     // logs and stats files go here
};

struct WorkerLog {
  std::string name;  // worker-1
  pid_t pid = -1;
  std::string path;  // its stderr
};

// CPU seconds used so far: every worker (live ones from /proc, ended ones from rusage) and
// Azurite. Two samples bracket a measured window.
struct CpuSample {
  double workers = 0;
  double azurite = 0;
};

struct DeploymentResult {
  std::vector<ProcessUsage> processes;       // every worker, then Azurite
  storage::CounterSnapshot workers_storage;  // summed --stats-file counters of clean exits
  // Their poll requests by lane, summed: {"lane": {"requests": n, "empty": m}}.
  nlohmann::json polls_by_lane = nlohmann::json::object();
  int workers_without_stats = 0;   // killed ones write none
  long long injected_faults = -1;  // -1: the workers did not report any count
  std::vector<WorkerLog> logs;
};

class Deployment {
 public:
  // Starts Azurite, then `workers` workers, and gives them a moment to start polling.
  static storage::Result<std::unique_ptr<Deployment>> Start(const WorkerSettings& settings,
                                                            int workers);
  ~Deployment();
  Deployment(const Deployment&) = delete;
  Deployment& operator=(const Deployment&) = delete;

  const storage::StorageAccount& account() const { return account_; }

  storage::Status AddWorker();
  // SIGKILLs the oldest live worker and starts a fresh one in its place.
  storage::Status KillAndReplace();
  int kills() const { return kills_; }
  // Non-OK when a worker ended that the driver did not stop (its log's tail says why).
  storage::Status CheckWorkers();
  CpuSample SampleCpu();

  // SIGTERM to every worker (they drain and exit 0), their rusage and stats; then Azurite's
  // CPU and VmHWM from /proc (summed over its processes), and Azurite is stopped.
  DeploymentResult Stop();

 private:
  struct Worker {
    std::string name;
    pid_t pid = -1;
    std::string log_path;
    std::string stats_path;
    bool ended = false;
    bool killed = false;
    ProcessUsage usage;
  };
  Deployment(const WorkerSettings& settings, std::unique_ptr<testing::AzuriteProcess> azurite,
             storage::StorageAccount account);
  storage::Status WaitUntilStarted();
  ProcessUsage AzuriteUsage() const;

  WorkerSettings settings_;
  std::unique_ptr<testing::AzuriteProcess> azurite_;
  storage::StorageAccount account_;
  std::vector<Worker> workers_;
  int kills_ = 0;
  bool stopped_ = false;
};

}  // namespace fanfold::bench
