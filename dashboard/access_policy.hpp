// Who may do what on the dashboard: the decisions only, as pure functions of the request's
// headers and the server's settings, so they are unit-tested without a socket.
//
// Reads (GET) are open to whoever can reach the port, like /metrics. Actions (POST) change jobs
// and instances, so each must pass every check: actions enabled (--allow-actions), the bearer
// token when one is set (required when listening beyond loopback), the per-process CSRF token in
// a custom header (a cross-site page can neither read it nor send a custom header without a CORS
// preflight, which this server never approves), a same-origin Origin / Sec-Fetch-Site when the
// browser sends them, and a JSON body. On loopback the Host header must name loopback too, so a
// DNS-rebinding page (evil.example resolving to 127.0.0.1) cannot read the CSRF token.
#pragma once

#include <string>
#include <string_view>

#include "storage/status.hpp"

namespace fanfold::dashboard {

// "127.0.0.1", "127.1.2.3", "::1", "[::1]", "localhost".
bool IsLoopbackHost(std::string_view host);

struct AccessSettings {
  std::string listen_host;  // as given to --addr
  bool allow_actions = false;
  std::string token;       // bearer token for actions; empty for none
  std::string csrf_token;  // random per process, served by GET /api/session
};

// Refuses to start when actions would be open to the network without a token, or the token is
// too short to resist guessing (16 characters at least).
storage::Status CheckStartup(const AccessSettings& settings);

// The headers a decision reads (empty when absent).
struct RequestHeaders {
  std::string host;
  std::string origin;
  std::string sec_fetch_site;
  std::string csrf;           // X-Fanfold-Csrf
  std::string authorization;  // "Bearer <token>"
  std::string content_type;
};

struct Decision {
  int http_status = 200;  // 200: allowed; otherwise the answer to send
  std::string reason;     // why not, for the person (never echoes a token)
  bool allowed() const { return http_status == 200; }
};

// Any request: on a loopback listener the Host header must name a loopback host.
Decision CheckHost(const AccessSettings& settings, const RequestHeaders& headers);
// A POST that acts on a job or an instance.
Decision CheckAction(const AccessSettings& settings, const RequestHeaders& headers);

// Equality in time independent of where the texts first differ.
bool ConstantTimeEquals(std::string_view a, std::string_view b);

}  // namespace fanfold::dashboard
