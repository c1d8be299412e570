#include "activities/activity_status.hpp"

namespace fanfold::activities {

storage::Status WithContext(const storage::Status& status, std::string_view context) {
  if (status.ok()) return status;
  std::string message = std::string(context) + ": " + status.message();
  switch (status.code()) {
    case storage::StatusCode::kOk:
      return status;
    case storage::StatusCode::kHttpError:
      return storage::Status::Http(status.http_status(), status.error_code(), std::move(message),
                                   status.request_id());
    case storage::StatusCode::kTransportError:
      return storage::Status::Transport(std::move(message));
    case storage::StatusCode::kTimeout:
      return storage::Status::Timeout(std::move(message));
    case storage::StatusCode::kInvalidArgument:
      return storage::Status::InvalidArgument(std::move(message));
    case storage::StatusCode::kCorruption:
      return storage::Status::Corruption(std::move(message));
    case storage::StatusCode::kIoError:
      return storage::Status::IoError(std::move(message));
    case storage::StatusCode::kAborted:
      return storage::Status::Aborted(std::move(message));
  }
  return status;
}

std::string BlobLabel(std::string_view container, std::string_view blob) {
  return "blob " + std::string(container) + "/" + std::string(blob);
}

storage::Status ExplainBlobFailure(const storage::Status& status, std::string_view action,
                                   std::string_view blob_label, std::string_view etag) {
  if (status.ok()) return status;
  if (status.IsNotFound()) {
    return WithContext(status, std::string(blob_label) +
                                   " does not exist (or its container does not): upload the file "
                                   "first, or check the container and blob names");
  }
  if (status.IsPreconditionFailed()) {
    return WithContext(status,
                       std::string(blob_label) + " is no longer the version " + std::string(etag) +
                           " this job was planned for (it was replaced, modified or deleted): "
                           "submit the job again for the new upload");
  }
  return WithContext(status, std::string(action) + " " + std::string(blob_label));
}

}  // namespace fanfold::activities
