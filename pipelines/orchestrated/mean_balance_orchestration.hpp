// Pipeline 1, orchestrated: the durable orchestration `mean_balance_by_nation` runs
//   partition -> one aggregate per chunk (with retries), all at once -> merge
// and the three activities keep the job's progress and partial results in the Jobs table (see
// jobs_table.hpp): each aggregate records its attempt, then reports its chunk and the job's
// counters in one transaction; merge reads the chunk rows and writes the result.
#pragma once

#include <memory>
#include <string>

#include "orchestrator/registry.hpp"
#include "orchestrator/task_hub.hpp"
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

}  // namespace fanfold::pipelines::orchestrated
