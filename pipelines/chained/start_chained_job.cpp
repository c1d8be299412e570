#include "pipelines/chained/chained_pipeline.hpp"
#include "queuestore/queue_options.hpp"

namespace fanfold::pipelines::chained {

storage::Status StartChainedJob(const PipelineContext& context, const JobSpec& spec) {
  queuestore::PutMessageOptions put;
  put.time_to_live = queuestore::kNeverExpires;
  auto sent = context.Queue(context.names.chain_split_queue).PutMessage(JobSpecToJson(spec), put);
  return sent.ok() ? storage::Status::Ok() : sent.status();
}

}  // namespace fanfold::pipelines::chained
