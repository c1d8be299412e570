// The orchestrated pipeline's three activities. Each is safe to run more than once (a redelivered
// work item, a retry, a rewind): partition and merge write the same thing again, and aggregate
// skips a chunk whose row is already Done and counts a chunk only in the transaction that marks
// it Done.
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

// Records the job as Failed with `reason` (unless it finished otherwise meanwhile); a failure to
// record is added to the message the activity fails with, which the instance keeps.
std::string MarkJobFailed(const PipelineContext& context, const std::string& job,
                          const std::string& reason) {
  json ended = {{"job", job}, {"pipeline", "orchestrated"}};
  bool marked_now = false;
  auto marked = context.jobs.UpdateJob(job, [&](JobRow& row) {
    if (row.state == JobState::kCompleted || row.state == JobState::kRefused) return false;
    row.state = JobState::kFailed;
    row.error = reason;
    row.finished = NowForTable();
    ended = row.EndLogFields();
    marked_now = true;
    return true;
  });
  if (marked_now || !marked.ok()) {
    ended["error"] = reason;
    telemetry::LogError("job.failed", ended);
  }
  return marked.ok()
             ? reason
             : reason + " (and the job row could not be updated: " + marked.status().ToString() +
                   ")";
}

json Partition(const PipelineContext& context, const json& spec_json) {
  auto spec = JobSpecFromJsonValue(spec_json);
  if (!spec.ok()) Fail(spec.status().ToString());
  const auto start = std::chrono::steady_clock::now();
  auto plan = activities::PartitionBlob(context.blobs, spec->ToPartitionInput());
  if (!plan.ok()) {
    Fail(MarkJobFailed(context, spec->job, "partition: " + plan.status().ToString()));
  }
  auto running = context.jobs.UpdateJob(spec->job, [&](JobRow& row) {
    const auto total = static_cast<std::int64_t>(plan->plan.chunks.size());
    if (row.state == JobState::kRunning && row.chunks_total == total && row.started) return false;
    if (row.state == JobState::kQueued || row.state == JobState::kFailed) {
      row.state = JobState::kRunning;
    }
    row.chunks_total = total;
    if (!row.started) row.started = NowForTable();
    return true;
  });
  if (!running.ok()) Fail("partition: recording the plan: " + running.status().ToString());
  telemetry::LogInfo("job.planned", {{"job", spec->job},
                                     {"pipeline", "orchestrated"},
                                     {"chunks", plan->plan.chunks.size()},
                                     {"duration_ms", MillisecondsSince(start)}});
  return activities::PartitionOutputToJsonValue(*plan);
}

json ChunkSummary(const ChunkRow& row) {
  return {{"chunk", row.index}, {"rows", row.rows}, {"rejected", row.rejected}};
}

json Aggregate(const PipelineContext& context, const json& work) {
  const std::string job = work.at("job").get<std::string>();
  const int max_attempts = work.value("max_attempts", 1);
  auto input = activities::AggregateInputFromJsonValue(work.at("input"));
  if (!input.ok()) Fail(input.status().ToString());
  const auto& range = input->chunk;
  auto attempt =
      context.jobs.BeginChunkAttempt(job, range.index, range.begin, range.end, context.worker);
  if (!attempt.ok())
    Fail("chunk " + std::to_string(range.index) + ": " + attempt.status().ToString());
  if (attempt->already_done) return ChunkSummary(attempt->row);

  auto output = context.AggregateChunk(job, *input);
  if (!output.ok()) {
    const std::string error = output.status().ToString();
    const bool final = attempt->attempt >= max_attempts;
    auto reported = context.jobs.ReportChunkFailure(job, range.index, error, final);
    Fail("chunk " + std::to_string(range.index) + " (attempt " + std::to_string(attempt->attempt) +
         " of " + std::to_string(max_attempts) + "): " + error +
         (reported.ok() ? ""
                        : "; recording the failure failed too: " + reported.status().ToString()));
  }
  ChunkRow done = attempt->row;
  done.rows = output->partial.rows;
  done.rejected = output->partial.rejected_rows();
  done.milliseconds = output->milliseconds;
  done.worker = context.worker;
  done.output = activities::AggregateOutputToJson(*output);
  auto reported = context.jobs.ReportChunkSuccess(job, done);
  if (!reported.ok()) {
    Fail("chunk " + std::to_string(range.index) + ": reporting: " + reported.status().ToString());
  }
  return ChunkSummary(done);
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
      Fail(MarkJobFailed(
          context, job,
          "merge: chunk " + std::to_string(chunk.index) + ": " + partial.status().ToString()));
    }
    input.partials.push_back(std::move(*partial));
  }
  auto merged = activities::MergeChunkPartials(input);
  if (!merged.ok()) Fail(MarkJobFailed(context, job, "merge: " + merged.status().ToString()));
  const std::string result = activities::MergeOutputToJson(*merged);
  bool completed_now = false;
  json ended;
  auto completed = context.jobs.UpdateJob(job, [&](JobRow& row) {
    if (row.state == JobState::kCompleted) return false;
    completed_now = true;
    row.state = JobState::kCompleted;
    row.result = result;
    row.rows = merged->result.rows;
    row.rejected = merged->result.rejected_rows;
    row.error.clear();
    row.finished = NowForTable();
    ended = row.EndLogFields();
    return true;
  });
  if (!completed.ok()) Fail("merge: writing the result: " + completed.status().ToString());
  telemetry::LogInfo("job.merged", {{"job", job},
                                    {"pipeline", "orchestrated"},
                                    {"chunks", chunk_count},
                                    {"duration_ms", MillisecondsSince(start)}});
  if (completed_now) {
    ended["chunks"] = chunk_count;
    ended["rows"] = merged->result.rows;
    telemetry::LogInfo("job.completed", ended);
  }
  return activities::MeanBalanceResultToJsonValue(merged->result);
}

}  // namespace

void RegisterOrchestratedPipeline(orchestrator::Registry& registry,
                                  std::shared_ptr<const PipelineContext> context) {
  RegisterOrchestratedOrchestrator(registry);
  registry.AddActivity<json, json>(
      kPartitionActivity,
      [context](ActivityContext&, const json& spec) { return Partition(*context, spec); });
  registry.AddActivity<json, json>(
      kAggregateActivity,
      [context](ActivityContext&, const json& work) { return Aggregate(*context, work); });
  registry.AddActivity<json, json>(kMergeActivity, [context](ActivityContext&, const json& work) {
    return Merge(*context, work);
  });
}

}  // namespace fanfold::pipelines::orchestrated
