#include "notify/delivery_policy.hpp"

#include <algorithm>

#include "storage/retry_policy.hpp"
#include "storage/utf8_text.hpp"

namespace fanfold::notify {
namespace {

// A receiver's error body often says why (Slack answers "no_service", "invalid_payload"); the
// first line, clipped, is enough for a log.
std::string BodyHint(const std::string& body) {
  return storage::TruncateUtf8(body.substr(0, body.find_first_of("\r\n")), 200);
}

bool IsTransientStatus(int status) {
  return status == 408 || status == 429 || (status >= 500 && status <= 599);
}

}  // namespace

AttemptVerdict JudgeAttempt(const storage::Result<storage::HttpResponse>& result) {
  AttemptVerdict verdict;
  if (!result.ok()) {
    verdict.outcome = AttemptOutcome::kRetry;
    verdict.detail = result.status().ToString();
    return verdict;
  }
  const storage::HttpResponse& response = *result;
  verdict.http_status = response.status;
  if (response.IsSuccess()) {
    verdict.outcome = AttemptOutcome::kDelivered;
    return verdict;
  }
  verdict.detail = "HTTP " + std::to_string(response.status);
  if (const std::string hint = BodyHint(response.body); !hint.empty()) {
    verdict.detail += ": " + hint;
  }
  if (IsTransientStatus(response.status)) {
    verdict.outcome = AttemptOutcome::kRetry;
    verdict.server_delay = storage::ServerRetryDelay(response);
  } else {
    verdict.outcome = AttemptOutcome::kGiveUp;
  }
  return verdict;
}

std::chrono::milliseconds RetryDelay(std::chrono::milliseconds first_backoff,
                                     std::chrono::milliseconds max_backoff, int retry,
                                     std::optional<std::chrono::milliseconds> server_delay,
                                     double unit) {
  if (server_delay) return std::max(std::min(*server_delay, max_backoff), {});
  storage::RetryOptions options;
  options.initial_delay = first_backoff;
  options.max_delay = max_backoff;
  return storage::BackoffDelay(options, retry, unit);
}

}  // namespace fanfold::notify
