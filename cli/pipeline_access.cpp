#include "cli/pipeline_access.hpp"

#include <cctype>
#include <cstdio>
#include <cstdlib>

#include "cli/hub_access.hpp"
#include "storage/connection_string.hpp"

namespace fanfold::cli {

std::vector<OptionSpec> PipelineOptions() {
  std::vector<OptionSpec> options = HubOptions();
  options.push_back({"prefix", true,
                     "prefix of every container, queue and table name, to keep deployments "
                     "apart on one account (default $FANFOLD_PREFIX, else none)",
                     "NAME"});
  return options;
}

std::shared_ptr<pipelines::PipelineContext> OpenPipelines(const Arguments& arguments,
                                                          int* exit_code) {
  auto account = storage::StorageAccount::FromEnvironment();
  if (!account.ok()) {
    std::fprintf(stderr, "fanfold: %s\n", account.status().message().c_str());
    *exit_code = kExitConfiguration;
    return nullptr;
  }
  const char* env_prefix = std::getenv("FANFOLD_PREFIX");
  const std::string prefix = arguments.ValueOr("prefix", env_prefix != nullptr ? env_prefix : "");
  bool valid = prefix.size() <= 24 && (prefix.empty() || std::islower(prefix[0]) != 0);
  for (const char c : prefix) {
    valid = valid && (std::islower(static_cast<unsigned char>(c)) != 0 ||
                      std::isdigit(static_cast<unsigned char>(c)) != 0);
  }
  if (!valid) {
    std::fprintf(stderr,
                 "fanfold: --prefix must be 1-24 lower-case letters and digits, starting with a "
                 "letter\n");
    *exit_code = kExitUsage;
    return nullptr;
  }
  return std::make_shared<pipelines::PipelineContext>(*account,
                                                      pipelines::PipelineNames::WithPrefix(prefix));
}

std::shared_ptr<const pipelines::JobPipelines> OpenJobPipelines(
    const Arguments& arguments, std::shared_ptr<const pipelines::PipelineContext> context) {
  pipelines::HubOpener hub =
      [&arguments]() -> storage::Result<std::shared_ptr<const orchestrator::TaskHub>> {
    int exit_code = kExitOk;
    auto opened = OpenHub(arguments, &exit_code);  // says why on stderr when it cannot
    if (opened == nullptr) {
      return storage::Status::InvalidArgument("the orchestrated pipeline's task hub is not open");
    }
    return std::shared_ptr<const orchestrator::TaskHub>(std::move(opened));
  };
  return std::make_shared<const pipelines::JobPipelines>(std::move(context), std::move(hub));
}

std::optional<pipelines::JobRow> ReadJobOrExplain(const pipelines::PipelineContext& context,
                                                  const std::string& job,
                                                  const std::string& command,
                                                  const std::string& flags, int* exit_code) {
  auto row = context.jobs.GetJob(job);
  if (row.ok()) return std::move(*row);
  if (row.status().IsNotFound()) {
    std::fprintf(stderr, "fanfold %s: no job '%s' here; 'fanfold status%s' lists the jobs\n",
                 command.c_str(), job.c_str(), flags.c_str());
    *exit_code = kExitFailure;
  } else {
    *exit_code = ReportFailure(command, row.status());
  }
  return std::nullopt;
}

}  // namespace fanfold::cli
