// Status: the outcome of an operation that can fail, as a value.
// 404, 409 and 412 from storage are ordinary outcomes in fanfold (a missing entity, a lost race,
// a stale ETag), so callers test them with IsNotFound()/IsConflict()/IsPreconditionFailed()
// instead of catching exceptions. The OK path holds no allocation and is cheap to copy.
#pragma once

#include <memory>
#include <string>
#include <string_view>

namespace fanfold::storage {

enum class StatusCode {
  kOk = 0,
  kHttpError,        // the service answered with a non-success HTTP status
  kTransportError,   // connection refused, reset, DNS, TLS: the request may not have arrived
  kTimeout,          // no complete answer within the request's timeout
  kInvalidArgument,  // the caller's input is wrong; retrying will not help
  kCorruption,       // a response or stored value we cannot parse
  kIoError,          // a local file could not be read or written
  kAborted,          // the caller stopped the operation (for example a stream sink said stop)
};

class Status {
 public:
  Status() = default;  // OK

  static Status Ok() { return Status(); }
  static Status Http(int http_status, std::string error_code, std::string message,
                     std::string request_id);
  static Status Transport(std::string message);
  static Status Timeout(std::string message);
  static Status InvalidArgument(std::string message);
  static Status Corruption(std::string message);
  static Status IoError(std::string message);
  static Status Aborted(std::string message);

  bool ok() const { return rep_ == nullptr; }
  StatusCode code() const;
  // HTTP status of the service's answer; 0 when there was none.
  int http_status() const;
  // The service's x-ms-error-code (or error body code), e.g. "ConditionNotMet".
  const std::string& error_code() const;
  const std::string& message() const;
  const std::string& request_id() const;

  bool IsNotFound() const { return http_status() == 404; }
  bool IsConflict() const { return http_status() == 409; }
  bool IsPreconditionFailed() const { return http_status() == 412; }
  bool IsTimeout() const { return code() == StatusCode::kTimeout; }
  bool IsTransport() const { return code() == StatusCode::kTransportError; }
  bool IsInvalidArgument() const { return code() == StatusCode::kInvalidArgument; }
  // Transport failures, timeouts and the HTTP statuses Azure documents as transient.
  bool IsRetriable() const;

  // "HTTP 412 ConditionNotMet: The condition specified ... (request id ...)".
  std::string ToString() const;

 private:
  struct Rep {
    StatusCode code;
    int http_status;
    std::string error_code;
    std::string message;
    std::string request_id;
  };
  explicit Status(Rep rep);

  std::shared_ptr<const Rep> rep_;
};

// True for the HTTP statuses that Azure Storage documents as transient.
bool IsRetriableHttpStatus(int http_status);

}  // namespace fanfold::storage
