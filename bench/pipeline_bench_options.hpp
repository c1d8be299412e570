// Command line of fanfold_pipeline_bench, and what each --size measures. The script
// (bench/run-pipeline-bench.sh) prepares the input files and passes their paths; every other
// option has a default, so `--size quick` or `--size full` alone is a complete run.
#pragma once

#include <string>
#include <vector>

#include "storage/result.hpp"

namespace fanfold::bench {

// One input file, or one directory of parts (`fanfold split`), as the results name it.
struct InputSpec {
  std::string id;      // "sf1", "sf10", "sf40", "sf1-split100", ...
  std::string path;    // the file, or the directory of parts
  std::string source;  // how it was made, for the results
  std::string of;      // parts only: the id of the file they were split from
};

struct PipelineBenchOptions {
  std::string size = "quick";  // quick | full
  std::vector<std::string> suites = {"fanout", "load", "scale", "faults", "baselines"};
  std::vector<InputSpec> files;  // whole files (--sf1, --sf10, --sf40)
  // --fanout-chunks / --fanout-workers: the fan-out suite's widths and worker counts instead of
  // the size's (e.g. 100,1000 to compare time per chunk at two widths).
  std::vector<int> fanout_chunks;
  std::vector<int> fanout_workers;
  std::vector<InputSpec> parts;  // split sets (--sf1-parts, --sf10-parts)
  std::string fanfold;           // the fanfold binary the workers run
  std::string duckdb_dir;        // bench/duckdb, with node_modules installed (or not)
  std::string output;            // "" writes the JSON to stdout
  std::string work_dir;          // worker logs and stats files; "" makes a temp dir
  int kill_every_s = 0;          // faults suite; 0: by size (full 60, quick 20)
  int visibility_timeout_s = 15;
  int worker_concurrency = 2;
  int idle_poll_ms = 6000;  // the worker's default: the bench measures what users run
  double fault_rate = 0.05;
  int job_timeout_s = 600;  // one run or case gives up waiting after this
  // How each deployment's Azurite runs (FANFOLD_AZURITE_MODE, see AzuriteProcess): one process
  // per service, or the single process older results were measured with.
  std::string azurite_mode = "per-service";  // per-service | single
};

// What a --size measures.
struct SuitePlan {
  std::vector<std::string> fanout_files;  // ids of whole files
  std::vector<int> fanout_chunks;
  std::vector<int> fanout_workers;
  std::vector<std::string> load_sets;  // ids of split sets
  int parts_used = 100;                // of each set (the first N parts)
  double steady_rate_sf1 = 4.0;        // uploads per second
  double steady_rate_sf10 = 1.0;
  int load_workers = 4;
  int chunks_per_file = 2;
  std::vector<int> scale_workers;
  std::vector<std::string> scale_sets;
  std::string faults_set;
  int faults_files = 100;
  double faults_rate_per_s = 0.55;
  int faults_workers = 4;
  int kill_every_s = 60;
  int baseline_repetitions = 5;
};

SuitePlan PlanFor(const PipelineBenchOptions& options);
bool HasSuite(const PipelineBenchOptions& options, const std::string& suite);

// InvalidArgument names the bad option; `help` is set for --help.
storage::Result<PipelineBenchOptions> ParsePipelineBenchOptions(int argc, char** argv, bool* help);
const char* PipelineBenchUsage();

}  // namespace fanfold::bench
