// The libcurl transport against a loopback HTTP server that records each request's target as it
// arrived: the path must reach the server byte for byte as it was built and signed. libcurl
// removes RFC 3986 dot segments unless told not to, which would send "/c/a/b" for a blob named
// "a/./b" (a signature mismatch, or another blob) and "/c/b" for "a/../b".
#include "storage/curl_transport.hpp"

#include <gtest/gtest.h>
#include <httplib.h>

#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "telemetry/http_serving.hpp"

namespace fanfold::storage {
namespace {

class RecordingServer {
 public:
  RecordingServer() {
    server_.Get(".*", [this](const httplib::Request& request, httplib::Response& response) {
      std::lock_guard<std::mutex> lock(mutex_);
      targets_.push_back(request.target);
      response.set_content("ok", "text/plain");
    });
    auto port = telemetry::ServeInBackground(server_, "127.0.0.1", 0, thread_);
    EXPECT_TRUE(port.ok()) << port.status().ToString();
    port_ = port.ok() ? *port : 0;
  }
  ~RecordingServer() {
    server_.stop();
    thread_.join();
  }
  std::string base() const { return "http://127.0.0.1:" + std::to_string(port_); }
  std::vector<std::string> targets() {
    std::lock_guard<std::mutex> lock(mutex_);
    return targets_;
  }

 private:
  httplib::Server server_;
  std::thread thread_;
  int port_ = 0;
  std::mutex mutex_;
  std::vector<std::string> targets_;
};

TEST(CurlTransportTest, SendsThePathExactlyAsBuilt) {
  RecordingServer server;
  CurlTransport transport;
  const std::vector<std::string> paths = {"/c/a/./b", "/c/a/../b",        "/c/./x",
                                          "/c/d/..",  "/c/x%41/%2E%2E/y", "/c//double"};
  for (const std::string& path : paths) {
    auto url = Url::Parse(server.base() + path + "?comp=x");
    ASSERT_TRUE(url.ok());
    HttpRequest request;
    request.url = *url;
    auto response = transport.Send(request);
    ASSERT_TRUE(response.ok()) << response.status().ToString();
    EXPECT_EQ(response->status, 200);
  }
  const auto targets = server.targets();
  ASSERT_EQ(targets.size(), paths.size());
  for (std::size_t i = 0; i < paths.size(); ++i)
    EXPECT_EQ(targets[i], paths[i] + "?comp=x");
}

}  // namespace
}  // namespace fanfold::storage
