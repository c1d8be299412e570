// A job's life: every change of a job row's state, and what each change tells the world, in one
// place (job_lifecycle.cpp). The legal moves:
//
//          Queue            Start              Complete
//   (none) -----> Queued ---------> Running ------------> Completed
//     |             |                 |  ^
//     | Refuse      | Complete, Fail  |  | Revive (`fanfold retry`)
//     v             v                 v  |
//   Refused     Completed, Failed    Failed
//
// Queued -> Completed/Failed: a pipeline may finish before its trigger records the start (the
// trigger starts the pipeline, then writes Running). Every other move is refused and changes
// nothing: a late or duplicated report (a redelivered message, a second worker) finds the row
// already moved and is answered `moved = false`.
//
// Each move is one read and one conditional write (If-Match, retried from the read when another
// writer got there first), and the caller whose write made the move, and only that caller, emits
// its event: job.accepted (Start), job.refused, job.failed, job.completed, job.revived. Those
// events are what the metrics count and what the webhook notifier sends, so each is sent once
// per move. A tenant's concurrency slot is released by the row reaching a finished state
// (pipelines/tenant_slots.hpp), so it too follows the move exactly.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "pipelines/job_rows.hpp"
#include "storage/result.hpp"
#include "tablestore/edm.hpp"

namespace fanfold::pipelines {

// What a move did: whether this call made it, and the row as written (or as found, when not).
struct JobTransition {
  bool moved = false;
  JobRow row;
};

// The chunk counts a pipeline knows at its fan-in (or at its end): written with the final state,
// so that a finished job's row tells its whole story without reading chunk rows.
struct ChunkTally {
  std::int64_t done = 0;
  std::vector<std::uint32_t> failed;  // ascending
  std::int64_t rows = 0;
  std::int64_t rejected = 0;
};

struct JobFailure {
  std::string reason;  // what happened and, where there is one, what to do next
  std::optional<ChunkTally> tally;
  // When the pipeline saw the failure happen. A failure from before the job's last revive (a
  // late or redelivered report of the run `fanfold retry` replaced) moves nothing.
  std::optional<tablestore::EdmDateTime> happened;
  // A failure of the job's start (the trigger gave up on its event): it ends only a job that is
  // still Queued; once its pipeline runs, the pipeline ends it.
  bool before_start = false;
};

struct JobCompletion {
  std::string result;  // MergeOutputToJson
  ChunkTally tally;
};

// How long a reason a job row keeps (bytes of UTF-8, never cutting a character): a reason is for
// a person; the whole story is in the logs and the chunk rows.
inline constexpr std::size_t kMaxReasonBytes = 1000;

// `reason` as valid UTF-8 (stray bytes become U+FFFD: the table refuses them), cut to
// kMaxReasonBytes at a character boundary (with "..." when cut).
std::string ReasonForRow(std::string_view reason);

}  // namespace fanfold::pipelines
