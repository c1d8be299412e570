#include "storage/header_policies.hpp"

#include <cstdio>
#include <random>

#include "storage/http_date.hpp"

namespace fanfold::storage {

std::string NewUuid() {
  thread_local std::mt19937_64 random(std::random_device{}());
  const uint64_t high = (random() & 0xFFFFFFFFFFFF0FFFULL) | 0x0000000000004000ULL;
  const uint64_t low = (random() & 0x3FFFFFFFFFFFFFFFULL) | 0x8000000000000000ULL;
  char text[37];
  std::snprintf(text, sizeof text, "%08llx-%04llx-%04llx-%04llx-%012llx",
                static_cast<unsigned long long>(high >> 32),
                static_cast<unsigned long long>((high >> 16) & 0xFFFF),
                static_cast<unsigned long long>(high & 0xFFFF),
                static_cast<unsigned long long>(low >> 48),
                static_cast<unsigned long long>(low & 0xFFFFFFFFFFFFULL));
  return text;
}

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
