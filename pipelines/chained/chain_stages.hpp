// The chained pipeline's three stages, one per file: each is a QueueStage over its queue with a
// handler that never blocks on other work (a handler that waits would hold one of the worker's
// few threads while the work it waits for needs one).
#pragma once

#include <memory>
#include <string>

#include "pipelines/chained/chained_pipeline.hpp"
#include "pipelines/pipeline_context.hpp"
#include "pipelines/queue_stage.hpp"

namespace fanfold::pipelines::chained {

std::unique_ptr<QueueStage> MakeSplitStage(std::shared_ptr<const PipelineContext> context,
                                           const ChainedStageOptions& options);
std::unique_ptr<QueueStage> MakeAggregateStage(std::shared_ptr<const PipelineContext> context,
                                               const ChainedStageOptions& options);
std::unique_ptr<QueueStage> MakeMergeStage(std::shared_ptr<const PipelineContext> context,
                                           const ChainedStageOptions& options);

// The QueueStage settings every chained stage shares.
QueueStageOptions StageOptions(const ChainedStageOptions& options, std::string name,
                               int concurrency);

}  // namespace fanfold::pipelines::chained
