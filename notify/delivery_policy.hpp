// What one delivery attempt's answer means and how long to wait before the next attempt. Kept
// apart from the sender threads so that the rules are tested without a network.
// A 2xx is delivered. 408, 429, 5xx and transport failures (refused, reset, timed out) are
// transient: the receiver may take the message later. Anything else (400, 403, 404, 410, a
// redirect) means the URL is wrong or revoked, and retrying would only repeat the refusal.
#pragma once

#include <chrono>
#include <optional>
#include <string>

#include "storage/http_message.hpp"
#include "storage/result.hpp"

namespace fanfold::notify {

enum class AttemptOutcome { kDelivered, kRetry, kGiveUp };

struct AttemptVerdict {
  AttemptOutcome outcome = AttemptOutcome::kGiveUp;
  int http_status = 0;  // 0 when no answer arrived
  std::string detail;   // for logs: "HTTP 404: no_service", or the transport's error
  std::optional<std::chrono::milliseconds> server_delay;  // from Retry-After, when retrying
};

AttemptVerdict JudgeAttempt(const storage::Result<storage::HttpResponse>& result);

// Delay before retry number `retry` (0: the one after the first attempt): the server's delay if
// it asked for one, else first_backoff doubled per retry with jitter placed by `unit` in [0, 1)
// (somewhere in the upper half of the step); either way at most max_backoff.
std::chrono::milliseconds RetryDelay(std::chrono::milliseconds first_backoff,
                                     std::chrono::milliseconds max_backoff, int retry,
                                     std::optional<std::chrono::milliseconds> server_delay,
                                     double unit);

}  // namespace fanfold::notify
