#include "pipelines/orchestrated/mean_balance_orchestration.hpp"

#include <nlohmann/json.hpp>
#include <stdexcept>
#include <vector>

#include "activities/aggregate_activity.hpp"
#include "activities/partition_activity.hpp"
#include "orchestrator/orchestration_context.hpp"
#include "orchestrator/task_hub_client.hpp"

namespace fanfold::pipelines::orchestrated {
namespace {

using nlohmann::json;
using orchestrator::OrchestrationContext;
using orchestrator::Task;

template <typename T>
T ValueOrThrow(storage::Result<T> result) {
  if (!result.ok()) throw std::runtime_error(result.status().ToString());
  return std::move(*result);
}

// Deterministic by construction: everything it decides comes from its input and from activity
// results recorded in history.
Task<json> MeanBalanceByNation(OrchestrationContext& context, json spec_json) {
  const JobSpec spec = ValueOrThrow(JobSpecFromJsonValue(spec_json));
  // A spec the trigger probed is planned here, from the input alone (deterministic, so replays
  // agree): one activity, one episode and a probe fewer. Older specs are probed by the activity.
  activities::PartitionOutput plan;
  if (const auto probe = spec.Probe()) {
    plan = ValueOrThrow(activities::PlanProbedBlob(spec.ToPartitionInput(), *probe));
  } else {
    Task<json> partition_task = context.call_activity<json>(kPartitionActivity, spec_json);
    const json plan_json = co_await partition_task;
    plan = ValueOrThrow(activities::PartitionOutputFromJsonValue(plan_json));
  }
  activities::AggregateOptions options;
  options.max_line_bytes = plan.max_line_bytes;
  const std::vector<activities::AggregateInput> inputs =
      ValueOrThrow(activities::MakeAggregateInputs(plan, options));

  orchestrator::ActivityRetryPolicy retry;
  retry.max_attempts = spec.max_attempts;
  retry.first_delay = std::chrono::seconds(1);
  retry.max_delay = std::chrono::seconds(30);
  std::vector<Task<json>> chunks;
  chunks.reserve(inputs.size());
  for (const auto& input : inputs) {
    const json work = {{"job", spec.job}, {"input", activities::AggregateInputToJsonValue(input)}};
    chunks.push_back(context.call_activity<json>(kAggregateActivity, work, retry));
  }
  // Waits for every chunk; if some failed all their attempts, this throws one failure naming
  // all of them, which fails the instance (whose end fails the job, listing the chunks whose
  // rows are not Done) and is what `fanfold retry` rewinds.
  Task<std::vector<json>> all_chunks = orchestrator::when_all(chunks);
  co_await all_chunks;

  const json merge_input = {{"job", spec.job}, {"chunks", inputs.size()}};
  Task<json> merge_task = context.call_activity<json>(kMergeActivity, merge_input);
  json result = co_await merge_task;
  co_return result;
}

}  // namespace

void RegisterOrchestratedOrchestrator(orchestrator::Registry& registry) {
  registry.AddOrchestrator(kOrchestratorName, &MeanBalanceByNation);
}

storage::Status StartOrchestratedJob(const std::shared_ptr<const orchestrator::TaskHub>& hub,
                                     const JobSpec& spec) {
  orchestrator::TaskHubClient client(hub);
  auto started = client.Start(kOrchestratorName, JobSpecToJsonValue(spec), spec.job);
  return started.ok() ? storage::Status::Ok() : started.status();
}

}  // namespace fanfold::pipelines::orchestrated
