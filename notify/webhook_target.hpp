// Where failure notices go: webhook URLs, each with the body format its receiver expects.
// A webhook URL is a bearer secret (whoever holds it can post to the channel), so no error
// message here ever contains a URL's path or query; WebhookDisplayName is the form to log.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "storage/result.hpp"

namespace fanfold::notify {

enum class WebhookFormat { kSlack, kTeams, kJson };
const char* WebhookFormatName(WebhookFormat format);  // "slack", "teams", "json"

struct WebhookTarget {
  std::string url;  // absolute http(s) URL exactly as configured; sent byte for byte
  WebhookFormat format = WebhookFormat::kJson;
};

// "slack=https://hooks.slack.com/services/...", "teams=https://...", "json=http://host/hook", or a
// bare URL whose format is guessed from its host: hooks.slack.com is slack; *.webhook.office.com,
// *.logic.azure.com and *.powerplatform.com are teams; anything else is json.
storage::Result<WebhookTarget> ParseWebhookTarget(std::string_view spec);

// A comma-separated list (FANFOLD_NOTIFY_WEBHOOKS, or repeated --notify flags joined). Empty
// entries are skipped, so "" is no targets. A URL that needs a ',' must spell it %2C.
storage::Result<std::vector<WebhookTarget>> ParseWebhookTargets(std::string_view specs);

// "https://hooks.slack.com": scheme and host[:port], without user info, path or query.
std::string WebhookDisplayName(const WebhookTarget& target);

}  // namespace fanfold::notify
