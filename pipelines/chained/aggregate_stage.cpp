// The aggregate stage: one chunk per message. Its partial goes to the job's partials queue (in
// the message, or spilled to a blob when too large); a chunk that used all its attempts leaves a
// failure marker there instead, so the merge can tell "failed" from "still running".
#include <algorithm>
#include <optional>

#include "activities/aggregate_activity.hpp"
#include "pipelines/chained/chain_messages.hpp"
#include "pipelines/chained/chain_stages.hpp"
#include "pipelines/chained/chain_storage.hpp"
#include "storage/blob/blob_client.hpp"

namespace fanfold::pipelines::chained {
namespace {

using queuestore::ReceivedMessage;
using storage::Status;

// 1 s, 2 s, 4 s... after the first, second, third failed delivery.
std::chrono::seconds Backoff(std::int64_t delivery, std::chrono::seconds cap) {
  const auto doublings = std::clamp<std::int64_t>(delivery - 1, 0, 20);
  return std::min(cap, std::chrono::seconds(std::int64_t{1} << doublings));
}

MessageOutcome HandleChunk(const PipelineContext& context, const ChainedStageOptions& options,
                           const ReceivedMessage& message) {
  auto chunk = ChunkMessageFromJson(message.content);
  if (!chunk.ok()) return MessageOutcome::Poison(chunk.status().ToString());
  auto partials = context.queues.GetQueueClient(chunk->partials_queue);
  if (!partials.ok()) return MessageOutcome::Poison(partials.status().ToString());
  const std::uint32_t index = chunk->input.chunk.index;
  const std::string label = "chunk " + std::to_string(index) + " of " + chunk->job;

  auto output = context.AggregateChunk(chunk->job, chunk->input);
  if (!output.ok()) {
    const std::string error = label + " (attempt " + std::to_string(message.dequeue_count) +
                              " of " + std::to_string(chunk->max_attempts) +
                              "): " + output.status().ToString();
    if (message.dequeue_count < chunk->max_attempts) {
      return MessageOutcome::Retry(error,
                                   Backoff(message.dequeue_count, options.max_retry_backoff));
    }
    // The stage's poison hook leaves the failure marker (on this path and on a worker that died).
    return MessageOutcome::Poison(error);
  }

  std::string content = InlinePartialToJson(*output);
  std::optional<storage::BlobClient> spilled;
  if (content.size() > options.spill_threshold_bytes) {
    spilled = context.blobs.GetContainerClient(context.names.chain_spill_container)
                  .GetBlobClient(SpillBlobName(chunk->job, index));
    auto uploaded = spilled->Upload(activities::AggregateOutputToJson(*output));
    if (!uploaded.ok()) {
      return MessageOutcome::Retry("spilling " + label + ": " + uploaded.status().ToString(),
                                   std::chrono::seconds(1));
    }
    content = SpilledPartialToJson(index, spilled->name());
  }
  const Status put = PutForever(*partials, content);
  if (put.IsNotFound()) {
    // The job's merge is over and dropped the queue: this was a late duplicate. Its spill blob
    // may have landed after the merge cleaned up.
    if (spilled) (void)spilled->DeleteIfExists();
    return MessageOutcome::Done();
  }
  if (!put.ok()) {
    return MessageOutcome::Retry("reporting " + label + ": " + put.ToString(),
                                 std::chrono::seconds(1));
  }
  return MessageOutcome::Done();
}

// Runs before a chunk message goes to the poison queue, whether the handler gave up on it or a
// worker died on it every time: either way the merge must learn the chunk will not come.
Status TellMergeChunkFailed(const PipelineContext& context, const ReceivedMessage& message,
                            const std::string& reason) {
  auto chunk = ChunkMessageFromJson(message.content);
  if (!chunk.ok()) return Status::Ok();  // no job's chunk: nobody waits for it
  auto partials = context.queues.GetQueueClient(chunk->partials_queue);
  if (!partials.ok()) return Status::Ok();
  const Status put = PutForever(*partials, FailureMarkerToJson(chunk->input.chunk.index, reason));
  return put.IsNotFound() ? Status::Ok() : put;
}

}  // namespace

std::unique_ptr<QueueStage> MakeAggregateStage(std::shared_ptr<const PipelineContext> context,
                                               const ChainedStageOptions& options) {
  auto handler = [context, options](const ReceivedMessage& message) {
    return HandleChunk(*context, options, message);
  };
  auto on_poison = [context](const ReceivedMessage& message, const std::string& reason) {
    return TellMergeChunkFailed(*context, message, reason);
  };
  return std::make_unique<QueueStage>(
      context->Queue(context->names.chain_chunks_queue),
      context->Queue(context->names.chain_poison_queue),
      StageOptions(options, "chain-aggregate", options.aggregate_concurrency), std::move(handler),
      std::move(on_poison));
}

}  // namespace fanfold::pipelines::chained
