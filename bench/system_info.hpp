// What a benchmark result must say about where it was measured: the machine (CPUs, memory, CPU
// model), the source (git commit), and the CPU time processes used, read from /proc. Everything
// here degrades to "unknown" rather than failing: a missing fact must not cost the measurement.
#pragma once

#include <sys/types.h>

#include <cstdint>
#include <nlohmann/json_fwd.hpp>
#include <optional>
#include <string>
#include <vector>

namespace fanfold::bench {

struct MachineInfo {
  unsigned nproc = 0;                 // CPUs this process may run on
  uint64_t memory_total_kib = 0;      // MemTotal of /proc/meminfo
  uint64_t memory_available_kib = 0;  // MemAvailable when the run started
  std::string cpu_model;              // "model name" of /proc/cpuinfo; "unknown" when absent
  std::string kernel;                 // uname -sr

  nlohmann::json ToJson() const;
};
MachineInfo ReadMachineInfo();

struct SourceInfo {
  std::string git_commit;  // "unknown" when git or the repository is unavailable
  bool git_dirty = false;  // uncommitted changes to tracked files
};
SourceInfo ReadSourceInfo(const std::string& source_dir);

// User and system CPU seconds the process (all its threads) has used; nullopt when unreadable.
struct CpuTimes {
  double user_seconds = 0;
  double system_seconds = 0;
};
std::optional<CpuTimes> ProcessCpuTimes(pid_t pid);
// Their sum.
std::optional<double> ProcessCpuSeconds(pid_t pid);
// Summed over several processes (a per-service Azurite is three); nullopt when `pids` is empty or
// one of them is unreadable, so that a partial sum is never taken for the whole.
std::optional<double> ProcessCpuSeconds(const std::vector<pid_t>& pids);
// The same for this process.
double SelfCpuSeconds();

// The 1, 5 and 15 minute load averages of /proc/loadavg (zeros when unreadable): other work on
// the machine competes with the benchmark and Azurite for the CPUs.
std::vector<double> LoadAverages();

// "2024-06-01T12:34:56Z".
std::string UtcNow();

}  // namespace fanfold::bench
