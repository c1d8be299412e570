// Every move of a job's life (the diagram is in job_lifecycle.hpp). Each move is a rule over the
// row as read: it says whether the move is legal from there and edits the row; JobsTable::Move
// writes it under If-Match and re-reads on a lost race, so the rule is decided again on what the
// winner wrote. The event of a move is logged only by the call whose write made it.
#include <nlohmann/json.hpp>

#include "pipelines/jobs_table.hpp"
#include "storage/utf8_text.hpp"
#include "telemetry/log.hpp"

namespace fanfold::pipelines {
namespace {

using storage::Result;

bool CanEnd(JobState state) {
  return state == JobState::kQueued || state == JobState::kRunning;
}

void WriteTally(JobRow& row, const ChunkTally& tally) {
  row.chunks_done = tally.done;
  row.chunks_failed = static_cast<std::int64_t>(tally.failed.size());
  row.failed_chunks = tally.failed;
  row.rows = tally.rows;
  row.rejected = tally.rejected;
}

}  // namespace

std::string ReasonForRow(std::string_view reason) {
  return storage::TruncateUtf8(reason, kMaxReasonBytes);
}

Result<JobTransition> JobsTable::Queue(JobRow row) const {
  row.state = JobState::kQueued;
  row.error.clear();
  if (!row.created) row.created = NowForTable();
  return Insert(std::move(row));
}

Result<JobTransition> JobsTable::Refuse(JobRow row, std::string_view reason) const {
  row.state = JobState::kRefused;
  row.error = ReasonForRow(reason);
  if (!row.created) row.created = NowForTable();
  row.finished = row.created;
  auto refused = Insert(std::move(row));
  if (refused.ok() && refused->moved) {
    nlohmann::json fields = refused->row.EndLogFields();
    fields["reason"] = refused->row.error;
    telemetry::LogWarn("job.refused", fields);
  }
  return refused;
}

Result<JobTransition> JobsTable::NoteWaiting(const std::string& job, std::string_view note) const {
  const std::string text = ReasonForRow(note);
  return Move(job, [&](JobRow& row) {
    if (row.state != JobState::kQueued || row.error == text) return false;
    row.error = text;
    return true;
  });
}

Result<JobTransition> JobsTable::Start(const std::string& job, std::string_view action) const {
  auto started = Move(job, [](JobRow& row) {
    if (row.started) return false;  // announced already
    if (row.state == JobState::kQueued) {
      row.state = JobState::kRunning;
      row.error.clear();  // a Queued row's note (waiting for a slot) no longer applies
    } else if (row.state != JobState::kCompleted && row.state != JobState::kFailed) {
      return false;  // Refused, or Running by another writer: nothing to start
    }
    row.started = NowForTable();
    return true;
  });
  if (started.ok() && started->moved) {
    const JobRow& row = started->row;
    nlohmann::json fields = {{"job", row.job},
                             {"blob", row.File()},
                             {"pipeline", row.pipeline},
                             {"bytes", row.size},
                             {"action", std::string(action)}};
    if (row.chunks_total > 0) fields["chunks"] = row.chunks_total;
    telemetry::LogInfo("job.accepted", fields);
  }
  return started;
}

Result<JobTransition> JobsTable::Fail(const std::string& job, const JobFailure& failure) const {
  const std::string reason = ReasonForRow(failure.reason);
  auto failed = Move(job, [&](JobRow& row) {
    if (!CanEnd(row.state)) return false;
    if (failure.before_start && row.state != JobState::kQueued) return false;
    if (failure.happened && row.revived && *failure.happened < *row.revived) return false;
    row.state = JobState::kFailed;
    row.error = reason;
    row.finished = NowForTable();
    if (failure.tally) WriteTally(row, *failure.tally);
    return true;
  });
  if (failed.ok() && failed->moved) {
    nlohmann::json fields = failed->row.EndLogFields();
    fields["failed_chunks"] = failed->row.failed_chunks;
    fields["error"] = reason;
    telemetry::LogError("job.failed", fields);
  }
  return failed;
}

Result<JobTransition> JobsTable::Complete(const std::string& job,
                                          const JobCompletion& completion) const {
  auto completed = Move(job, [&](JobRow& row) {
    if (!CanEnd(row.state)) return false;
    row.state = JobState::kCompleted;
    row.result = completion.result;
    WriteTally(row, completion.tally);
    row.error.clear();
    row.finished = NowForTable();
    return true;
  });
  if (completed.ok() && completed->moved) {
    nlohmann::json fields = completed->row.EndLogFields();
    fields["chunks"] = completed->row.chunks_done;
    fields["rows"] = completed->row.rows;
    telemetry::LogInfo("job.completed", fields);
  }
  return completed;
}

Result<JobTransition> JobsTable::Revive(const std::string& job, std::string_view why,
                                        const std::string& expected_etag) const {
  auto revived = Move(job, [&](JobRow& row) {
    if (row.state != JobState::kFailed || row.etag != expected_etag) return false;
    row.state = JobState::kRunning;
    row.chunks_failed = 0;
    row.failed_chunks.clear();
    row.error.clear();
    row.finished.reset();
    row.revived = NowForTable();
    return true;
  });
  if (revived.ok() && revived->moved) {
    telemetry::LogInfo("job.revived", {{"job", job},
                                       {"pipeline", revived->row.pipeline},
                                       {"file", revived->row.File()},
                                       {"why", std::string(why)}});
  }
  return revived;
}

}  // namespace fanfold::pipelines
