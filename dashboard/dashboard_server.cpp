#include "dashboard/dashboard_server.hpp"

#include <httplib.h>

#include <nlohmann/json.hpp>

#include "dashboard/assets.hpp"
#include "storage/random_id.hpp"
#include "telemetry/http_serving.hpp"
#include "telemetry/log.hpp"
#include "telemetry/metrics_server.hpp"

namespace fanfold::dashboard {
namespace {

constexpr const char* kJson = "application/json; charset=utf-8";

// No inline script or style, nothing from another origin, no framing, no form posts: a name
// that slipped past escaping still could not run or load anything.
constexpr const char* kContentSecurityPolicy =
    "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "connect-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

RequestHeaders HeadersOf(const httplib::Request& request) {
  RequestHeaders headers;
  headers.host = request.get_header_value("Host");
  headers.origin = request.get_header_value("Origin");
  headers.sec_fetch_site = request.get_header_value("Sec-Fetch-Site");
  headers.csrf = request.get_header_value("X-Fanfold-Csrf");
  headers.authorization = request.get_header_value("Authorization");
  headers.content_type = request.get_header_value("Content-Type");
  return headers;
}

void Send(httplib::Response& response, const ApiResponse& answer) {
  response.status = answer.http_status;
  response.set_content(answer.body, kJson);
}

QueryParams ParamsOf(const httplib::Request& request) {
  return QueryParams(request.params.begin(), request.params.end());
}

std::string RandomHex(std::size_t bytes) {
  std::string raw(bytes, '\0');
  storage::RandomBytes(raw.data(), raw.size());
  static constexpr char kDigits[] = "0123456789abcdef";
  std::string hex;
  for (const unsigned char c : raw) {
    hex += kDigits[c >> 4];
    hex += kDigits[c & 15];
  }
  return hex;
}

// The "reason" of an action's JSON body; "" when absent. False for a body that is not JSON.
bool ReasonOf(const std::string& body, std::string* reason) {
  if (body.empty()) return true;
  const auto json = nlohmann::json::parse(body, nullptr, false);
  if (json.is_discarded() || !json.is_object()) return false;
  if (const auto found = json.find("reason"); found != json.end() && found->is_string()) {
    *reason = found->get<std::string>();
  }
  return true;
}

}  // namespace

DashboardServer::DashboardServer(std::shared_ptr<const DashboardApi> api) : api_(std::move(api)) {}

DashboardServer::~DashboardServer() {
  Stop();
}

storage::Result<std::string> DashboardServer::Start(const DashboardOptions& options) {
  auto address = telemetry::ParseListenAddress(options.address);
  if (!address.ok()) {
    return storage::Status::InvalidArgument("--addr '" + options.address +
                                            "' is not HOST:PORT (for example 127.0.0.1:8080)");
  }
  access_.listen_host = address->host;
  access_.allow_actions = options.allow_actions;
  access_.token = options.token;
  access_.csrf_token = RandomHex(24);
  FANFOLD_RETURN_IF_ERROR(CheckStartup(access_));
  server_ = std::make_unique<httplib::Server>();
  server_->set_payload_max_length(64 * 1024);  // an action's body is a short reason
  server_->set_default_headers({{"Content-Security-Policy", kContentSecurityPolicy},
                                {"X-Content-Type-Options", "nosniff"},
                                {"X-Frame-Options", "DENY"},
                                {"Referrer-Policy", "no-referrer"},
                                {"Cross-Origin-Resource-Policy", "same-origin"},
                                {"Cache-Control", "no-store"}});
  Route();
  auto bound = telemetry::ServeInBackground(*server_, address->host, address->port, thread_);
  if (!bound.ok()) {
    server_.reset();
    return storage::Status::IoError(bound.status().message() + " for the dashboard");
  }
  return address->host + ":" + std::to_string(*bound);
}

void DashboardServer::Stop() {
  if (server_) server_->stop();
  if (thread_.joinable()) thread_.join();
  server_.reset();
}

void DashboardServer::Route() {
  httplib::Server& server = *server_;
  // Every request: a loopback listener answers only to loopback host names (DNS rebinding).
  server.set_pre_routing_handler(
      [this](const httplib::Request& request, httplib::Response& response) {
        const Decision host = CheckHost(access_, HeadersOf(request));
        if (host.allowed()) return httplib::Server::HandlerResponse::Unhandled;
        Send(response, ErrorResponse(host.http_status, host.reason));
        return httplib::Server::HandlerResponse::Handled;
      });
  const auto asset = [](const std::string& name, httplib::Response& response) {
    const Asset* found = FindAsset(name);
    if (found == nullptr) {
      Send(response, ErrorResponse(404, "no such page"));
      return;
    }
    response.set_content(std::string(found->body), std::string(found->content_type).c_str());
  };
  server.Get("/", [asset](const httplib::Request&, httplib::Response& response) {
    asset("index.html", response);
  });
  server.Get(R"(/assets/([a-z_]+\.(?:js|css|svg)))",
             [asset](const httplib::Request& request, httplib::Response& response) {
               asset(request.matches[1], response);
             });
  server.Get("/api/session", [this](const httplib::Request&, httplib::Response& response) {
    // Same-origin scripts read the CSRF token here; a cross-site page cannot read this answer.
    nlohmann::json body = {{"actions", access_.allow_actions},
                           {"token_required", access_.allow_actions && !access_.token.empty()},
                           {"csrf", access_.csrf_token}};
    Send(response, {200, body.dump()});
  });
  server.Get("/api/jobs", [this](const httplib::Request& request, httplib::Response& response) {
    Send(response, api_->Jobs(ParamsOf(request)));
  });
  server.Get(R"(/api/jobs/([^/]+))",
             [this](const httplib::Request& request, httplib::Response& response) {
               Send(response, api_->Job(request.matches[1]));
             });
  server.Get(R"(/api/jobs/([^/]+)/result)",
             [this](const httplib::Request& request, httplib::Response& response) {
               Send(response, api_->JobResult(request.matches[1]));
             });
  server.Get("/api/instances",
             [this](const httplib::Request& request, httplib::Response& response) {
               Send(response, api_->Instances(ParamsOf(request)));
             });
  server.Get(R"(/api/instances/([^/]+))",
             [this](const httplib::Request& request, httplib::Response& response) {
               Send(response, api_->Instance(request.matches[1]));
             });
  // Actions: every check of CheckAction, then the same code as the CLI's command.
  const auto action =
      [this](const httplib::Request& request, httplib::Response& response,
             const std::function<ApiResponse(const std::string&, const std::string&)>& act,
             const char* name) {
        const Decision decision = CheckAction(access_, HeadersOf(request));
        if (!decision.allowed()) {
          telemetry::Log(
              telemetry::LogLevel::kWarn, "dashboard.refused",
              {{"action", name}, {"status", decision.http_status}, {"reason", decision.reason}});
          Send(response, ErrorResponse(decision.http_status, decision.reason));
          return;
        }
        std::string reason;
        if (!ReasonOf(request.body, &reason)) {
          Send(response, ErrorResponse(400, "the body must be a JSON object"));
          return;
        }
        if (reason.empty()) reason = std::string(name) + " from the dashboard";
        const std::string id = request.matches[1];
        const ApiResponse answer = act(id, reason);
        telemetry::LogInfo("dashboard.action",
                           {{"action", name}, {"id", id}, {"status", answer.http_status}});
        Send(response, answer);
      };
  server.Post(R"(/api/jobs/([^/]+)/retry)", [this, action](const httplib::Request& request,
                                                           httplib::Response& response) {
    action(
        request, response,
        [this](const std::string& id, const std::string&) { return api_->RetryJob(id); }, "retry");
  });
  server.Post(R"(/api/instances/([^/]+)/(rewind|terminate|purge))",
              [this, action](const httplib::Request& request, httplib::Response& response) {
                const std::string verb = request.matches[2];
                action(
                    request, response,
                    [this, verb](const std::string& id, const std::string& reason) {
                      if (verb == "rewind") return api_->Rewind(id, reason);
                      if (verb == "terminate") return api_->Terminate(id, reason);
                      return api_->Purge(id);
                    },
                    verb == "rewind" ? "rewind" : (verb == "terminate" ? "terminate" : "purge"));
              });
  // Anything else: JSON 404 (API) rather than httplib's empty answer.
  server.set_error_handler([](const httplib::Request&, httplib::Response& response) {
    if (response.body.empty()) {
      const int status = response.status;
      Send(response, ErrorResponse(status, status == 404 ? "not found" : "request refused"));
    }
  });
}

}  // namespace fanfold::dashboard
