// The merge stage: one message per job, re-posted (Defer) until every chunk is accounted for.
// It never waits inside its handler. When every chunk has a partial it writes the result blob
// once (If-None-Match: *; a merge that finds it already written uses that one): that is the
// commit point. Then it drops the job's partials queue and spill blobs, and last makes the job
// row's end write, so a Completed job has nothing left behind. A merge that finds the queue gone
// and the job still Running (its predecessor died after the commit) finishes from the result
// blob. When every chunk is accounted for but some only by failure markers, the job becomes
// Failed and the partials stay for `fanfold retry`.
#include <chrono>
#include <random>

#include "activities/merge_activity.hpp"
#include "pipelines/chained/chain_messages.hpp"
#include "pipelines/chained/chain_stages.hpp"
#include "pipelines/chained/chain_storage.hpp"
#include "pipelines/chained/merge_partials.hpp"
#include "telemetry/log.hpp"

namespace fanfold::pipelines::chained {
namespace {

using queuestore::ReceivedMessage;
using storage::Result;
using storage::Status;

constexpr std::chrono::seconds kMergeRetryAfter{1};

void Log(const std::string& text) {
  telemetry::LogWarn("stage.error", {{"stage", "chain-merge"}, {"message", text}});
}

// Duplicate merge messages of one job would otherwise keep meeting in lockstep, each holding half
// of the partials; a random extra second parts them.
std::chrono::seconds PollDelay(const ChainedStageOptions& options) {
  thread_local std::mt19937 random(std::random_device{}());
  return options.merge_poll + std::chrono::seconds(random() % 2);
}

// After the commit: the partials and spill blobs are no longer needed. The queue goes first,
// so a late duplicate chunk either spilled before the listing below or finds no queue and
// deletes its own blob.
// Without a spilled partial in hand the listing is skipped (one request a job): a chunk's partial
// is the same however often the chunk runs, so its duplicates spill exactly when it does (short
// of a partial within a few bytes of the limit, whose timing field can tip it: that leaves one
// unreferenced blob in the spill container, never a wrong result).
void DropJobState(const PipelineContext& context, const queuestore::QueueClient& partials,
                  const std::string& job, bool any_spilled) {
  const Status deleted = partials.Delete();
  if (!deleted.ok() && !deleted.IsNotFound()) {
    Log("could not delete " + partials.name() + ": " + deleted.ToString());
  }
  if (!any_spilled) return;
  const auto spill = context.blobs.GetContainerClient(context.names.chain_spill_container);
  storage::ListBlobsOptions list;
  list.prefix = SpillBlobPrefix(job);
  auto blobs = spill.ListAllBlobs(list);
  if (!blobs.ok()) {
    Log("could not list the spill blobs of " + job + ": " + blobs.status().ToString());
    return;
  }
  for (const auto& item : *blobs) {
    auto dropped = spill.GetBlobClient(item.name).DeleteIfExists();
    if (!dropped.ok()) Log("could not delete spill blob " + item.name);
  }
}

// Not every chunk is in: wait, unless the job is over. A merge message can outlive its job (a
// duplicate whose twin finished it, or one of a job that failed) and must then go away instead of
// polling forever. With the queue gone and the job not finished, a merger died between its
// commit and the end write: finish from the result blob.
MessageOutcome WaitOrDrop(const PipelineContext& context, const ChainedStageOptions& options,
                          const MergeMessage& merge, const queuestore::QueueClient& partials,
                          bool queue_gone) {
  auto row = context.jobs.GetJob(merge.job);
  if (!row.ok()) {
    if (row.status().IsNotFound()) return MessageOutcome::Done();  // the job was deleted
    return MessageOutcome::Retry("reading job " + merge.job + ": " + row.status().ToString(),
                                 kMergeRetryAfter);
  }
  if (IsFinished(row->state)) {
    // A Completed job whose partials queue is still there: a duplicate (a second start, or a
    // merge_inline job's fallback racing its own redelivery) made it after the end. Nothing
    // will read it. A Failed job's partials stay for `fanfold retry`.
    if (row->state == JobState::kCompleted && !queue_gone) {
      DropJobState(context, partials, merge.job, true);
    }
    return MessageOutcome::Done();
  }
  if (queue_gone) {
    auto result = context.blobs.GetContainerClient(context.names.chain_results_container)
                      .GetBlobClient(ResultBlobName(merge.job))
                      .DownloadToString();
    if (result.ok()) {
      const Status ended = WriteJobCompleted(context, merge.job, merge.chunks, result->data);
      if (!ended.ok()) {
        return MessageOutcome::Retry("merge of " + merge.job + ": " + ended.ToString(),
                                     kMergeRetryAfter);
      }
      return MessageOutcome::Done();
    }
    if (!result.status().IsNotFound()) {
      return MessageOutcome::Retry("merge of " + merge.job + ": " + result.status().ToString(),
                                   kMergeRetryAfter);
    }
  }
  return MessageOutcome::Defer(PollDelay(options));
}

MessageOutcome Complete(const PipelineContext& context, const MergeMessage& merge,
                        const PartialsInHand& hand, const queuestore::QueueClient& partials) {
  const auto give_back_and_retry = [&](const std::string& why) {
    (void)hand.GiveBack(false);
    return MessageOutcome::Retry("merge of " + merge.job + ": " + why, kMergeRetryAfter);
  };
  auto outputs =
      hand.Outputs(context.blobs.GetContainerClient(context.names.chain_spill_container));
  if (!outputs.ok()) return give_back_and_retry(outputs.status().ToString());
  activities::MergeInput input;
  input.chunk_count = merge.chunks;
  input.partials = std::move(outputs).value();
  const auto merge_start = std::chrono::steady_clock::now();
  auto merged = activities::MergeChunkPartials(input);
  if (!merged.ok()) {
    // Two different partials of one chunk, or partials read as different formats: no retry
    // makes that right, and the user must hear of it.
    const Status failed = MarkJobFailed(context, merge.job, "merge: " + merged.status().ToString());
    if (!failed.ok()) return give_back_and_retry(failed.ToString());
    (void)hand.GiveBack(false);
    return MessageOutcome::Done();
  }

  auto result = WriteResultOnce(context, merge.job, activities::MergeOutputToJson(*merged));
  if (!result.ok()) return give_back_and_retry("writing the result: " + result.status().ToString());
  auto stored = activities::MergeOutputFromJson(*result);
  if (!stored.ok()) return give_back_and_retry("the result blob: " + stored.status().ToString());
  telemetry::LogInfo("job.merged",
                     {{"job", merge.job},
                      {"pipeline", "chained"},
                      {"chunks", merge.chunks},
                      {"duration_ms", std::chrono::duration<double, std::milli>(
                                          std::chrono::steady_clock::now() - merge_start)
                                          .count()}});
  DropJobState(context, partials, merge.job, hand.AnySpilled());
  const Status ended = WriteJobCompleted(context, merge.job, merge.chunks, *result);
  if (!ended.ok()) {
    // The queue is gone: the next delivery finishes from the result blob.
    return MessageOutcome::Retry("merge of " + merge.job + ": " + ended.ToString(),
                                 kMergeRetryAfter);
  }
  return MessageOutcome::Done();
}

MessageOutcome Fail(const PipelineContext& context, const MergeMessage& merge,
                    const PartialsInHand& hand, const queuestore::QueueClient& partials) {
  const std::vector<std::uint32_t> failed = hand.FailedChunks();
  std::string list;
  for (const std::uint32_t chunk : failed)
    list += (list.empty() ? "" : ", ") + std::to_string(chunk);
  const std::string error = (failed.size() == 1 ? "chunk " : "chunks ") + list +
                            " failed all their attempts (`fanfold retry " + merge.job +
                            "` re-runs only them): " + hand.FailureText();
  JobFailure failure;
  failure.reason = error;
  failure.tally = ChunkTally{merge.chunks - static_cast<std::int64_t>(failed.size()), failed, 0, 0};
  auto ended = context.jobs.Fail(merge.job, failure);
  if (!ended.ok() && !ended.status().IsNotFound()) {
    (void)hand.GiveBack(false);
    return MessageOutcome::Retry(
        "merge of " + merge.job + ": the job row: " + ended.status().ToString(), kMergeRetryAfter);
  }
  if (ended.ok() && ended->row.state == JobState::kCompleted) {
    // A duplicate of the job completed it meanwhile (a merge_inline job's fallback racing its
    // own redelivery): these partials are nobody's.
    DropJobState(context, partials, merge.job, true);
    return MessageOutcome::Done();
  }
  // The markers have told their story (the row lists the chunks); the partials stay for retry.
  const Status given_back = hand.GiveBack(true);
  if (!given_back.ok())
    Log("job " + merge.job + ": handing back partials: " + given_back.ToString());
  return MessageOutcome::Done();
}

MessageOutcome HandleMerge(const PipelineContext& context, const ChainedStageOptions& options,
                           const ReceivedMessage& message) {
  auto merge = MergeMessageFromJson(message.content);
  if (!merge.ok()) return MessageOutcome::Poison(merge.status().ToString());
  auto partials = context.queues.GetQueueClient(merge->partials_queue);
  if (!partials.ok()) return MessageOutcome::Poison(partials.status().ToString());

  // The count is cheap and approximate (it includes duplicates and messages others hold), so it
  // only says when receiving everything is worth trying.
  auto properties = partials->GetProperties();
  if (!properties.ok()) {
    if (properties.status().IsNotFound()) {
      return WaitOrDrop(context, options, *merge, *partials, true);
    }
    return MessageOutcome::Retry("merge of " + merge->job + ": " + properties.status().ToString(),
                                 kMergeRetryAfter);
  }
  // Every chunk message answers in at least one partials message (chunk_groups.hpp).
  if (properties->approximate_message_count < merge->ExpectedMessages()) {
    return WaitOrDrop(context, options, *merge, *partials, false);
  }

  auto hand = PartialsInHand::Receive(*partials, context.Queue(context.names.chain_poison_queue),
                                      merge->chunks, options.merge_hold_timeout);
  if (!hand.ok()) {
    return MessageOutcome::Retry("merge of " + merge->job + ": " + hand.status().ToString(),
                                 kMergeRetryAfter);
  }
  if (!hand->AllAccounted()) {
    // Some chunk is still running, or another merger of this job holds it: hand everything back
    // so that merger (or this one, later) can have it all.
    const Status given_back = hand->GiveBack(false);
    if (!given_back.ok()) Log("job " + merge->job + ": handing back: " + given_back.ToString());
    return WaitOrDrop(context, options, *merge, *partials, false);
  }
  if (!hand->FailedChunks().empty()) return Fail(context, *merge, *hand, *partials);
  return Complete(context, *merge, *hand, *partials);
}

}  // namespace

std::unique_ptr<QueueStage> MakeMergeStage(std::shared_ptr<const PipelineContext> context,
                                           const ChainedStageOptions& options) {
  auto handler = [context, options](const ReceivedMessage& message) {
    return HandleMerge(*context, options, message);
  };
  // A merge that never gets through would leave the job Running forever; Failed lets a user see
  // it and `fanfold retry` start a fresh merge.
  auto on_poison = [context](const ReceivedMessage& message, const std::string& reason) {
    auto merge = MergeMessageFromJson(message.content);
    if (!merge.ok()) return Status::Ok();
    return MarkJobFailed(*context, merge->job, "merge: " + reason);
  };
  return std::make_unique<QueueStage>(
      context->Queue(context->names.chain_merge_queue),
      context->Queue(context->names.chain_poison_queue),
      StageOptions(options, "chain-merge", options.merge_concurrency), std::move(handler),
      std::move(on_poison));
}

}  // namespace fanfold::pipelines::chained
