#include "bench/pipeline_bench_process.hpp"

#include <fcntl.h>
#include <signal.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>
#include <thread>

#include "bench/system_info.hpp"

namespace fanfold::bench {
namespace {

double Seconds(const timeval& time) {
  return static_cast<double>(time.tv_sec) + static_cast<double>(time.tv_usec) / 1e6;
}

std::string ExitText(int status, bool killed_by_us) {
  if (WIFEXITED(status)) {
    return WEXITSTATUS(status) == 0 ? "ok" : "code " + std::to_string(WEXITSTATUS(status));
  }
  if (WIFSIGNALED(status)) {
    if (killed_by_us && WTERMSIG(status) == SIGKILL) return "killed";
    return "signal " + std::to_string(WTERMSIG(status));
  }
  return "unknown";
}

void Fill(const rusage& usage, int status, bool killed_by_us, ProcessUsage* out) {
  out->user_seconds = Seconds(usage.ru_utime);
  out->system_seconds = Seconds(usage.ru_stime);
  out->peak_rss_kib = usage.ru_maxrss;
  out->exit = ExitText(status, killed_by_us);
}

long VmHwmKib(pid_t pid) {
  std::ifstream in("/proc/" + std::to_string(pid) + "/status");
  std::string line;
  while (std::getline(in, line)) {
    if (line.rfind("VmHWM:", 0) == 0) return std::strtol(line.c_str() + 6, nullptr, 10);
  }
  return 0;
}

}  // namespace

nlohmann::json ProcessUsage::ToJson() const {
  return {{"role", role},
          {"name", name},
          {"pid", pid},
          {"cpu_seconds", cpu_seconds()},
          {"user_seconds", user_seconds},
          {"system_seconds", system_seconds},
          {"peak_rss_kib", peak_rss_kib},
          {"exit", exit}};
}

storage::Result<pid_t> Spawn(const SpawnSpec& spec) {
  std::vector<char*> argv;
  for (const auto& argument : spec.argv)
    argv.push_back(const_cast<char*>(argument.c_str()));
  argv.push_back(nullptr);
  const pid_t pid = fork();
  if (pid < 0) return storage::Status::IoError("fork failed");
  if (pid == 0) {
    for (const auto& [name, value] : spec.env)
      setenv(name.c_str(), value.c_str(), 1);
    const int out = open(spec.stdout_path.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
    const int err = open(spec.stderr_path.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
    if (out >= 0) dup2(out, STDOUT_FILENO);
    if (err >= 0) dup2(err, STDERR_FILENO);
    execv(argv[0], argv.data());
    _exit(127);
  }
  return pid;
}

bool ReapIfEnded(pid_t pid, ProcessUsage* usage) {
  int status = 0;
  rusage resources{};
  if (wait4(pid, &status, WNOHANG, &resources) != pid) return false;
  Fill(resources, status, false, usage);
  return true;
}

void Reap(pid_t pid, std::chrono::milliseconds grace, ProcessUsage* usage) {
  const auto deadline = std::chrono::steady_clock::now() + grace;
  while (std::chrono::steady_clock::now() < deadline) {
    if (ReapIfEnded(pid, usage)) return;
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  kill(pid, SIGKILL);
  int status = 0;
  rusage resources{};
  wait4(pid, &status, 0, &resources);
  Fill(resources, status, false, usage);
}

std::optional<ProcessUsage> ReadLiveUsage(pid_t pid) {
  const auto times = ProcessCpuTimes(pid);
  if (!times) return std::nullopt;
  ProcessUsage usage;
  usage.pid = pid;
  usage.user_seconds = times->user_seconds;
  usage.system_seconds = times->system_seconds;
  usage.peak_rss_kib = VmHwmKib(pid);
  usage.exit = "running";
  return usage;
}

ProcessUsage SelfUsage() {
  rusage resources{};
  getrusage(RUSAGE_SELF, &resources);
  ProcessUsage usage;
  usage.role = "driver";
  usage.name = "driver";
  usage.pid = getpid();
  usage.user_seconds = Seconds(resources.ru_utime);
  usage.system_seconds = Seconds(resources.ru_stime);
  usage.peak_rss_kib = resources.ru_maxrss;
  usage.exit = "running";
  return usage;
}

storage::Result<std::string> RunCapture(const std::vector<std::string>& argv,
                                        std::chrono::seconds timeout,
                                        const std::string& stderr_path) {
  char path_template[] = "/tmp/fanfold-bench-out-XXXXXX";
  const int fd = mkstemp(path_template);
  if (fd < 0) return storage::Status::IoError("cannot create a temp file");
  close(fd);
  SpawnSpec spec;
  spec.argv = argv;
  spec.stdout_path = path_template;
  spec.stderr_path = stderr_path;
  auto pid = Spawn(spec);
  if (!pid.ok()) return pid.status();
  ProcessUsage usage;
  Reap(*pid, std::chrono::duration_cast<std::chrono::milliseconds>(timeout), &usage);
  std::ifstream in(path_template);
  std::string out((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  std::remove(path_template);
  if (usage.exit != "ok") {
    return storage::Status::IoError(argv[0] + " ended with " + usage.exit);
  }
  return out;
}

std::string FileTail(const std::string& path, std::size_t max_bytes) {
  std::ifstream in(path);
  std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  return text.size() > max_bytes ? text.substr(text.size() - max_bytes) : text;
}

}  // namespace fanfold::bench
