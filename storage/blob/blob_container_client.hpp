// BlobContainerClient: one container: create, delete, list its blobs a page at a time, and hand
// out BlobClients. Cheap to create and copy, safe to share between threads. The container name
// is validated when the client is made; an invalid one fails every operation with
// kInvalidArgument before anything is sent.
#pragma once

#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "storage/blob/blob_client.hpp"
#include "storage/blob/blob_models.hpp"
#include "storage/blob/blob_options.hpp"
#include "storage/pipeline.hpp"
#include "storage/result.hpp"
#include "storage/url.hpp"

namespace fanfold::storage {

class BlobContainerClient {
 public:
  // service_endpoint is the account's blob endpoint (for Azurite it ends in /devstoreaccount1).
  BlobContainerClient(std::shared_ptr<const Pipeline> pipeline, const Url& service_endpoint,
                      std::string container_name);

  const std::string& name() const { return name_; }
  // Without query: safe to log.
  std::string url() const { return url_.ToStringWithoutQuery(); }

  // Create Container. An existing container is a Status with IsConflict() and error code
  // ContainerAlreadyExists (a container still being deleted is also 409: ContainerBeingDeleted).
  Status Create() const;
  // true when this call created the container, false when it already existed.
  Result<bool> CreateIfNotExists() const;

  // Delete Container (Azure removes it asynchronously; its name stays taken for a while).
  Status Delete() const;
  // true when this call deleted the container, false when there was none.
  Result<bool> DeleteIfExists() const;

  // One page of List Blobs, in name order. Follow next_marker until it is empty for the rest.
  Result<BlobListPage> ListBlobs(const ListBlobsOptions& options = {}) const;
  // Every blob under `prefix`, following the pages (options.marker is the starting point).
  Result<std::vector<BlobItem>> ListAllBlobs(const ListBlobsOptions& options = {}) const;

  BlobClient GetBlobClient(std::string blob_name) const;

 private:
  HttpRequest NewRequest(HttpMethod method, OperationKind kind) const;

  std::shared_ptr<const Pipeline> pipeline_;
  Url url_;
  std::string name_;
  Status name_status_;  // why the name is invalid; OK when it is valid
};

}  // namespace fanfold::storage
