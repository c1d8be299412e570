// `fanfold dashboard`'s HTTP server (cpp-httplib, as /metrics and serve-functions use): the
// built-in pages at / and /assets/, the JSON API at /api/ (dashboard_api.hpp), and the checks of
// access_policy.hpp in front of both. Every answer carries a strict Content-Security-Policy
// (scripts and styles from this origin only, no inline script, no framing) and nosniff.
#pragma once

#include <memory>
#include <string>
#include <thread>

#include "dashboard/access_policy.hpp"
#include "dashboard/dashboard_api.hpp"
#include "storage/result.hpp"

namespace httplib {
class Server;
}

namespace fanfold::dashboard {

struct DashboardOptions {
  std::string address = "127.0.0.1:8080";  // HOST:PORT; port 0 picks a free one
  bool allow_actions = false;              // POST actions (retry, rewind, terminate, purge)
  std::string token;                       // bearer token for actions; required off loopback
};

class DashboardServer {
 public:
  explicit DashboardServer(std::shared_ptr<const DashboardApi> api);
  ~DashboardServer();  // stops serving
  DashboardServer(const DashboardServer&) = delete;
  DashboardServer& operator=(const DashboardServer&) = delete;

  // Checks the options (CheckStartup), binds and serves in the background. Returns the address
  // bound, with its port ("127.0.0.1:8080").
  storage::Result<std::string> Start(const DashboardOptions& options);
  void Stop();

 private:
  void Route();

  std::shared_ptr<const DashboardApi> api_;
  AccessSettings access_;
  std::unique_ptr<httplib::Server> server_;
  std::thread thread_;
};

}  // namespace fanfold::dashboard
