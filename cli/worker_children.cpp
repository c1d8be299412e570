#include "cli/worker_children.hpp"

#include <fcntl.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <thread>

#include "telemetry/metrics_server.hpp"

namespace fanfold::cli {
namespace {

// This executable's path, so that the children run the same build as the parent.
std::string SelfPath() {
  char path[4096];
  const ssize_t length = readlink("/proc/self/exe", path, sizeof path - 1);
  if (length <= 0) return "/proc/self/exe";
  return std::string(path, static_cast<std::size_t>(length));
}

std::string DescribeExit(int status) {
  if (WIFEXITED(status)) return "exited with status " + std::to_string(WEXITSTATUS(status));
  if (WIFSIGNALED(status)) return "was killed by signal " + std::to_string(WTERMSIG(status));
  return "stopped";
}

}  // namespace

WorkerChildren::~WorkerChildren() {
  Stop();
}

storage::Status WorkerChildren::Start(int count, const std::vector<std::string>& worker_arguments,
                                      const std::string& metrics_address) {
  telemetry::ListenAddress metrics;
  if (!metrics_address.empty()) {
    auto parsed = telemetry::ParseListenAddress(metrics_address);
    if (!parsed.ok()) return parsed.status();
    if (parsed->port == 0 || parsed->port + count > 65536) {
      return storage::Status::InvalidArgument(
          "--metrics-addr '" + metrics_address +
          "' needs a port for each worker (worker i serves PORT+i), not 0 or one near 65535");
    }
    metrics = *parsed;
  }
  if (log_directory_.empty()) {
    const char* tmp = std::getenv("TMPDIR");
    std::string pattern =
        std::string(tmp != nullptr && *tmp != '\0' ? tmp : "/tmp") + "/fanfold-workers-XXXXXX";
    if (mkdtemp(pattern.data()) == nullptr) {
      return storage::Status::IoError("cannot create a directory for the workers' logs in " +
                                      pattern.substr(0, pattern.rfind('/')));
    }
    log_directory_ = pattern;
  }
  const std::string self = SelfPath();
  const pid_t parent = getpid();
  for (int i = 0; i < count; ++i) {
    Child child;
    child.log = log_directory_ + "/worker-" + std::to_string(children_.size() + 1) + ".log";
    std::vector<std::string> arguments = {self, "worker"};
    arguments.insert(arguments.end(), worker_arguments.begin(), worker_arguments.end());
    if (!metrics.host.empty()) {
      const std::string address =
          metrics.host + ":" + std::to_string(metrics.port + static_cast<int>(children_.size()));
      arguments.insert(arguments.end(), {"--metrics-addr", address});
      metrics_urls_.push_back("http://" + address + "/metrics");
    }
    std::vector<char*> argv;
    for (auto& argument : arguments)
      argv.push_back(argument.data());
    argv.push_back(nullptr);
    std::fflush(stdout);
    std::fflush(stderr);
    child.pid = fork();
    if (child.pid < 0) return storage::Status::IoError("cannot start a worker process (fork)");
    if (child.pid == 0) {
      prctl(PR_SET_PDEATHSIG, SIGTERM);
      if (getppid() != parent) _exit(1);  // the parent died before prctl
      const int log = open(child.log.c_str(), O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644);
      const int null = open("/dev/null", O_RDONLY | O_CLOEXEC);
      if (log >= 0) {
        dup2(log, STDOUT_FILENO);
        dup2(log, STDERR_FILENO);
      }
      if (null >= 0) dup2(null, STDIN_FILENO);
      execv(self.c_str(), argv.data());
      _exit(127);
    }
    children_.push_back(std::move(child));
  }
  return storage::Status::Ok();
}

storage::Status WorkerChildren::CheckRunning() {
  for (std::size_t i = 0; i < children_.size(); ++i) {
    Child& child = children_[i];
    if (!child.exited && waitpid(child.pid, &child.status, WNOHANG) == child.pid) {
      child.exited = true;
    }
    if (child.exited) {
      return storage::Status::Aborted("worker " + std::to_string(i + 1) + " (pid " +
                                      std::to_string(child.pid) + ") " +
                                      DescribeExit(child.status) + "; its log: " + child.log);
    }
  }
  return storage::Status::Ok();
}

bool WorkerChildren::Stop(int grace_seconds) {
  for (Child& child : children_) {
    if (!child.exited) kill(child.pid, SIGTERM);
  }
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(grace_seconds);
  bool clean = true;
  for (Child& child : children_) {
    while (!child.exited) {
      if (waitpid(child.pid, &child.status, WNOHANG) == child.pid) {
        child.exited = true;
      } else if (std::chrono::steady_clock::now() >= deadline) {
        kill(child.pid, SIGKILL);
        waitpid(child.pid, &child.status, 0);
        child.exited = true;
        clean = false;
      } else {
        std::this_thread::sleep_for(std::chrono::milliseconds(20));
      }
    }
    clean = clean && WIFEXITED(child.status) && WEXITSTATUS(child.status) == 0;
  }
  children_.clear();
  return clean;
}

void WorkerChildren::RemoveLogs() {
  if (log_directory_.empty()) return;
  std::error_code ignored;
  std::filesystem::remove_all(log_directory_, ignored);
  log_directory_.clear();
}

}  // namespace fanfold::cli
