// A webhook receiver for tests: an HTTP server on 127.0.0.1 and an ephemeral port that records
// every POST and answers what the test scripts. Handlers may block in WaitForRelease (a hanging
// receiver); the destructor releases them, so a test never waits out a sleeping handler.
#pragma once

#include <httplib.h>

#include <chrono>
#include <condition_variable>
#include <functional>
#include <mutex>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

#include "telemetry/http_serving.hpp"

namespace fanfold::notify::test {

class LocalReceiver {
 public:
  struct Received {
    std::string target;  // path and query as sent
    std::string content_type;
    std::string body;
    std::chrono::steady_clock::time_point at;
  };
  // Called for the `hit`-th request (1-based) after it is recorded; the answer stays 200 "ok"
  // unless it changes it.
  using Responder = std::function<void(LocalReceiver& self, int hit, httplib::Response&)>;

  explicit LocalReceiver(Responder responder = {}) : responder_(std::move(responder)) {
    server_.set_keep_alive_timeout(1);
    server_.Post(".*", [this](const httplib::Request& request, httplib::Response& response) {
      int hit = 0;
      {
        const std::lock_guard<std::mutex> lock(mutex_);
        received_.push_back({request.target, request.get_header_value("Content-Type"), request.body,
                             std::chrono::steady_clock::now()});
        hit = static_cast<int>(received_.size());
      }
      changed_.notify_all();
      response.status = 200;
      response.set_content("ok", "text/plain");
      if (responder_) responder_(*this, hit, response);
    });
    auto port = telemetry::ServeInBackground(server_, "127.0.0.1", 0, thread_);
    if (!port.ok()) throw std::runtime_error(port.status().ToString());
    port_ = *port;
  }

  ~LocalReceiver() {
    Release();
    server_.stop();
    thread_.join();
  }

  LocalReceiver(const LocalReceiver&) = delete;
  LocalReceiver& operator=(const LocalReceiver&) = delete;

  int port() const { return port_; }
  std::string Url(const std::string& path) const {
    return "http://127.0.0.1:" + std::to_string(port_) + path;
  }

  std::vector<Received> received() const {
    const std::lock_guard<std::mutex> lock(mutex_);
    return received_;
  }
  int hits() const {
    const std::lock_guard<std::mutex> lock(mutex_);
    return static_cast<int>(received_.size());
  }
  bool WaitForHits(int count, std::chrono::milliseconds timeout) {
    std::unique_lock<std::mutex> lock(mutex_);
    return changed_.wait_for(lock, timeout,
                             [&] { return static_cast<int>(received_.size()) >= count; });
  }

  // For handlers: blocks until Release() or `timeout`.
  void WaitForRelease(std::chrono::milliseconds timeout) {
    std::unique_lock<std::mutex> lock(mutex_);
    changed_.wait_for(lock, timeout, [&] { return released_; });
  }
  void Release() {
    {
      const std::lock_guard<std::mutex> lock(mutex_);
      released_ = true;
    }
    changed_.notify_all();
  }

 private:
  Responder responder_;
  httplib::Server server_;
  int port_ = 0;
  std::thread thread_;
  mutable std::mutex mutex_;
  std::condition_variable changed_;
  std::vector<Received> received_;
  bool released_ = false;
};

}  // namespace fanfold::notify::test
