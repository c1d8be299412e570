#include "pipelines/trigger.hpp"

#include <iostream>

#include "activities/partition_activity.hpp"
#include "pipelines/job_id.hpp"
#include "pipelines/upload_metadata.hpp"

namespace fanfold::pipelines {
namespace {

using storage::Result;
using storage::Status;

// A refusal is the file's fault (the user must act), not storage's.
bool IsRefusal(const Status& status) {
  return status.code() == storage::StatusCode::kInvalidArgument;
}

}  // namespace

const char* TriggerActionName(TriggerAction action) {
  switch (action) {
    case TriggerAction::kStarted:
      return "started";
    case TriggerAction::kDuplicate:
      return "duplicate";
    case TriggerAction::kRedispatched:
      return "redispatched";
    case TriggerAction::kRefused:
      return "refused";
    case TriggerAction::kSuperseded:
      return "superseded";
  }
  return "unknown";
}

Trigger::Trigger(std::shared_ptr<const PipelineContext> context, TriggerOptions options,
                 std::map<PipelineKind, JobDispatcher> dispatchers)
    : context_(std::move(context)), options_(options), dispatchers_(std::move(dispatchers)) {}

Result<TriggerResult> Trigger::Refuse(JobRow row, const std::string& reason) const {
  row.state = JobState::kRefused;
  row.error = reason;
  row.finished = row.created;
  auto inserted = context_->jobs.InsertJob(row);
  if (!inserted.ok()) return inserted.status();
  return TriggerResult{TriggerAction::kRefused, row.job, reason};
}

Result<TriggerResult> Trigger::Dispatch(const JobSpec& spec, TriggerAction action) const {
  const auto dispatcher = dispatchers_.find(spec.pipeline);
  if (dispatcher == dispatchers_.end()) {
    return Status::InvalidArgument(std::string("this worker cannot start ") +
                                   PipelineKindName(spec.pipeline) + " jobs");
  }
  FANFOLD_RETURN_IF_ERROR(dispatcher->second(spec));
  auto running = context_->jobs.UpdateJob(spec.job, [](JobRow& row) {
    if (row.state != JobState::kQueued) return false;
    row.state = JobState::kRunning;
    row.started = NowForTable();
    return true;
  });
  if (!running.ok()) return running.status();
  return TriggerResult{action, spec.job, {}};
}

Result<TriggerResult> Trigger::HandleEvent(const BlobCreatedEvent& event) const {
  const auto blob = context_->blobs.GetContainerClient(event.container).GetBlobClient(event.blob);
  auto properties = blob.GetProperties();
  if (!properties.ok()) {
    if (properties.status().IsNotFound()) {
      return TriggerResult{TriggerAction::kSuperseded, {}, "the blob was deleted"};
    }
    return properties.status();
  }
  if (UnquotedETag(properties->etag) != UnquotedETag(event.etag)) {
    // Another upload replaced this one; its own event starts its job.
    return TriggerResult{TriggerAction::kSuperseded, {}, "the blob was replaced"};
  }

  JobSpec spec;
  spec.job = MakeJobId(event.container, event.blob, event.etag);
  spec.container = event.container;
  spec.blob = event.blob;
  spec.etag = QuotedETag(event.etag);
  spec.size = properties->size;
  spec.pipeline = options_.default_pipeline;
  spec.max_file_bytes = options_.max_file_bytes;
  spec.max_attempts = options_.max_attempts;

  auto existing = context_->jobs.GetJob(spec.job);
  if (existing.ok()) {
    if (existing->state != JobState::kQueued) {
      return TriggerResult{TriggerAction::kDuplicate, spec.job, {}};
    }
    auto stored = JobSpecFromJson(existing->spec);
    if (!stored.ok()) return stored.status();
    return Dispatch(*stored, TriggerAction::kRedispatched);
  }
  if (!existing.status().IsNotFound()) return existing.status();

  JobRow row;
  row.job = spec.job;
  row.container = spec.container;
  row.blob = spec.blob;
  row.blob_etag = spec.etag;
  row.size = static_cast<std::int64_t>(spec.size);
  row.created = NowForTable();

  auto upload = UploadOptionsFromMetadata(properties->metadata);
  if (!upload.ok()) {
    row.pipeline = PipelineKindName(spec.pipeline);
    row.spec = JobSpecToJson(spec);
    return Refuse(std::move(row), upload.status().message());
  }
  if (upload->pipeline) spec.pipeline = *upload->pipeline;
  spec.chunk_count = upload->chunk_count;
  spec.chunk_bytes = upload->chunk_bytes;
  spec.format = upload->format;
  row.pipeline = PipelineKindName(spec.pipeline);
  row.spec = JobSpecToJson(spec);

  auto plan = activities::PartitionBlob(context_->blobs, spec.ToPartitionInput());
  if (!plan.ok()) {
    if (plan.status().IsNotFound() || plan.status().IsPreconditionFailed()) {
      return TriggerResult{TriggerAction::kSuperseded, {}, "the blob changed while it was probed"};
    }
    if (IsRefusal(plan.status())) return Refuse(std::move(row), plan.status().message());
    return plan.status();
  }
  row.chunks_total = static_cast<std::int64_t>(plan->plan.chunks.size());
  row.state = JobState::kQueued;
  auto inserted = context_->jobs.InsertJob(row);
  if (!inserted.ok()) return inserted.status();
  if (!*inserted) {
    // A concurrent delivery of the same event inserted it first; that delivery dispatches.
    return TriggerResult{TriggerAction::kDuplicate, spec.job, {}};
  }
  return Dispatch(spec, TriggerAction::kStarted);
}

MessageOutcome Trigger::HandleMessage(const queuestore::ReceivedMessage& message) const {
  auto events = ParseBlobCreatedEvents(message.content);
  if (!events.ok()) return MessageOutcome::Poison(events.status().message());
  for (const BlobCreatedEvent& event : *events) {
    auto handled = HandleEvent(event);
    if (!handled.ok()) {
      return MessageOutcome::Retry(
          "event for " + event.container + "/" + event.blob + ": " + handled.status().ToString(),
          std::chrono::seconds(2));
    }
    std::cerr << "fanfold worker: trigger: " << event.container << "/" << event.blob << ": "
              << TriggerActionName(handled->action)
              << (handled->job.empty() ? "" : " job " + handled->job)
              << (handled->reason.empty() ? "" : " (" + handled->reason + ")") << "\n";
  }
  return MessageOutcome::Done();
}

std::unique_ptr<QueueStage> MakeTriggerStage(std::shared_ptr<const PipelineContext> context,
                                             std::shared_ptr<const Trigger> trigger,
                                             QueueStageOptions options) {
  if (options.name.empty()) options.name = "trigger";
  return std::make_unique<QueueStage>(context->Queue(context->names.events_queue),
                                      context->Queue(context->names.events_poison_queue),
                                      std::move(options),
                                      [trigger](const queuestore::ReceivedMessage& message) {
                                        return trigger->HandleMessage(message);
                                      });
}

}  // namespace fanfold::pipelines
