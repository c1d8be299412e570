// Shared pieces of a run's or a case's JSON: distributions, per-process usage, storage counts,
// and the CPU share of a measured window.
#pragma once

#include <nlohmann/json_fwd.hpp>
#include <vector>

#include "bench/pipeline_bench_deployment.hpp"

namespace fanfold::bench {

// Nearest-rank percentile of unsorted values; 0 for none.
double Percentile(std::vector<double> values, double p);
double Mean(const std::vector<double>& values);
double Median(std::vector<double> values);

// {"p50", "p95", "p99", "max", "mean"}
nlohmann::json LatencyJson(const std::vector<double>& seconds);

// Adds "requests_total", "requests_by_kind", "bytes_moved", "processes" and "storage" to `out`
// (the fields RUN and CASE share); "requests_per_<unit>" is requests_total / units.
void AddCostFields(const DeploymentResult& deployment, const storage::CounterSnapshot& driver,
                   const char* unit, double units, nlohmann::json* out);

// {"workers_seconds", "azurite_seconds", "wall_seconds", "workers_share", "azurite_share"}
nlohmann::json CpuJson(const CpuSample& before, const CpuSample& after, double wall_seconds);

}  // namespace fanfold::bench
