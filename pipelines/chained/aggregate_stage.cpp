// The aggregate stage: one message holds a group of chunks (chunk_groups.hpp). Every chunk is
// read and counted, and the group's partials go to the job's partials queue in as few messages as
// fit (a partial too large goes to a spill blob, the message naming it). A chunk that fails makes
// the whole message retry (the others are computed again: the merge takes each chunk once); on
// the last attempt the chunks that succeeded report, and the message is poisoned, leaving a
// failure marker per chunk so the merge can tell "failed" from "still running". The job's row
// then lists only the chunks that failed, and `fanfold retry` re-runs only those.
//
// A merge_inline message holds the whole job: it merges the partials it computed, writes the
// result blob once and completes the job row (the merge stage's commit, without its queue). If it
// fails for good it falls back to the merge stage's way: it makes the partials queue, reports what
// succeeded there, and its poison hook adds the failure markers and a merge message, so the job
// fails listing its failed chunks and `fanfold retry` works as for any other job.
#include <algorithm>
#include <optional>

#include "activities/aggregate_activity.hpp"
#include "activities/merge_activity.hpp"
#include "pipelines/chained/chain_messages.hpp"
#include "pipelines/chained/chain_stages.hpp"
#include "pipelines/chained/chain_storage.hpp"
#include "pipelines/chained/chunk_groups.hpp"
#include "pipelines/job_pipeline.hpp"
#include "queuestore/queue_options.hpp"
#include "storage/blob/blob_client.hpp"
#include "telemetry/log.hpp"

