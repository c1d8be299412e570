// What the job commands share: --prefix (which deployment's names on the account) and opening the
// pipelines' storage clients on the account from AZURE_STORAGE_CONNECTION_STRING.
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "cli/arguments.hpp"
#include "cli/command.hpp"
#include "pipelines/job_pipeline.hpp"
#include "pipelines/pipeline_context.hpp"

namespace fanfold::cli {

// --prefix NAME (default $FANFOLD_PREFIX, else none: the documented names uploads, blob-events,
// fanfoldjobs...), plus the hub options (the orchestrated pipeline's task hub).
std::vector<OptionSpec> PipelineOptions();
// On failure prints why to stderr, sets *exit_code and returns nullptr.
std::shared_ptr<pipelines::PipelineContext> OpenPipelines(const Arguments& arguments,
                                                          int* exit_code);

// Every pipeline kind on `context`. The orchestrated one opens the task hub the options name
// when it first needs it (a retry, a start), printing why when it cannot.
std::shared_ptr<const pipelines::JobPipelines> OpenJobPipelines(
    const Arguments& arguments, std::shared_ptr<const pipelines::PipelineContext> context);

// The job's row. On failure prints why ("no job X here", with the status command that lists
// them, repeating the deployment `flags`) and sets *exit_code.
std::optional<pipelines::JobRow> ReadJobOrExplain(const pipelines::PipelineContext& context,
                                                  const std::string& job,
                                                  const std::string& command,
                                                  const std::string& flags, int* exit_code);

}  // namespace fanfold::cli
