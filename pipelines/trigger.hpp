// The trigger stage, part of every worker: turns each BlobCreated event into exactly one job.
// Only blobs of the upload container are uploads: an Event Grid subscription may be scoped to the
// whole account, so events of other containers (results, spill blobs, anyone's) are ignored,
// logged (trigger.ignored, action foreign-container) and counted, and their message settled.
// The job id is derived from (container, blob, ETag), and the job row's insert is the dedup: a
// redelivered or duplicated event, or the same bytes uploaded again with the same ETag, finds
// the row and starts nothing; a changed blob has a new ETag, hence a new job.
//
// Per event: Get Blob Properties (pipeline options from metadata, the current ETag), the
// partition probe (size limit, text check, plan), with a tenants file the tenant's limits (size,
// format, stored bytes: one List Blobs), insert of the job row (Queued, or Refused with the
// reason), the tenant's concurrency slot (when all are taken the row stays Queued and the event
// is deferred), dispatch to the job's pipeline, and the row's move to Running. A crash anywhere
// leaves the event to be redelivered: a Queued row takes its slot again (idempotent) and is
// dispatched again (dispatch is idempotent).
#pragma once

#include <chrono>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>

#include "pipelines/blob_created_event.hpp"
#include "pipelines/job_spec.hpp"
#include "pipelines/pipeline_context.hpp"
#include "pipelines/queue_stage.hpp"
#include "pipelines/tenants.hpp"
#include "storage/result.hpp"

namespace fanfold::pipelines {

// Starts a job on its pipeline; must be idempotent (the trigger may call it twice for a job).
using JobDispatcher = std::function<storage::Status(const JobSpec&)>;

struct TriggerOptions {
  PipelineKind default_pipeline = PipelineKind::kOrchestrated;  // for blobs without metadata
  std::uint64_t max_file_bytes = activities::kDefaultMaxFileBytes;
  int max_attempts = 3;  // per chunk
  // Per-tenant limits (pipelines/tenants.hpp); null: none, every upload is accepted as before.
  std::shared_ptr<const TenantsConfig> tenants;
  // How long an event whose job waits for a tenant's concurrency slot is deferred each time.
  std::chrono::seconds slot_wait{5};
};

enum class TriggerAction {
  kStarted,       // a new job was accepted and dispatched
  kDuplicate,     // the job existed already (and was dispatched before)
  kRedispatched,  // the job existed but had not been dispatched: it is now
  kRefused,       // a job row records why the file was refused
  kSuperseded,    // the blob changed or vanished since the event: nothing to do
  kWaiting,       // the job row is Queued until its tenant has a free concurrency slot
  kForeign,       // the blob is not in the upload container: not an upload, nothing to do
};
const char* TriggerActionName(TriggerAction action);

struct TriggerResult {
  TriggerAction action = TriggerAction::kStarted;
  std::string job;     // empty for kSuperseded and kForeign
  std::string reason;  // kRefused, kSuperseded, kWaiting, kForeign
};

class Trigger {
 public:
  Trigger(std::shared_ptr<const PipelineContext> context, TriggerOptions options,
          std::map<PipelineKind, JobDispatcher> dispatchers);

  storage::Result<TriggerResult> HandleEvent(const BlobCreatedEvent& event) const;
  // The queue stage's handler: every event of the message, then Done; a transient storage error
  // retries the message; a message that is not an event is poisoned.
  MessageOutcome HandleMessage(const queuestore::ReceivedMessage& message) const;
  // The stage's poison hook: an event that goes to the poison queue must not leave the job it
  // queued waiting for ever, so each such job still Queued fails with the reason.
  storage::Status EndJobsOfPoisonedEvent(const queuestore::ReceivedMessage& message,
                                         const std::string& reason) const;

 private:
  storage::Result<TriggerResult> Refuse(JobRow row, const std::string& reason) const;
  // The tenant limits that can be checked before the job row exists: the tenant is known, and
  // the file's size, format and the tenant's stored bytes are within its limits. The refusal
  // reason, or empty.
  storage::Result<std::string> TenantRefusal(const JobRow& row, std::uint64_t size,
                                             activities::InputFormat format) const;
  // Takes the job's concurrency slot if its tenant has a limit. A kWaiting result (the job row
  // now says why) when every slot is held by a running job; nullopt when the job may start.
  storage::Result<std::optional<TriggerResult>> TakeSlot(const JobRow& row) const;
  // Starts the job's pipeline, then moves its row to Running (JobsTable::Start).
  storage::Result<TriggerResult> Dispatch(const JobSpec& spec, TriggerAction action) const;

  std::shared_ptr<const PipelineContext> context_;
  TriggerOptions options_;
  std::map<PipelineKind, JobDispatcher> dispatchers_;
};

// The queue stage that runs a Trigger over the events queue.
std::unique_ptr<QueueStage> MakeTriggerStage(std::shared_ptr<const PipelineContext> context,
                                             std::shared_ptr<const Trigger> trigger,
                                             QueueStageOptions options);

}  // namespace fanfold::pipelines
