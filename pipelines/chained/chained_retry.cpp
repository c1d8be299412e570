// `fanfold retry` of a chained job: re-run only what failed. The failed chunks' messages wait in
// the poison queue (inside envelopes naming the queue they came from); they go back to the chunks
// queue as new messages, with a fresh attempt budget. A poisoned message is a group of chunks
// (chunk_groups.hpp) of which some may have succeeded on its last attempt: only the chunks the
// job row lists as failed go back (all of them when the row lists none, as when the job failed
// for another reason: a chunk run twice is harmless, one never run would hang the merge).
// Everything the failed run finished stays where the merge left it, in the job's partials queue.
//
// Order: messages back first, then the job row, then a fresh merge message. A crash after the
// first step leaves the job Failed, so the retry can simply be run again (nothing is left in the
// poison queue to move twice); a merge never starts before the row says Running. The row moves to
// Running only if nothing wrote it since the retry read it: a restarted split that failed again
// meanwhile has rewritten it, and must not be hidden behind a Running job that nothing runs.
#include <algorithm>
#include <set>

#include "activities/aggregate_activity.hpp"
#include "activities/partition_activity.hpp"
#include "pipelines/chained/chain_messages.hpp"
#include "pipelines/chained/chain_storage.hpp"
#include "pipelines/chained/chained_pipeline.hpp"
#include "pipelines/chained/chunk_groups.hpp"
#include "queuestore/queue_options.hpp"

