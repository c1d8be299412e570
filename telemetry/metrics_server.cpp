#include "telemetry/metrics_server.hpp"

#include <httplib.h>

#include <cstdlib>

#include "telemetry/http_serving.hpp"

namespace fanfold::telemetry {

MetricsServer::MetricsServer(const MetricsRegistry& registry) : registry_(registry) {}

MetricsServer::~MetricsServer() {
  Stop();
}

storage::Result<ListenAddress> ParseListenAddress(const std::string& address) {
  const auto colon = address.rfind(':');
  const std::string host = colon == std::string::npos ? std::string() : address.substr(0, colon);
  const std::string port_text = colon == std::string::npos ? address : address.substr(colon + 1);
  char* end = nullptr;
  const long port = std::strtol(port_text.c_str(), &end, 10);
  if (host.empty() || port_text.empty() || *end != '\0' || port < 0 || port > 65535) {
    return storage::Status::InvalidArgument("--metrics-addr '" + address +
                                            "' is not HOST:PORT (for example 127.0.0.1:9464)");
  }
  return ListenAddress{host, static_cast<int>(port)};
}

storage::Result<std::string> MetricsServer::Start(const std::string& address) {
  auto parsed = ParseListenAddress(address);
  if (!parsed.ok()) return parsed.status();
  server_ = std::make_unique<httplib::Server>();
  server_->Get("/metrics", [this](const httplib::Request&, httplib::Response& response) {
    response.set_content(registry_.Render(), "text/plain; version=0.0.4; charset=utf-8");
  });
  server_->Get("/healthz", [](const httplib::Request&, httplib::Response& response) {
    response.set_content("ok\n", "text/plain");
  });
  auto bound = ServeInBackground(*server_, parsed->host, parsed->port, thread_);
  if (!bound.ok()) {
    server_.reset();
    return storage::Status::IoError(bound.status().message() + " for metrics");
  }
  return parsed->host + ":" + std::to_string(*bound);
}

void MetricsServer::Stop() {
  if (server_) server_->stop();
  if (thread_.joinable()) thread_.join();
  server_.reset();
}

}  // namespace fanfold::telemetry
