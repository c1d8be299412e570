// Failure notifications of a worker process: every job.failed and message.poisoned event it
// logs becomes a notify::FailureNotice for the configured webhooks (--notify, else
// $FANFOLD_NOTIFY_WEBHOOKS), with the command that retries it. Sending happens on the
// notifier's own threads: the pipeline never waits for a webhook.
#pragma once

#include <memory>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>

#include "cli/arguments.hpp"
#include "notify/failure_notice.hpp"
#include "notify/webhook_notifier.hpp"
#include "storage/result.hpp"

namespace fanfold::cli {

// The notice for a logged event, or nullopt when the event is not a failure. `deployment_flags`
// (" --prefix p1") goes into the retry command so it can be pasted as it is.
std::optional<notify::FailureNotice> NoticeForEvent(std::string_view event,
                                                    const nlohmann::json& fields,
                                                    const std::string& deployment_flags);

class FailureNotifications {
 public:
  // Null (and Ok) when no webhook is configured; InvalidArgument for a malformed spec.
  static storage::Result<std::unique_ptr<FailureNotifications>> FromArguments(
      const Arguments& arguments);
  ~FailureNotifications();  // stops observing, then lets queued notices go out (bounded)
  FailureNotifications(const FailureNotifications&) = delete;
  FailureNotifications& operator=(const FailureNotifications&) = delete;

  std::size_t target_count() const { return target_count_; }

 private:
  FailureNotifications(std::vector<notify::WebhookTarget> targets, std::string deployment_flags);

  std::size_t target_count_ = 0;
  std::string deployment_flags_;
  notify::WebhookNotifier notifier_;
  int observer_id_ = 0;
};

}  // namespace fanfold::cli
