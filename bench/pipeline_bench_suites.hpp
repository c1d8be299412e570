// The suites of fanfold_pipeline_bench (bench/pipeline-results.md has the JSON of each):
// fanout (one job per run, across chunk and worker counts), load / scale / faults (many jobs
// per case) and baselines (the same query by other means). Each returns its array of results;
// non-OK only when nothing could be measured (Azurite would not start, say).
#pragma once

#include <nlohmann/json.hpp>

#include "bench/pipeline_bench_environment.hpp"
#include "pipelines/job_rows.hpp"
#include "storage/result.hpp"

namespace fanfold::bench {

storage::Result<nlohmann::json> RunFanoutSuite(const BenchEnvironment& env);
storage::Result<nlohmann::json> RunLoadSuite(const BenchEnvironment& env);
storage::Result<nlohmann::json> RunScaleSuite(const BenchEnvironment& env);
storage::Result<nlohmann::json> RunFaultsSuite(const BenchEnvironment& env);
storage::Result<nlohmann::json> RunBaselines(const BenchEnvironment& env);

// Completed, with a result equal to the reference of the file it was run on.
bool JobIsExact(const pipelines::JobRow& row, const Reference* reference);

}  // namespace fanfold::bench
