#include "pipelines/trigger.hpp"

#include <chrono>
#include <nlohmann/json.hpp>

#include "activities/partition_activity.hpp"
#include "pipelines/job_id.hpp"
#include "pipelines/tenant_slots.hpp"
#include "pipelines/tenant_usage.hpp"
#include "pipelines/upload_metadata.hpp"
#include "telemetry/log.hpp"

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
    case TriggerAction::kWaiting:
      return "waiting";
    case TriggerAction::kForeign:
      return "foreign-container";
  }
  return "unknown";
}

Trigger::Trigger(std::shared_ptr<const PipelineContext> context, TriggerOptions options,
                 std::map<PipelineKind, JobDispatcher> dispatchers)
    : context_(std::move(context)), options_(options), dispatchers_(std::move(dispatchers)) {}

Result<TriggerResult> Trigger::Refuse(JobRow row, const std::string& reason) const {
  auto refused = context_->jobs.Refuse(std::move(row), reason);
  if (!refused.ok()) return refused.status();
  return TriggerResult{TriggerAction::kRefused, refused->row.job, refused->row.error};
}

Result<TriggerResult> Trigger::Dispatch(const JobSpec& spec, TriggerAction action) const {
  const auto dispatcher = dispatchers_.find(spec.pipeline);
  if (dispatcher == dispatchers_.end()) {
    return Status::InvalidArgument(std::string("this worker cannot start ") +
                                   PipelineKindName(spec.pipeline) + " jobs");
  }
  FANFOLD_RETURN_IF_ERROR(dispatcher->second(spec));
  auto started = context_->jobs.Start(spec.job, TriggerActionName(action));
  if (!started.ok()) return started.status();
  return TriggerResult{action, spec.job, {}};
}

Result<std::string> Trigger::TenantRefusal(const JobRow& row, std::uint64_t size,
                                           activities::InputFormat format) const {
  if (options_.tenants == nullptr) return std::string();
  const TenantLookup lookup = FindTenant(*options_.tenants, row.tenant);
  if (!lookup.known) {
    return "tenant " + row.tenant +
           " is not in the tenants file: uploads must go to uploads/<tenant>/ of a listed tenant";
  }
  if (lookup.limits == nullptr) return std::string();
  const TenantLimits& limits = *lookup.limits;
  const std::string who = "tenant " + TenantLabel(row.tenant);
  if (limits.max_file_bytes && size > *limits.max_file_bytes) {
    return who + ": file is " + BytesText(size) + ", over its max_file_bytes of " +
           BytesText(*limits.max_file_bytes);
  }
  if (!limits.Allows(format)) {
    return who + ": file is in format " + std::string(activities::InputFormatName(format)) +
           ", not one of its formats (" + limits.FormatsText() + ")";
  }
  if (limits.max_stored_bytes) {
    // One paged listing of the tenant's prefix (5000 blobs a page); it includes this file.
    auto stored = TenantStoredBytes(*context_, row.tenant);
    if (!stored.ok()) return stored.status();
    if (*stored > *limits.max_stored_bytes) {
      return who + ": stored bytes with this file are " + BytesText(*stored) +
             ", over its max_stored_bytes of " + BytesText(*limits.max_stored_bytes);
    }
  }
  return std::string();
}

Result<std::optional<TriggerResult>> Trigger::TakeSlot(const JobRow& row) const {
  if (options_.tenants == nullptr) return std::optional<TriggerResult>();
  const std::string tenant = TenantOfBlob(row.blob);
  const TenantLookup lookup = FindTenant(*options_.tenants, tenant);
  if (lookup.limits == nullptr || !lookup.limits->max_concurrent_jobs) {
    return std::optional<TriggerResult>();
  }
  auto decision =
      TenantSlots(context_->jobs).Acquire(tenant, row.job, *lookup.limits->max_concurrent_jobs);
  if (!decision.ok()) return decision.status();
  if (decision->acquired) return std::optional<TriggerResult>();
  const std::string note = "waiting for a concurrency slot: " + TenantLabel(tenant) + " has " +
                           std::to_string(decision->running) + " of " +
                           std::to_string(decision->limit) + " jobs running";
  // Written once per change of the note, not at every deferred redelivery.
  if (row.error == note) {
    return std::optional<TriggerResult>(TriggerResult{TriggerAction::kWaiting, row.job, note});
  }
  auto noted = context_->jobs.NoteWaiting(row.job, note);
  if (!noted.ok()) return noted.status();
  return std::optional<TriggerResult>(TriggerResult{TriggerAction::kWaiting, row.job, note});
}

