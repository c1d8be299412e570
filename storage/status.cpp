#include "storage/status.hpp"

#include <utility>

namespace fanfold::storage {
namespace {
const std::string& EmptyString() {
  static const std::string empty;
  return empty;
}
}  // namespace

Status::Status(Rep rep) : rep_(std::make_shared<const Rep>(std::move(rep))) {}

Status Status::Http(int http_status, std::string error_code, std::string message,
                    std::string request_id) {
  return Status(Rep{StatusCode::kHttpError, http_status, std::move(error_code), std::move(message),
                    std::move(request_id)});
}
Status Status::Transport(std::string message) {
  return Status(Rep{StatusCode::kTransportError, 0, {}, std::move(message), {}});
}
Status Status::Timeout(std::string message) {
  return Status(Rep{StatusCode::kTimeout, 0, {}, std::move(message), {}});
}
Status Status::InvalidArgument(std::string message) {
  return Status(Rep{StatusCode::kInvalidArgument, 0, {}, std::move(message), {}});
}
Status Status::Corruption(std::string message) {
  return Status(Rep{StatusCode::kCorruption, 0, {}, std::move(message), {}});
}
Status Status::IoError(std::string message) {
  return Status(Rep{StatusCode::kIoError, 0, {}, std::move(message), {}});
}
Status Status::Aborted(std::string message) {
  return Status(Rep{StatusCode::kAborted, 0, {}, std::move(message), {}});
}

StatusCode Status::code() const {
  return ok() ? StatusCode::kOk : rep_->code;
}
int Status::http_status() const {
  return ok() ? 0 : rep_->http_status;
}
const std::string& Status::error_code() const {
  return ok() ? EmptyString() : rep_->error_code;
}
const std::string& Status::message() const {
  return ok() ? EmptyString() : rep_->message;
}
const std::string& Status::request_id() const {
  return ok() ? EmptyString() : rep_->request_id;
}

bool IsRetriableHttpStatus(int http_status) {
  switch (http_status) {
    case 408:
    case 429:
    case 500:
    case 502:
    case 503:
    case 504:
      return true;
    default:
      return false;
  }
}

bool Status::IsRetriable() const {
  switch (code()) {
    case StatusCode::kTransportError:
    case StatusCode::kTimeout:
      return true;
    case StatusCode::kHttpError:
      return IsRetriableHttpStatus(http_status());
    default:
      return false;
  }
}

std::string Status::ToString() const {
  if (ok()) return "OK";
  std::string out;
  switch (rep_->code) {
    case StatusCode::kOk:
      return "OK";
    case StatusCode::kHttpError:
      out = "HTTP " + std::to_string(rep_->http_status);
      if (!rep_->error_code.empty()) out += " " + rep_->error_code;
      break;
    case StatusCode::kTransportError:
      out = "transport error";
      break;
    case StatusCode::kTimeout:
      out = "timeout";
      break;
    case StatusCode::kInvalidArgument:
      out = "invalid argument";
      break;
    case StatusCode::kCorruption:
      out = "corruption";
      break;
    case StatusCode::kIoError:
      out = "I/O error";
      break;
    case StatusCode::kAborted:
      out = "aborted";
      break;
  }
  if (!rep_->message.empty()) out += ": " + rep_->message;
  if (!rep_->request_id.empty()) out += " (request id " + rep_->request_id + ")";
  return out;
}

}  // namespace fanfold::storage
