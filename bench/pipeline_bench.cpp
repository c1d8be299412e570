// fanfold_pipeline_bench: the two pipelines end to end, through real `fanfold worker` processes
// and a fresh private Azurite per run: fan-out width, load, worker scaling, faults and kills,
// and baselines of the same query by other means. Writes one JSON object in the format of
// bench/pipeline-results.md. A measuring tool: it never asserts a speed, and stops only when it
// cannot measure (Azurite or the workers will not start, an input cannot be read).
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <nlohmann/json.hpp>
#include <string>

#include "bench/pipeline_bench_environment.hpp"
#include "bench/pipeline_bench_options.hpp"
#include "bench/pipeline_bench_suites.hpp"
#include "bench/system_info.hpp"

namespace fanfold::bench {
namespace {

std::string AzuriteVersion() {
  std::ifstream in(std::string(FANFOLD_SOURCE_DIR) +
                   "/infra/azurite/node_modules/azurite/package.json");
  const auto json = nlohmann::json::parse(in, nullptr, false);
  return json.is_object() && json.contains("version") ? json["version"].get<std::string>()
                                                      : "unknown";
}

nlohmann::json Settings(const BenchEnvironment& env) {
  const SuitePlan& plan = env.plan;
  return {
      {"visibility_timeout_s", env.workers.visibility_timeout_s},
      {"worker_concurrency", env.workers.concurrency},
      {"idle_poll_ms", env.workers.idle_poll_ms},
      {"log_format", env.workers.json_logs ? "json" : "text (this fanfold has no --log-format)"},
      {"suites", env.options.suites},
      {"fanout_chunks", plan.fanout_chunks},
      {"fanout_workers", plan.fanout_workers},
      {"load_workers", plan.load_workers},
      {"chunks_per_file", plan.chunks_per_file},
      {"parts_used", plan.parts_used},
      {"steady_rate_sf1_per_s", plan.steady_rate_sf1},
      {"steady_rate_sf10_per_s", plan.steady_rate_sf10},
      {"scale_workers", plan.scale_workers},
      {"fault_rate", env.options.fault_rate},
      {"faults_files", plan.faults_files},
      {"faults_rate_per_s", plan.faults_rate_per_s},
      {"faults_workers", plan.faults_workers},
      {"kill_every_s", plan.kill_every_s},
      {"baseline_repetitions", plan.baseline_repetitions},
      {"job_timeout_s", env.options.job_timeout_s},
      {"azurite_mode", env.options.azurite_mode}};
}

[[noreturn]] void Fail(const std::string& message) {
  std::fprintf(stderr, "fanfold_pipeline_bench: cannot measure: %s\n", message.c_str());
  std::exit(1);
}

}  // namespace
}  // namespace fanfold::bench

int main(int argc, char** argv) {
  using namespace fanfold::bench;
  bool help = false;
  auto options = ParsePipelineBenchOptions(argc, argv, &help);
  if (!options.ok()) {
    std::fprintf(stderr, "fanfold_pipeline_bench: %s\n%s", options.status().message().c_str(),
                 PipelineBenchUsage());
    return 2;
  }
  if (help) {
    std::printf("%s", PipelineBenchUsage());
    return 0;
  }
  // Every Azurite this run starts (AzuriteProcess::Start, per deployment) reads the mode here.
  setenv("FANFOLD_AZURITE_MODE", options->azurite_mode.c_str(), 1);
  nlohmann::json report;
  report["benchmark"] = "pipeline";
  report["size"] = options->size;
  std::string command;
  nlohmann::json argv_json = nlohmann::json::array();
  for (int i = 0; i < argc; ++i) {
    command += (i ? " " : "") + std::string(argv[i]);
    argv_json.push_back(argv[i]);
  }
  const char* script = std::getenv("FANFOLD_BENCH_SCRIPT_COMMAND");
  report["command"] = script != nullptr && *script != '\0' ? std::string(script) : command;
  report["argv"] = argv_json;
  report["started"] = UtcNow();
  const SourceInfo source = ReadSourceInfo(FANFOLD_SOURCE_DIR);
  report["git"] = {{"commit", source.git_commit}, {"dirty", source.git_dirty}};
  nlohmann::json machine = ReadMachineInfo().ToJson();
  machine["load_average_at_start"] = LoadAverages();
  report["machine"] = machine;
  report["storage"] = {
      {"kind", "azurite"}, {"azurite_version", AzuriteVersion()}, {"fresh_per_case", true}};

  auto env = LoadEnvironment(*options);
  if (!env.ok()) Fail(env.status().ToString());
  if (!env->workers.json_logs) {
    std::fprintf(stderr,
                 "pipeline bench: this fanfold worker has no --log-format json: stages and chunk "
                 "spans will be empty\n");
  }
  report["settings"] = Settings(*env);
  report["files"] = env->files_json;

  struct Suite {
    const char* name;
    fanfold::storage::Result<nlohmann::json> (*run)(const BenchEnvironment&);
  };
  const Suite suites[] = {{"fanout", &RunFanoutSuite},
                          {"load", &RunLoadSuite},
                          {"scale", &RunScaleSuite},
                          {"faults", &RunFaultsSuite},
                          {"baselines", &RunBaselines}};
  for (const Suite& suite : suites) {
    report[suite.name] = nlohmann::json::array();
    if (!HasSuite(*options, suite.name)) continue;
    std::fprintf(stderr, "pipeline bench: suite %s (%s)\n", suite.name, options->size.c_str());
    auto results = suite.run(*env);
    if (!results.ok()) Fail(std::string(suite.name) + ": " + results.status().ToString());
    report[suite.name] = std::move(*results);
  }
  report["machine"]["load_average_at_end"] = LoadAverages();
  report["finished"] = UtcNow();

  const std::string text = report.dump(2);
  if (options->output.empty()) {
    std::printf("%s\n", text.c_str());
  } else {
    std::ofstream out(options->output);
    out << text << "\n";
    if (!out) Fail("cannot write " + options->output);
  }
  return 0;
}
