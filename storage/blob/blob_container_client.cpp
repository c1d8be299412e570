#include "storage/blob/blob_container_client.hpp"

#include "storage/blob/blob_names.hpp"
#include "storage/blob/blob_xml.hpp"
#include "storage/error_response.hpp"

namespace fanfold::storage {

BlobContainerClient::BlobContainerClient(std::shared_ptr<const Pipeline> pipeline,
                                         const Url& service_endpoint, std::string container_name)
    : pipeline_(std::move(pipeline)),
      url_(service_endpoint),
      name_(std::move(container_name)),
      name_status_(ValidateContainerName(name_)) {
  url_.AppendPath(name_);
}

HttpRequest BlobContainerClient::NewRequest(HttpMethod method, OperationKind kind) const {
  HttpRequest request;
  request.method = method;
  request.kind = kind;
  request.url = url_;
  request.url.AddQuery("restype", "container");
  return request;
}

Status BlobContainerClient::Create() const {
  FANFOLD_RETURN_IF_ERROR(name_status_);
  HttpRequest request = NewRequest(HttpMethod::kPut, OperationKind::kBlobContainer);
  Result<HttpResponse> response = pipeline_->Send(request);
  if (!response.ok()) return response.status();
  return CheckResponse(*response);
}

Result<bool> BlobContainerClient::CreateIfNotExists() const {
  const Status status = Create();
  if (status.ok()) return true;
  // Only "already exists" means false: ContainerBeingDeleted is a 409 the caller must see.
  if (status.IsConflict() && status.error_code() == "ContainerAlreadyExists") return false;
  return status;
}

Status BlobContainerClient::Delete() const {
  FANFOLD_RETURN_IF_ERROR(name_status_);
  HttpRequest request = NewRequest(HttpMethod::kDelete, OperationKind::kBlobContainer);
  Result<HttpResponse> response = pipeline_->Send(request);
  if (!response.ok()) return response.status();
  return CheckResponse(*response);
}

Result<bool> BlobContainerClient::DeleteIfExists() const {
  const Status status = Delete();
  if (status.ok()) return true;
  if (status.IsNotFound()) return false;
  return status;
}

Result<BlobListPage> BlobContainerClient::ListBlobs(const ListBlobsOptions& options) const {
  FANFOLD_RETURN_IF_ERROR(name_status_);
  if (options.max_results < 0 || options.max_results > 5000) {
    return Status::InvalidArgument("max_results must be 1 to 5000 (or 0 for the default), not " +
                                   std::to_string(options.max_results));
  }
  HttpRequest request = NewRequest(HttpMethod::kGet, OperationKind::kBlobList);
  request.url.AddQuery("comp", "list");
  if (!options.prefix.empty()) request.url.AddQuery("prefix", options.prefix);
  if (!options.marker.empty()) request.url.AddQuery("marker", options.marker);
  if (options.max_results > 0) {
    request.url.AddQuery("maxresults", std::to_string(options.max_results));
  }
  if (options.include_metadata) request.url.AddQuery("include", "metadata");
  Result<HttpResponse> response = pipeline_->Send(request);
  if (!response.ok()) return response.status();
  FANFOLD_RETURN_IF_ERROR(CheckResponse(*response));
  return ParseBlobListXml(response->body);
}

Result<std::vector<BlobItem>> BlobContainerClient::ListAllBlobs(
    const ListBlobsOptions& options) const {
  std::vector<BlobItem> blobs;
  ListBlobsOptions page_options = options;
  do {
    Result<BlobListPage> page = ListBlobs(page_options);
    if (!page.ok()) return page.status();
    for (BlobItem& item : page->blobs)
      blobs.push_back(std::move(item));
    page_options.marker = std::move(page->next_marker);
  } while (!page_options.marker.empty());
  return blobs;
}

BlobClient BlobContainerClient::GetBlobClient(std::string blob_name) const {
  return BlobClient(pipeline_, url_, name_, std::move(blob_name));
}

}  // namespace fanfold::storage
