// Retries what Azure documents as transient: transport failures, timeouts, and HTTP 408, 429,
// 500, 502, 503, 504 — nothing else (a 409 or 412 is an answer, not a failure). Backoff is
// exponential with jitter and a cap; a server's x-ms-retry-after-ms or Retry-After overrides it.
#pragma once

#include <chrono>
#include <functional>
#include <mutex>
#include <optional>
#include <random>

#include "storage/counters.hpp"
#include "storage/policy.hpp"

namespace fanfold::storage {

struct RetryOptions {
  int max_retries = 5;                                 // attempts = max_retries + 1
  std::chrono::milliseconds initial_delay{200};        // before the first retry
  std::chrono::milliseconds max_delay{10'000};         // cap of the computed backoff
  std::chrono::milliseconds max_server_delay{60'000};  // cap of a server-requested delay
  // How the policy waits; tests replace it to observe delays without sleeping.
  std::function<void(std::chrono::milliseconds)> sleep;
};

// The server's requested delay: x-ms-retry-after-ms, else Retry-After (seconds or HTTP date).
std::optional<std::chrono::milliseconds> ServerRetryDelay(
    const HttpResponse& response,
    std::chrono::system_clock::time_point now = std::chrono::system_clock::now());

// Delay before retry number `retry` (0-based): a point in [half, all] of
// min(max_delay, initial_delay * 2^retry), placed by `unit`, a random draw in [0, 1).
std::chrono::milliseconds BackoffDelay(const RetryOptions& options, int retry, double unit);

class RetryPolicy final : public Policy {
 public:
  RetryPolicy(RetryOptions options, StorageCounters* counters);
  Result<HttpResponse> Send(HttpRequest& request, const NextPolicy& next) const override;

 private:
  double NextUnit() const;

  RetryOptions options_;
  StorageCounters* counters_;
  mutable std::mutex random_mutex_;
  mutable std::mt19937_64 random_;
};

}  // namespace fanfold::storage
