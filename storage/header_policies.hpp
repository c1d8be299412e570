// Small policies of the standard pipeline: request ids, x-ms-date and x-ms-version stamping, and
// the two counting points (once per logical operation, once per attempt on the wire).
#pragma once

#include <string>

#include "storage/counters.hpp"
#include "storage/policy.hpp"
// NewUuid moved to random_id.hpp; kept reachable from here for the callers that found it here.
#include "storage/random_id.hpp"

namespace fanfold::storage {

// Gives each logical request an x-ms-client-request-id (kept across its retries), so one call
// can be followed through the service's logs.
class RequestIdPolicy final : public Policy {
 public:
  Result<HttpResponse> Send(HttpRequest& request, const NextPolicy& next) const override;
};

// Stamps each attempt with the current x-ms-date and the API version.
class DateAndVersionPolicy final : public Policy {
 public:
  explicit DateAndVersionPolicy(std::string api_version) : api_version_(std::move(api_version)) {}
  Result<HttpResponse> Send(HttpRequest& request, const NextPolicy& next) const override;

 private:
  std::string api_version_;
};

class OperationCountingPolicy final : public Policy {
 public:
  explicit OperationCountingPolicy(StorageCounters* counters) : counters_(counters) {}
  Result<HttpResponse> Send(HttpRequest& request, const NextPolicy& next) const override;

 private:
  StorageCounters* counters_;
};

class AttemptCountingPolicy final : public Policy {
 public:
  explicit AttemptCountingPolicy(StorageCounters* counters) : counters_(counters) {}
  Result<HttpResponse> Send(HttpRequest& request, const NextPolicy& next) const override;

 private:
  StorageCounters* counters_;
};

}  // namespace fanfold::storage
