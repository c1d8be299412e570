// Runs `fanfold worker` (or another long-running command of the binary, such as
// serve-functions) as a real child process against the test account, so tests can kill it with
// SIGKILL at any moment, as a machine failure would.
#pragma once

#include <fcntl.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <map>
#include <string>
#include <thread>
#include <vector>

#include "tests/support/storage_test_environment.hpp"

#ifndef FANFOLD_BINARY
#error "FANFOLD_BINARY must name the fanfold executable"
#endif

namespace fanfold::orchestrator::test {

class WorkerProcess {
 public:
  // Extra environment (e.g. FANFOLD_CRASH_AT) on top of the connection string and hub.
  WorkerProcess(const std::string& hub, std::vector<std::string> extra_arguments = {},
                std::map<std::string, std::string> extra_environment = {},
                const std::string& log_path = "/dev/null", const std::string& command = "worker") {
    pid_ = fork();
    if (pid_ != 0) return;
    setenv("AZURE_STORAGE_CONNECTION_STRING", fanfold::testing::TestConnectionString().c_str(), 1);
    for (const auto& [name, value] : extra_environment)
      setenv(name.c_str(), value.c_str(), 1);
    const int log = open(log_path.c_str(), O_WRONLY | O_CREAT | O_APPEND, 0644);
    if (log >= 0) {
      dup2(log, STDOUT_FILENO);
      dup2(log, STDERR_FILENO);
    }
    std::vector<std::string> arguments = {
        FANFOLD_BINARY, command, "--hub", hub, "--partitions", "2", "--visibility-timeout", "2"};
    // Test workers poll as if always busy (a job's steps wait on each other across processes):
    // the default pacing is measured by its own test.
    if (std::find(extra_arguments.begin(), extra_arguments.end(), "--idle-poll-ms") ==
        extra_arguments.end()) {
      arguments.insert(arguments.end(), {"--idle-poll-ms", "10"});
    }
    arguments.insert(arguments.end(), extra_arguments.begin(), extra_arguments.end());
    std::vector<char*> argv;
    for (auto& argument : arguments)
      argv.push_back(argument.data());
    argv.push_back(nullptr);
    execv(FANFOLD_BINARY, argv.data());
    _exit(127);
  }
  ~WorkerProcess() {
    if (running()) Kill();
  }
  WorkerProcess(const WorkerProcess&) = delete;
  WorkerProcess& operator=(const WorkerProcess&) = delete;

  bool running() {
    if (exited_) return false;
    int status = 0;
    if (waitpid(pid_, &status, WNOHANG) == pid_) {
      exited_ = true;
      status_ = status;
      return false;
    }
    return true;
  }
  void Kill() {
    kill(pid_, SIGKILL);
    Wait();
  }
  // SIGTERM, then the exit status (the worker drains and exits 0).
  int Terminate() {
    kill(pid_, SIGTERM);
    return Wait();
  }
  int Wait() {
    if (!exited_) {
      waitpid(pid_, &status_, 0);
      exited_ = true;
    }
    return status_;
  }
  bool killed_by_signal(int signal) {
    return !running() && WIFSIGNALED(status_) && WTERMSIG(status_) == signal;
  }

 private:
  pid_t pid_ = -1;
  bool exited_ = false;
  int status_ = 0;
};

}  // namespace fanfold::orchestrator::test
