// `fanfold dashboard` as a child process, for the tests that use it through HTTP as a browser or
// a script would: started on a free port of 127.0.0.1, its URL read from its first line.
#pragma once

#include <fcntl.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <fstream>
#include <map>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "tests/support/storage_test_environment.hpp"

namespace fanfold::dashboard::test {

class DashboardProcess {
 public:
  // `arguments` after `fanfold dashboard` (deployment flags, --allow-actions, ...); stdout and
  // stderr go to `log_path`.
  DashboardProcess(std::vector<std::string> arguments, const std::string& log_path,
                   const std::map<std::string, std::string>& environment = {})
      : log_path_(log_path) {
    // A log left by an earlier dashboard would name its URL before this one has started.
    unlink(log_path.c_str());
    pid_ = fork();
    if (pid_ != 0) return;
    setenv("AZURE_STORAGE_CONNECTION_STRING", fanfold::testing::TestConnectionString().c_str(), 1);
    unsetenv("FANFOLD_DASHBOARD_TOKEN");
    for (const auto& [name, value] : environment)
      setenv(name.c_str(), value.c_str(), 1);
    const int log = open(log_path.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
    if (log >= 0) {
      dup2(log, STDOUT_FILENO);
      dup2(log, STDERR_FILENO);
    }
    arguments.insert(arguments.begin(), {FANFOLD_BINARY, "dashboard"});
    std::vector<char*> argv;
    for (auto& argument : arguments)
      argv.push_back(argument.data());
    argv.push_back(nullptr);
    execv(FANFOLD_BINARY, argv.data());
    _exit(127);
  }
  ~DashboardProcess() { Stop(); }
  DashboardProcess(const DashboardProcess&) = delete;
  DashboardProcess& operator=(const DashboardProcess&) = delete;

  // "http://127.0.0.1:PORT/" once it listens; "" when it exited first or took over 20 s.
  std::string WaitForUrl() {
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(20);
    while (std::chrono::steady_clock::now() < deadline) {
      const std::string text = Log();
      const auto at = text.find("http://");
      if (at != std::string::npos && text.find('\n', at) != std::string::npos) {
        return text.substr(at, text.find('\n', at) - at);
      }
      if (Exited()) return "";
      std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
    return "";
  }
  // The exit status once it exits by itself (a refused start); -1 if still running after 20 s.
  int WaitForExit() {
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(20);
    while (std::chrono::steady_clock::now() < deadline) {
      if (Exited()) return WIFEXITED(status_) ? WEXITSTATUS(status_) : -1;
      std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
    return -1;
  }
  std::string Log() const {
    std::ifstream in(log_path_);
    std::ostringstream text;
    text << in.rdbuf();
    return text.str();
  }
  void Stop() {
    if (pid_ > 0 && !Exited()) {
      kill(pid_, SIGTERM);
      waitpid(pid_, &status_, 0);
      exited_ = true;
    }
  }

 private:
  bool Exited() {
    if (exited_) return true;
    if (waitpid(pid_, &status_, WNOHANG) == pid_) exited_ = true;
    return exited_;
  }
  std::string log_path_;
  pid_t pid_ = -1;
  bool exited_ = false;
  int status_ = 0;
};

}  // namespace fanfold::dashboard::test
