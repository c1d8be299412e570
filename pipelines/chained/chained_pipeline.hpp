// Pipeline 2, queue-chained: split, aggregate and merge stages connected only by queues. The job
// row is written at start (by the trigger) and at the end (by merge) only.
//
//   chain-split ──split──► chain-chunks (≤ 16 chunks a message) ──aggregate──► partials queue
//                 └──────► chain-merge (one message per job) ──merge: every chunk in hand?──►
//                          chain-results/<job>.json (create-once) + the job row's end write
//
// Each job has its own partials queue (chain-p-<hash of the job id>), so the merge reads only its
// job's partials and can drop them all at once by deleting the queue. A partial too large for a
// message is spilled to chain-spill/<job>/chunk-00042.json and the message names the blob.
// Delivery is at least once everywhere: the merge keys partials by chunk index, takes duplicates
// once (and refuses two different partials for one chunk), and writes the result blob with
// If-None-Match: *, so redeliveries and duplicate starts change nothing.
#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "pipelines/chained/chunk_groups.hpp"
#include "pipelines/job_pipeline.hpp"
#include "pipelines/job_spec.hpp"
#include "pipelines/pipeline_context.hpp"
#include "pipelines/queue_stage.hpp"
#include "queuestore/queue_options.hpp"
#include "storage/result.hpp"

namespace fanfold::pipelines::chained {

// Starts a job: puts its spec (JobSpecToJson) on the split queue. Idempotent in effect: a second
// start makes duplicate chunk messages, whose partials the merge takes once.
storage::Status StartChainedJob(const PipelineContext& context, const JobSpec& spec);

struct ChainedStageOptions {
  int split_concurrency = 1;
  int aggregate_concurrency = 4;
  int merge_concurrency = 2;
  // Of every stage's messages while a handler runs (renewed at half); also how long a killed
  // worker's message stays hidden before another worker gets it.
  std::chrono::seconds visibility_timeout{60};
  // Deliveries of one message before it is poisoned (a worker crashed on it every time).
  int max_dequeue = 5;
  // Partial messages larger than this (raw bytes; the Queue client Base64-encodes them and Azure
  // allows 64 KiB encoded, i.e. 48 KiB raw) go through a spill blob instead.
  std::size_t spill_threshold_bytes = queuestore::kMaxMessageContentBytes;
  // The least of the file a chunk message carries, chunks permitting (chunk_groups.hpp); a job
  // that then fits in one message is merged by its aggregate, without a partials queue or a merge
  // message. 0 keeps the spread rule alone (what tests of the merge's paths use).
  std::uint64_t min_message_bytes = kDefaultMinMessageBytes;
  // When the stages poll (see QueueStageOptions).
  std::shared_ptr<queuestore::PollPacer> pacer;
  queuestore::PollPacerOptions pacing;
  // How soon the merge looks first, and again while partials are missing (it never waits inside a
  // handler: a worker has few threads, and waiting would starve the chunks it waits for).
  std::chrono::seconds merge_first_delay{1};
  std::chrono::seconds merge_poll{1};
  // How long the merge keeps the partials it received hidden from other mergers: longer than a
  // merge takes. If a merger dies, its partials come back after this.
  std::chrono::seconds merge_hold_timeout{120};
  // A failed chunk's next attempt comes after 1 s, 2 s, 4 s... capped here.
  std::chrono::seconds max_retry_backoff{30};
};

// The three stage queues, the poison queue and the two containers.
storage::Status PrepareChainedResources(const PipelineContext& context);

// split, aggregate and merge, in that order; Run() each on its own thread.
std::vector<std::unique_ptr<QueueStage>> MakeChainedStages(
    std::shared_ptr<const PipelineContext> context, ChainedStageOptions options = {});

// What `fanfold retry` did to a Failed chained job.
struct ChainedRetryReport {
  // Chunks whose poisoned messages went back to the chunks queue, ascending.
  std::vector<std::uint32_t> chunks_moved;
  // Failed chunks that had no poisoned message (one may still be on its way to the poison
  // queue): their messages were made again from the job's plan.
  std::vector<std::uint32_t> chunks_remade;
  // The split had not run to its end: its message went back (or was made again).
  bool split_restarted = false;
};

// Re-runs only what failed: poisoned chunk (or split) messages of the job go back to their queue,
// the job row becomes Running again and a fresh merge message is put. The partials the failed run
// kept are used as they are. InvalidArgument when the job is not a Failed chained job.
storage::Result<ChainedRetryReport> RetryChainedJob(const PipelineContext& context,
                                                    const std::string& job);

// Messages in the job's partials queue (approximate; duplicates count; one message may answer a
// group of chunks): 0 once it is gone.
storage::Result<std::int64_t> GetChainedProgress(const PipelineContext& context,
                                                 const std::string& job);

// Where a job's things live.
// prefix + 16 hex digits of SHA-256(job id): a valid queue name whatever the job id.
std::string PartialsQueueName(const PipelineNames& names, const std::string& job);
// "<job>/": the job's spill blobs are "<job>/chunk-00042.json" in chain_spill_container.
std::string SpillBlobPrefix(const std::string& job);
std::string SpillBlobName(const std::string& job, std::uint32_t chunk);
// "<job>.json" in chain_results_container: MergeOutputToJson, written once.
std::string ResultBlobName(const std::string& job);

// The pipeline as the trigger and the CLI see it (job_pipeline.hpp).
std::unique_ptr<const JobPipeline> MakeChainedJobPipeline(
    std::shared_ptr<const PipelineContext> context);

}  // namespace fanfold::pipelines::chained
