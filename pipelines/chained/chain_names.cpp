#include <cstdio>

#include "pipelines/chained/chained_pipeline.hpp"
#include "storage/crypto.hpp"

namespace fanfold::pipelines::chained {

std::string PartialsQueueName(const PipelineNames& names, const std::string& job) {
  // A hash, not the job id itself: job ids may hold characters or lengths a queue name may not.
  return names.chain_partials_prefix + storage::LowerHex(storage::Sha256(job)).substr(0, 16);
}

std::string SpillBlobPrefix(const std::string& job) {
  return job + "/";
}

std::string SpillBlobName(const std::string& job, std::uint32_t chunk) {
  char name[32];
  std::snprintf(name, sizeof name, "chunk-%05u.json", static_cast<unsigned>(chunk));
  return SpillBlobPrefix(job) + name;
}

std::string ResultBlobName(const std::string& job) {
  return job + ".json";
}

}  // namespace fanfold::pipelines::chained
