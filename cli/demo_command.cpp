// fanfold demo: the main job, end to end. Checks the storage account, generates (or reuses) the
// TPC-H customer table at SF 1, runs both pipelines on it with their own workers, and shows both
// results, their timings and whether they are identical.
#include <algorithm>
#include <charconv>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <optional>
#include <thread>

#include "cli/command.hpp"
#include "cli/hub_access.hpp"
#include "cli/job_runner.hpp"
#include "cli/job_waiting.hpp"
#include "cli/pipeline_access.hpp"
#include "cli/result_output.hpp"
#include "cli/worker_scrape.hpp"
#include "datagen/customer_generator.hpp"
#include "datagen/customer_row.hpp"
#include "datagen/output_file.hpp"
#include "storage/connection_string.hpp"
#include "storage/service_probe.hpp"

namespace fanfold::cli {
namespace {

// Exit code 0 when every service answers; else says what to do.
int CheckStorage() {
  auto account = storage::StorageAccount::FromEnvironment();
  if (!account.ok()) {
    std::fprintf(stderr, "fanfold demo: %s\n", account.status().message().c_str());
    return kExitConfiguration;
  }
  storage::PipelineOptions options;
  options.retry.max_retries = 1;
  options.retry.initial_delay = std::chrono::milliseconds(100);
  for (const auto service : {storage::StorageService::kBlob, storage::StorageService::kQueue,
                             storage::StorageService::kTable}) {
    const auto probe = storage::ProbeService(*account, service, options);
    if (probe.status.ok()) continue;
    std::fprintf(stderr, "fanfold demo: the %s service at %s is not usable: %s\n",
                 storage::StorageServiceName(service), probe.endpoint.c_str(),
                 probe.status.ToString().c_str());
    if (account->is_development_storage) {
      std::fprintf(stderr,
                   "Start Azurite with 'bash scripts/azurite.sh start' (from the repository), or "
                   "set AZURE_STORAGE_CONNECTION_STRING to a storage account.\n");
    } else {
      std::fprintf(stderr,
                   "Check the account in AZURE_STORAGE_CONNECTION_STRING (endpoints, network, "
                   "key or SAS; 'fanfold doctor' shows each service), or unset it to use Azurite "
                   "('bash scripts/azurite.sh start').\n");
    }
    return kExitUnavailable;
  }
  std::printf("storage: %s (blob, queue, table reachable)\n", account->Describe().c_str());
  return kExitOk;
}

// The data file, generated when missing.
storage::Result<std::string> DataFile(const std::string& directory, double scale_factor,
                                      const std::string& scale_text, std::uint64_t seed) {
  std::error_code error;
  std::filesystem::create_directories(directory, error);
  if (error) {
    return storage::Status::IoError("cannot create " + directory + ": " + error.message());
  }
  const std::string seed_part = seed == 1 ? "" : "-seed" + std::to_string(seed);
  const std::string path = directory + "/customer-sf" + scale_text + seed_part + ".tbl";
  if (std::filesystem::is_regular_file(path)) {
    std::printf("data: %s (%llu bytes, reused)\n", path.c_str(),
                static_cast<unsigned long long>(std::filesystem::file_size(path)));
    return path;
  }
  datagen::GenerateOptions options;
  options.scale_factor = scale_factor;
  options.seed = seed;
  options.threads = static_cast<int>(std::max(1u, std::thread::hardware_concurrency()));
  std::printf("data: generating %s (TPC-H customer, SF %s, seed %llu)...\n", path.c_str(),
              scale_text.c_str(), static_cast<unsigned long long>(seed));
  std::fflush(stdout);
  auto file = datagen::OutputFile::Create(path);
  if (!file.ok()) return file.status();
  auto stats = datagen::GenerateCustomers(
      options, [&file](std::string_view bytes) { return (*file)->Write(bytes); });
  if (!stats.ok()) return stats.status();
  FANFOLD_RETURN_IF_ERROR((*file)->Commit());
  std::printf("data: %lld rows, %llu bytes in %.2f s\n", static_cast<long long>(stats->rows),
              static_cast<unsigned long long>(stats->bytes), stats->seconds);
  return path;
}

int RunDemo(const Arguments& arguments) {
  using Clock = std::chrono::steady_clock;
  if (!arguments.positionals().empty()) {
    return UsageError("demo", "unexpected argument '" + arguments.positionals()[0] + "'");
  }
  const std::string scale_text = arguments.ValueOr("sf", "1");
  double scale_factor = 0;
  const auto [end, parse_error] =
      std::from_chars(scale_text.data(), scale_text.data() + scale_text.size(), scale_factor);
  if (parse_error != std::errc() || end != scale_text.data() + scale_text.size() ||
      !std::isfinite(scale_factor) || !datagen::CustomerRowCount(scale_factor).ok()) {
    return UsageError("demo", "--sf must be a scale factor such as 1 or 0.01");
  }
  auto seed = arguments.IntegerOr("seed", 1, 1, INT64_MAX);
  if (!seed.ok()) return UsageError("demo", seed.status().message());
  auto workers_count = arguments.IntegerOr("workers", 2, 1, 64);
  if (!workers_count.ok()) return UsageError("demo", workers_count.status().message());
  auto options = ParseJobOptions(arguments);
  if (!options.ok()) return UsageError("demo", options.status().message());
  if (options->chunk_count == 0 && options->chunk_bytes == 0) options->chunk_count = 16;
  auto timeout = ParseTimeout(arguments);
  if (!timeout.ok()) return UsageError("demo", timeout.status().message());

  const int storage_status = CheckStorage();
  if (storage_status != kExitOk) return storage_status;
  int exit_code = kExitOk;
  auto context = OpenPipelines(arguments, &exit_code);
  if (context == nullptr) return exit_code;
  if (OpenHub(arguments, &exit_code) == nullptr) return exit_code;
  const std::string flags = DeploymentFlags(arguments);

  auto file = DataFile(arguments.ValueOr("data", ".fanfold/data"), scale_factor, scale_text,
                       static_cast<std::uint64_t>(*seed));
  if (!file.ok()) {
    std::fprintf(stderr, "fanfold demo: %s\n", file.status().message().c_str());
    return kExitFailure;
  }

  WorkerChildren workers;
  const auto workers_started = Clock::now();
  const storage::Status started =
      workers.Start(static_cast<int>(*workers_count), OwnWorkerArguments(arguments),
                    arguments.ValueOr("metrics-addr", ""));
  if (!started.ok()) {
    std::fprintf(stderr, "fanfold demo: %s\n", started.message().c_str());
    return started.IsInvalidArgument() ? kExitUsage : kExitFailure;
  }
  std::printf("workers: %lld started (logs in %s)\n\n", *workers_count,
              workers.log_directory().c_str());

  struct PipelineOutcome {
    const char* name;
    JobRun run;
    std::optional<activities::MeanBalanceResult> result;
  };
  std::vector<PipelineOutcome> outcomes;
  bool all_completed = true;
  // One after the other: both read the same blob name, and each gets the whole machine.
  for (const auto kind :
       {pipelines::PipelineKind::kOrchestrated, pipelines::PipelineKind::kChained}) {
    pipelines::UploadOptions pipeline_options = *options;
    pipeline_options.pipeline = kind;
    const char* name = pipelines::PipelineKindName(kind);
    std::printf("== %s pipeline\n", name);
    std::fflush(stdout);
    auto run = UploadAndWait(*context, {*file}, pipeline_options, *timeout, workers);
    if (!run.ok()) {
      workers.Stop();
      std::fprintf(stderr, "fanfold demo: %s pipeline: %s\nworker logs: %s\n", name,
                   run.status().ToString().c_str(), workers.log_directory().c_str());
      if (run.status().IsTimeout() || run.status().code() == storage::StatusCode::kAborted) {
        return kExitFailure;
      }
      return ReportFailure("demo", run.status());
    }
    all_completed = PrintJobResults("demo", *run, flags) && all_completed;
    std::printf("timings: upload %s, job %s\n\n", Seconds(run->upload_seconds).c_str(),
                Seconds(run->job_seconds).c_str());
    PipelineOutcome outcome{name, std::move(*run), std::nullopt};
    if (auto result = ReadJobResult(outcome.run.rows.front()); result.ok()) {
      outcome.result = std::move(*result);
    }
    outcomes.push_back(std::move(outcome));
  }
  bool metrics_consistent = true;
  if (!workers.metrics_urls().empty()) {
    std::vector<pipelines::JobRow> rows;
    for (const auto& outcome : outcomes)
      rows.insert(rows.end(), outcome.run.rows.begin(), outcome.run.rows.end());
    metrics_consistent = CheckWorkerMetrics(workers, rows);
    std::printf("\n");
  }
  const bool clean = workers.Stop();
  const double total = std::chrono::duration<double>(Clock::now() - workers_started).count();

  std::printf("== summary\n");
  for (const auto& outcome : outcomes) {
    const auto& row = outcome.run.rows.front();
    std::printf("  %-13s job %s  %s  upload %s, job %s\n", outcome.name, row.job.c_str(),
                pipelines::JobStateName(row.state), Seconds(outcome.run.upload_seconds).c_str(),
                Seconds(outcome.run.job_seconds).c_str());
  }
  const bool identical = outcomes.size() == 2 && outcomes[0].result && outcomes[1].result &&
                         *outcomes[0].result == *outcomes[1].result;
  std::printf("  results identical: %s\n",
              identical ? "yes (every nation's rows, sum and mean)" : "NO");
  std::printf("  total %s, workers included\n", Seconds(total).c_str());
  std::printf("\nnext: fanfold status%s           (every job)\n", flags.c_str());
  if (!outcomes.empty()) {
    std::printf("      fanfold result %s%s --json\n", outcomes.front().run.rows.front().job.c_str(),
                flags.c_str());
  }
  if (!all_completed || !identical || !clean || !metrics_consistent) {
    std::fprintf(stderr, "worker logs: %s\n", workers.log_directory().c_str());
    return kExitFailure;
  }
  if (KeepWorkerLogs(arguments)) {
    std::printf("worker logs: %s/worker-*.log (follow one job: grep its id there)\n",
                workers.log_directory().c_str());
  } else {
    workers.RemoveLogs();
  }
  return kExitOk;
}

}  // namespace

Command DemoCommand() {
  std::vector<OptionSpec> options = PipelineOptions();
  for (auto& option : JobOptionSpecs()) {
    if (option.name == "pipeline") continue;  // the demo runs both
    if (option.name == "chunks") option.help = "cut the file into N chunks (default 16)";
    options.push_back(std::move(option));
  }
  options.push_back(
      {"data", true, "where the input lives or is generated (default .fanfold/data)", "DIR"});
  options.push_back({"sf", true, "scale factor of the generated input (default 1)", "X"});
  options.push_back({"seed", true, "generator seed (default 1)", "S"});
  options.push_back({"workers", true, "worker processes to start (default 2)", "N"});
  for (auto& option : OwnWorkerOptionSpecs())
    options.push_back(std::move(option));
  options.push_back({"timeout", true, "give up on a pipeline after S seconds (default 3600)", "S"});
  return Command{
      "demo",
      "the main job: both pipelines on the TPC-H customer table (SF 1)",
      "[--data DIR] [--workers N] [--chunks N]",
      "Checks that the storage account is reachable (exit 4 if not: start Azurite with\n"
      "'bash scripts/azurite.sh start' or set AZURE_STORAGE_CONNECTION_STRING), generates\n"
      "DIR/customer-sf1.tbl unless it is there (TPC-H customer, 150,000 rows), starts N\n"
      "workers, runs the orchestrated and then the chained pipeline on it (16 chunks unless\n"
      "--chunks or --chunk-size say otherwise), prints both results and timings and whether\n"
      "they are identical, and stops the workers. Exit status 0 when both completed with\n"
      "identical results.",
      options,
      RunDemo};
}

}  // namespace fanfold::cli
