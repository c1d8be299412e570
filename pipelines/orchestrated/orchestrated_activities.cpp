// The orchestrated pipeline's three activities. Each is safe to run more than once (a redelivered
// work item, a retry, a rewind): partition writes nothing, aggregate skips a chunk whose row is
// already Done (and rewrites the same Done row if two attempts race), and merge's completion is a
// move that happens once. None of them fails the job: they throw, the orchestration fails, and
// the end of the orchestration fails the job (one path for every way an instance can end).
#include <chrono>
#include <nlohmann/json.hpp>
#include <stdexcept>

#include "activities/aggregate_activity.hpp"
#include "activities/merge_activity.hpp"
#include "activities/partition_activity.hpp"
#include "pipelines/orchestrated/mean_balance_orchestration.hpp"
#include "telemetry/log.hpp"

namespace fanfold::pipelines::orchestrated {
namespace {

using nlohmann::json;
using orchestrator::ActivityContext;

[[noreturn]] void Fail(const std::string& message) {
  throw std::runtime_error(message);
}

double MillisecondsSince(std::chrono::steady_clock::time_point start) {
  return std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start)
      .count();
}

json Partition(const PipelineContext& context, const json& spec_json) {
  auto spec = JobSpecFromJsonValue(spec_json);
  if (!spec.ok()) Fail(spec.status().ToString());
  const auto start = std::chrono::steady_clock::now();
  auto plan = activities::PartitionBlob(context.blobs, spec->ToPartitionInput());
  // The job row already counts the plan's chunks (the trigger made the same plan); a failure
  // here fails the orchestration, and its end fails the job (RegisterOrchestratedPipeline).
  if (!plan.ok()) Fail("partition: " + plan.status().ToString());
  telemetry::LogInfo("job.planned", {{"job", spec->job},
                                     {"pipeline", "orchestrated"},
                                     {"chunks", plan->plan.chunks.size()},
                                     {"duration_ms", MillisecondsSince(start)}});
  return activities::PartitionOutputToJsonValue(*plan);
}

json ChunkSummary(const ChunkRow& row) {
  return {{"chunk", row.index}, {"rows", row.rows}, {"rejected", row.rejected}};
}

// One chunk: skipped when an earlier attempt already reported it Done. Only this chunk's row is
// written, never the job's, so chunk reports do not wait on each other; what is final is the
// orchestrator's call (its retry policy), and its end reaches the job row.
json Aggregate(const PipelineContext& context, const ActivityContext& activity, const json& work) {
  const std::string job = work.at("job").get<std::string>();
  auto input = activities::AggregateInputFromJsonValue(work.at("input"));
  if (!input.ok()) Fail(input.status().ToString());
  const auto& range = input->chunk;
  const std::string chunk_name = "chunk " + std::to_string(range.index);
  auto existing = context.jobs.GetChunk(job, range.index);
  if (!existing.ok()) Fail(chunk_name + ": " + existing.status().ToString());
  if (*existing && (*existing)->state == ChunkState::kDone) return ChunkSummary(**existing);

  ChunkRow row = *existing ? **existing : ChunkRow{};
  row.index = range.index;
  row.begin = range.begin;
  row.end = range.end;
  row.worker = context.worker;
  row.queued = std::nullopt;
  if (activity.enqueued != orchestrator::Timestamp{}) {
    row.queued = std::chrono::time_point_cast<tablestore::EdmTicks>(activity.enqueued);
  }
  row.started = NowForTable();
  auto output = context.AggregateChunk(job, *input);
  if (!output.ok()) {
    const std::string error = output.status().ToString();
    const auto recorded = context.jobs.RecordChunkFailure(job, row, error);
    Fail(chunk_name + ": " + error +
         (recorded.ok() ? "" : "; recording the failure failed too: " + recorded.ToString()));
  }
  row.attempts += 1;
  row.rows = output->partial.rows;
  row.rejected = output->partial.rejected_rows();
  row.milliseconds = output->milliseconds;
  row.output = activities::AggregateOutputToJson(*output);
  const auto recorded = context.jobs.RecordChunkDone(job, row);
  if (!recorded.ok()) Fail(chunk_name + ": reporting: " + recorded.ToString());
  return ChunkSummary(row);
}

json Merge(const PipelineContext& context, const json& work) {
  const std::string job = work.at("job").get<std::string>();
  const auto chunk_count = work.at("chunks").get<std::uint32_t>();
  const auto start = std::chrono::steady_clock::now();
  auto chunks = context.jobs.ListChunks(job);
  if (!chunks.ok()) Fail("merge: reading the chunk rows: " + chunks.status().ToString());
  activities::MergeInput input;
  input.chunk_count = chunk_count;
  for (const ChunkRow& chunk : *chunks) {
    if (chunk.state != ChunkState::kDone) continue;
    auto partial = activities::AggregateOutputFromJson(chunk.output);
    if (!partial.ok()) {
      Fail("merge: chunk " + std::to_string(chunk.index) + ": " + partial.status().ToString());
    }
    input.partials.push_back(std::move(*partial));
  }
  auto merged = activities::MergeChunkPartials(input);
  if (!merged.ok()) Fail("merge: " + merged.status().ToString());
  JobCompletion completion;
  completion.result = activities::MergeOutputToJson(*merged);
  completion.tally.done = chunk_count;
  completion.tally.rows = merged->result.rows;
  completion.tally.rejected = merged->result.rejected_rows;
  auto completed = context.jobs.Complete(job, completion);
  if (!completed.ok()) Fail("merge: writing the result: " + completed.status().ToString());
  telemetry::LogInfo("job.merged", {{"job", job},
                                    {"pipeline", "orchestrated"},
                                    {"chunks", chunk_count},
                                    {"duration_ms", MillisecondsSince(start)}});
  return activities::MeanBalanceResultToJsonValue(merged->result);
}

// What happened and what `fanfold retry` will do about it.
std::string EndReason(const orchestrator::InstanceStatus& status) {
  const std::string what =
      status.failure ? status.failure->message : std::string("no reason given");
  if (status.status == orchestrator::RuntimeStatus::kTerminated) {
    return "the orchestration was terminated (" + what +
           "); a terminated job cannot be retried: upload the file again";
  }
  return "the orchestration failed: " + what + " (`fanfold retry " + status.instance_id +
         "` re-runs only what failed)";
}

// How the job's orchestration ended reaches the job row: the one path by which an orchestrated
// job fails, whatever failed (an activity out of retries, the plan, the merge, a poisoned
// message, non-determinism, a terminate). A completed orchestration's merge already completed
// the job.
storage::Status RecordEnd(const PipelineContext& context,
                          const orchestrator::InstanceStatus& status) {
  if (status.status == orchestrator::RuntimeStatus::kCompleted) return storage::Status::Ok();
  auto tally = context.jobs.TallyChunks(status.instance_id);
  if (!tally.ok()) return tally.status();
  JobFailure failure;
  failure.reason = EndReason(status);
  failure.tally = std::move(*tally);
  if (status.completed != orchestrator::Timestamp{}) {
    failure.happened = std::chrono::time_point_cast<tablestore::EdmTicks>(status.completed);
  }
  auto failed = context.jobs.Fail(status.instance_id, failure);
  if (!failed.ok() && !failed.status().IsNotFound()) return failed.status();
  return storage::Status::Ok();  // a purged job has no row left to end
}

}  // namespace

void RegisterOrchestratedPipeline(orchestrator::Registry& registry,
                                  std::shared_ptr<const PipelineContext> context) {
  RegisterOrchestratedOrchestrator(registry);
  registry.OnEnded(kOrchestratorName, [context](const orchestrator::InstanceStatus& status) {
    return RecordEnd(*context, status);
  });
  registry.AddActivity<json, json>(
      kPartitionActivity,
      [context](ActivityContext&, const json& spec) { return Partition(*context, spec); });
  registry.AddActivity<json, json>(kAggregateActivity,
                                   [context](ActivityContext& activity, const json& work) {
                                     return Aggregate(*context, activity, work);
                                   });
  registry.AddActivity<json, json>(kMergeActivity, [context](ActivityContext&, const json& work) {
    return Merge(*context, work);
  });
}

}  // namespace fanfold::pipelines::orchestrated
