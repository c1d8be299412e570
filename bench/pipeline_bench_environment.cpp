#include "bench/pipeline_bench_environment.hpp"

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <nlohmann/json.hpp>

#include "bench/pipeline_bench_process.hpp"

namespace fanfold::bench {
namespace {

using storage::Result;
using storage::Status;

Result<std::vector<std::string>> ListParts(const std::string& dir) {
  std::vector<std::string> paths;
  std::error_code error;
  for (const auto& entry : std::filesystem::directory_iterator(dir, error)) {
    // Dot files are the script's markers (.complete), not parts.
    if (entry.is_regular_file() && entry.path().filename().string().front() != '.') {
      paths.push_back(entry.path().string());
    }
  }
  if (error) return Status::IoError("cannot list " + dir + ": " + error.message());
  if (paths.empty()) return Status::IoError(dir + " holds no parts");
  std::sort(paths.begin(), paths.end());
  return paths;
}

}  // namespace

const Reference* BenchEnvironment::ReferenceOf(const std::string& path) const {
  const auto it = references.find(path);
  return it == references.end() ? nullptr : &it->second;
}

Result<BenchEnvironment> LoadEnvironment(const PipelineBenchOptions& options) {
  BenchEnvironment env;
  env.options = options;
  env.plan = PlanFor(options);
  env.files_json = nlohmann::json::array();

  std::string work_dir = options.work_dir;
  if (work_dir.empty()) {
    char path_template[] = "/tmp/fanfold-pipeline-bench-XXXXXX";
    if (mkdtemp(path_template) == nullptr) return Status::IoError("cannot make a temp directory");
    work_dir = path_template;
  } else {
    std::error_code error;
    std::filesystem::create_directories(work_dir, error);
    if (error) return Status::IoError("cannot create " + work_dir + ": " + error.message());
  }
  env.workers.fanfold = options.fanfold;
  env.workers.concurrency = options.worker_concurrency;
  env.workers.visibility_timeout_s = options.visibility_timeout_s;
  env.workers.idle_poll_ms = options.idle_poll_ms;
  env.workers.work_dir = work_dir;
  auto help = RunCapture({options.fanfold, "worker", "--help"}, std::chrono::seconds(30));
  if (!help.ok()) return Status::IoError("cannot run " + options.fanfold + " worker --help");
  env.workers.json_logs = help->find("--log-format") != std::string::npos;

  for (const auto& file : options.files) {
    std::fprintf(stderr, "pipeline bench: reading %s (%s) for the reference answer\n",
                 file.id.c_str(), file.path.c_str());
    auto reference = ComputeReferenceOfFile(file.path);
    if (!reference.ok()) return reference.status();
    env.files_json.push_back({{"id", file.id},
                              {"path", file.path},
                              {"bytes", reference->bytes},
                              {"rows", reference->rows},
                              {"source", file.source}});
    env.references.emplace(file.path, std::move(*reference));
    env.files.emplace(file.id, file);
  }
  for (const auto& set : options.parts) {
    auto paths = ListParts(set.path);
    if (!paths.ok()) return paths.status();
    std::uint64_t bytes = 0;
    std::int64_t rows = 0;
    for (const auto& path : *paths) {
      auto reference = ComputeReferenceOfFile(path);
      if (!reference.ok()) return reference.status();
      bytes += reference->bytes;
      rows += reference->rows;
      env.references.emplace(path, std::move(*reference));
    }
    env.files_json.push_back({{"id", set.id},
                              {"path", set.path},
                              {"parts", paths->size()},
                              {"bytes", bytes},
                              {"rows", rows},
                              {"source", set.source}});
    env.part_paths.emplace(set.id, std::move(*paths));
  }
  return env;
}

}  // namespace fanfold::bench
