#include <openssl/evp.h>

#include <array>
#include <cstdio>

#include "pipelines/chained/chained_pipeline.hpp"

namespace fanfold::pipelines::chained {

std::string PartialsQueueName(const PipelineNames& names, const std::string& job) {
  // A hash, not the job id itself: job ids may hold characters or lengths a queue name may not.
  std::array<unsigned char, EVP_MAX_MD_SIZE> digest{};
  unsigned int length = 0;
  EVP_Digest(job.data(), job.size(), digest.data(), &length, EVP_sha256(), nullptr);
  static constexpr char kHex[] = "0123456789abcdef";
  std::string name = names.chain_partials_prefix;
  for (unsigned int i = 0; i < 8 && i < length; ++i) {
    name.push_back(kHex[digest[i] >> 4]);
    name.push_back(kHex[digest[i] & 0xf]);
  }
  return name;
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
