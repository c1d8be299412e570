// Everything the suites share: the options, what the size measures, how workers are started,
// the input files with their reference answers, and where logs go.
#pragma once

#include <map>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "bench/pipeline_bench_deployment.hpp"
#include "bench/pipeline_bench_options.hpp"
#include "bench/pipeline_bench_reference.hpp"
#include "storage/result.hpp"

namespace fanfold::bench {

struct BenchEnvironment {
  PipelineBenchOptions options;
  SuitePlan plan;
  WorkerSettings workers;
  std::map<std::string, InputSpec> files;                      // whole files, by id
  std::map<std::string, std::vector<std::string>> part_paths;  // split sets, by id, sorted
  std::map<std::string, Reference> references;                 // by path (files and parts)
  nlohmann::json files_json;                                   // the results' "files"

  const Reference* ReferenceOf(const std::string& path) const;
};

// Reads every input (references of files and parts), makes the work directory, and asks the
// fanfold binary whether its worker has --log-format (the stage timings depend on it).
storage::Result<BenchEnvironment> LoadEnvironment(const PipelineBenchOptions& options);

}  // namespace fanfold::bench
