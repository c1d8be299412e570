#include "orchestrator/diagnostics.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <csignal>
#include <cstdlib>
#include <string>
#include <thread>

namespace fanfold::orchestrator {
namespace {

struct FanOutInput {
  int n = 10;
  int work_ms = 0;
  int crash_task = -1;  // this task runs fanfold.crash instead of fanfold.noop
};
void from_json(const nlohmann::json& json, FanOutInput& input) {
  input.n = json.value("n", 10);
  input.work_ms = json.value("work_ms", 0);
  input.crash_task = json.value("crash_task", -1);
}

// FANFOLD_ACTIVITY_LOG=FILE appends each execution's index to FILE, so tests can count how
// often each activity ran across processes (small O_APPEND writes do not interleave).
void RecordExecution(int index) {
  const char* path = std::getenv("FANFOLD_ACTIVITY_LOG");
  if (path == nullptr || *path == '\0') return;
  const int fd = open(path, O_WRONLY | O_CREAT | O_APPEND, 0644);
  if (fd < 0) return;
  const std::string line = std::to_string(index) + "\n";
  (void)!write(fd, line.data(), line.size());
  close(fd);
}

Task<long long> FanOut(OrchestrationContext& context, FanOutInput input) {
  std::vector<Task<long long>> tasks;
  tasks.reserve(static_cast<size_t>(input.n));
  for (int i = 0; i < input.n; ++i) {
    const nlohmann::json work = {{"i", i}, {"work_ms", input.work_ms}};
    tasks.push_back(context.call_activity<long long>(
        i == input.crash_task ? "fanfold.crash" : "fanfold.noop", work));
  }
  const auto results = co_await when_all(tasks);
  long long sum = 0;
  for (const auto value : results)
    sum += value;
  co_return sum;
}

}  // namespace

void RegisterDiagnostics(Registry& registry, bool allow_crash) {
  registry.AddOrchestrator("fanfold.fan_out", &FanOut);
  registry.AddActivity<long long, nlohmann::json>(
      "fanfold.noop", [](ActivityContext&, const nlohmann::json& work) -> long long {
        RecordExecution(work.value("i", 0));
        const int ms = work.value("work_ms", 0);
        if (ms > 0) std::this_thread::sleep_for(std::chrono::milliseconds(ms));
        return work.value("i", 0);
      });
  if (allow_crash) {
    registry.AddActivity<long long, nlohmann::json>(
        "fanfold.crash", [](ActivityContext& context, const nlohmann::json& work) -> long long {
          // FANFOLD_CRASH_FIXED=1 makes it behave like noop: "the cause was fixed".
          const char* fixed = std::getenv("FANFOLD_CRASH_FIXED");
          if (fixed != nullptr && std::string(fixed) == "1") {
            RecordExecution(work.value("i", 0));
            return work.value("i", 0);
          }
          (void)context;
          std::raise(SIGKILL);
          return 0;
        });
  }
}

}  // namespace fanfold::orchestrator
