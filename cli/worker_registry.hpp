// The orchestrations and activities a `fanfold worker` can run.
#pragma once

#include <memory>

#include "orchestrator/registry.hpp"
#include "pipelines/pipeline_context.hpp"

namespace fanfold::cli {

// The engine's diagnostics and, with a context, the orchestrated pipeline's orchestrator and
// activities.
std::unique_ptr<orchestrator::Registry> BuildWorkerRegistry(
    std::shared_ptr<const pipelines::PipelineContext> pipelines = nullptr);

}  // namespace fanfold::cli
