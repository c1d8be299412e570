#include "storage/retry_policy.hpp"

#include <algorithm>
#include <cmath>
#include <thread>

#include "storage/http_date.hpp"

namespace fanfold::storage {

std::optional<std::chrono::milliseconds> ServerRetryDelay(
    const HttpResponse& response, std::chrono::system_clock::time_point now) {
  const auto parse_count = [](const std::string& text) -> std::optional<long long> {
    if (text.empty() || text.size() > 12) return std::nullopt;
    long long value = 0;
    for (const char c : text) {
      if (c < '0' || c > '9') return std::nullopt;
      value = value * 10 + (c - '0');
    }
    return value;
  };
  if (const auto ms = parse_count(response.Header("x-ms-retry-after-ms"))) {
    return std::chrono::milliseconds(*ms);
  }
  const std::string& retry_after = response.Header("Retry-After");
  if (retry_after.empty()) return std::nullopt;
  if (const auto seconds = parse_count(retry_after)) {
    return std::chrono::milliseconds(*seconds * 1000);
  }
  if (const auto when = ParseRfc1123(retry_after)) {
    const auto delta = std::chrono::duration_cast<std::chrono::milliseconds>(*when - now);
    return std::max(delta, std::chrono::milliseconds(0));
  }
  return std::nullopt;
}

std::chrono::milliseconds BackoffDelay(const RetryOptions& options, int retry, double unit) {
  const double base = static_cast<double>(options.initial_delay.count()) *
                      std::pow(2.0, static_cast<double>(std::min(retry, 30)));
  const double capped = std::min(base, static_cast<double>(options.max_delay.count()));
  const double jittered = capped * (0.5 + 0.5 * std::clamp(unit, 0.0, 1.0));
  return std::chrono::milliseconds(static_cast<long long>(jittered));
}

RetryPolicy::RetryPolicy(RetryOptions options, StorageCounters* counters)
    : options_(std::move(options)), counters_(counters), random_(std::random_device{}()) {
  if (!options_.sleep) {
    options_.sleep = [](std::chrono::milliseconds delay) { std::this_thread::sleep_for(delay); };
  }
}

double RetryPolicy::NextUnit() const {
  std::lock_guard<std::mutex> lock(random_mutex_);
  return std::uniform_real_distribution<double>(0.0, 1.0)(random_);
}

Result<HttpResponse> RetryPolicy::Send(HttpRequest& request, const NextPolicy& next) const {
  for (int retry = 0;; ++retry) {
    Result<HttpResponse> result = next(request);
    std::optional<std::chrono::milliseconds> server_delay;
    bool transient = false;
    if (!result.ok()) {
      transient = result.status().IsRetriable();
    } else if (IsRetriableHttpStatus(result->status)) {
      transient = true;
      server_delay = ServerRetryDelay(*result);
    }
    if (!transient || retry >= options_.max_retries) return result;

    counters_->RecordRetry(request.kind);
    const auto delay = server_delay ? std::min(*server_delay, options_.max_server_delay)
                                    : BackoffDelay(options_, retry, NextUnit());
    options_.sleep(delay);
    if (request.before_retry) request.before_retry(request);
  }
}

}  // namespace fanfold::storage
