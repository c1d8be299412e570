// The split stage: plans the job and fans it out in chunk messages of up to 16 chunks each
// (chunk_groups.hpp), then puts the job's merge message, which says how many chunk messages there
// are. A job that fits in one message has no merge message: its aggregate merges it. A redelivered
// split message does it all again; the duplicates that makes are harmless (the merge takes each
// chunk once), so nothing here needs to remember what it did.
#include "activities/aggregate_activity.hpp"
#include "activities/partition_activity.hpp"
#include "pipelines/chained/chain_messages.hpp"
#include "pipelines/chained/chain_stages.hpp"
#include "pipelines/chained/chain_storage.hpp"
#include "pipelines/chained/chunk_groups.hpp"
#include "telemetry/log.hpp"

namespace fanfold::pipelines::chained {
namespace {

using queuestore::ReceivedMessage;
using storage::Status;

constexpr std::chrono::seconds kSplitRetryAfter{2};

// The upload is the user's to fix: retrying cannot help.
bool IsFinalPartitionError(const Status& status) {
  return status.IsInvalidArgument() || status.IsNotFound() || status.IsPreconditionFailed();
}

MessageOutcome HandleSplit(const PipelineContext& context, const ChainedStageOptions& options,
                           const ReceivedMessage& message) {
  auto spec = JobSpecFromJson(message.content);
  if (!spec.ok()) return MessageOutcome::Poison(spec.status().ToString());

  // A split redelivered after its job completed would run the whole job again for nothing.
  auto row = context.jobs.GetJob(spec->job);
  if (!row.ok()) {
    if (row.status().IsNotFound()) {
      return MessageOutcome::Poison("job " + spec->job +
                                    " has no row in the Jobs table (the trigger writes it first)");
    }
    return MessageOutcome::Retry("reading job " + spec->job + ": " + row.status().ToString(),
                                 kSplitRetryAfter);
  }
  if (row->state == JobState::kCompleted || row->state == JobState::kRefused) {
    return MessageOutcome::Done();
  }

  const auto plan_start = std::chrono::steady_clock::now();
  auto plan = PlanJob(context.blobs, *spec);
  if (!plan.ok()) {
    if (!IsFinalPartitionError(plan.status())) {
      return MessageOutcome::Retry("split of " + spec->job + ": " + plan.status().ToString(),
                                   kSplitRetryAfter);
    }
    const Status failed = MarkJobFailed(context, spec->job, "split: " + plan.status().ToString());
    if (!failed.ok()) {
      return MessageOutcome::Retry(
          "recording the failed split of " + spec->job + ": " + failed.ToString(),
          kSplitRetryAfter);
    }
    return MessageOutcome::Done();
  }
  activities::AggregateOptions aggregate;
  aggregate.max_line_bytes = plan->max_line_bytes;
  auto inputs = activities::MakeAggregateInputs(*plan, aggregate);
  if (!inputs.ok()) return MessageOutcome::Poison(inputs.status().ToString());

  const std::string partials_name = PartialsQueueName(context.names, spec->job);
  const auto chunks = static_cast<std::uint32_t>(inputs->size());
  const std::uint64_t file_bytes = plan->size;
  PackedChunks packed =
      PackChunkMessages({spec->job, partials_name, chunks, spec->max_attempts, {}},
                        std::move(inputs).value(), {options.min_message_bytes, true});
  // The queue comes before the chunk messages, so no aggregate ever finds it missing. A job that
  // merges inline has none (its one message falls back to making it if it fails for good).
  if (!packed.merge_inline) {
    auto created = context.Queue(partials_name).Create();
    if (!created.ok()) {
      // 409 QueueBeingDeleted: a finished run's queue is still going away. It passes.
      return MessageOutcome::Retry("creating " + partials_name + ": " + created.status().ToString(),
                                   kSplitRetryAfter);
    }
  }
  // The trigger logged job.planned when it probed the upload; this line is the split's own.
  telemetry::LogInfo(
      "job.split",
      {{"job", spec->job},
       {"pipeline", "chained"},
       {"chunks", chunks},
       {"chunks_per_message", ChunksPerMessage(chunks, file_bytes, options.min_message_bytes)},
       {"messages", packed.messages.size()},
       {"merge_inline", packed.merge_inline},
       {"duration_ms",
        std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - plan_start)
            .count()}});
  const auto chunks_queue = context.Queue(context.names.chain_chunks_queue);
  for (const std::string& message_text : packed.messages) {
    const Status put = PutForever(chunks_queue, message_text);
    if (!put.ok()) {
      return MessageOutcome::Retry("fanning out " + spec->job + ": " + put.ToString(),
                                   kSplitRetryAfter);
    }
  }
  if (packed.merge_inline) return MessageOutcome::Done();
  const MergeMessage merge_message{spec->job, chunks, partials_name,
                                   static_cast<std::uint32_t>(packed.messages.size())};
  const Status merge = PutForever(context.Queue(context.names.chain_merge_queue),
                                  MergeMessageToJson(merge_message), options.merge_first_delay);
  if (!merge.ok()) {
    return MessageOutcome::Retry("starting the merge of " + spec->job + ": " + merge.ToString(),
                                 kSplitRetryAfter);
  }
  return MessageOutcome::Done();
}

}  // namespace

std::unique_ptr<QueueStage> MakeSplitStage(std::shared_ptr<const PipelineContext> context,
                                           const ChainedStageOptions& options) {
  auto handler = [context, options](const ReceivedMessage& message) {
    return HandleSplit(*context, options, message);
  };
  // A split that never gets through (a worker dies on it every time) ends the job: nobody else
  // would ever tell the job row.
  auto on_poison = [context](const ReceivedMessage& message, const std::string& reason) {
    auto spec = JobSpecFromJson(message.content);
    if (!spec.ok()) return Status::Ok();
    return MarkJobFailed(*context, spec->job, "split: " + reason);
  };
  return std::make_unique<QueueStage>(
      context->Queue(context->names.chain_split_queue),
      context->Queue(context->names.chain_poison_queue),
      StageOptions(options, "chain-split", options.split_concurrency), std::move(handler),
      std::move(on_poison));
}

}  // namespace fanfold::pipelines::chained
