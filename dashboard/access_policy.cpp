#include "dashboard/access_policy.hpp"

#include <cctype>

namespace fanfold::dashboard {
namespace {

// "127.0.0.1:8080" -> "127.0.0.1", "[::1]:8080" -> "[::1]", "localhost" -> "localhost".
std::string_view HostWithoutPort(std::string_view host) {
  if (!host.empty() && host.front() == '[') {
    const auto close = host.find(']');
    return close == std::string_view::npos ? host : host.substr(0, close + 1);
  }
  const auto colon = host.rfind(':');
  if (colon != std::string_view::npos && host.find(':') == colon) return host.substr(0, colon);
  return host;
}

std::string Lower(std::string_view text) {
  std::string out(text);
  for (char& c : out)
    c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

}  // namespace

bool IsLoopbackHost(std::string_view host) {
  const std::string lower = Lower(host);
  if (lower == "localhost" || lower == "::1" || lower == "[::1]") return true;
  if (lower.rfind("127.", 0) != 0) return false;
  for (const char c : lower) {
    if (c != '.' && std::isdigit(static_cast<unsigned char>(c)) == 0) return false;
  }
  return true;
}

bool ConstantTimeEquals(std::string_view a, std::string_view b) {
  unsigned char difference = a.size() == b.size() ? 0 : 1;
  const std::size_t n = a.size() < b.size() ? a.size() : b.size();
  for (std::size_t i = 0; i < n; ++i)
    difference |= static_cast<unsigned char>(a[i] ^ b[i]);
  return difference == 0;
}

storage::Status CheckStartup(const AccessSettings& settings) {
  if (!settings.token.empty() && settings.token.size() < 16) {
    return storage::Status::InvalidArgument(
        "the dashboard token must be at least 16 characters (for example `openssl rand -hex "
        "16`)");
  }
  if (settings.allow_actions && settings.token.empty() && !IsLoopbackHost(settings.listen_host)) {
    return storage::Status::InvalidArgument(
        "--allow-actions on " + settings.listen_host +
        " (not loopback) needs a token: --token or FANFOLD_DASHBOARD_TOKEN");
  }
  return storage::Status::Ok();
}

Decision CheckHost(const AccessSettings& settings, const RequestHeaders& headers) {
  if (!IsLoopbackHost(settings.listen_host)) return {};
  if (IsLoopbackHost(HostWithoutPort(headers.host))) return {};
  return {421, "this dashboard answers only to a loopback host name"};
}

Decision CheckAction(const AccessSettings& settings, const RequestHeaders& headers) {
  if (!settings.allow_actions) {
    return {403, "actions are off: start the dashboard with --allow-actions"};
  }
  const Decision host = CheckHost(settings, headers);
  if (!host.allowed()) return host;
  if (!headers.sec_fetch_site.empty() && headers.sec_fetch_site != "same-origin") {
    return {403, "cross-site request refused"};
  }
  if (!headers.origin.empty() && headers.origin != "http://" + headers.host) {
    return {403, "cross-origin request refused"};
  }
  if (settings.csrf_token.empty() || !ConstantTimeEquals(headers.csrf, settings.csrf_token)) {
    return {403, "missing or wrong X-Fanfold-Csrf header (reload the page)"};
  }
  if (Lower(headers.content_type).rfind("application/json", 0) != 0) {
    return {415, "actions take a JSON body (Content-Type: application/json)"};
  }
  if (!settings.token.empty()) {
    constexpr std::string_view kBearer = "Bearer ";
    const std::string_view given = headers.authorization;
    if (given.rfind(kBearer, 0) != 0 ||
        !ConstantTimeEquals(given.substr(kBearer.size()), settings.token)) {
      return {401, "this action needs the dashboard's token"};
    }
  }
  return {};
}

}  // namespace fanfold::dashboard
