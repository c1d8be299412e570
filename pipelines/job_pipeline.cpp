#include "pipelines/job_pipeline.hpp"

#include "pipelines/chained/chained_pipeline.hpp"
#include "pipelines/orchestrated/mean_balance_orchestration.hpp"

namespace fanfold::pipelines {

JobPipelines::JobPipelines(std::shared_ptr<const PipelineContext> context, HubOpener hub) {
  pipelines_[PipelineKind::kOrchestrated] =
      orchestrated::MakeOrchestratedJobPipeline(context, std::move(hub));
  pipelines_[PipelineKind::kChained] = chained::MakeChainedJobPipeline(std::move(context));
}

const JobPipeline& JobPipelines::For(PipelineKind kind) const {
  return *pipelines_.at(kind);
}

storage::Result<const JobPipeline*> JobPipelines::For(const JobRow& row) const {
  const auto kind = ParsePipelineKind(row.pipeline);
  if (!kind) {
    return storage::Status::InvalidArgument("job " + row.job + " names the pipeline '" +
                                            row.pipeline +
                                            "', which this version of fanfold does not have");
  }
  return &For(*kind);
}

std::map<PipelineKind, std::function<storage::Status(const JobSpec&)>> StartersOf(
    const std::shared_ptr<const JobPipelines>& pipelines) {
  std::map<PipelineKind, std::function<storage::Status(const JobSpec&)>> starters;
  for (const auto& [kind, pipeline] : pipelines->all()) {
    starters[kind] = [pipelines, kind = kind](const JobSpec& spec) {
      return pipelines->For(kind).Start(spec);
    };
  }
  return starters;
}

std::string ChunkListText(const std::vector<std::uint32_t>& chunks) {
  std::string out;
  for (const auto chunk : chunks)
    out += (out.empty() ? "" : ", ") + std::to_string(chunk);
  return out;
}

JobProgress ProgressOfFinishedRow(const JobRow& row) {
  JobProgress progress;
  progress.done = row.chunks_done;
  progress.total = row.chunks_total;
  if (row.state == JobState::kCompleted) progress.done = row.chunks_total;
  return progress;
}

}  // namespace fanfold::pipelines