namespace fanfold::pipelines::chained {
namespace {

using storage::Result;
using storage::Status;

struct Held {
  std::string id;
  std::string receipt;
};

// What the scan of the poison queue did for one job.
struct Moved {
  std::set<std::uint32_t> chunks;
  bool split = false;
};

// One poisoned message: back to its queue when it is this job's, else left for someone else.
// Returns whether the message was this job's (and has been dealt with).
Result<bool> MoveBackIfOurs(const PipelineContext& context, const std::string& job,
                            const std::set<std::uint32_t>& failed,
                            const queuestore::PoisonedMessage& poisoned, Moved& moved) {
  const PipelineNames& names = context.names;
  if (poisoned.truncated) return false;  // only a prefix was kept: it cannot go back as it was
  if (poisoned.from == names.chain_chunks_queue) {
    auto group = ChunkMessageFromJson(poisoned.content);
    if (!group.ok() || group->job != job) return false;
    const std::size_t before = group->inputs.size();
    if (!failed.empty()) {
      std::erase_if(group->inputs, [&](const activities::AggregateInput& input) {
        return failed.count(input.chunk.index) == 0;
      });
    }
    if (group->inputs.empty()) return true;  // every chunk of it has its partial: nothing to do
    // A merge_inline job fell back to the merge stage when it failed (aggregate_stage.cpp): its
    // chunks now report to the partials queue like any other job's.
    const bool unchanged = group->inputs.size() == before && !group->merge_inline;
    group->merge_inline = false;
    FANFOLD_RETURN_IF_ERROR(PutForever(context.Queue(names.chain_chunks_queue),
                                       unchanged ? poisoned.content : ChunkMessageToJson(*group)));
    for (const auto& input : group->inputs)
      moved.chunks.insert(input.chunk.index);
    return true;
  }
  if (poisoned.from == names.chain_split_queue) {
    auto spec = JobSpecFromJson(poisoned.content);
    if (!spec.ok() || spec->job != job) return false;
    FANFOLD_RETURN_IF_ERROR(PutForever(context.Queue(names.chain_split_queue), poisoned.content));
    moved.split = true;
    return true;
  }
  if (poisoned.from == names.chain_merge_queue) {
    // Dropped: the retry puts a fresh merge message of its own.
    auto merge = MergeMessageFromJson(poisoned.content);
    return merge.ok() && merge->job == job;
  }
  return false;
}

// Receives the whole poison queue (every message hidden meanwhile, so the loop ends), moves this
// job's messages back and hands the others back.
Result<Moved> MovePoisonedBack(const PipelineContext& context, const std::string& job,
                               const std::set<std::uint32_t>& failed) {
  const auto poison = context.Queue(context.names.chain_poison_queue);
  Moved moved;
  std::vector<Held> others;
  Status failure;
  queuestore::GetMessagesOptions get;
  get.max_messages = queuestore::kMaxMessagesPerRequest;
  get.visibility_timeout = std::chrono::seconds(60);
  while (failure.ok()) {
    auto batch = poison.GetMessages(get);
    if (!batch.ok()) {
      failure = batch.status();
      break;
    }
    if (batch->empty()) break;
    for (const auto& message : *batch) {
      if (!failure.ok()) {  // stop moving; what is left goes back as it was
        others.push_back({message.message_id, message.pop_receipt});
        continue;
      }
      auto poisoned = queuestore::ParsePoisonEnvelope(message.content);
      auto ours = poisoned.ok() ? MoveBackIfOurs(context, job, failed, *poisoned, moved)
                                : Result<bool>(false);
      if (!ours.ok()) {
        failure = ours.status();
        others.push_back({message.message_id, message.pop_receipt});
        continue;
      }
      if (!*ours) {
        others.push_back({message.message_id, message.pop_receipt});
        continue;
      }
      // Moved before deleted: a crash in between leaves a duplicate, never a loss.
      (void)poison.DeleteMessage(message.message_id, message.pop_receipt);
    }
  }
  for (const Held& held : others) {
    (void)poison.UpdateMessage(held.id, held.receipt, std::chrono::seconds(0));
  }
  if (!failure.ok()) return failure;
  return moved;
}

// Chunks the row lists as failed but whose messages were not in the poison queue (the poison
// hook tells the merge before the message reaches the poison queue, so a quick retry can beat
// it): made again from the job's plan, which is the same plan for the same upload version.
Status RemakeChunks(const PipelineContext& context, const JobSpec& spec, std::uint32_t chunks,
                    const std::vector<std::uint32_t>& missing) {
  auto plan = activities::PartitionBlob(context.blobs, spec.ToPartitionInput());
  if (!plan.ok()) return plan.status();
  activities::AggregateOptions aggregate;
  aggregate.max_line_bytes = plan->max_line_bytes;
  auto inputs = activities::MakeAggregateInputs(*plan, aggregate);
  if (!inputs.ok()) return inputs.status();
  if (inputs->size() != chunks) {
    return Status::Corruption("job " + spec.job + " now plans " + std::to_string(inputs->size()) +
                              " chunks, not " + std::to_string(chunks));
  }
  std::vector<activities::AggregateInput> remade;
  for (const std::uint32_t index : missing)
    remade.push_back((*inputs)[index]);
  const auto queue = context.Queue(context.names.chain_chunks_queue);
  const ChunkMessage header{
      spec.job, PartialsQueueName(context.names, spec.job), chunks, spec.max_attempts, {}};
  for (const std::string& message :
       PackChunkMessages(header, std::move(remade), ChunkPacking{}).messages) {
    FANFOLD_RETURN_IF_ERROR(PutForever(queue, message));
  }
  return Status::Ok();
}

}  // namespace

Result<ChainedRetryReport> RetryChainedJob(const PipelineContext& context, const std::string& job) {
  auto row = context.jobs.GetJob(job);
  if (!row.ok()) {
    if (row.status().IsNotFound()) return Status::InvalidArgument("there is no job " + job);
    return row.status();
  }
  if (row->pipeline != PipelineKindName(PipelineKind::kChained)) {
    return Status::InvalidArgument("job " + job + " runs on the " + row->pipeline +
                                   " pipeline, not the chained one");
  }
  if (row->state != JobState::kFailed) {
    return Status::InvalidArgument("job " + job + " is " + JobStateName(row->state) +
                                   ": only a Failed job can be retried");
  }
  auto spec = JobSpecFromJson(row->spec);
  if (!spec.ok()) return spec.status();
  const auto chunks = static_cast<std::uint32_t>(row->chunks_total);
  const std::string partials_name = PartialsQueueName(context.names, job);

  const std::set<std::uint32_t> failed(row->failed_chunks.begin(), row->failed_chunks.end());
  auto moved = MovePoisonedBack(context, job, failed);
  if (!moved.ok()) return moved.status();
  ChainedRetryReport report;
  report.chunks_moved.assign(moved->chunks.begin(), moved->chunks.end());
  report.split_restarted = moved->split;

  std::vector<std::uint32_t> missing;
  for (const std::uint32_t index : row->failed_chunks) {
    if (index < chunks && moved->chunks.count(index) == 0) missing.push_back(index);
  }
  if (!missing.empty() && !report.split_restarted) {
    FANFOLD_RETURN_IF_ERROR(RemakeChunks(context, *spec, chunks, missing));
    report.chunks_remade = missing;
  }
  // No partials queue: the split never got as far as the fan-out (it was refused or given up
  // on), or a merge_inline job failed in its merge (it keeps nothing), so the split runs again;
  // a split that fails again fails the job again.
  if (!report.split_restarted) {
    auto properties = context.Queue(partials_name).GetProperties();
    if (!properties.ok() && !properties.status().IsNotFound()) return properties.status();
    if (!properties.ok()) {
      FANFOLD_RETURN_IF_ERROR(
          PutForever(context.Queue(context.names.chain_split_queue), JobSpecToJson(*spec)));
      report.split_restarted = true;
    }
  }

  auto revived = context.jobs.Revive(job, "fanfold retry", row->etag);
  if (!revived.ok()) return revived.status();
  const JobRow* running = &revived->row;
  if (running->state == JobState::kCompleted) return report;  // a late merge finished it
  if (running->state != JobState::kRunning) {
    return Status::Aborted("job " + job + " changed while it was being retried (it is " +
                           JobStateName(running->state) + ": " + running->error +
                           "); what was moved back is in place, run the retry again");
  }
  // A restarted split puts its own merge message when it has fanned out. How many partials
  // messages there will be is not known here (some groups' partials are kept, some chunks come
  // back in new groups), but no message covers more than kMaxChunksPerMessage chunks, so there
  // will be at least MinChunkMessages: the merge waits for that many.
  if (!report.split_restarted) {
    const MergeMessage merge{job, chunks, partials_name, MinChunkMessages(chunks)};
    FANFOLD_RETURN_IF_ERROR(
        PutForever(context.Queue(context.names.chain_merge_queue), MergeMessageToJson(merge)));
  }
  return report;
}

}  // namespace fanfold::pipelines::chained
