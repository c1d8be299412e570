#include "cli/failure_notifications.hpp"

#include <cstdlib>

#include "cli/result_output.hpp"
#include "notify/webhook_target.hpp"
#include "telemetry/log.hpp"

namespace fanfold::cli {
namespace {

std::string Text(const nlohmann::json& fields, const char* name) {
  const auto found = fields.find(name);
  return found != fields.end() && found->is_string() ? found->get<std::string>() : std::string();
}

}  // namespace

std::optional<notify::FailureNotice> NoticeForEvent(std::string_view event,
                                                    const nlohmann::json& fields,
                                                    const std::string& deployment_flags) {
  if (!fields.is_object()) return std::nullopt;
  notify::FailureNotice notice;
  if (event == notify::kJobFailed) {
    notice.kind = notify::kJobFailed;
  } else if (event == notify::kMessagePoisoned) {
    notice.kind = notify::kMessagePoisoned;
    const std::string from = Text(fields, "queue");
    const std::string poison = Text(fields, "poison_queue");
    notice.queue = poison.empty() ? from : from + " -> " + poison;
  } else {
    return std::nullopt;
  }
  notice.job = Text(fields, "job");
  notice.file = Text(fields, "file");
  notice.pipeline = Text(fields, "pipeline");
  notice.reason = Text(fields, "error");
  // Only a job can be retried by command; a poisoned message of no job (an unreadable event,
  // say) is kept in its poison queue for a person to look at, which the notice names.
  if (!notice.job.empty()) notice.retry_command = "fanfold retry " + notice.job + deployment_flags;
  return notice;
}

storage::Result<std::unique_ptr<FailureNotifications>> FailureNotifications::FromArguments(
    const Arguments& arguments) {
  std::string specs = arguments.ValueOr("notify", "");
  if (specs.empty()) {
    const char* from_environment = std::getenv("FANFOLD_NOTIFY_WEBHOOKS");
    specs = from_environment == nullptr ? "" : from_environment;
  }
  auto targets = notify::ParseWebhookTargets(specs);
  if (!targets.ok()) return targets.status();
  if (targets->empty()) return std::unique_ptr<FailureNotifications>();
  return std::unique_ptr<FailureNotifications>(
      new FailureNotifications(std::move(*targets), DeploymentFlags(arguments)));
}

FailureNotifications::FailureNotifications(std::vector<notify::WebhookTarget> targets,
                                           std::string deployment_flags)
    : target_count_(targets.size()),
      deployment_flags_(std::move(deployment_flags)),
      notifier_(std::move(targets)) {
  observer_id_ = telemetry::AddLogObserver(
      [this](telemetry::LogLevel, std::string_view event, const nlohmann::json& fields) {
        if (auto notice = NoticeForEvent(event, fields, deployment_flags_)) {
          notifier_.Notify(std::move(*notice));
        }
      });
}

FailureNotifications::~FailureNotifications() {
  telemetry::RemoveLogObserver(observer_id_);
}

}  // namespace fanfold::cli
