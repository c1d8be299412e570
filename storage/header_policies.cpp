#include "storage/header_policies.hpp"

#include "storage/http_date.hpp"
#include "storage/random_id.hpp"

namespace fanfold::storage {

Result<HttpResponse> RequestIdPolicy::Send(HttpRequest& request, const NextPolicy& next) const {
  if (request.headers.find("x-ms-client-request-id") == request.headers.end()) {
    request.headers["x-ms-client-request-id"] = NewUuid();
  }
  return next(request);
}

Result<HttpResponse> DateAndVersionPolicy::Send(HttpRequest& request,
                                                const NextPolicy& next) const {
  request.headers["x-ms-date"] = FormatRfc1123(std::chrono::system_clock::now());
  request.headers["x-ms-version"] = api_version_;
  return next(request);
}

Result<HttpResponse> OperationCountingPolicy::Send(HttpRequest& request,
                                                   const NextPolicy& next) const {
  counters_->RecordOperation(request.kind);
  return next(request);
}

Result<HttpResponse> AttemptCountingPolicy::Send(HttpRequest& request,
                                                 const NextPolicy& next) const {
  Result<HttpResponse> result = next(request);
  counters_->RecordAttempt(request.kind, request.body.size(), result.ok() ? result->body_bytes : 0,
                           result.ok() ? result->status : 0);
  return result;
}

}  // namespace fanfold::storage
