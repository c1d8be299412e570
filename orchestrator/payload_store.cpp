#include "orchestrator/payload_store.hpp"

#include <cstdint>

#include "queuestore/queue_validation.hpp"
#include "storage/header_policies.hpp"
#include "tablestore/encoded_size.hpp"
#include "tablestore/utf8.hpp"

namespace fanfold::orchestrator {
namespace {
// Not valid JSON, so no real payload can be mistaken for a reference.
constexpr const char* kReferencePrefix = "@blob:";

// Bytes of the payload's share of a queue message: its JSON string literal (messages are
// written by nlohmann::json::dump(), which escapes as tablestore's entities do), Base64-encoded.
size_t MessageBytes(const std::string& payload) {
  return queuestore::EncodedMessageSize(tablestore::EncodedJsonStringBytes(payload));
}

// Bytes of the payload as a table String property, as the service counts it. Text that is not
// UTF-8 counts as too large, so it goes to a blob, which takes any bytes.
size_t PropertyBytes(const std::string& payload) {
  const auto units = tablestore::Utf16Length(payload);
  return units ? 2 * *units : SIZE_MAX;
}
}  // namespace

bool PayloadStore::IsReference(const std::string& payload) {
  return payload.rfind(kReferencePrefix, 0) == 0;
}

bool PayloadStore::FitsInline(const std::string& payload) const {
  return MessageBytes(payload) <= max_inline_message_bytes_ &&
         PropertyBytes(payload) <= kMaxInlinePropertyBytes;
}

storage::Result<std::string> PayloadStore::Offload(const std::string& instance_id,
                                                   const std::string& payload) const {
  if (FitsInline(payload)) return payload;
  return Store(instance_id, "payload", payload);
}

storage::Result<std::string> PayloadStore::Store(const std::string& instance_id,
                                                 const std::string& label,
                                                 const std::string& content) const {
  const std::string name = instance_id + "/" + label + "-" + storage::NewUuid();
  auto uploaded = container_.GetBlobClient(name).Upload(content);
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
