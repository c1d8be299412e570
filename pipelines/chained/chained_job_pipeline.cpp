// The chained pipeline as a JobPipeline: a job is a spec on the split queue; its progress while
// it runs is its partials queue's length (the job row is written only at start and end: the
// contrast the report measures); a retry moves its poisoned messages back (chained_retry.cpp).
#include <algorithm>

#include "pipelines/chained/chained_pipeline.hpp"
#include "pipelines/chained/chunk_groups.hpp"

namespace fanfold::pipelines::chained {
namespace {

using storage::Result;
using storage::Status;

std::string Chunks(const std::vector<std::uint32_t>& chunks) {
  return (chunks.size() == 1 ? "chunk " : "chunks ") + ChunkListText(chunks);
}

class ChainedJobPipeline final : public JobPipeline {
 public:
  explicit ChainedJobPipeline(std::shared_ptr<const PipelineContext> context)
      : context_(std::move(context)) {}

  PipelineKind kind() const override { return PipelineKind::kChained; }
  bool KeepsChunkRows() const override { return false; }

  Status Start(const JobSpec& spec) const override { return StartChainedJob(*context_, spec); }

  Result<JobProgress> Progress(const JobRow& row) const override {
    if (row.state != JobState::kRunning) return ProgressOfFinishedRow(row);
    auto received = GetChainedProgress(*context_, row.job);
    if (!received.ok()) return received.status();
    JobProgress progress;
    // A partials message answers a group of chunks (chunk_groups.hpp): an estimate, like the count.
    const std::int64_t per_message = ChunksPerMessage(
        static_cast<std::uint32_t>(std::max<std::int64_t>(row.chunks_total, 0)),
        static_cast<std::uint64_t>(std::max<std::int64_t>(row.size, 0)), kDefaultMinMessageBytes);
    progress.done = std::min(*received * per_message, row.chunks_total);
    progress.total = row.chunks_total;
    progress.approximate = true;
    return progress;
  }

  Result<std::string> Retry(const JobRow& row) const override {
    if (row.state != JobState::kFailed) {
      return Status::InvalidArgument("job " + row.job + " is " + JobStateName(row.state) +
                                     ": only a Failed job can be retried");
    }
    auto report = RetryChainedJob(*context_, row.job);
    if (!report.ok()) return report.status();
    std::string text = "job " + row.job + " (chained):";
    if (!report->chunks_moved.empty()) {
      text += " re-queued " + Chunks(report->chunks_moved) + " from the poison queue;";
    }
    if (!report->chunks_remade.empty()) {
      text += " re-made " + Chunks(report->chunks_remade) + " from the plan;";
    }
    if (report->split_restarted) text += " restarted the split;";
    return text + " the partials already received are kept";
  }

 private:
  std::shared_ptr<const PipelineContext> context_;
};

}  // namespace

std::unique_ptr<const JobPipeline> MakeChainedJobPipeline(
    std::shared_ptr<const PipelineContext> context) {
  return std::make_unique<ChainedJobPipeline>(std::move(context));
}

}  // namespace fanfold::pipelines::chained
