// Sends failure notices to webhooks without ever making the caller wait on the network.
// Each target has its own queue and sender thread, so a slow, failing or rate-limited webhook
// delays only its own messages. A target's messages go out in order, each retried with backoff
// until it is delivered, refused (see delivery_policy.hpp) or out of attempts. Queues are
// bounded: when one is full its oldest waiting message is dropped, since in a flood of failures
// the newest say most. Only a target's scheme and host are ever logged: its URL is a secret.
#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <vector>

#include "notify/failure_notice.hpp"
#include "notify/webhook_target.hpp"
#include "storage/transport.hpp"

namespace fanfold::notify {

struct NotifierOptions {
  // Attempts per message and target, the first included.
  int max_attempts = 6;
  // Delay before the first retry; it doubles with each retry, with jitter, up to max_backoff.
  std::chrono::milliseconds first_backoff{500};
  // Cap of every delay, a server's Retry-After included.
  std::chrono::milliseconds max_backoff{30000};
  // Messages waiting per target (the one being sent not counted); beyond it the oldest waiting
  // one is dropped, counted in Stats::dropped and logged once per burst of drops.
  std::size_t max_pending = 1000;
  // Whole-request limit, connecting included: a hanging receiver costs one of these per attempt.
  std::chrono::milliseconds request_timeout{10000};
  // How long the destructor lets queued messages go out before it abandons them.
  std::chrono::milliseconds shutdown_drain{5000};
  // Must be safe to call from several threads at once. Default: a storage::CurlTransport of
  // the notifier's own (TLS verification on).
  std::shared_ptr<storage::Transport> transport;
};

class WebhookNotifier {
 public:
  struct Stats {
    std::uint64_t delivered = 0;  // messages a target answered 2xx to
    std::uint64_t retries = 0;    // attempts after the first
    std::uint64_t gave_up = 0;    // messages refused (4xx) or out of attempts
    std::uint64_t dropped = 0;    // messages pushed out of a full queue or left at shutdown
  };

  // Starts one sender thread per target. A target whose URL does not parse is logged (by scheme
  // and host at most) and skipped.
  explicit WebhookNotifier(std::vector<WebhookTarget> targets, NotifierOptions options = {});
  // Waits up to options.shutdown_drain for queued messages, then abandons the rest and stops the
  // threads; a request already in flight still ends within its request_timeout.
  ~WebhookNotifier();
  WebhookNotifier(const WebhookNotifier&) = delete;
  WebhookNotifier& operator=(const WebhookNotifier&) = delete;

  // Queues one delivery per target and returns at once; safe from any thread. It never logs
  // (the sender threads do), so it may be called from a telemetry::LogObserver. Fills an empty
  // `worker` from the log options and an empty `time` with now.
  void Notify(FailureNotice notice);

  // Waits until no message is queued or being sent, or `timeout` passes; true when idle.
  bool Flush(std::chrono::milliseconds timeout);

  Stats stats() const;

 private:
  struct State;
  std::unique_ptr<State> state_;
};

}  // namespace fanfold::notify
