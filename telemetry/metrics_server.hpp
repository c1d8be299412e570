// Serves a MetricsRegistry over HTTP: GET /metrics (Prometheus text format 0.0.4) and
// GET /healthz ("ok", for liveness probes). Runs on its own threads; a scrape never blocks the
// work, and the work never waits for a scrape.
#pragma once

#include <memory>
#include <string>
#include <thread>

#include "storage/result.hpp"
#include "telemetry/metrics.hpp"

namespace httplib {
class Server;
}

namespace fanfold::telemetry {

// "HOST:PORT" as --metrics-addr takes it; port 0 means any free one.
struct ListenAddress {
  std::string host;
  int port = 0;
};
storage::Result<ListenAddress> ParseListenAddress(const std::string& address);

class MetricsServer {
 public:
  explicit MetricsServer(const MetricsRegistry& registry);
  ~MetricsServer();  // stops serving
  MetricsServer(const MetricsServer&) = delete;
  MetricsServer& operator=(const MetricsServer&) = delete;

  // `address` is HOST:PORT ("127.0.0.1:9464", "0.0.0.0:9464"); port 0 picks a free one. Returns
  // the address actually bound, with its port.
  storage::Result<std::string> Start(const std::string& address);
  void Stop();

 private:
  const MetricsRegistry& registry_;
  std::unique_ptr<httplib::Server> server_;
  std::thread thread_;
};

}  // namespace fanfold::telemetry