namespace fanfold::pipelines::chained {
namespace {

using queuestore::ReceivedMessage;
using storage::Status;

// 1 s, 2 s, 4 s... after the first, second, third failed delivery.
std::chrono::seconds Backoff(std::int64_t delivery, std::chrono::seconds cap) {
  const auto doublings = std::clamp<std::int64_t>(delivery - 1, 0, 20);
  return std::min(cap, std::chrono::seconds(std::int64_t{1} << doublings));
}

// "chunks 4, 5 of <job>"
std::string Label(const std::vector<std::uint32_t>& chunks, const std::string& job) {
  return (chunks.size() == 1 ? "chunk " : "chunks ") + ChunkListText(chunks) + " of " + job;
}

// Puts `outputs` on the partials queue in as few messages as fit, spilling the largest partials
// to blobs until they do. A queue that is gone means the job's merge is over and this was a late
// duplicate: its spill blobs (which may have landed after the merge cleaned up) are deleted.
// The limit is on the JSON text; its default, 48 KiB, is exactly Azure's 64 KiB once the queue
// client has Base64-encoded it (the entries are ASCII: ensure_ascii escapes everything else).
Status Report(const PipelineContext& context, const ChainedStageOptions& options,
              const std::string& job, const queuestore::QueueClient& partials,
              const std::vector<activities::AggregateOutput>& outputs) {
  std::vector<std::string> entries;
  for (const auto& output : outputs)
    entries.push_back(InlinePartialToJson(output));
  const auto spill = context.blobs.GetContainerClient(context.names.chain_spill_container);
  std::vector<storage::BlobClient> spilled;
  std::vector<bool> is_spilled(entries.size(), false);
  while (PartialEntriesBytes(entries) > options.spill_threshold_bytes) {
    std::optional<std::size_t> largest;
    for (std::size_t i = 0; i < entries.size(); ++i) {
      if (!is_spilled[i] && (!largest || entries[i].size() > entries[*largest].size())) largest = i;
    }
    if (!largest) break;  // all spilled: PackPartialEntries splits them over messages
    const auto& output = outputs[*largest];
    spilled.push_back(spill.GetBlobClient(SpillBlobName(job, output.chunk_index)));
    auto uploaded = spilled.back().Upload(activities::AggregateOutputToJson(output));
    if (!uploaded.ok()) return uploaded.status();
    entries[*largest] = SpilledPartialToJson(output.chunk_index, spilled.back().name());
    is_spilled[*largest] = true;
  }
  for (const std::string& content : PackPartialEntries(entries, options.spill_threshold_bytes)) {
    const Status put = PutForever(partials, content);
    if (put.IsNotFound()) {
      for (const auto& blob : spilled)
        (void)blob.DeleteIfExists();
      return Status::Ok();
    }
    FANFOLD_RETURN_IF_ERROR(put);
  }
  return Status::Ok();
}

// The whole job was counted here: merge it, write the result once and end the job row.
MessageOutcome MergeHere(const PipelineContext& context, const ChunkMessage& group,
                         std::vector<activities::AggregateOutput> outputs) {
  const auto merge_start = std::chrono::steady_clock::now();
  activities::MergeInput input;
  input.chunk_count = group.chunks;
  input.partials = std::move(outputs);
  auto merged = activities::MergeChunkPartials(input);
  if (!merged.ok()) {
    // Partials of another format than their siblings': no retry makes that right.
    const Status failed = MarkJobFailed(context, group.job, "merge: " + merged.status().ToString());
    if (!failed.ok()) {
      return MessageOutcome::Retry(
          "recording the failed merge of " + group.job + ": " + failed.ToString(),
          std::chrono::seconds(1));
    }
    return MessageOutcome::Done();
  }
  auto result = WriteResultOnce(context, group.job, activities::MergeOutputToJson(*merged));
  if (!result.ok()) {
    return MessageOutcome::Retry(
        "writing the result of " + group.job + ": " + result.status().ToString(),
        std::chrono::seconds(1));
  }
  telemetry::LogInfo("job.merged",
                     {{"job", group.job},
                      {"pipeline", "chained"},
                      {"chunks", group.chunks},
                      {"merge_inline", true},
                      {"duration_ms", std::chrono::duration<double, std::milli>(
                                          std::chrono::steady_clock::now() - merge_start)
                                          .count()}});
  const Status ended = WriteJobCompleted(context, group.job, group.chunks, *result);
  if (!ended.ok()) {
    // The result blob is written: the next delivery finds it and only ends the row.
    return MessageOutcome::Retry("ending job " + group.job + ": " + ended.ToString(),
                                 std::chrono::seconds(1));
  }
  return MessageOutcome::Done();
}

// The partials queue a merge_inline job did not need until now. Create is idempotent.
Status MakePartialsQueue(const queuestore::QueueClient& partials) {
  return partials.Create().status();
}

MessageOutcome HandleGroup(const PipelineContext& context, const ChainedStageOptions& options,
                           const ReceivedMessage& message) {
  auto group = ChunkMessageFromJson(message.content);
  if (!group.ok()) return MessageOutcome::Poison(group.status().ToString());
  auto partials = context.queues.GetQueueClient(group->partials_queue);
  if (!partials.ok()) return MessageOutcome::Poison(partials.status().ToString());

  std::vector<activities::AggregateOutput> outputs;
  std::vector<std::uint32_t> failed;
  std::string errors;
  for (const auto& input : group->inputs) {
    auto output = context.AggregateChunk(group->job, input);
    if (output.ok()) {
      outputs.push_back(std::move(output).value());
      continue;
    }
    failed.push_back(input.chunk.index);
    if (group->inputs.size() > 1) errors += "; chunk " + std::to_string(input.chunk.index) + ":";
    errors += " " + output.status().ToString();
  }
  if (failed.empty() && group->merge_inline) return MergeHere(context, *group, std::move(outputs));
  std::vector<std::uint32_t> all;
  for (const auto& input : group->inputs)
    all.push_back(input.chunk.index);
  if (!failed.empty()) {
    const std::string error = Label(failed, group->job) + " (attempt " +
                              std::to_string(message.dequeue_count) + " of " +
                              std::to_string(group->max_attempts) + "):" + errors;
    if (message.dequeue_count < group->max_attempts) {
      return MessageOutcome::Retry(error,
                                   Backoff(message.dequeue_count, options.max_retry_backoff));
    }
    // The last attempt: what succeeded reports, so only the failed chunks are left to retry. The
    // stage's poison hook leaves the failure markers (on this path and on a worker that died).
    if (!outputs.empty()) {
      Status reported = group->merge_inline ? MakePartialsQueue(*partials) : Status::Ok();
      if (reported.ok()) reported = Report(context, options, group->job, *partials, outputs);
      if (!reported.ok()) {
        return MessageOutcome::Retry(
            "reporting " + Label(all, group->job) + ": " + reported.ToString(),
            std::chrono::seconds(1));
      }
    }
    return MessageOutcome::Poison(error);
  }
  const Status reported = Report(context, options, group->job, *partials, outputs);
  if (!reported.ok()) {
    return MessageOutcome::Retry("reporting " + Label(all, group->job) + ": " + reported.ToString(),
                                 std::chrono::seconds(1));
  }
  return MessageOutcome::Done();
}

// Runs before a chunk message goes to the poison queue, whether the handler gave up on it or a
// worker died on it every time: either way the merge must learn its chunks will not come. Every
// chunk of the group gets a marker; one whose partial was reported has it outdated by the partial.
// A merge_inline job has no merge yet: it gets its queue first and a merge message last (a crash
// in between poisons nothing twice: the hook runs again on the next delivery of the message).
Status TellMergeChunkFailed(const PipelineContext& context, const ChainedStageOptions& options,
                            const ReceivedMessage& message, const std::string& reason) {
  auto chunk = ChunkMessageFromJson(message.content);
  if (!chunk.ok()) return Status::Ok();  // no job's chunk: nobody waits for it
  auto partials = context.queues.GetQueueClient(chunk->partials_queue);
  if (!partials.ok()) return Status::Ok();
  if (chunk->merge_inline) FANFOLD_RETURN_IF_ERROR(MakePartialsQueue(*partials));
  std::vector<std::string> markers;
  for (const auto& input : chunk->inputs)
    markers.push_back(FailureMarkerToJson(input.chunk.index, reason));
  for (const std::string& content :
       PackPartialEntries(markers, queuestore::kMaxMessageContentBytes)) {
    const Status put = PutForever(*partials, content);
    if (put.IsNotFound()) return Status::Ok();
    FANFOLD_RETURN_IF_ERROR(put);
  }
  if (!chunk->merge_inline) return Status::Ok();
  // The queue now holds at least the markers' message.
  const MergeMessage merge{chunk->job, chunk->chunks, chunk->partials_queue, 1};
  return PutForever(context.Queue(context.names.chain_merge_queue), MergeMessageToJson(merge),
                    options.merge_first_delay);
}

}  // namespace

std::unique_ptr<QueueStage> MakeAggregateStage(std::shared_ptr<const PipelineContext> context,
                                               const ChainedStageOptions& options) {
  auto handler = [context, options](const ReceivedMessage& message) {
    return HandleGroup(*context, options, message);
  };
  auto on_poison = [context, options](const ReceivedMessage& message, const std::string& reason) {
    return TellMergeChunkFailed(*context, options, message, reason);
  };
  return std::make_unique<QueueStage>(
      context->Queue(context->names.chain_chunks_queue),
      context->Queue(context->names.chain_poison_queue),
      StageOptions(options, "chain-aggregate", options.aggregate_concurrency), std::move(handler),
      std::move(on_poison));
}

}  // namespace fanfold::pipelines::chained
