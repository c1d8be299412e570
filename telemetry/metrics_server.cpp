#include "telemetry/metrics_server.hpp"

#include <httplib.h>

#include <cstdlib>

#include "telemetry/exclusive_listen.hpp"

namespace fanfold::telemetry {

MetricsServer::MetricsServer(const MetricsRegistry& registry) : registry_(registry) {}

MetricsServer::~MetricsServer() {
  Stop();
}

storage::Result<std::string> MetricsServer::Start(const std::string& address) {
  const auto colon = address.rfind(':');
  const std::string host = colon == std::string::npos ? std::string() : address.substr(0, colon);
  const std::string port_text = colon == std::string::npos ? address : address.substr(colon + 1);
  char* end = nullptr;
  const long port = std::strtol(port_text.c_str(), &end, 10);
  if (host.empty() || port_text.empty() || *end != '\0' || port < 0 || port > 65535) {
    return storage::Status::InvalidArgument("--metrics-addr '" + address +
                                            "' is not HOST:PORT (for example 127.0.0.1:9464)");
  }
  server_ = std::make_unique<httplib::Server>();
  telemetry::ListenExclusively(*server_);
  server_->Get("/metrics", [this](const httplib::Request&, httplib::Response& response) {
    response.set_content(registry_.Render(), "text/plain; version=0.0.4; charset=utf-8");
  });
  server_->Get("/healthz", [](const httplib::Request&, httplib::Response& response) {
    response.set_content("ok\n", "text/plain");
  });
  const int bound =
      port == 0
          ? server_->bind_to_any_port(host)
          : (server_->bind_to_port(host, static_cast<int>(port)) ? static_cast<int>(port) : -1);
  if (bound <= 0) {
    server_.reset();
    return storage::Status::IoError("cannot listen on " + address +
                                    " for metrics (in use, or not an address of this machine)");
  }
  thread_ = std::thread([this] { server_->listen_after_bind(); });
  return host + ":" + std::to_string(bound);
}

void MetricsServer::Stop() {
  if (server_) server_->stop();
  if (thread_.joinable()) thread_.join();
  server_.reset();
}

}  // namespace fanfold::telemetry
