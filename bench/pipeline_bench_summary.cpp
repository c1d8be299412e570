#include "bench/pipeline_bench_summary.hpp"

#include <algorithm>
#include <cmath>
#include <nlohmann/json.hpp>
#include <numeric>
#include <string>

#include "bench/pipeline_bench_storage.hpp"

namespace fanfold::bench {

double Percentile(std::vector<double> values, double p) {
  if (values.empty()) return 0;
  std::sort(values.begin(), values.end());
  const double rank = std::ceil(p / 100.0 * static_cast<double>(values.size()));
  const std::size_t index = static_cast<std::size_t>(std::max(1.0, rank)) - 1;
  return values[std::min(index, values.size() - 1)];
}

double Mean(const std::vector<double>& values) {
  if (values.empty()) return 0;
  return std::accumulate(values.begin(), values.end(), 0.0) / static_cast<double>(values.size());
}

double Median(std::vector<double> values) {
  if (values.empty()) return 0;
  std::sort(values.begin(), values.end());
  const std::size_t n = values.size();
  return n % 2 == 1 ? values[n / 2] : (values[n / 2 - 1] + values[n / 2]) / 2;
}

nlohmann::json LatencyJson(const std::vector<double>& seconds) {
  return {{"p50", Percentile(seconds, 50)},
          {"p95", Percentile(seconds, 95)},
          {"p99", Percentile(seconds, 99)},
          {"max", seconds.empty() ? 0.0 : *std::max_element(seconds.begin(), seconds.end())},
          {"mean", Mean(seconds)}};
}

void AddCostFields(const DeploymentResult& deployment, const storage::CounterSnapshot& driver,
                   const char* unit, double units, nlohmann::json* out) {
  const storage::CounterSnapshot total = deployment.workers_storage + driver;
  const nlohmann::json total_json = total.ToJson();
  (*out)["requests_total"] = total.total_attempts();
  (*out)[std::string("requests_per_") + unit] =
      units > 0 ? static_cast<double>(total.total_attempts()) / units : 0.0;
  (*out)["requests_by_kind"] = total_json["attempts"];
  (*out)["worker_polls_by_lane"] = deployment.polls_by_lane;
  (*out)["bytes_moved"] = total.bytes_sent + total.bytes_received;
  nlohmann::json processes = nlohmann::json::array();
  for (const auto& process : deployment.processes)
    processes.push_back(process.ToJson());
  (*out)["processes"] = std::move(processes);
  (*out)["storage"] = StorageJson(deployment.workers_storage, driver);
}

nlohmann::json CpuJson(const CpuSample& before, const CpuSample& after, double wall_seconds) {
  const double workers = after.workers - before.workers;
  const double azurite = after.azurite - before.azurite;
  return {{"workers_seconds", workers},
          {"azurite_seconds", azurite},
          {"wall_seconds", wall_seconds},
          {"workers_share", wall_seconds > 0 ? workers / wall_seconds : 0.0},
          {"azurite_share", wall_seconds > 0 ? azurite / wall_seconds : 0.0}};
}

}  // namespace fanfold::bench
