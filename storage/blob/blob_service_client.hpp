// BlobServiceClient: the entry point of the Blob client, one per storage account. It owns the
// HTTP pipeline (signing, retries, counting) that every container and blob client it hands out
// shares, so those are cheap to create. Safe to share between threads.
#pragma once

#include <memory>
#include <string>

#include "storage/blob/blob_container_client.hpp"
#include "storage/blob/blob_models.hpp"
#include "storage/blob/blob_options.hpp"
#include "storage/connection_string.hpp"
#include "storage/pipeline.hpp"
#include "storage/result.hpp"

namespace fanfold::storage {

class BlobServiceClient {
 public:
  // Signs with the account's credential (SharedKey or SAS) using the Blob scheme.
  explicit BlobServiceClient(const StorageAccount& account, const PipelineOptions& options = {});
  // For callers that already hold a pipeline built with SigningScheme::kBlobOrQueue.
  BlobServiceClient(std::shared_ptr<const Pipeline> pipeline, Url blob_endpoint);

  // One page of List Containers, in name order. Follow next_marker until it is empty.
  Result<BlobContainerListPage> ListContainers(const ListContainersOptions& options = {}) const;

  BlobContainerClient GetContainerClient(std::string container_name) const;

  const std::shared_ptr<const Pipeline>& pipeline() const { return pipeline_; }

 private:
  std::shared_ptr<const Pipeline> pipeline_;
  Url endpoint_;
};

}  // namespace fanfold::storage
