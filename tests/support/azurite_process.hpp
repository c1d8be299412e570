// Starts a private Azurite (in-memory, on free loopback ports) and stops it again. Tests and
// benchmarks use this so that they never depend on an emulator somebody left running, and so
// that two runs on one machine do not collide.
#pragma once

#include <sys/types.h>

#include <memory>
#include <string>

#include "storage/result.hpp"

namespace fanfold::testing {

class AzuriteProcess {
 public:
  // Finds the Azurite binary (FANFOLD_AZURITE_BIN, else infra/azurite/node_modules/.bin/azurite
  // under the source tree), starts it and waits until its three services accept connections.
  static storage::Result<std::unique_ptr<AzuriteProcess>> Start();
  ~AzuriteProcess();
  AzuriteProcess(const AzuriteProcess&) = delete;
  AzuriteProcess& operator=(const AzuriteProcess&) = delete;

  // A connection string with explicit endpoints and the well-known development key.
  std::string connection_string() const;
  int blob_port() const { return blob_port_; }
  int queue_port() const { return queue_port_; }
  int table_port() const { return table_port_; }
  pid_t pid() const { return pid_; }

 private:
  AzuriteProcess() = default;
  void Stop();

  pid_t pid_ = -1;
  int blob_port_ = 0;
  int queue_port_ = 0;
  int table_port_ = 0;
  std::string work_dir_;
};

}  // namespace fanfold::testing
