// Transport on libcurl. Easy handles are pooled and reused, so connections stay open across
// requests (keep-alive) and across threads; TLS peer and host verification are always on.
#pragma once

#include <chrono>
#include <memory>
#include <mutex>
#include <vector>

#include "storage/transport.hpp"

namespace fanfold::storage {

struct CurlTransportOptions {
  std::chrono::milliseconds connect_timeout{std::chrono::seconds(10)};
  // A transfer with no timeout of its own fails when slower than this for stall_time.
  long stall_bytes_per_second = 1;
  std::chrono::seconds stall_time{60};
};

class CurlTransport final : public Transport {
 public:
  explicit CurlTransport(CurlTransportOptions options = {});
  ~CurlTransport() override;
  CurlTransport(const CurlTransport&) = delete;
  CurlTransport& operator=(const CurlTransport&) = delete;

  Result<HttpResponse> Send(HttpRequest& request) override;

 private:
  void* AcquireHandle();
  void ReleaseHandle(void* handle);

  CurlTransportOptions options_;
  std::mutex mutex_;
  std::vector<void*> idle_handles_;  // CURL*, kept opaque so curl.h stays out of headers
};

}  // namespace fanfold::storage
