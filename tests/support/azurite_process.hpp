// Starts a private Azurite (in-memory, on free loopback ports) and stops it again. Tests and
// benchmarks use this so that they never depend on an emulator somebody left running, and so
// that two runs on one machine do not collide.
//
// FANFOLD_AZURITE_MODE picks how Azurite runs:
//   per-service (the default)  three processes, azurite-blob, azurite-queue and azurite-table;
//   single                     the one `azurite` process that serves all three services.
// Azurite handles every request of a process on one Node thread, so a single process saturates
// about one core and caps what the workers can do (100 small jobs with 8 workers on 2 cores:
// 10.8 s single, 7.1 s per-service). `single` is kept to compare with older measurements.
#pragma once

#include <sys/types.h>

#include <memory>
#include <string>
#include <vector>

#include "storage/result.hpp"

namespace fanfold::testing {

class AzuriteProcess {
 public:
  // Finds Azurite (FANFOLD_AZURITE_BIN names the `azurite` entry point, and the per-service ones
  // are looked for beside it; else infra/azurite/node_modules/.bin/ under the source tree),
  // starts it in the mode FANFOLD_AZURITE_MODE asks for and waits until its three services
  // accept connections. InvalidArgument for an unknown mode.
  static storage::Result<std::unique_ptr<AzuriteProcess>> Start();
  ~AzuriteProcess();
  AzuriteProcess(const AzuriteProcess&) = delete;
  AzuriteProcess& operator=(const AzuriteProcess&) = delete;

  // A connection string with explicit endpoints and the well-known development key.
  std::string connection_string() const;
  int blob_port() const { return blob_port_; }
  int queue_port() const { return queue_port_; }
  int table_port() const { return table_port_; }
  // Every Azurite process (one or three), e.g. to sum their CPU time from /proc.
  std::vector<pid_t> pids() const;
  // "single" or "per-service".
  const char* mode() const { return per_service_ ? "per-service" : "single"; }

 private:
  // One Azurite process: what it serves ("all", "blob", ...), its entry point, and while it
  // runs, its pid (else -1) and log.
  struct Child {
    std::string service;
    std::string program;
    pid_t pid = -1;
    std::string log_path;
  };

  AzuriteProcess() = default;
  storage::Status Launch();
  storage::Status WaitUntilListening();
  std::string LogTails() const;
  void Stop();

  bool per_service_ = true;
  std::vector<Child> children_;
  int blob_port_ = 0;
  int queue_port_ = 0;
  int table_port_ = 0;
  std::string work_dir_;
};

}  // namespace fanfold::testing
