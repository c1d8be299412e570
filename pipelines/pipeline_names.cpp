#include "pipelines/pipeline_names.hpp"

namespace fanfold::pipelines {

PipelineNames PipelineNames::WithPrefix(const std::string& prefix) {
  PipelineNames names;
  if (prefix.empty()) return names;
  const auto dashed = [&](std::string& name) { name = prefix + "-" + name; };
  dashed(names.uploads_container);
  dashed(names.events_queue);
  dashed(names.events_poison_queue);
  dashed(names.chain_split_queue);
  dashed(names.chain_chunks_queue);
  dashed(names.chain_merge_queue);
  dashed(names.chain_poison_queue);
  dashed(names.chain_partials_prefix);
  dashed(names.chain_spill_container);
  dashed(names.chain_results_container);
  names.jobs_table = prefix + names.jobs_table;
  return names;
}

}  // namespace fanfold::pipelines
