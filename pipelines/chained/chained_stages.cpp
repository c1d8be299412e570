// The chained pipeline's entry points: its resources, its stages, and its progress.
#include "pipelines/chained/chain_stages.hpp"
#include "pipelines/chained/chained_pipeline.hpp"

namespace fanfold::pipelines::chained {

QueueStageOptions StageOptions(const ChainedStageOptions& options, std::string name,
                               int concurrency) {
  QueueStageOptions stage;
  stage.name = std::move(name);
  stage.concurrency = concurrency;
  stage.max_dequeue = options.max_dequeue;
  stage.visibility_timeout = options.visibility_timeout;
  stage.pacer = options.pacer;
  stage.pacing = options.pacing;
  return stage;
}

storage::Status PrepareChainedResources(const PipelineContext& context) {
  const PipelineNames& names = context.names;
  for (const auto& queue : {names.chain_split_queue, names.chain_chunks_queue,
                            names.chain_merge_queue, names.chain_poison_queue}) {
    auto created = context.Queue(queue).Create();
    if (!created.ok()) return created.status();
  }
  for (const auto& container : {names.chain_spill_container, names.chain_results_container}) {
    auto created = context.blobs.GetContainerClient(container).CreateIfNotExists();
    if (!created.ok()) return created.status();
  }
  return storage::Status::Ok();
}

std::vector<std::unique_ptr<QueueStage>> MakeChainedStages(
    std::shared_ptr<const PipelineContext> context, ChainedStageOptions options) {
  // The three stages share one pacer unless the process already has one for all its queues.
  if (!options.pacer) options.pacer = std::make_shared<queuestore::PollPacer>(options.pacing);
  std::vector<std::unique_ptr<QueueStage>> stages;
  stages.push_back(MakeSplitStage(context, options));
  stages.push_back(MakeAggregateStage(context, options));
  stages.push_back(MakeMergeStage(context, options));
  return stages;
}

storage::Result<std::int64_t> GetChainedProgress(const PipelineContext& context,
                                                 const std::string& job) {
  auto properties = context.Queue(PartialsQueueName(context.names, job)).GetProperties();
  if (!properties.ok()) {
    if (properties.status().IsNotFound()) return std::int64_t{0};
    return properties.status();
  }
  return properties->approximate_message_count;
}

}  // namespace fanfold::pipelines::chained
