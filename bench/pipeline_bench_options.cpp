#include "bench/pipeline_bench_options.hpp"

#include <algorithm>
#include <cstdlib>
#include <map>
#include <sstream>

#include "bench/comma_list.hpp"

namespace fanfold::bench {
namespace {

using storage::Result;
using storage::Status;

Result<long> Number(const std::string& name, const std::string& text, long min, long max) {
  char* rest = nullptr;
  const long value = std::strtol(text.c_str(), &rest, 10);
  if (text.empty() || *rest != '\0' || value < min || value > max) {
    return Status::InvalidArgument(name + " must be a number from " + std::to_string(min) + " to " +
                                   std::to_string(max));
  }
  return value;
}

}  // namespace

SuitePlan PlanFor(const PipelineBenchOptions& options) {
  SuitePlan plan;
  const bool full = options.size == "full";
  const auto has_file = [&](const std::string& id) {
    return std::any_of(options.files.begin(), options.files.end(),
                       [&](const InputSpec& f) { return f.id == id; });
  };
  const auto has_set = [&](const std::string& id) {
    return std::any_of(options.parts.begin(), options.parts.end(),
                       [&](const InputSpec& p) { return p.id == id; });
  };
  for (const char* id : {"sf1", "sf10"}) {
    if (has_file(id) && (full || std::string(id) == "sf1")) plan.fanout_files.push_back(id);
  }
  // The 1 GB file is run whenever it is given, at either size: it is what --sf40 is for.
  if (has_file("sf40")) plan.fanout_files.push_back("sf40");
  for (const char* id : {"sf1-split100", "sf10-split100"}) {
    if (has_set(id) && (full || std::string(id) == "sf1-split100")) plan.load_sets.push_back(id);
  }
  plan.scale_sets = plan.load_sets;
  plan.faults_set = "sf1-split100";
  if (full) {
    plan.fanout_chunks = {1, 2, 4, 8, 16, 32, 64, 128, 256};
    plan.fanout_workers = {1, 2, 4};
    plan.scale_workers = {1, 2, 4, 8};
    plan.faults_files = 100;
    plan.faults_rate_per_s = 0.55;  // ~180 s of uploads
    plan.kill_every_s = 60;
  } else {
    plan.fanout_chunks = {1, 4, 16, 64};
    plan.fanout_workers = {1, 2};
    plan.scale_workers = {1, 2};
    plan.parts_used = 20;
    plan.faults_files = 20;
    plan.faults_rate_per_s = 0.45;  // ~45 s of uploads
    plan.kill_every_s = 20;
  }
  if (options.kill_every_s > 0) plan.kill_every_s = options.kill_every_s;
  if (!options.fanout_chunks.empty()) plan.fanout_chunks = options.fanout_chunks;
  if (!options.fanout_workers.empty()) plan.fanout_workers = options.fanout_workers;
  return plan;
}

bool HasSuite(const PipelineBenchOptions& options, const std::string& suite) {
  return std::find(options.suites.begin(), options.suites.end(), suite) != options.suites.end();
}

const char* PipelineBenchUsage() {
  return "usage: fanfold_pipeline_bench --sf1 FILE [--sf10 FILE] [--sf40 FILE] [--sf1-parts DIR]\n"
         "         [--sf10-parts DIR] [--size quick|full] [--suites fanout,load,scale,faults,"
         "baselines]\n"
         "         [--kill-every S] [--fanout-chunks LIST] [--fanout-workers LIST] [--fanfold BIN] "
         "[--duckdb-dir DIR] [--work-dir DIR]\n"
         "         [--azurite per-service|single] [--output FILE]\n"
         "  --sfN FILE        a customer file; --sfN-source TEXT says how it was made\n"
         "  --sfN-parts DIR   its 100 round-robin parts (fanfold split --parts 100 --round-robin)\n"
         "  --sf40 FILE       the 1 GB file: the fan-out suite and the download and parser\n"
         "                    baselines run it at any --size (with --fanout-chunks 100\n"
         "                    --fanout-workers 2: the 1 GB job against a plain download)\n"
         "  --size            quick (SF1 only, fewer widths, < 5 min) or full (~35 min)\n"
         "  --kill-every S    faults suite: SIGKILL a worker every S s (default full 60, quick "
         "20)\n"
         "  --fanout-chunks N,N  --fanout-workers N,N  the fan-out suite's widths and workers\n"
         "  --azurite MODE    per-service (default: azurite-blob, -queue and -table, three\n"
         "                    processes) or single (one azurite process serves all three)\n"
         "bench/run-pipeline-bench.sh prepares the files and runs this.\n";
}

Result<PipelineBenchOptions> ParsePipelineBenchOptions(int argc, char** argv, bool* help) {
  PipelineBenchOptions options;
  options.fanfold = FANFOLD_BINARY;
  options.duckdb_dir = FANFOLD_SOURCE_DIR "/bench/duckdb";  // joined by the compiler
  *help = false;
  std::map<std::string, std::string> sources;  // file id -> --sfN-source
  for (int i = 1; i < argc; ++i) {
    const std::string arg = argv[i];
    if (arg == "--help" || arg == "-h") {
      *help = true;
      return options;
    }
    if (i + 1 >= argc) return Status::InvalidArgument(arg + " needs a value");
    const std::string value = argv[++i];
    if (arg == "--size") {
      if (value != "quick" && value != "full") {
        return Status::InvalidArgument("--size must be quick or full");
      }
      options.size = value;
    } else if (arg == "--suites") {
      options.suites = SplitCommaList(value);
      for (const auto& suite : options.suites) {
        if (suite != "fanout" && suite != "load" && suite != "scale" && suite != "faults" &&
            suite != "baselines") {
          return Status::InvalidArgument("unknown suite " + suite);
        }
      }
    } else if (arg == "--sf1" || arg == "--sf10" || arg == "--sf40") {
      options.files.push_back({arg.substr(2), value, "", ""});
    } else if (arg == "--sf1-source" || arg == "--sf10-source" || arg == "--sf40-source") {
      sources[arg.substr(2, arg.size() - 2 - 7)] = value;
    } else if (arg == "--sf1-parts" || arg == "--sf10-parts") {
      const std::string of = arg.substr(2, arg.size() - 2 - 6);
      options.parts.push_back(
          {of + "-split100", value, "fanfold split " + of + " --parts 100 --round-robin", of});
    } else if (arg == "--kill-every") {
      auto n = Number(arg, value, 1, 3600);
      if (!n.ok()) return n.status();
      options.kill_every_s = static_cast<int>(*n);
    } else if (arg == "--fanout-chunks" || arg == "--fanout-workers") {
      auto& list = arg == "--fanout-chunks" ? options.fanout_chunks : options.fanout_workers;
      for (const auto& item : SplitCommaList(value)) {
        auto n = Number(arg, item, 1, arg == "--fanout-chunks" ? 100000 : 64);
        if (!n.ok()) return n.status();
        list.push_back(static_cast<int>(*n));
      }
    } else if (arg == "--fanfold") {
      options.fanfold = value;
    } else if (arg == "--duckdb-dir") {
      options.duckdb_dir = value;
    } else if (arg == "--work-dir") {
      options.work_dir = value;
    } else if (arg == "--output") {
      options.output = value;
    } else if (arg == "--azurite") {
      if (value != "per-service" && value != "single") {
        return Status::InvalidArgument("--azurite must be per-service or single");
      }
      options.azurite_mode = value;
    } else {
      return Status::InvalidArgument("unknown argument " + arg);
    }
  }
  for (auto& file : options.files) {
    const std::string& given = sources[file.id];
    file.source = given.empty() ? file.path : given;
  }
  if (options.files.empty() && options.parts.empty()) {
    return Status::InvalidArgument("give at least --sf1 FILE");
  }
  return options;
}

}  // namespace fanfold::bench
