// Child processes of the pipeline benchmark (workers, node for DuckDB, awk) and what they cost:
// CPU seconds and peak RSS, from wait4()'s rusage when the process ends, or from /proc while it
// still runs (Azurite is measured just before it is stopped).
#pragma once

#include <sys/types.h>

#include <chrono>
#include <nlohmann/json_fwd.hpp>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "storage/result.hpp"

namespace fanfold::bench {

struct ProcessUsage {
  std::string role;  // worker | azurite | driver
  std::string name;  // worker-1, azurite, driver
  pid_t pid = -1;
  double user_seconds = 0;
  double system_seconds = 0;
  long peak_rss_kib = 0;
  std::string exit;  // ok | killed | signal N | code N | running

  double cpu_seconds() const { return user_seconds + system_seconds; }
  nlohmann::json ToJson() const;
};

struct SpawnSpec {
  std::vector<std::string> argv;                         // argv[0] is the program's path
  std::vector<std::pair<std::string, std::string>> env;  // set on top of ours
  std::string stdout_path = "/dev/null";
  std::string stderr_path = "/dev/null";
};

// fork + execv; IoError when fork fails (an exec failure shows as exit code 127).
storage::Result<pid_t> Spawn(const SpawnSpec& spec);

// Waits up to `grace` for `pid` to end, then SIGKILLs it and waits; fills in its usage.
void Reap(pid_t pid, std::chrono::milliseconds grace, ProcessUsage* usage);
// Non-blocking: true and usage filled in when `pid` has ended.
bool ReapIfEnded(pid_t pid, ProcessUsage* usage);

// CPU seconds and peak RSS (VmHWM) of a live process, from /proc; nullopt when unreadable.
std::optional<ProcessUsage> ReadLiveUsage(pid_t pid);
// This process, from getrusage(RUSAGE_SELF).
ProcessUsage SelfUsage();

// Runs a command to its end with stdout captured (stderr to `stderr_path`), bounded by
// `timeout`; IoError when it cannot start, exits non-zero, or runs out of time.
storage::Result<std::string> RunCapture(const std::vector<std::string>& argv,
                                        std::chrono::seconds timeout,
                                        const std::string& stderr_path = "/dev/null");

// The last `max_bytes` of a text file (a worker's log, for an error message).
std::string FileTail(const std::string& path, std::size_t max_bytes);

}  // namespace fanfold::bench
