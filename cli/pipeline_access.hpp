// What the job commands share: --prefix (which deployment's names on the account) and opening the
// pipelines' storage clients on the account from AZURE_STORAGE_CONNECTION_STRING.
#pragma once

#include <memory>
#include <vector>

#include "cli/arguments.hpp"
#include "cli/command.hpp"
#include "pipelines/pipeline_context.hpp"

namespace fanfold::cli {

// --prefix NAME (default $FANFOLD_PREFIX, else none: the documented names uploads, blob-events,
// fanfoldjobs...), plus the hub options (the orchestrated pipeline's task hub).
std::vector<OptionSpec> PipelineOptions();
// On failure prints why to stderr, sets *exit_code and returns nullptr.
std::shared_ptr<pipelines::PipelineContext> OpenPipelines(const Arguments& arguments,
                                                          int* exit_code);

}  // namespace fanfold::cli
