// Keeps large payloads out of queue messages and table rows: a payload over the threshold
// (default 45 KiB, under the queue's 64 KiB and a table property's 64 KiB) is written to a blob
// in the hub's large-message container and replaced by a reference; Resolve() reads it back.
// Blob names start with the instance id, so purging an instance can find them.
#pragma once

#include <string>

#include "storage/blob/blob_container_client.hpp"
#include "storage/result.hpp"

namespace fanfold::orchestrator {

class PayloadStore {
 public:
  static constexpr size_t kDefaultThreshold = 45 * 1024;

  PayloadStore(storage::BlobContainerClient container, size_t threshold = kDefaultThreshold)
      : container_(std::move(container)), threshold_(threshold) {}

  // The payload itself when small, else a reference to the blob now holding it.
  storage::Result<std::string> Offload(const std::string& instance_id,
                                       const std::string& payload) const;
  // The payload a reference stands for; any other text is returned as it is.
  storage::Result<std::string> Resolve(const std::string& payload) const;
  static bool IsReference(const std::string& payload);
  // Deletes every blob this store wrote for the instance.
  storage::Status DeleteAll(const std::string& instance_id) const;

 private:
  storage::BlobContainerClient container_;
  size_t threshold_;
};

}  // namespace fanfold::orchestrator
