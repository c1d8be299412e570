#include "orchestrator/payload_store.hpp"

#include "storage/header_policies.hpp"

namespace fanfold::orchestrator {
namespace {
// Not valid JSON, so no real payload can be mistaken for a reference.
constexpr const char* kReferencePrefix = "@blob:";
}  // namespace

bool PayloadStore::IsReference(const std::string& payload) {
  return payload.rfind(kReferencePrefix, 0) == 0;
}

storage::Result<std::string> PayloadStore::Offload(const std::string& instance_id,
                                                   const std::string& payload) const {
  if (payload.size() <= threshold_) return payload;
  const std::string name = instance_id + "/" + storage::NewUuid();
  auto uploaded = container_.GetBlobClient(name).Upload(payload);
  if (!uploaded.ok()) return uploaded.status();
  return std::string(kReferencePrefix) + name;
}

storage::Result<std::string> PayloadStore::Resolve(const std::string& payload) const {
  if (!IsReference(payload)) return payload;
  const std::string name = payload.substr(std::string(kReferencePrefix).size());
  auto content = container_.GetBlobClient(name).DownloadToString();
  if (!content.ok()) return content.status();
  return std::move(content->data);
}

storage::Status PayloadStore::DeleteAll(const std::string& instance_id) const {
  storage::ListBlobsOptions options;
  options.prefix = instance_id + "/";
  auto blobs = container_.ListAllBlobs(options);
  if (!blobs.ok()) return blobs.status();
  for (const auto& blob : *blobs) {
    auto deleted = container_.GetBlobClient(blob.name).DeleteIfExists();
    if (!deleted.ok()) return deleted.status();
  }
  return storage::Status::Ok();
}

}  // namespace fanfold::orchestrator
