// `fanfold run` and `fanfold demo` start their own workers: N `fanfold worker` child processes of
// this same binary, on the same deployment (--prefix, --hub, --partitions), each writing to a log
// file in a private temporary directory. The children die with the parent (PR_SET_PDEATHSIG), so
// a killed `fanfold run` leaves no worker behind.
#pragma once

#include <sys/types.h>

#include <string>
#include <vector>

#include "storage/result.hpp"

namespace fanfold::cli {

class WorkerChildren {
 public:
  WorkerChildren() = default;
  ~WorkerChildren();
  WorkerChildren(const WorkerChildren&) = delete;
  WorkerChildren& operator=(const WorkerChildren&) = delete;

  // Starts `count` processes running `fanfold worker <worker_arguments...>`. With a
  // metrics_address HOST:PORT, worker i (from 0) serves /metrics on HOST:PORT+i.
  storage::Status Start(int count, const std::vector<std::string>& worker_arguments,
                        const std::string& metrics_address = "");
  // "http://HOST:PORT/metrics" of each worker started with a metrics address, in order.
  const std::vector<std::string>& metrics_urls() const { return metrics_urls_; }
  // Aborted, naming the worker and its log, when one has exited already.
  storage::Status CheckRunning();
  // SIGTERM to each, then waits; SIGKILL to any still running after `grace_seconds`. True when
  // every worker exited 0 (they drain and exit 0 on SIGTERM).
  bool Stop(int grace_seconds = 10);
  // The directory holding worker-1.log, worker-2.log, ...
  const std::string& log_directory() const { return log_directory_; }
  // Deletes the log directory (after a run that went well).
  void RemoveLogs();

 private:
  struct Child {
    pid_t pid = -1;
    std::string log;
    bool exited = false;
    int status = 0;
  };
  std::vector<Child> children_;
  std::vector<std::string> metrics_urls_;
  std::string log_directory_;
};

}  // namespace fanfold::cli
