// The pipeline benchmark's results file (format: bench/pipeline-results.md) read into plain
// structs. Reading is tolerant of absent optional blocks (a quick run may skip suites) and strict
// about what every number of the report depends on.
#pragma once

#include <cstdint>
#include <map>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "storage/result.hpp"

namespace fanfold::report {

struct InputFile {
  std::string id;
  double bytes = 0;
  double rows = 0;
  int parts = 0;  // 0: one file
  std::string source;
};

struct Process {
  std::string role;  // worker | azurite | driver
  std::string name;
  double cpu_seconds = 0;
  double peak_rss_kib = 0;
  std::string exit;
};

struct Counters {
  std::map<std::string, uint64_t> attempts;
  uint64_t total_attempts = 0;
  double bytes_sent = 0;
  double bytes_received = 0;
  uint64_t throttled = 0;
  uint64_t transport_failures = 0;
  uint64_t attempts_of(const std::string& kind) const;
};

struct StorageCounters {
  Counters workers;
  Counters driver;
  Counters total;
};

struct Span {
  int chunk = 0;
  std::string worker;
  double start = 0;
  double end = 0;
  bool ok = true;
};

struct StageTimes {
  double start = 0;
  double end = 0;
};

struct FanoutRun {
  std::string file;
  std::string pipeline;
  int chunks = 0;
  int workers = 0;
  std::string state;
  bool exact = false;
  double upload_seconds = 0;
  double latency_seconds = 0;
  double wall_seconds = 0;
  double throughput_mb_per_s = 0;
  std::map<std::string, StageTimes> stages;
  std::vector<Span> chunk_spans;
  double chunk_p50 = 0, chunk_max = 0, chunk_mean = 0, straggler_ratio = 0;
  uint64_t requests_total = 0;
  std::map<std::string, uint64_t> requests_by_kind;
  double bytes_moved = 0;
  std::vector<Process> processes;
  StorageCounters storage;
  bool completed() const { return state == "Completed"; }
};

struct JobOutcome {
  std::string file;
  double submitted = 0;
  double finished = 0;
  double latency_seconds = 0;
  std::string state;
  bool exact = false;
};

struct Percentiles {
  double p50 = 0, p95 = 0, p99 = 0, max = 0, mean = 0;
};

struct LoadCase {
  std::string suite;  // load | scale | faults
  std::string file_set;
  int files = 0;
  double bytes = 0;
  std::string mode;  // burst | steady
  double rate_per_s = 0;
  std::string pipeline;
  int workers = 0;
  int chunks_per_file = 0;
  double fault_rate = 0;
  uint64_t faults_injected = 0;
  int kills = 0;
  double kill_every_s = 0;
  double wall_seconds = 0;
  double jobs_per_minute = 0;
  int completed = 0, exact = 0, failed = 0, unfinished = 0;
  Percentiles latency;
  std::vector<JobOutcome> jobs;
  uint64_t requests_total = 0;
  double requests_per_job = 0;
  std::map<std::string, uint64_t> requests_by_kind;
  double bytes_moved = 0;
  std::vector<Process> processes;
  StorageCounters storage;
  double cpu_workers_seconds = 0, cpu_azurite_seconds = 0;
  double workers_share = 0, azurite_share = 0;
};

struct Baseline {
  std::string file;
  std::string method;
  bool available = false;
  double seconds_best = 0;
  double seconds_median = 0;
  int repetitions = 0;
  std::optional<bool> exact;
  std::string note;
};

struct PipelineResults {
  std::string path;  // where it was read from, for the report's provenance lines
  std::string size;
  std::string command;
  std::string started, finished;
  std::string git_commit;
  bool git_dirty = false;
  int nproc = 0;
  std::string cpu_model;
  double memory_total_kib = 0;
  std::string storage_kind;
  std::string azurite_version;
  nlohmann::json settings;
  std::vector<InputFile> files;
  std::vector<FanoutRun> fanout;
  std::vector<LoadCase> load, scale, faults;
  std::vector<Baseline> baselines;

  const InputFile* File(const std::string& id) const;
};

storage::Result<PipelineResults> ParsePipelineResults(const nlohmann::json& doc,
                                                      const std::string& path);
storage::Result<PipelineResults> LoadPipelineResults(const std::string& path);
// Any other results file (parser, engine, storage benchmarks), read as JSON only.
storage::Result<nlohmann::json> LoadJson(const std::string& path);

}  // namespace fanfold::report
