// How call_activity retries a failed activity: attempts, first delay, backoff factor, cap.
// Waits are durable timers, so a retry survives the worker that scheduled it.
#pragma once

#include <algorithm>
#include <chrono>

namespace fanfold::orchestrator {

struct ActivityRetryPolicy {
  int max_attempts = 1;                         // 1 = no retry
  std::chrono::milliseconds first_delay{1000};  // before the second attempt
  double backoff_factor = 2.0;                  // each next delay = previous × factor
  std::chrono::milliseconds max_delay{std::chrono::minutes(5)};

  // Delay after failed attempt number `attempt` (1-based).
  std::chrono::milliseconds DelayAfter(int attempt) const {
    double delay = static_cast<double>(first_delay.count());
    for (int i = 1; i < attempt; ++i)
      delay *= backoff_factor;
    return std::chrono::milliseconds(
        static_cast<long long>(std::min(delay, static_cast<double>(max_delay.count()))));
  }
};

}  // namespace fanfold::orchestrator