Result<TriggerResult> Trigger::HandleEvent(const BlobCreatedEvent& event) const {
  // Checked before any storage call: an event names a container of the account, and a job may
  // only ever read the upload container (the tenants' prefixes and limits live there).
  if (event.container != context_->names.uploads_container) {
    return TriggerResult{TriggerAction::kForeign, {}, "not the upload container"};
  }
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
    // Queued: a crash after the insert, or waiting for a slot. Taking the slot is idempotent.
    auto waiting = TakeSlot(*existing);
    if (!waiting.ok()) return waiting.status();
    if (*waiting) return **waiting;
    return Dispatch(*stored, TriggerAction::kRedispatched);
  }
  if (!existing.status().IsNotFound()) return existing.status();

  JobRow row;
  row.job = spec.job;
  row.container = spec.container;
  row.blob = spec.blob;
  row.blob_etag = spec.etag;
  // From the blob's name, never its metadata: the name is what a tenant's SAS can be scoped to.
  row.tenant = TenantOfBlob(spec.blob);
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

  const auto plan_start = std::chrono::steady_clock::now();
  auto plan = activities::PartitionBlob(context_->blobs, spec.ToPartitionInput());
  if (!plan.ok()) {
    if (plan.status().IsNotFound() || plan.status().IsPreconditionFailed()) {
      return TriggerResult{TriggerAction::kSuperseded, {}, "the blob changed while it was probed"};
    }
    if (IsRefusal(plan.status())) return Refuse(std::move(row), plan.status().message());
    return plan.status();
  }
  // The size is the service's (Get Blob Properties) and the format the probe's: whatever the
  // client claimed, these are the truth.
  auto refusal = TenantRefusal(row, properties->size, plan->format);
  if (!refusal.ok()) return refusal.status();
  if (!refusal->empty()) return Refuse(std::move(row), *refusal);
  row.chunks_total = static_cast<std::int64_t>(plan->plan.chunks.size());
  // The stages plan from this probe (PlanJob) instead of probing the blob again.
  spec.format = plan->format;
  spec.has_header = plan->has_header;
  row.spec = JobSpecToJson(spec);
  const double plan_ms =
      std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - plan_start)
          .count();
  auto queued = context_->jobs.Queue(row);
  if (!queued.ok()) return queued.status();
  if (!queued->moved) {
    // A concurrent delivery of the same event inserted it first; that delivery dispatches.
    return TriggerResult{TriggerAction::kDuplicate, spec.job, {}};
  }
  telemetry::LogInfo("job.planned", {{"job", spec.job},
                                     {"pipeline", PipelineKindName(spec.pipeline)},
                                     {"chunks", plan->plan.chunks.size()},
                                     {"duration_ms", plan_ms}});
  // The slot is taken after the insert, so only the delivery that created the row competes.
  auto waiting = TakeSlot(row);
  if (!waiting.ok()) return waiting.status();
  if (*waiting) return **waiting;
  return Dispatch(spec, TriggerAction::kStarted);
}

namespace {

// The job's moves log job.accepted (where its timeline starts) and job.refused; these say why
// no job started.
void LogTriggered(const BlobCreatedEvent& event, const TriggerResult& result) {
  nlohmann::json fields = {{"blob", event.container + "/" + event.blob},
                           {"action", TriggerActionName(result.action)}};
  if (!result.job.empty()) fields["job"] = result.job;
  if (!result.reason.empty()) fields["reason"] = result.reason;
  switch (result.action) {
    case TriggerAction::kStarted:
    case TriggerAction::kRedispatched:
    case TriggerAction::kRefused:
      return;
    case TriggerAction::kWaiting:
      fields["tenant"] = TenantLabel(TenantOfBlob(event.blob));
      telemetry::LogInfo("tenant.waiting", fields);
      return;
    case TriggerAction::kDuplicate:
    case TriggerAction::kSuperseded:
      telemetry::LogInfo("trigger.ignored", fields);
      return;
    case TriggerAction::kForeign:
      // A warning: a subscription wider than the upload container costs a dequeue per event.
      // The container is named; the event's URL is not logged (it may carry a SAS).
      fields["container"] = event.container;
      telemetry::LogWarn("trigger.ignored", fields);
      return;
  }
}

}  // namespace

MessageOutcome Trigger::HandleMessage(const queuestore::ReceivedMessage& message) const {
  auto events = ParseBlobCreatedEvents(message.content);
  if (!events.ok()) return MessageOutcome::Poison(events.status().message());
  bool waiting = false;
  for (const BlobCreatedEvent& event : *events) {
    auto handled = HandleEvent(event);
    if (!handled.ok()) {
      return MessageOutcome::Retry(
          "event for " + event.container + "/" + event.blob + ": " + handled.status().ToString(),
          std::chrono::seconds(2));
    }
    LogTriggered(event, *handled);
    waiting = waiting || handled->action == TriggerAction::kWaiting;
  }
  // Deferred, not retried: waiting for a slot is not a failure and must never poison the event.
  // Redelivered, the events already started are duplicates and start nothing.
  if (waiting) return MessageOutcome::Defer(options_.slot_wait);
  return MessageOutcome::Done();
}

Status Trigger::EndJobsOfPoisonedEvent(const queuestore::ReceivedMessage& message,
                                       const std::string& reason) const {
  auto events = ParseBlobCreatedEvents(message.content);
  if (!events.ok()) return Status::Ok();  // unreadable: it named no job
  for (const BlobCreatedEvent& event : *events) {
    if (event.container != context_->names.uploads_container) continue;  // it named no job
    const std::string job = MakeJobId(event.container, event.blob, event.etag);
    JobFailure failure;
    failure.reason = "the trigger gave up on its upload event (" + reason +
                     "); upload the file again once the cause is fixed";
    failure.before_start = true;
    auto failed = context_->jobs.Fail(job, failure);
    if (!failed.ok() && !failed.status().IsNotFound()) return failed.status();
  }
  return Status::Ok();
}

std::unique_ptr<QueueStage> MakeTriggerStage(std::shared_ptr<const PipelineContext> context,
                                             std::shared_ptr<const Trigger> trigger,
                                             QueueStageOptions options) {
  if (options.name.empty()) options.name = "trigger";
  return std::make_unique<QueueStage>(
      context->Queue(context->names.events_queue),
      context->Queue(context->names.events_poison_queue), std::move(options),
      [trigger](const queuestore::ReceivedMessage& message) {
        return trigger->HandleMessage(message);
      },
      [trigger](const queuestore::ReceivedMessage& message, const std::string& reason) {
        return trigger->EndJobsOfPoisonedEvent(message, reason);
      });
}

}  // namespace fanfold::pipelines
