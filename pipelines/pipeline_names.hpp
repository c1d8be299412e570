// The names of a deployment's containers, queues and table. One prefix separates deployments
// sharing an account: tests use a unique one per case; production uses none, so the names are
// the documented ones (uploads, blob-events, ...). Its own small library, so that what only needs
// the names (the Functions app's files, the infra checks) does not build the pipelines.
#pragma once

#include <string>

namespace fanfold::pipelines {

inline constexpr const char* kDefaultJobsTable = "fanfoldjobs";

struct PipelineNames {
  std::string uploads_container = "uploads";
  std::string events_queue = "blob-events";
  std::string events_poison_queue = "blob-events-poison";
  std::string jobs_table = kDefaultJobsTable;
  // Chained pipeline: stage queues, the poison queue of its stages, per-job partial queues
  // (prefix + a hash of the job id), spilled partials and final results.
  std::string chain_split_queue = "chain-split";
  std::string chain_chunks_queue = "chain-chunks";
  std::string chain_merge_queue = "chain-merge";
  std::string chain_poison_queue = "chain-poison";
  std::string chain_partials_prefix = "chain-p-";
  std::string chain_spill_container = "chain-spill";
  std::string chain_results_container = "chain-results";

  // Every name with `prefix` in front ("t1" -> "t1-uploads", table "t1fanfoldjobs"); prefix is
  // lowercase letters and digits, starting with a letter, at most 24 characters. Empty: the
  // defaults.
  static PipelineNames WithPrefix(const std::string& prefix);
};

}  // namespace fanfold::pipelines
