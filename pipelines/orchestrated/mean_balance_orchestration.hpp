// Pipeline 1, orchestrated: the durable orchestration `mean_balance_by_nation` runs
//   partition -> one aggregate per chunk (with retries), all at once -> merge
// and the three activities keep the job's progress and partial results in the Jobs table (see
// jobs_table.hpp): each aggregate writes only its own chunk row; merge reads the chunk rows and
// completes the job. However the orchestration ends otherwise, its end fails the job
// (Registry::OnEnded), so the orchestrator's retry policy is the only attempt budget.
#pragma once

#include <memory>
#include <string>

#include "orchestrator/registry.hpp"
#include "orchestrator/task_hub.hpp"
#include "pipelines/job_pipeline.hpp"
#include "pipelines/job_spec.hpp"
#include "pipelines/pipeline_context.hpp"
#include "storage/result.hpp"

namespace fanfold::pipelines::orchestrated {

inline constexpr const char* kOrchestratorName = "mean_balance_by_nation";
inline constexpr const char* kPartitionActivity = "mean_balance.partition";
inline constexpr const char* kAggregateActivity = "mean_balance.aggregate";
inline constexpr const char* kMergeActivity = "mean_balance.merge";

// Registers the orchestrator and its three activities, which use `context` for storage.
void RegisterOrchestratedPipeline(orchestrator::Registry& registry,
                                  std::shared_ptr<const PipelineContext> context);

// The orchestrator alone (RegisterOrchestratedPipeline calls it).
void RegisterOrchestratedOrchestrator(orchestrator::Registry& registry);

// Starts the job's orchestration (instance id = job id); idempotent.
storage::Status StartOrchestratedJob(const std::shared_ptr<const orchestrator::TaskHub>& hub,
                                     const JobSpec& spec);

// The pipeline as the trigger and the CLI see it (job_pipeline.hpp).
std::unique_ptr<const JobPipeline> MakeOrchestratedJobPipeline(
    std::shared_ptr<const PipelineContext> context, HubOpener hub);

}  // namespace fanfold::pipelines::orchestrated
