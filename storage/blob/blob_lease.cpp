// BlobClient's Lease Blob and Set Blob Metadata: what partition ownership is built on (a lease is
// a lock that expires by itself when its holder dies).
#include "storage/blob/blob_client.hpp"
#include "storage/blob/blob_http.hpp"
#include "storage/error_response.hpp"

namespace fanfold::storage {
namespace {

// Lease IDs go into a header: refuse anything that could split it (they are GUIDs).
Status CheckLeaseId(const std::string& lease_id) {
  if (lease_id.empty() || lease_id.size() > 64) {
    return Status::InvalidArgument("a lease id is 1 to 64 characters (a GUID)");
  }
  for (const char c : lease_id) {
    const bool allowed =
        (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '-';
    if (!allowed) return Status::InvalidArgument("a lease id holds letters, digits and '-' only");
  }
  return Status::Ok();
}

}  // namespace

Result<std::string> BlobClient::AcquireLease(std::chrono::seconds duration,
                                             const std::string& lease_id) const {
  FANFOLD_RETURN_IF_ERROR(name_status_);
  FANFOLD_RETURN_IF_ERROR(CheckLeaseId(lease_id));
  if (duration < std::chrono::seconds(15) || duration > std::chrono::seconds(60)) {
    return Status::InvalidArgument("a blob lease lasts 15 to 60 seconds");
  }
  HttpRequest request = NewRequest(HttpMethod::kPut, OperationKind::kBlobLease);
  request.url.AddQuery("comp", "lease");
  request.headers["x-ms-lease-action"] = "acquire";
  request.headers["x-ms-lease-duration"] = std::to_string(duration.count());
  request.headers["x-ms-proposed-lease-id"] = lease_id;
  Result<HttpResponse> response = pipeline_->Send(request);
  if (!response.ok()) return response.status();
  FANFOLD_RETURN_IF_ERROR(CheckResponse(*response));
  const std::string granted = response->Header("x-ms-lease-id");
  return granted.empty() ? lease_id : granted;
}

Status BlobClient::RenewLease(const std::string& lease_id) const {
  return LeaseAction("renew", lease_id);
}

Status BlobClient::ReleaseLease(const std::string& lease_id) const {
  return LeaseAction("release", lease_id);
}

Status BlobClient::LeaseAction(const char* action, const std::string& lease_id) const {
  FANFOLD_RETURN_IF_ERROR(name_status_);
  FANFOLD_RETURN_IF_ERROR(CheckLeaseId(lease_id));
  HttpRequest request = NewRequest(HttpMethod::kPut, OperationKind::kBlobLease);
  request.url.AddQuery("comp", "lease");
  request.headers["x-ms-lease-action"] = action;
  request.headers["x-ms-lease-id"] = lease_id;
  Result<HttpResponse> response = pipeline_->Send(request);
  if (!response.ok()) return response.status();
  return CheckResponse(*response);
}

Status BlobClient::BreakLease(std::chrono::seconds break_period) const {
  FANFOLD_RETURN_IF_ERROR(name_status_);
  if (break_period < std::chrono::seconds(0) || break_period > std::chrono::seconds(60)) {
    return Status::InvalidArgument("a lease break period is 0 to 60 seconds");
  }
  HttpRequest request = NewRequest(HttpMethod::kPut, OperationKind::kBlobLease);
  request.url.AddQuery("comp", "lease");
  request.headers["x-ms-lease-action"] = "break";
  request.headers["x-ms-lease-break-period"] = std::to_string(break_period.count());
  Result<HttpResponse> response = pipeline_->Send(request);
  if (!response.ok()) return response.status();
  return CheckResponse(*response);
}

Status BlobClient::SetMetadata(const BlobMetadata& metadata, const std::string& lease_id) const {
  FANFOLD_RETURN_IF_ERROR(name_status_);
  HttpRequest request = NewRequest(HttpMethod::kPut, OperationKind::kBlobLease);
  request.url.AddQuery("comp", "metadata");
  if (!lease_id.empty()) {
    FANFOLD_RETURN_IF_ERROR(CheckLeaseId(lease_id));
    request.headers["x-ms-lease-id"] = lease_id;
  }
  FANFOLD_RETURN_IF_ERROR(ApplyMetadata(metadata, request));
  Result<HttpResponse> response = pipeline_->Send(request);
  if (!response.ok()) return response.status();
  return CheckResponse(*response);
}

}  // namespace fanfold::storage
