#include "bench/system_info.hpp"

#include <sched.h>
#include <sys/resource.h>
#include <sys/utsname.h>
#include <unistd.h>

#include <array>
#include <chrono>
#include <cstdio>
#include <ctime>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>
#include <thread>

namespace fanfold::bench {
namespace {

// The value of "key: value" or "key  : value" lines of /proc text files.
std::string ProcField(const char* path, const std::string& key) {
  std::ifstream in(path);
  std::string line;
  while (std::getline(in, line)) {
    const auto colon = line.find(':');
    if (colon == std::string::npos) continue;
    std::string name = line.substr(0, colon);
    while (!name.empty() && (name.back() == ' ' || name.back() == '\t'))
      name.pop_back();
    if (name != key) continue;
    const auto value = line.find_first_not_of(" \t", colon + 1);
    return value == std::string::npos ? std::string() : line.substr(value);
  }
  return {};
}

uint64_t KibField(const char* path, const std::string& key) {
  const std::string value = ProcField(path, key);  // "24567890 kB"
  return value.empty() ? 0 : std::strtoull(value.c_str(), nullptr, 10);
}

// Output of a short read-only command, first line, without the newline; "" on failure.
std::string CommandLine(const std::string& command) {
  FILE* pipe = popen(command.c_str(), "r");
  if (pipe == nullptr) return {};
  std::array<char, 256> buffer{};
  std::string out;
  if (std::fgets(buffer.data(), static_cast<int>(buffer.size()), pipe) != nullptr) {
    out = buffer.data();
  }
  // Drain the rest so the command never blocks on a full pipe.
  while (std::fgets(buffer.data(), static_cast<int>(buffer.size()), pipe) != nullptr) {
  }
  pclose(pipe);
  while (!out.empty() && (out.back() == '\n' || out.back() == '\r'))
    out.pop_back();
  return out;
}

}  // namespace

nlohmann::json MachineInfo::ToJson() const {
  return {{"nproc", nproc},
          {"memory_total_kib", memory_total_kib},
          {"memory_available_kib", memory_available_kib},
          {"cpu_model", cpu_model},
          {"kernel", kernel}};
}

MachineInfo ReadMachineInfo() {
  MachineInfo info;
  // As nproc(1) counts: the CPUs this process may use, which a container may restrict.
  cpu_set_t cpus;
  CPU_ZERO(&cpus);
  info.nproc = sched_getaffinity(0, sizeof cpus, &cpus) == 0
                   ? static_cast<unsigned>(CPU_COUNT(&cpus))
                   : std::thread::hardware_concurrency();
  info.memory_total_kib = KibField("/proc/meminfo", "MemTotal");
  info.memory_available_kib = KibField("/proc/meminfo", "MemAvailable");
  info.cpu_model = ProcField("/proc/cpuinfo", "model name");
  if (info.cpu_model.empty()) info.cpu_model = "unknown";
  utsname names{};
  if (uname(&names) == 0) info.kernel = std::string(names.sysname) + " " + names.release;
  return info;
}

SourceInfo ReadSourceInfo(const std::string& source_dir) {
  SourceInfo info;
  // Only read-only git commands; the directory is ours, but quote it all the same.
  const std::string git = "git -C '" + source_dir + "' ";
  info.git_commit = CommandLine(git + "rev-parse HEAD 2>/dev/null");
  if (info.git_commit.empty()) info.git_commit = "unknown";
  info.git_dirty =
      !CommandLine(git + "status --porcelain --untracked-files=no 2>/dev/null").empty();
  return info;
}

std::optional<CpuTimes> ProcessCpuTimes(pid_t pid) {
  std::ifstream in("/proc/" + std::to_string(pid) + "/stat");
  std::string text;
  if (!std::getline(in, text)) return std::nullopt;
  // The command name (field 2) may hold spaces; fields are counted after its closing ')'.
  const auto close = text.rfind(')');
  if (close == std::string::npos) return std::nullopt;
  std::istringstream fields(text.substr(close + 2));
  std::string field;
  unsigned long long utime = 0;
  const double ticks = static_cast<double>(sysconf(_SC_CLK_TCK));
  if (ticks <= 0) return std::nullopt;
  // After ')': field 3 (state) is index 0; utime is field 14 (index 11), stime field 15.
  for (int index = 0; fields >> field; ++index) {
    if (index == 11) utime = std::strtoull(field.c_str(), nullptr, 10);
    if (index == 12) {
      const unsigned long long stime = std::strtoull(field.c_str(), nullptr, 10);
      return CpuTimes{static_cast<double>(utime) / ticks, static_cast<double>(stime) / ticks};
    }
  }
  return std::nullopt;
}

std::optional<double> ProcessCpuSeconds(pid_t pid) {
  const auto times = ProcessCpuTimes(pid);
  if (!times) return std::nullopt;
  return times->user_seconds + times->system_seconds;
}

std::optional<double> ProcessCpuSeconds(const std::vector<pid_t>& pids) {
  if (pids.empty()) return std::nullopt;
  double total = 0;
  for (const pid_t pid : pids) {
    const auto seconds = ProcessCpuSeconds(pid);
    if (!seconds) return std::nullopt;
    total += *seconds;
  }
  return total;
}

double SelfCpuSeconds() {
  rusage usage{};
  getrusage(RUSAGE_SELF, &usage);
  const auto seconds = [](const timeval& t) {
    return static_cast<double>(t.tv_sec) + static_cast<double>(t.tv_usec) / 1e6;
  };
  return seconds(usage.ru_utime) + seconds(usage.ru_stime);
}

std::vector<double> LoadAverages() {
  std::ifstream in("/proc/loadavg");
  std::vector<double> averages(3, 0.0);
  in >> averages[0] >> averages[1] >> averages[2];
  return averages;
}

std::string UtcNow() {
  const std::time_t now = std::chrono::system_clock::to_time_t(std::chrono::system_clock::now());
  std::tm utc{};
  gmtime_r(&now, &utc);
  char text[32];
  std::strftime(text, sizeof text, "%Y-%m-%dT%H:%M:%SZ", &utc);
  return text;
}

}  // namespace fanfold::bench
