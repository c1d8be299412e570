#include "notify/webhook_target.hpp"

#include <cctype>
#include <optional>

#include "storage/ascii_text.hpp"

namespace fanfold::notify {
namespace {

using storage::Result;
using storage::Status;

bool EndsWith(std::string_view text, std::string_view suffix) {
  return text.size() >= suffix.size() && text.substr(text.size() - suffix.size()) == suffix;
}

bool IsWord(std::string_view text) {
  if (text.empty() || text.size() > 16) return false;
  for (const char c : text) {
    if (!std::isalpha(static_cast<unsigned char>(c))) return false;
  }
  return true;
}

std::optional<WebhookFormat> FormatNamed(std::string_view name) {
  for (auto format : {WebhookFormat::kSlack, WebhookFormat::kTeams, WebhookFormat::kJson}) {
    if (name == WebhookFormatName(format)) return format;
  }
  return std::nullopt;
}

// The pieces of "scheme://[userinfo@]host[:port]/rest" that may be shown and checked.
struct UrlHead {
  std::string scheme;  // lower case
  std::string host;    // lower case, IPv6 without brackets
  std::string port;    // digits or empty
  bool bracketed = false;
};

// Splits and checks the head of a URL. Messages name what is wrong, never the text itself past
// the scheme, because the text is a secret.
Result<UrlHead> ParseHead(std::string_view url) {
  for (const char c : url) {
    const auto byte = static_cast<unsigned char>(c);
    if (byte <= 0x20 || byte == 0x7f) {
      return Status::InvalidArgument("webhook URL contains whitespace or a control character");
    }
  }
  const auto scheme_end = url.find("://");
  if (scheme_end == std::string_view::npos) {
    return Status::InvalidArgument("webhook URL has no scheme (expected https://...)");
  }
  UrlHead head;
  head.scheme = storage::AsciiLower(url.substr(0, scheme_end));
  if (head.scheme != "http" && head.scheme != "https") {
    return Status::InvalidArgument("webhook URL scheme must be http or https");
  }
  std::string_view authority = url.substr(scheme_end + 3);
  authority = authority.substr(0, authority.find_first_of("/?#"));
  if (const auto at = authority.rfind('@'); at != std::string_view::npos) {
    authority.remove_prefix(at + 1);  // user info is a credential: checked by no one, shown never
  }
  std::string_view host = authority;
  std::optional<std::string_view> port;
  if (!host.empty() && host.front() == '[') {
    const auto close = host.find(']');
    if (close == std::string_view::npos) {
      return Status::InvalidArgument("webhook URL has an unterminated IPv6 address");
    }
    head.bracketed = true;
    const std::string_view after = host.substr(close + 1);
    host = host.substr(1, close - 1);
    if (!after.empty() && after.front() != ':') {
      return Status::InvalidArgument("webhook URL has a bad host");
    }
    if (!after.empty()) port = after.substr(1);
    for (const char c : host) {
      if (!std::isxdigit(static_cast<unsigned char>(c)) && c != ':' && c != '.') {
        return Status::InvalidArgument("webhook URL has a bad IPv6 address");
      }
    }
  } else {
    if (const auto colon = host.find(':'); colon != std::string_view::npos) {
      port = host.substr(colon + 1);
      host = host.substr(0, colon);
    }
    for (const char c : host) {
      if (!std::isalnum(static_cast<unsigned char>(c)) && c != '-' && c != '.' && c != '_') {
        return Status::InvalidArgument("webhook URL has a bad host name");
      }
    }
  }
  if (host.empty()) return Status::InvalidArgument("webhook URL has no host");
  head.host = storage::AsciiLower(host);
  if (port) {
    const bool digits = !port->empty() && port->size() <= 5 &&
                        port->find_first_not_of("0123456789") == std::string_view::npos;
    const long value = digits ? std::stol(std::string(*port)) : 0;
    if (value < 1 || value > 65535) {
      return Status::InvalidArgument("webhook URL for " + head.host + " has a bad port");
    }
    head.port = std::string(*port);
  }
  return head;
}

WebhookFormat GuessFormat(std::string_view host) {
  if (host == "hooks.slack.com") return WebhookFormat::kSlack;
  if (EndsWith(host, ".webhook.office.com") || EndsWith(host, ".logic.azure.com") ||
      EndsWith(host, ".powerplatform.com")) {
    return WebhookFormat::kTeams;
  }
  return WebhookFormat::kJson;
}

}  // namespace

const char* WebhookFormatName(WebhookFormat format) {
  switch (format) {
    case WebhookFormat::kSlack:
      return "slack";
    case WebhookFormat::kTeams:
      return "teams";
    case WebhookFormat::kJson:
      return "json";
  }
  return "json";
}

Result<WebhookTarget> ParseWebhookTarget(std::string_view spec) {
  const std::string_view text = storage::TrimAsciiSpace(spec);
  if (text.empty()) return Status::InvalidArgument("webhook spec is empty");
  std::string_view url = text;
  std::optional<WebhookFormat> format;
  // A format prefix is a word before a '=' that comes ahead of the "://" (a later '=' belongs to
  // the query). Without a "://" only a plain word counts, so a scheme-less URL with a query is
  // reported as having no scheme rather than as a strange format.
  const auto eq = text.find('=');
  const auto scheme = text.find("://");
  const std::string name = eq == std::string_view::npos
                               ? ""
                               : storage::AsciiLower(storage::TrimAsciiSpace(text.substr(0, eq)));
  if (eq != std::string_view::npos &&
      (scheme != std::string_view::npos ? eq < scheme : IsWord(name))) {
    format = FormatNamed(name);
    if (!format) {
      // Echoed only when it looks like a mistyped format word, not a pasted piece of a secret.
      return Status::InvalidArgument("unknown webhook format" +
                                     (IsWord(name) ? " '" + name + "'" : std::string()) +
                                     " (expected slack=, teams= or json=)");
    }
    url = storage::TrimAsciiSpace(text.substr(eq + 1));
  }
  if (url.empty()) return Status::InvalidArgument("webhook spec has a format but no URL");
  const Result<UrlHead> head = ParseHead(url);
  if (!head.ok()) return head.status();
  return WebhookTarget{std::string(url), format.value_or(GuessFormat(head->host))};
}

Result<std::vector<WebhookTarget>> ParseWebhookTargets(std::string_view specs) {
  std::vector<WebhookTarget> targets;
  int entry = 0;
  while (true) {
    const auto comma = specs.find(',');
    const std::string_view spec = storage::TrimAsciiSpace(specs.substr(0, comma));
    ++entry;
    if (!spec.empty()) {
      Result<WebhookTarget> target = ParseWebhookTarget(spec);
      if (!target.ok()) {
        return Status::InvalidArgument("webhook " + std::to_string(entry) + ": " +
                                       target.status().message());
      }
      targets.push_back(std::move(target).value());
    }
    if (comma == std::string_view::npos) break;
    specs.remove_prefix(comma + 1);
  }
  return targets;
}

std::string WebhookDisplayName(const WebhookTarget& target) {
  const Result<UrlHead> head = ParseHead(storage::TrimAsciiSpace(target.url));
  if (!head.ok()) return "(invalid webhook URL)";
  std::string out = head->scheme + "://";
  out += head->bracketed ? "[" + head->host + "]" : head->host;
  if (!head->port.empty()) out += ":" + head->port;
  return out;
}

}  // namespace fanfold::notify
