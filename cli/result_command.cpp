// fanfold result: a finished job's answer, per nation: rows, exact sum and mean.
#include <cstdio>

#include "cli/command.hpp"
#include "cli/hub_access.hpp"
#include "cli/pipeline_access.hpp"
#include "cli/result_output.hpp"

namespace fanfold::cli {
namespace {

int RunResult(const Arguments& arguments) {
  if (arguments.positionals().size() != 1) {
    std::fprintf(stderr,
                 "fanfold result: give one job id ('fanfold status' lists them)\nRun 'fanfold "
                 "result --help' for usage.\n");
    return kExitUsage;
  }
  const std::string& job = arguments.positionals()[0];
  int exit_code = kExitOk;
  auto context = OpenPipelines(arguments, &exit_code);
  if (context == nullptr) return exit_code;
  const std::string flags = DeploymentFlags(arguments);
  auto row = ReadJobOrExplain(*context, job, "result", flags, &exit_code);
  if (!row) return exit_code;
  const bool json = arguments.Has("json");
  if (row->state != pipelines::JobState::kCompleted) {
    if (json) std::printf("%s\n", ResultJsonText(*row, nullptr).c_str());
    ExplainUnfinished("result", *row, flags);
    return kExitFailure;
  }
  auto result = ReadJobResult(*row);
  if (!result.ok()) {
    std::fprintf(stderr, "fanfold result: %s\n", result.status().message().c_str());
    return kExitFailure;
  }
  if (json) {
    std::printf("%s\n", ResultJsonText(*row, &*result).c_str());
  } else {
    std::printf("%s", JobResultText(*row, &*result).c_str());
  }
  return kExitOk;
}

}  // namespace

Command ResultCommand() {
  std::vector<OptionSpec> options = PipelineOptions();
  options.push_back({"json", false, "print JSON (means as numbers with two decimals)"});
  return Command{
      "result",
      "show a job's result: rows, exact sum and mean per nation",
      "JOB [--json]",
      "Prints the mean c_acctbal per c_nationkey of a Completed job, with each nation's\n"
      "rows and exact sum, and the rows rejected by reason. --json prints\n"
      "{\"job\", \"pipeline\", \"state\", \"rows\", \"rejected\", \"nations\": [{\"nation\": 0,\n"
      "\"rows\": N, \"sum_cents\": N, \"mean\": 4442.70}, ...], \"rejects\"}, nations by key, "
      "each\n"
      "mean rounded half away from zero from the exact sum. Exit status 1 when the job has no\n"
      "result: Running ('fanfold status JOB --watch'), Failed ('fanfold retry JOB') or Refused.",
      options,
      RunResult};
}

}  // namespace fanfold::cli
