#include "bench/case_runner.hpp"

#include <atomic>
#include <cmath>
#include <cstdio>
#include <mutex>
#include <nlohmann/json.hpp>
#include <thread>
#include <vector>

#include "bench/system_info.hpp"

namespace fanfold::bench {
namespace {

using Clock = std::chrono::steady_clock;

// sum += delta, element by element (snapshots only know how to subtract).
double Round3(double value) {
  return std::round(value * 1000.0) / 1000.0;
}

}  // namespace

nlohmann::json CaseResult::ToJson() const {
  nlohmann::json out = {
      {"operation", spec.operation},
      {"client", spec.client},
      {"threads", spec.threads},
      {"requests_per_operation", spec.requests_per_operation},
      {"ops", ops},
      {"errors", errors},
      {"seconds", Round3(seconds)},
      {"ops_per_second", Round3(ops_per_second())},
      {"rounds", rounds},
      {"stopped_early", stopped_early},
      {"latency_ms", latency.ToJson()},
      {"counters", counters.ToJson()},
      {"mib_received_per_second",
       Round3(seconds > 0 ? static_cast<double>(counters.bytes_received) / 1048576.0 / seconds
                          : 0)},
      {"bench_cpu_seconds", Round3(bench_cpu_seconds)},
  };
  out["azurite_cpu_seconds"] =
      azurite_cpu_seconds ? nlohmann::json(Round3(*azurite_cpu_seconds)) : nlohmann::json();
  out["azurite_cpu_share"] = azurite_cpu_seconds && seconds > 0
                                 ? nlohmann::json(Round3(*azurite_cpu_seconds / seconds))
                                 : nlohmann::json();
  if (!first_error.empty()) out["first_error"] = first_error;
  return out;
}

std::string CaseResult::Summary() const {
  const std::string azurite =
      azurite_cpu_seconds && seconds > 0
          ? std::to_string(static_cast<int>(std::lround(100 * *azurite_cpu_seconds / seconds))) +
                "%"
          : "n/a";
  char line[320];
  std::snprintf(line, sizeof line,
                "%-16s %-7s threads=%d  %8.1f ops/s  p50 %7.3f ms  p99 %7.3f ms  max %8.3f ms"
                "  errors %llu%s  azurite cpu %s",
                spec.operation.c_str(), spec.client.c_str(), spec.threads, ops_per_second(),
                latency.p50_ms, latency.p99_ms, latency.max_ms,
                static_cast<unsigned long long>(errors), stopped_early ? " (ran out of work)" : "",
                azurite.c_str());
  return line;
}

CaseResult RunCase(const CaseSpec& spec, const Operation& operation, const CaseProbes& probes,
                   const Refill& refill) {
  CaseResult result;
  result.spec = spec;
  // Per-thread state lives across rounds: an iteration count and a random source continue.
  std::vector<LatencyRecorder> recorders(spec.threads);
  std::vector<uint64_t> errors(spec.threads, 0);
  std::vector<uint64_t> iterations(spec.threads, 0);
  std::vector<std::mt19937_64> randoms;
  for (int t = 0; t < spec.threads; ++t)
    randoms.emplace_back(0x9E3779B97F4A7C15ULL * static_cast<uint64_t>(t + 1));
  std::mutex error_mutex;
  const double budget = spec.duration.count();
  double azurite_cpu = 0;
  bool azurite_known = !probes.azurite_pids.empty();

  while (result.seconds < budget) {
    std::atomic<bool> exhausted{false};
    const storage::CounterSnapshot counters_before =
        probes.counters != nullptr ? probes.counters->Snapshot() : storage::CounterSnapshot{};
    const std::optional<double> azurite_before = ProcessCpuSeconds(probes.azurite_pids);
    const double self_before = SelfCpuSeconds();
    const auto start = Clock::now();
    const auto deadline = start + std::chrono::duration_cast<Clock::duration>(
                                      std::chrono::duration<double>(budget - result.seconds));
    const uint64_t ops_before = [&] {
      uint64_t total = 0;
      for (const LatencyRecorder& recorder : recorders)
        total += recorder.count();
      return total;
    }();

    std::vector<std::thread> workers;
    for (int t = 0; t < spec.threads; ++t) {
      workers.emplace_back([&, t] {
        std::string error;
        OpContext context{t, iterations[t], &randoms[t], &error};
        while (!exhausted.load(std::memory_order_relaxed) && Clock::now() < deadline) {
          const auto began = Clock::now();
          const OpOutcome outcome = operation(context);
          const auto ended = Clock::now();
          ++context.iteration;
          if (outcome == OpOutcome::kDone) {
            recorders[t].Record(ended - began);
          } else if (outcome == OpOutcome::kFailed) {
            ++errors[t];
            std::lock_guard<std::mutex> lock(error_mutex);
            if (result.first_error.empty()) result.first_error = error.empty() ? "error" : error;
          } else {
            exhausted.store(true);
          }
        }
        iterations[t] = context.iteration;
      });
    }
    for (std::thread& worker : workers)
      worker.join();
    const auto end = Clock::now();

    ++result.rounds;
    result.seconds += std::chrono::duration<double>(end - start).count();
    result.bench_cpu_seconds += SelfCpuSeconds() - self_before;
    const std::optional<double> azurite_after = ProcessCpuSeconds(probes.azurite_pids);
    if (azurite_before && azurite_after) {
      azurite_cpu += *azurite_after - *azurite_before;
    } else {
      azurite_known = false;
    }
    if (probes.counters != nullptr) {
      result.counters += probes.counters->Snapshot() - counters_before;
    }
    if (!exhausted.load()) break;
    uint64_t ops_after = 0;
    for (const LatencyRecorder& recorder : recorders)
      ops_after += recorder.count();
    // No refill, or a round that did nothing: more rounds would spin.
    if (!refill || ops_after == ops_before) {
      result.stopped_early = true;
      break;
    }
    if (const storage::Status refilled = refill(); !refilled.ok()) {
      result.stopped_early = true;
      if (result.first_error.empty()) result.first_error = "refill: " + refilled.ToString();
      break;
    }
  }

  if (azurite_known) result.azurite_cpu_seconds = azurite_cpu;
  LatencyRecorder all;
  for (int t = 0; t < spec.threads; ++t) {
    all.Merge(recorders[t]);
    result.errors += errors[t];
  }
  result.ops = all.count();
  result.latency = all.Summarize();
  return result;
}

}  // namespace fanfold::bench
