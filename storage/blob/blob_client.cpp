// BlobClient's single-request operations: Put Blob, Get Blob Properties, Delete Blob.
// Downloads live in blob_download.cpp, file uploads in blob_file_upload.cpp.
#include "storage/blob/blob_client.hpp"

#include "storage/blob/blob_http.hpp"
#include "storage/blob/blob_names.hpp"
#include "storage/blob/block_plan.hpp"
#include "storage/crypto.hpp"
#include "storage/error_response.hpp"
#include "storage/http_date.hpp"

namespace fanfold::storage {
namespace {

Status ValidateNames(std::string_view container_name, std::string_view blob_name) {
  FANFOLD_RETURN_IF_ERROR(ValidateContainerName(container_name));
  return ValidateBlobName(blob_name);
}

}  // namespace

BlobClient::BlobClient(std::shared_ptr<const Pipeline> pipeline, const Url& container_url,
                       std::string container_name, std::string blob_name)
    : pipeline_(std::move(pipeline)),
      url_(container_url),
      container_name_(std::move(container_name)),
      blob_name_(std::move(blob_name)),
      name_status_(ValidateNames(container_name_, blob_name_)) {
  // '/' stays a separator: it is how blob names form virtual directories.
  url_.AppendPath(blob_name_, /*keep_slash=*/true);
}

HttpRequest BlobClient::NewRequest(HttpMethod method, OperationKind kind) const {
  HttpRequest request;
  request.method = method;
  request.kind = kind;
  request.url = url_;
  return request;
}

Result<BlobUploadResult> BlobClient::Upload(std::string content,
                                            const BlobUploadOptions& options) const {
  FANFOLD_RETURN_IF_ERROR(name_status_);
  return PutBlob(std::move(content), options);
}

Result<BlobUploadResult> BlobClient::PutBlob(std::string content,
                                             const BlobUploadOptions& options) const {
  if (content.size() > kMaxPutBlobSize) {
    return Status::InvalidArgument("a single Put Blob holds at most 5000 MiB; use UploadFile");
  }
  HttpRequest request = NewRequest(HttpMethod::kPut, OperationKind::kBlobWrite);
  request.timeout = options.timeout;
  request.headers["x-ms-blob-type"] = "BlockBlob";
  if (!options.content_type.empty()) {
    request.headers["x-ms-blob-content-type"] = options.content_type;
  }
  FANFOLD_RETURN_IF_ERROR(ApplyMetadata(options.metadata, request));
  FANFOLD_RETURN_IF_ERROR(ApplyConditions(options.conditions, request));
  if (options.verify_content_md5) request.headers["Content-MD5"] = Base64Encode(Md5(content));
  const uint64_t size = content.size();
  request.body = std::move(content);

  return UploadResultFrom(pipeline_->Send(request), size);
}

Result<BlobProperties> BlobClient::GetProperties(const BlobGetPropertiesOptions& options) const {
  FANFOLD_RETURN_IF_ERROR(name_status_);
  HttpRequest request = NewRequest(HttpMethod::kHead, OperationKind::kBlobProperties);
  FANFOLD_RETURN_IF_ERROR(ApplyConditions(options.conditions, request));
  Result<HttpResponse> response = pipeline_->Send(request);
  if (!response.ok()) return response.status();
  FANFOLD_RETURN_IF_ERROR(CheckResponse(*response));
  return PropertiesFromHeaders(*response);
}

Status BlobClient::Delete(const BlobDeleteOptions& options) const {
  FANFOLD_RETURN_IF_ERROR(name_status_);
  HttpRequest request = NewRequest(HttpMethod::kDelete, OperationKind::kBlobDelete);
  if (options.include_snapshots) request.headers["x-ms-delete-snapshots"] = "include";
  FANFOLD_RETURN_IF_ERROR(ApplyConditions(options.conditions, request));
  Result<HttpResponse> response = pipeline_->Send(request);
  if (!response.ok()) return response.status();
  return CheckResponse(*response);
}

Result<bool> BlobClient::DeleteIfExists(const BlobDeleteOptions& options) const {
  const Status status = Delete(options);
  if (status.ok()) return true;
  // BlobNotFound and ContainerNotFound alike: either way there was no blob to delete.
  if (status.IsNotFound()) return false;
  return status;
}

}  // namespace fanfold::storage
